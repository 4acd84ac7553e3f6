//! Server-side sessions (`web_sessions`, a platform-wide table: a session is looked up
//! by its key before any tenant is known). Rows are keyed by the SHA-256 of the cookie's
//! session key.

use crate::domain::{TenantId, UserId};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Nullable, Text, Timestamptz};
use sha2::{Digest, Sha256};

pub fn digest(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

pub struct Write<'a> {
    pub id: &'a str,
    pub state: &'a serde_json::Value,
    pub tenant_id: Option<TenantId>,
    pub user_id: Option<UserId>,
    pub now: DateTime<Utc>,
    pub idle: Duration,
    pub absolute: Duration,
}

/// Creates or updates a session. A new row starts its absolute lifetime now; an update
/// keeps it.
pub fn upsert(conn: &mut PgConnection, w: &Write) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO web_sessions (id, state, tenant_id, user_id, created_at, idle_expires_at, absolute_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, tenant_id = EXCLUDED.tenant_id,
             user_id = EXCLUDED.user_id, idle_expires_at = EXCLUDED.idle_expires_at",
    )
    .bind::<Text, _>(w.id)
    .bind::<Jsonb, _>(w.state)
    .bind::<Nullable<BigInt>, _>(w.tenant_id)
    .bind::<Nullable<BigInt>, _>(w.user_id)
    .bind::<Timestamptz, _>(w.now)
    .bind::<Timestamptz, _>(w.now + w.idle)
    .bind::<Timestamptz, _>(w.now + w.absolute)
    .execute(conn)
    .map(|_| ())
}

#[derive(QueryableByName)]
struct Loaded {
    #[diesel(sql_type = Jsonb)]
    state: serde_json::Value,
    #[diesel(sql_type = Timestamptz)]
    idle_expires_at: DateTime<Utc>,
}

/// The state of a live session, moving its idle deadline (at most once a minute, so
/// that reading a page does not always write). Expired sessions are not found.
pub fn load_and_touch(
    conn: &mut PgConnection,
    id: &str,
    now: DateTime<Utc>,
    idle: Duration,
) -> QueryResult<Option<serde_json::Value>> {
    let found: Option<Loaded> = diesel::sql_query(
        "SELECT state, idle_expires_at FROM web_sessions
         WHERE id = $1 AND idle_expires_at > $2 AND absolute_expires_at > $2",
    )
    .bind::<Text, _>(id)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .optional()?;
    let Some(found) = found else {
        return Ok(None);
    };
    if found.idle_expires_at < now + idle - Duration::minutes(1) {
        diesel::sql_query("UPDATE web_sessions SET idle_expires_at = $2 WHERE id = $1")
            .bind::<Text, _>(id)
            .bind::<Timestamptz, _>(now + idle)
            .execute(conn)?;
    }
    Ok(Some(found.state))
}

pub fn delete(conn: &mut PgConnection, id: &str) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM web_sessions WHERE id = $1")
        .bind::<Text, _>(id)
        .execute(conn)
        .map(|_| ())
}

/// Forgets expired sessions (the daily job).
pub fn delete_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM web_sessions WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1",
    )
    .bind::<Timestamptz, _>(now)
    .execute(conn)
}
