//! The challenge e-mails sent to every entrant at once: launched (when the challenge
//! becomes active, by publication or by its start tick) and ending soon (from the daily
//! job, three days before the end). Each goes at most once per challenge and participant.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde_json::json;

use crate::db::challenges::Challenge;
use crate::db::notices::{self, Bulk};
use crate::db::schema::challenges;
use crate::domain::notifications::Category;
use crate::domain::{ChallengeId, TenantId};
use crate::services::jobs::DEFAULT_MAX_ATTEMPTS;

pub const LAUNCHED: &str = "challenge_launched";
pub const ENDING: &str = "challenge_ending";
/// Participants are told this long before a challenge ends.
pub const ENDING_NOTICE: Duration = Duration::days(3);

fn queue(
    conn: &mut PgConnection,
    c: &Challenge,
    template: &str,
    key: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let args = json!({
        "title": c.title,
        "starts_at": c.starts_at,
        "ends_at": c.ends_at,
        "objective": c.objective,
    });
    let key_prefix = format!("{key}:{}:", c.id);
    notices::to_challenge_entrants(
        conn,
        c.tenant_id,
        c.id,
        &Bulk {
            template,
            category: Category::Challenges.as_str(),
            link_path: &format!("/challenges/{}", c.id),
            args: &args,
            key_prefix: &key_prefix,
            now,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        },
    )
}

/// Tells every entrant the challenge has started (in the transaction that made it active).
pub fn launched(conn: &mut PgConnection, c: &Challenge, now: DateTime<Utc>) -> QueryResult<usize> {
    queue(conn, c, LAUNCHED, "challenge-launched", now)
}

/// Tells the entrants of each active challenge that ends within three days. Challenges
/// of three days or less are left out: their launch e-mail already said when they end.
pub fn ending_soon(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let ids: Vec<ChallengeId> = challenges::table
        .filter(challenges::tenant_id.eq(tenant))
        .filter(challenges::status.eq("active"))
        .filter(challenges::ends_at.gt(now))
        .filter(challenges::ends_at.le(now + ENDING_NOTICE))
        .select(challenges::id)
        .load(conn)?;
    let mut queued = 0;
    for id in ids {
        let c = crate::db::challenges::find(conn, tenant, id)?;
        if c.ends_at - c.starts_at <= ENDING_NOTICE {
            continue;
        }
        queued += queue(conn, &c, ENDING, "challenge-ending", now)?;
    }
    Ok(queued)
}
