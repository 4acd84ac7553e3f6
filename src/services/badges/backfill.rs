//! Awards every badge already earned by the history (for a tenant that switches badges
//! on, a rule whose settings changed, and the demo): the same rules and the same
//! `award`, one participant per transaction; what is already awarded stays as it is.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::award::{award, declaration_rules, month_done};
use super::settings::catalog;
use crate::db::badges as rows;
use crate::db::{tenants, users};
use crate::domain::badges::{is_podium, BadgeRule, Month};
use crate::domain::{TenantId, UserId};
use crate::services::ledger::LedgerError;

/// How many badges were awarded.
pub fn backfill(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<usize, LedgerError> {
    let badges = catalog(conn, tenant)?;
    let zone = tenants::find(conn, tenant)?.zone();
    // Who may have earned what: declarants, mission months, podiums.
    let mut people: BTreeMap<UserId, (BTreeSet<Month>, bool)> = BTreeMap::new();
    for user in rows::declarants(conn, tenant)? {
        people.entry(user).or_default();
    }
    for (user, mission) in rows::completions(conn, tenant)? {
        let (starts, ends) = rows::mission_window(conn, tenant, mission)?;
        let month = Month::of(zone, starts);
        if month.holds(zone, starts, ends) {
            people.entry(user).or_default().0.insert(month);
        }
    }
    for (user, rank, result) in rows::challenge_results(conn, tenant)? {
        if is_podium(rank, result) {
            people.entry(user).or_default().1 = true;
        }
    }
    let month_badge = badges
        .iter()
        .find(|b| b.rule == BadgeRule::MonthMissions && b.active);
    let podium = badges
        .iter()
        .find(|b| b.rule == BadgeRule::ChallengePodium && b.active);
    let mut awarded = 0;
    for (user, (months, on_podium)) in people {
        awarded += conn.transaction(|conn| -> Result<usize, LedgerError> {
            let mut n = declaration_rules(conn, tenant, user, &badges, now)?.len();
            if let Some(badge) = month_badge {
                let person = users::find(conn, tenant, user)?;
                for month in months {
                    if month_done(conn, tenant, &person, month.bounds(zone))? {
                        n += usize::from(award(conn, tenant, user, badge, now)?);
                        break;
                    }
                }
            }
            if let (Some(badge), true) = (podium, on_podium) {
                n += usize::from(award(conn, tenant, user, badge, now)?);
            }
            Ok(n)
        })?;
    }
    Ok(awarded)
}
