//! Back-office views over the ledger: balances by participant, lots expiring on a day.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};
use serde::Serialize;

use crate::domain::{PartnerId, TenantId, UserId};

#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct ParticipantBalance {
    #[diesel(sql_type = BigInt)]
    pub user_id: UserId,
    #[diesel(sql_type = Text)]
    pub display_name: String,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub partner_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub partner_code: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub available: i64,
    #[diesel(sql_type = BigInt)]
    pub held: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BalanceOrder {
    AvailableDesc,
    AvailableAsc,
    Name,
    Partner,
}

impl BalanceOrder {
    pub fn parse(s: &str) -> Self {
        match s {
            "available_asc" => Self::AvailableAsc,
            "name" => Self::Name,
            "partner" => Self::Partner,
            _ => Self::AvailableDesc,
        }
    }

    fn sql(self) -> &'static str {
        // Fixed strings only: never a value from the request.
        match self {
            Self::AvailableDesc => "available DESC, display_name",
            Self::AvailableAsc => "available ASC, display_name",
            Self::Name => "display_name, email",
            Self::Partner => "partner_name NULLS LAST, display_name",
        }
    }
}

/// Participants with their balances (zero when they never had points), searched by
/// name, email, partner name or code; one page and whether there is another.
pub fn participant_balances(
    conn: &mut PgConnection,
    tenant: TenantId,
    search: &str,
    order: BalanceOrder,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ParticipantBalance>, bool)> {
    let pattern = format!(
        "%{}%",
        search
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let mut rows: Vec<ParticipantBalance> = diesel::sql_query(format!(
        "SELECT u.id AS user_id, u.display_name, u.email,
                p.name AS partner_name, p.external_code AS partner_code,
                COALESCE(b.available, 0) AS available, COALESCE(b.held, 0) AS held
         FROM users u
         LEFT JOIN ledger_balances b ON b.tenant_id = u.tenant_id AND b.user_id = u.id
         LEFT JOIN partners p ON p.tenant_id = u.tenant_id AND p.id = u.partner_id
         WHERE u.tenant_id = $1 AND u.role = 'participant'
           AND ($2 = '%%' OR u.display_name ILIKE $2 OR u.email ILIKE $2 OR p.name ILIKE $2
                OR p.external_code ILIKE $2)
         ORDER BY {}
         OFFSET $3 LIMIT $4",
        order.sql()
    ))
    .bind::<BigInt, _>(tenant)
    .bind::<Text, _>(pattern)
    .bind::<BigInt, _>(offset)
    .bind::<BigInt, _>(limit + 1)
    .load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

#[derive(Debug, Clone, QueryableByName)]
pub struct ExpiringSum {
    #[diesel(sql_type = BigInt)]
    pub user_id: UserId,
    #[diesel(sql_type = BigInt)]
    pub points: i64,
    #[diesel(sql_type = Timestamptz)]
    pub first_expiry: DateTime<Utc>,
}

/// Per participant, the points left in lots expiring in `[from, until)`.
pub fn expiring_between(
    conn: &mut PgConnection,
    tenant: TenantId,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<ExpiringSum>> {
    diesel::sql_query(
        "SELECT user_id, SUM(remaining)::bigint AS points, MIN(expires_at) AS first_expiry
         FROM ledger_lots
         WHERE tenant_id = $1 AND remaining > 0 AND expires_at >= $2 AND expires_at < $3
         GROUP BY user_id ORDER BY user_id",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(until)
    .load(conn)
}

#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct PartnerBalance {
    #[diesel(sql_type = BigInt)]
    pub partner_id: PartnerId,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub external_code: String,
    #[diesel(sql_type = BigInt)]
    pub participants: i64,
    #[diesel(sql_type = BigInt)]
    pub available: i64,
    #[diesel(sql_type = BigInt)]
    pub held: i64,
}

/// Points held by each partner's participants, most first (partners with points only).
pub fn partner_balances(
    conn: &mut PgConnection,
    tenant: TenantId,
    search: &str,
    limit: i64,
) -> QueryResult<Vec<PartnerBalance>> {
    let pattern = format!(
        "%{}%",
        search
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    diesel::sql_query(
        "SELECT p.id AS partner_id, p.name, p.external_code,
                COUNT(*)::bigint AS participants,
                SUM(b.available)::bigint AS available, SUM(b.held)::bigint AS held
         FROM ledger_balances b
         JOIN users u ON u.tenant_id = b.tenant_id AND u.id = b.user_id
         JOIN partners p ON p.tenant_id = u.tenant_id AND p.id = u.partner_id
         WHERE b.tenant_id = $1 AND ($2 = '%%' OR p.name ILIKE $2 OR p.external_code ILIKE $2)
         GROUP BY p.id, p.name, p.external_code
         ORDER BY SUM(b.available) + SUM(b.held) DESC, p.name
         LIMIT $3",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Text, _>(pattern)
    .bind::<BigInt, _>(limit)
    .load(conn)
}
