use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamptz};
use serde::Serialize;
use serde_json::Value;

use super::schema::jobs;
use crate::domain::{JobId, TenantId};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Serialize)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub tenant_id: TenantId,
    pub id: JobId,
    pub kind: String,
    pub payload: Value,
    pub unique_key: Option<String>,
    pub status: String,
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Every failed attempt, oldest first: `{"attempt", "at", "error"}`.
    pub errors: Value,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = jobs)]
pub struct NewJob<'a> {
    pub tenant_id: TenantId,
    pub kind: &'a str,
    pub payload: &'a Value,
    pub unique_key: Option<&'a str>,
    pub run_at: DateTime<Utc>,
    pub max_attempts: i32,
}

/// Inserts a job; with a unique key already queued, inserts nothing and returns `None`.
pub fn insert(conn: &mut PgConnection, job: &NewJob) -> QueryResult<Option<Job>> {
    diesel::insert_into(jobs::table)
        .values(job)
        .on_conflict_do_nothing()
        .returning(Job::as_returning())
        .get_result(conn)
        .optional()
}

/// Marks up to `limit` due jobs (of every tenant) as running and returns them. Rows
/// locked by another worker are skipped, so no two workers get the same job.
pub fn claim_due(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    lease_seconds: i64,
    limit: i64,
) -> QueryResult<Vec<Job>> {
    diesel::sql_query(
        "UPDATE jobs j
         SET status = 'running', attempts = j.attempts + 1, updated_at = $1,
             locked_until = $1 + make_interval(secs => $2)
         FROM (SELECT tenant_id, id FROM jobs
               WHERE (status = 'queued' AND run_at <= $1)
                  OR (status = 'running' AND locked_until < $1)
               ORDER BY run_at
               LIMIT $3
               FOR UPDATE SKIP LOCKED) due
         WHERE j.tenant_id = due.tenant_id AND j.id = due.id
         RETURNING j.tenant_id, j.id, j.kind, j.payload, j.unique_key, j.status, j.run_at,
                   j.attempts, j.max_attempts, j.last_error, j.created_at, j.finished_at, j.errors",
    )
    .bind::<Timestamptz, _>(now)
    .bind::<diesel::sql_types::Double, _>(lease_seconds as f64)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// A job is only settled by the worker that still holds its claim (same attempt, still
/// running), never by a stale worker whose lease ran out and was claimed again.
macro_rules! claimed {
    ($tenant:expr, $id:expr, $attempt:expr) => {
        jobs::table
            .find(($tenant, $id))
            .filter(jobs::status.eq("running"))
            .filter(jobs::attempts.eq($attempt))
    };
}

pub fn mark_done(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: JobId,
    attempt: i32,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(claimed!(tenant, id, attempt))
        .set((
            jobs::status.eq("done"),
            jobs::finished_at.eq(now),
            jobs::updated_at.eq(now),
            jobs::locked_until.eq(None::<DateTime<Utc>>),
            jobs::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Settles a job that had nothing to do, with why (an e-mail whose recipient turned its
/// category off).
pub fn mark_skipped(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: JobId,
    attempt: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(claimed!(tenant, id, attempt))
        .set((
            jobs::status.eq("skipped"),
            jobs::finished_at.eq(now),
            jobs::updated_at.eq(now),
            jobs::locked_until.eq(None::<DateTime<Utc>>),
            jobs::last_error.eq(reason),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a failure: queued again at `retry_at`, or failed for good when `None`.
pub fn mark_failed(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: JobId,
    attempt: i32,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let target = claimed!(tenant, id, attempt);
    let entry = serde_json::json!([{ "attempt": attempt, "at": now, "error": error }]);
    let common = (
        jobs::last_error.eq(error),
        jobs::errors.eq(jobs::errors.concat(entry)),
        jobs::updated_at.eq(now),
        jobs::locked_until.eq(None::<DateTime<Utc>>),
    );
    match retry_at {
        Some(at) => diesel::update(target)
            .set((common, jobs::status.eq("queued"), jobs::run_at.eq(at)))
            .execute(conn),
        None => diesel::update(target)
            .set((common, jobs::status.eq("failed"), jobs::finished_at.eq(now)))
            .execute(conn),
    }
    .map(|_| ())
}

/// Puts a failed job back in the queue for `more` attempts, counting on from the ones it
/// had (its error history stays). Returns whether it was failed.
pub fn requeue_failed(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: JobId,
    kind: &str,
    more: i32,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        jobs::table
            .find((tenant, id))
            .filter(jobs::status.eq("failed"))
            .filter(jobs::kind.eq(kind.to_string())),
    )
    .set((
        jobs::status.eq("queued"),
        jobs::max_attempts.eq(jobs::attempts + more),
        jobs::run_at.eq(now),
        jobs::finished_at.eq(None::<DateTime<Utc>>),
        jobs::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn find(conn: &mut PgConnection, tenant: TenantId, id: JobId) -> QueryResult<Job> {
    jobs::table
        .find((tenant, id))
        .select(Job::as_select())
        .first(conn)
}

/// A tenant's jobs of one kind, newest first, optionally of one status.
pub fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
    kind: &str,
    status: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Job>> {
    let mut query = jobs::table
        .filter(jobs::tenant_id.eq(tenant))
        .filter(jobs::kind.eq(kind.to_string()))
        .select(Job::as_select())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(jobs::status.eq(status.to_string()));
    }
    query
        .order((jobs::created_at.desc(), jobs::id.desc()))
        .limit(limit)
        .load(conn)
}
