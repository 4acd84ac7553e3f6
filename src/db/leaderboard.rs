//! The monthly leaderboard's one query: points earned in `[from, to)` (earn transactions
//! not reversed since), per participant or per partner, within a country and optionally
//! a region, ranked (ties share a rank: 1, 2, 2, 4), the top `limit` rows plus the row
//! of `me` wherever it stands. Earns are read through `ledger_transactions_earned_by_day_idx`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};
use serde::Serialize;

use crate::domain::TenantId;

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, Serialize)]
pub struct LeaderRow {
    /// The participant's or the partner's id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    /// A participant's partner (none on the partners' board).
    #[diesel(sql_type = Nullable<Text>)]
    pub partner_name: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub points: i64,
    #[diesel(sql_type = BigInt)]
    pub rank: i64,
    /// How many are ranked on the board.
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

const EARNED: &str = "WITH earned AS (
    SELECT t.user_id, sum(t.amount)::bigint AS points
    FROM ledger_transactions t
    WHERE t.tenant_id = $1 AND t.kind = 'earn' AND t.created_at >= $2 AND t.created_at < $3
      AND NOT EXISTS (SELECT 1 FROM ledger_transactions r
                      WHERE r.tenant_id = $1 AND r.reverses = t.id)
    GROUP BY t.user_id
), people AS (
    SELECT u.id, u.display_name AS name, p.id AS partner_id, p.name AS partner_name, e.points
    FROM earned e
    JOIN users u ON u.tenant_id = $1 AND u.id = e.user_id
    JOIN partners p ON p.tenant_id = $1 AND p.id = u.partner_id
    WHERE u.role = 'participant' AND NOT u.disabled AND e.points > 0
      AND ($4::text IS NULL OR p.country = $4) AND ($5::text IS NULL OR p.region = $5)
)";

const PEOPLE: &str = ", ranked AS (
    SELECT id, name, partner_name, points,
           rank() OVER (ORDER BY points DESC)::bigint AS rank,
           row_number() OVER (ORDER BY points DESC, name, id) AS n
    FROM people
)
SELECT id, name, partner_name, points, rank, (SELECT count(*) FROM ranked)::bigint AS total
FROM ranked WHERE n <= $6 OR id = $7 ORDER BY n";

const PARTNERS: &str = ", partners_earned AS (
    SELECT partner_id AS id, max(partner_name) AS name, sum(points)::bigint AS points
    FROM people GROUP BY partner_id
), ranked AS (
    SELECT id, name, NULL::text AS partner_name, points,
           rank() OVER (ORDER BY points DESC)::bigint AS rank,
           row_number() OVER (ORDER BY points DESC, name, id) AS n
    FROM partners_earned
)
SELECT id, name, partner_name, points, rank, (SELECT count(*) FROM ranked)::bigint AS total
FROM ranked WHERE n <= $6 OR id = $7 ORDER BY n";

/// Where the board looks: a country (`None`: the whole tenant) and maybe a region.
#[derive(Debug, Clone, Copy)]
pub struct Area<'a> {
    pub country: Option<&'a str>,
    pub region: Option<&'a str>,
}

/// The top `limit` and `me` (a participant's or a partner's id), in rank order.
pub fn board(
    conn: &mut PgConnection,
    tenant: TenantId,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    by_partner: bool,
    area: Area,
    (limit, me): (i64, i64),
) -> QueryResult<Vec<LeaderRow>> {
    let sql = format!("{EARNED}{}", if by_partner { PARTNERS } else { PEOPLE });
    diesel::sql_query(sql)
        .bind::<BigInt, _>(tenant)
        .bind::<Timestamptz, _>(from)
        .bind::<Timestamptz, _>(to)
        .bind::<Nullable<Text>, _>(area.country)
        .bind::<Nullable<Text>, _>(area.region)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(me)
        .load(conn)
}

/// A partner's (region, country).
pub fn area_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner: crate::domain::PartnerId,
) -> QueryResult<(String, String)> {
    use crate::db::schema::partners;
    partners::table
        .find((tenant, partner))
        .select((partners::region, partners::country))
        .first(conn)
}
