//! The job queue: enqueue inside the caller's transaction; workers claim, run and
//! settle jobs (done, retried with exponential backoff, or failed after the last attempt).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde_json::Value;

use crate::db::jobs::{self, Job, NewJob};
use crate::domain::TenantId;

pub const DEFAULT_MAX_ATTEMPTS: i32 = 8;

pub struct Enqueue<'a> {
    pub kind: &'a str,
    pub payload: Value,
    /// At most one job per key and tenant, ever (e.g. one expiry run per day).
    pub unique_key: Option<&'a str>,
    pub run_at: DateTime<Utc>,
}

/// Queues a job in the caller's transaction. Returns `None` when a job with the same
/// unique key already exists.
pub fn enqueue(
    conn: &mut PgConnection,
    tenant: TenantId,
    job: Enqueue,
) -> QueryResult<Option<Job>> {
    jobs::insert(
        conn,
        &NewJob {
            tenant_id: tenant,
            kind: job.kind,
            payload: &job.payload,
            unique_key: job.unique_key,
            run_at: job.run_at,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        },
    )
}

/// Claims due jobs for a worker (committed at once, so the lease is visible to others).
pub fn claim(conn: &mut PgConnection, now: DateTime<Utc>, limit: i64) -> QueryResult<Vec<Job>> {
    conn.transaction(|conn| jobs::claim_due(conn, now, 300, limit))
}

pub fn complete(conn: &mut PgConnection, job: &Job, now: DateTime<Utc>) -> QueryResult<()> {
    jobs::mark_done(conn, job.tenant_id, job.id, job.attempts, now)
}

/// Settles a job that had nothing to do, e.g. an e-mail its recipient turned off.
pub fn skip(
    conn: &mut PgConnection,
    job: &Job,
    reason: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    jobs::mark_skipped(conn, job.tenant_id, job.id, job.attempts, reason, now)
}

/// The wait before the next attempt: base × 2^(attempts − 1), at most six hours.
pub fn backoff(base: Duration, attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 20) - 1;
    let wait = base * 2i32.pow(exponent as u32);
    wait.min(Duration::hours(6))
}

pub fn fail(
    conn: &mut PgConnection,
    job: &Job,
    error: &str,
    base: Duration,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let retry_at = (job.attempts < job.max_attempts).then(|| now + backoff(base, job.attempts));
    jobs::mark_failed(
        conn,
        job.tenant_id,
        job.id,
        job.attempts,
        error,
        retry_at,
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::seconds(30);
        assert_eq!(backoff(base, 1), Duration::seconds(30));
        assert_eq!(backoff(base, 2), Duration::seconds(60));
        assert_eq!(backoff(base, 4), Duration::seconds(240));
        assert_eq!(backoff(base, 20), Duration::hours(6));
    }
}
