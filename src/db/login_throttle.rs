//! Login failure counters (`login_throttle`, platform-wide: the per-address limit spans
//! every tenant). Each attempt reserves a slot with one atomic upsert before the password
//! is checked, so concurrent attempts cannot all slip under the limit; a success gives
//! its slot back.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Interval, Text, Timestamptz};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    failures: i32,
}

/// Counts one more attempt under `key` within a window that starts at the first
/// attempt and lasts `window`; returns the count including this one.
pub fn reserve(
    conn: &mut PgConnection,
    key: &str,
    now: DateTime<Utc>,
    window: Duration,
) -> QueryResult<i64> {
    let window = diesel::pg::data_types::PgInterval::from_microseconds(
        window.num_microseconds().unwrap_or(i64::MAX),
    );
    let row: Count = diesel::sql_query(
        "INSERT INTO login_throttle (key, failures, window_started_at) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN login_throttle.window_started_at <= $2 - $3 THEN 1
                           ELSE login_throttle.failures + 1 END,
           window_started_at = CASE WHEN login_throttle.window_started_at <= $2 - $3 THEN $2
                                    ELSE login_throttle.window_started_at END
         RETURNING failures",
    )
    .bind::<Text, _>(key)
    .bind::<Timestamptz, _>(now)
    .bind::<Interval, _>(window)
    .get_result(conn)?;
    Ok(i64::from(row.failures))
}

/// Gives back the slot of an attempt that succeeded.
pub fn release(conn: &mut PgConnection, key: &str) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = $1",
    )
    .bind::<Text, _>(key)
    .execute(conn)
    .map(|_| ())
}

/// Forgets a key's failures (an account after a successful login: "in a row").
pub fn clear(conn: &mut PgConnection, key: &str) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM login_throttle WHERE key = $1")
        .bind::<Text, _>(key)
        .execute(conn)
        .map(|_| ())
}

/// Forgets counters whose window ended (the daily job).
pub fn delete_stale(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    window: Duration,
) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM login_throttle WHERE window_started_at <= $1")
        .bind::<Timestamptz, _>(now - window)
        .execute(conn)
}
