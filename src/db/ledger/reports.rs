//! Read models of the ledger: a participant's movements, the programme's liability.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamptz};

use crate::domain::{AccountId, TenantId, TransactionId, UserId};

/// One transaction of a participant with what it did to their two accounts.
#[derive(Debug, Clone, QueryableByName)]
pub struct MovementRow {
    #[diesel(sql_type = BigInt)]
    pub id: TransactionId,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub cause_type: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub cause_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub reason: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub reverses: Option<TransactionId>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    pub available_delta: i64,
    #[diesel(sql_type = BigInt)]
    pub held_delta: i64,
}

/// The participant's movements in `[from, to)` (either end open), in order.
pub fn movements(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    accounts: (AccountId, AccountId),
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> QueryResult<Vec<MovementRow>> {
    diesel::sql_query(
        "SELECT t.id, t.kind, t.cause_type, t.cause_id, t.reason, t.reverses, t.created_at,
                COALESCE(SUM(p.amount) FILTER (WHERE p.account_id = $3), 0)::bigint
                    AS available_delta,
                COALESCE(SUM(p.amount) FILTER (WHERE p.account_id = $4), 0)::bigint
                    AS held_delta
         FROM ledger_transactions t
         JOIN ledger_postings p ON p.tenant_id = t.tenant_id AND p.transaction_id = t.id
         WHERE t.tenant_id = $1 AND t.user_id = $2
           AND ($5::timestamptz IS NULL OR t.created_at >= $5)
           AND ($6::timestamptz IS NULL OR t.created_at < $6)
         GROUP BY t.tenant_id, t.id
         ORDER BY t.created_at, t.id",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(user)
    .bind::<BigInt, _>(accounts.0)
    .bind::<BigInt, _>(accounts.1)
    .bind::<Nullable<Timestamptz>, _>(from)
    .bind::<Nullable<Timestamptz>, _>(to)
    .load(conn)
}

#[derive(QueryableByName)]
struct Sums {
    #[diesel(sql_type = BigInt)]
    available: i64,
    #[diesel(sql_type = BigInt)]
    held: i64,
}

/// The participant's available and held balances just before `at`.
pub fn balances_before(
    conn: &mut PgConnection,
    tenant: TenantId,
    accounts: (AccountId, AccountId),
    at: DateTime<Utc>,
) -> QueryResult<(i64, i64)> {
    let sums: Sums = diesel::sql_query(
        "SELECT COALESCE(SUM(p.amount) FILTER (WHERE p.account_id = $2), 0)::bigint AS available,
                COALESCE(SUM(p.amount) FILTER (WHERE p.account_id = $3), 0)::bigint AS held
         FROM ledger_postings p
         JOIN ledger_transactions t ON t.tenant_id = p.tenant_id AND t.id = p.transaction_id
         WHERE p.tenant_id = $1 AND p.account_id IN ($2, $3) AND t.created_at < $4",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(accounts.0)
    .bind::<BigInt, _>(accounts.1)
    .bind::<Timestamptz, _>(at)
    .get_result(conn)?;
    Ok((sums.available, sums.held))
}

/// The points participants hold in the programme: (available, held), summed over their
/// balances (no programme-wide counter is kept).
pub fn outstanding(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<(i64, i64)> {
    let sums: Sums = diesel::sql_query(
        "SELECT COALESCE(SUM(available), 0)::bigint AS available,
                COALESCE(SUM(held), 0)::bigint AS held
         FROM ledger_balances WHERE tenant_id = $1",
    )
    .bind::<BigInt, _>(tenant)
    .get_result(conn)?;
    Ok((sums.available, sums.held))
}

#[derive(QueryableByName)]
struct MonthSum {
    #[diesel(sql_type = Date)]
    month: NaiveDate,
    #[diesel(sql_type = BigInt)]
    points: i64,
}

/// Points left in lots by the month (in the tenant's zone, an IANA name Postgres knows)
/// they expire in, oldest first.
pub fn expiring_by_month(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: &str,
) -> QueryResult<Vec<(NaiveDate, i64)>> {
    // Month by month over the range of expiry dates, each a range of the open lots'
    // index (grouping every lot at once sorted them all).
    let rows: Vec<MonthSum> = diesel::sql_query(
        "WITH open AS (
             SELECT expires_at, remaining FROM ledger_lots
             WHERE tenant_id = $1 AND remaining > 0 AND expires_at IS NOT NULL
         ), span AS (
             SELECT date_trunc('month', min(expires_at) AT TIME ZONE $2) AS first,
                    date_trunc('month', max(expires_at) AT TIME ZONE $2) AS last
             FROM open
         )
         SELECT m::date AS month, s.points
         FROM span, generate_series(span.first, span.last, interval '1 month') m
         CROSS JOIN LATERAL (
             SELECT SUM(remaining)::bigint AS points FROM ledger_lots
             WHERE tenant_id = $1 AND remaining > 0 AND expires_at IS NOT NULL
               AND expires_at >= m AT TIME ZONE $2
               AND expires_at < (m + interval '1 month') AT TIME ZONE $2
         ) s
         WHERE s.points IS NOT NULL
         ORDER BY 1",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<diesel::sql_types::Text, _>(zone)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.month, r.points)).collect())
}
