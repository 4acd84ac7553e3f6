//! One-time form tokens (see `services::once`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};

use crate::domain::TenantId;

/// Claims a token; false when it was claimed before (by a committed transaction: a
/// concurrent claim waits for the first one's transaction to end).
pub fn claim(
    conn: &mut PgConnection,
    tenant: TenantId,
    token: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = diesel::sql_query(
        "INSERT INTO form_submissions (tenant_id, token, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, token) DO NOTHING",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Text, _>(token)
    .bind::<Timestamptz, _>(now)
    .execute(conn)?;
    Ok(inserted == 1)
}

#[derive(QueryableByName)]
struct Subject {
    #[diesel(sql_type = Nullable<BigInt>)]
    subject_id: Option<i64>,
}

/// What the first submission of a token created.
pub fn subject(conn: &mut PgConnection, tenant: TenantId, token: &str) -> QueryResult<Option<i64>> {
    let row: Option<Subject> = diesel::sql_query(
        "SELECT subject_id FROM form_submissions WHERE tenant_id = $1 AND token = $2",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Text, _>(token)
    .get_result(conn)
    .optional()?;
    Ok(row.and_then(|r| r.subject_id))
}

pub fn settle(
    conn: &mut PgConnection,
    tenant: TenantId,
    token: &str,
    subject_id: i64,
) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE form_submissions SET subject_id = $3 WHERE tenant_id = $1 AND token = $2",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Text, _>(token)
    .bind::<BigInt, _>(subject_id)
    .execute(conn)
    .map(|_| ())
}

pub fn delete_before(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM form_submissions WHERE created_at < $1")
        .bind::<Timestamptz, _>(before)
        .execute(conn)
}
