//! Status tiers for the demo: Bronze, Silver, Gold and Platinum on points earned over a
//! rolling 12 months, thresholds set so that the demo's participants sit in different
//! tiers, and the spa day reserved to Gold members and above. Seeding twice adds nothing.

use chrono::Utc;
use diesel::prelude::*;
use serde_json::json;

use super::audit::{self, Actor, Change};
use super::tiers::recompute_all;
use super::ServiceError;
use crate::db::rewards as reward_rows;
use crate::db::tiers as rows;
use crate::domain::tiers::{Tier, TierWindow};
use crate::domain::TenantId;

/// (name, points earned, multiplier per mille).
const TIERS: [(&str, i64, i32); 4] = [
    ("Bronze", 0, 1000),
    ("Silver", 1500, 1050),
    ("Gold", 3000, 1100),
    ("Platinum", 6000, 1250),
];

/// The reward only Gold members and above may order.
const GOLD_REWARD: &str = "SPA-DUO";

pub fn seed(conn: &mut PgConnection, tenant: TenantId) -> Result<bool, ServiceError> {
    if !rows::list(conn, tenant)?.is_empty() {
        return Ok(false);
    }
    let tiers: Vec<Tier> = TIERS
        .iter()
        .zip(1..)
        .map(|((name, threshold, m), rank)| Tier {
            rank,
            name: (*name).into(),
            threshold: *threshold,
            multiplier_permille: *m,
        })
        .collect();
    conn.transaction(|conn| {
        let now = Utc::now();
        let actor = Actor::system("seed-demo");
        rows::save(conn, tenant, &tiers, TierWindow::Rolling, now)?;
        let change = Change::new("tiers.updated", "tenant", Some(tenant.0))
            .after(&json!({ "window": TierWindow::Rolling, "tiers": tiers }));
        audit::record(conn, tenant, &actor, change)?;
        if let Some(spa) = reward_rows::by_keys(conn, tenant, &[GOLD_REWARD])?.get(GOLD_REWARD) {
            rows::set_reward_min_rank(conn, tenant, spa.id, Some(3))?;
        }
        // The demo's history is not news to its participants: no e-mail.
        recompute_all(conn, tenant, now, false)?;
        Ok(true)
    })
}
