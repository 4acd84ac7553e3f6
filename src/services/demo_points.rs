//! Points history for the demo: a year of bonuses per participant, with lots already
//! expired, lots about to expire and recent ones, so that statements and the liability
//! page have something to show. A participant who already has ledger history is left
//! alone, so seeding twice adds nothing.

use chrono::{Duration, Utc};
use diesel::prelude::*;

use super::ledger::{self, Meta};
use super::ServiceError;
use crate::db::{self, Lock};
use crate::domain::ledger::{Cause, CauseType, Points};
use crate::domain::{Role, TenantId};

/// Points expire 12 months after they were earned in the demo programme.
const EXPIRY_MONTHS: u32 = 12;

/// (days ago, points, reason) for each participant, scaled by their rank.
const HISTORY: &[(i64, i64, &str)] = &[
    (395, 200, "Bonus de bienvenue"),
    (350, 150, "Animation rentrée : vitrine Respire"),
    (240, 300, "Formation gamme bio"),
    (120, 250, "Challenge printemps"),
    (45, 180, "Quiz nouveautés"),
    (6, 120, "Mise en avant tête de gondole"),
];

pub fn seed(conn: &mut PgConnection, tenant: TenantId) -> Result<usize, ServiceError> {
    ledger::set_expiry_policy(conn, tenant, Some(EXPIRY_MONTHS))?;
    let now = Utc::now();
    let mut seeded = 0;
    let participants = db::users::list(conn, tenant)?
        .into_iter()
        .filter(|u| u.role() == Role::Participant);
    for (rank, user) in participants.enumerate() {
        if db::ledger::balance(conn, tenant, user.user_id(), Lock::Unlocked)?.is_some() {
            continue;
        }
        let factor = 1 + (rank as i64 % 4);
        for (i, (days_ago, points, reason)) in HISTORY.iter().enumerate() {
            let key = format!("demo:{}:{i}", user.id);
            let meta = Meta::new(&key, now - Duration::days(*days_ago))
                .cause(Cause {
                    kind: CauseType::Manual,
                    id: None,
                })
                .reason(reason);
            ledger::earn(conn, tenant, user.user_id(), Points(points * factor), &meta)?;
        }
        seeded += 1;
    }
    // The oldest lots are past their date: expire them as the daily job would.
    ledger::expire_due(conn, tenant, now)?;
    Ok(seeded)
}
