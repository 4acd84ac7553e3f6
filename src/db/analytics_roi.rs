//! The sums behind the sell-through and challenge-results pages. Every query takes the
//! tenant; sell-out is approved declarations by date of sale (the partial index
//! `declarations_sales_idx`), sell-in by day (`sell_in_partner_product_idx`), challenge
//! figures from the incremental score tables and the awards' ledger transactions.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Text, Timestamptz};
use serde::Serialize;

use crate::domain::{ChallengeId, PartnerId, ProductId, TenantId};

/// What the sell-through figures are filtered by; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub partner: Option<PartnerId>,
    pub product: Option<ProductId>,
    pub region: Option<String>,
    pub kind: Option<String>,
    pub category: Option<String>,
}

/// Sell-in and approved sell-out of one week (its Monday).
#[derive(Debug, Clone, QueryableByName, Serialize, PartialEq, Eq)]
pub struct WeekRow {
    #[diesel(sql_type = Date)]
    pub week: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub sell_in: i64,
    #[diesel(sql_type = BigInt)]
    pub sell_out: i64,
}

/// Joins and filters shared by the sell-in and sell-out sums (`$4`…`$8`).
const FILTERS: &str = "($4::bigint IS NULL OR p.id = $4)
      AND ($5::bigint IS NULL OR pr.id = $5)
      AND ($6::text IS NULL OR p.region = $6)
      AND ($7::text IS NULL OR p.kind = $7)
      AND ($8::text IS NULL OR pr.category = $8)";

/// Weekly sell-in and approved sell-out over `[from, to]` (weeks with neither are absent).
pub fn weekly(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &Filter,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<WeekRow>> {
    diesel::sql_query(format!(
        "WITH si AS (
            SELECT date_trunc('week', s.sold_on)::date AS week, sum(s.quantity)::bigint AS q
            FROM sell_in s
            JOIN partners p ON p.tenant_id = s.tenant_id AND p.id = s.partner_id
            JOIN products pr ON pr.tenant_id = s.tenant_id AND pr.id = s.product_id
            WHERE s.tenant_id = $1 AND s.sold_on BETWEEN $2 AND $3 AND {FILTERS}
            GROUP BY 1
        ), so AS (
            SELECT date_trunc('week', d.sale_date)::date AS week, sum(l.quantity)::bigint AS q
            FROM declarations d
            JOIN declaration_lines l ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
            JOIN partners p ON p.tenant_id = d.tenant_id AND p.id = d.partner_id
            JOIN products pr ON pr.tenant_id = l.tenant_id AND pr.id = l.product_id
            WHERE d.tenant_id = $1 AND d.status = 'approved'
              AND d.sale_date BETWEEN $2 AND $3 AND {FILTERS}
            GROUP BY 1
        )
        SELECT COALESCE(si.week, so.week) AS week, COALESCE(si.q, 0)::bigint AS sell_in,
               COALESCE(so.q, 0)::bigint AS sell_out
        FROM si FULL JOIN so ON so.week = si.week
        ORDER BY 1"
    ))
    .bind::<BigInt, _>(tenant)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .bind::<Nullable<BigInt>, _>(filter.partner)
    .bind::<Nullable<BigInt>, _>(filter.product)
    .bind::<Nullable<Text>, _>(filter.region.as_deref())
    .bind::<Nullable<Text>, _>(filter.kind.as_deref())
    .bind::<Nullable<Text>, _>(filter.category.as_deref())
    .load(conn)
}

/// An active partner's approved sell-out in the recent and the trailing windows.
#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct PartnerPace {
    #[diesel(sql_type = BigInt)]
    pub partner_id: PartnerId,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Text)]
    pub region: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub recent: i64,
    #[diesel(sql_type = BigInt)]
    pub trailing: i64,
}

/// Sell-out of every active partner with approved sales in `(trailing_after, to]`: the
/// part after `recent_after` and the part up to it (filters as `weekly`, but the partner).
pub fn paces(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &Filter,
    (trailing_after, recent_after, to): (NaiveDate, NaiveDate, NaiveDate),
) -> QueryResult<Vec<PartnerPace>> {
    diesel::sql_query(format!(
        "SELECT p.id AS partner_id, p.name, p.external_code AS code, p.region, p.kind,
                COALESCE(sum(l.quantity) FILTER (WHERE d.sale_date > $9), 0)::bigint AS recent,
                COALESCE(sum(l.quantity) FILTER (WHERE d.sale_date <= $9), 0)::bigint AS trailing
         FROM declarations d
         JOIN declaration_lines l ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
         JOIN partners p ON p.tenant_id = d.tenant_id AND p.id = d.partner_id
         JOIN products pr ON pr.tenant_id = l.tenant_id AND pr.id = l.product_id
         WHERE d.tenant_id = $1 AND d.status = 'approved' AND p.active
           AND d.sale_date > $2 AND d.sale_date <= $3 AND {FILTERS}
         GROUP BY p.tenant_id, p.id
         ORDER BY p.name COLLATE \"C\", p.id"
    ))
    .bind::<BigInt, _>(tenant)
    .bind::<Date, _>(trailing_after)
    .bind::<Date, _>(to)
    .bind::<Nullable<BigInt>, _>(None::<PartnerId>)
    .bind::<Nullable<BigInt>, _>(filter.product)
    .bind::<Nullable<Text>, _>(filter.region.as_deref())
    .bind::<Nullable<Text>, _>(filter.kind.as_deref())
    .bind::<Nullable<Text>, _>(filter.category.as_deref())
    .bind::<Date, _>(recent_after)
    .load(conn)
}

/// A published challenge with its participation and the points its awards posted.
#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct ChallengeSums {
    #[diesel(sql_type = BigInt)]
    pub id: ChallengeId,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Timestamptz)]
    pub starts_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub ends_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub objective: String,
    #[diesel(sql_type = Text)]
    pub scope: String,
    #[diesel(sql_type = Nullable<Date>)]
    pub reference_starts_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    pub reference_ends_on: Option<NaiveDate>,
    #[diesel(sql_type = Array<Nullable<BigInt>>)]
    pub product_ids: Vec<Option<i64>>,
    #[diesel(sql_type = Array<Nullable<Text>>)]
    pub categories: Vec<Option<String>>,
    /// Participants enrolled.
    #[diesel(sql_type = BigInt)]
    pub eligible: i64,
    /// Participants with a result above zero.
    #[diesel(sql_type = BigInt)]
    pub progressing: i64,
    /// Points of the awards' ledger transactions, less any reversal of them.
    #[diesel(sql_type = BigInt)]
    pub points: i64,
}

/// Published challenges starting in `[from, to)`, the latest first (at most 200).
pub fn challenges(
    conn: &mut PgConnection,
    tenant: TenantId,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    only: Option<ChallengeId>,
) -> QueryResult<Vec<ChallengeSums>> {
    diesel::sql_query(
        "SELECT c.id, c.title, c.status, c.starts_at, c.ends_at, r.objective, r.scope,
                r.reference_starts_on, r.reference_ends_on, r.product_ids, r.categories,
                sc.eligible, sc.progressing, COALESCE(pts.points, 0)::bigint AS points
         FROM challenges c
         JOIN challenge_rules r ON r.tenant_id = c.tenant_id AND r.challenge_id = c.id
         CROSS JOIN LATERAL (
             SELECT count(*) AS eligible, count(*) FILTER (WHERE s.result > 0) AS progressing
             FROM challenge_scores s WHERE s.tenant_id = c.tenant_id AND s.challenge_id = c.id
         ) sc
         LEFT JOIN LATERAL (
             SELECT sum(t.amount - COALESCE(abs(rv.amount), 0)) AS points
             FROM challenge_awards a
             JOIN ledger_transactions t ON t.tenant_id = a.tenant_id AND t.id = a.ledger_transaction_id
             LEFT JOIN ledger_transactions rv ON rv.tenant_id = t.tenant_id AND rv.reverses = t.id
             WHERE a.tenant_id = c.tenant_id AND a.challenge_id = c.id
         ) pts ON true
         WHERE c.tenant_id = $1 AND c.status <> 'draft'
           AND (($4::bigint IS NULL AND c.starts_at >= $2 AND c.starts_at < $3) OR c.id = $4)
         ORDER BY c.starts_at DESC, c.id DESC
         LIMIT 200",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .bind::<Nullable<BigInt>, _>(only)
    .load(conn)
}

/// A subject of a challenge (a participant, or a partner in a partner challenge) with
/// its result, target and the points awarded to it (to its participants for a partner).
#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct SubjectRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub partner: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub result: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub target: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub points: i64,
}

fn subjects_sql(by_partner: bool) -> &'static str {
    if by_partner {
        "SELECT s.partner_id AS id, p.name, NULL::text AS partner, s.result, s.target,
                COALESCE((SELECT sum(t.amount)
                          FROM challenge_scores m
                          JOIN challenge_awards a ON a.tenant_id = m.tenant_id
                               AND a.challenge_id = m.challenge_id AND a.participant_id = m.participant_id
                          JOIN ledger_transactions t ON t.tenant_id = a.tenant_id AND t.id = a.ledger_transaction_id
                          WHERE m.tenant_id = s.tenant_id AND m.challenge_id = s.challenge_id
                            AND m.partner_id = s.partner_id), 0)::bigint AS points
         FROM challenge_partner_scores s
         JOIN partners p ON p.tenant_id = s.tenant_id AND p.id = s.partner_id
         WHERE s.tenant_id = $1 AND s.challenge_id = $2
         ORDER BY p.name COLLATE \"C\", s.partner_id"
    } else {
        "SELECT s.participant_id AS id, u.display_name AS name, p.name AS partner, s.result,
                s.target, COALESCE(t.amount, 0)::bigint AS points
         FROM challenge_scores s
         JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.participant_id
         JOIN partners p ON p.tenant_id = s.tenant_id AND p.id = s.partner_id
         LEFT JOIN challenge_awards a ON a.tenant_id = s.tenant_id AND a.challenge_id = s.challenge_id
              AND a.participant_id = s.participant_id
         LEFT JOIN ledger_transactions t ON t.tenant_id = a.tenant_id AND t.id = a.ledger_transaction_id
         WHERE s.tenant_id = $1 AND s.challenge_id = $2
         ORDER BY u.display_name COLLATE \"C\", s.participant_id"
    }
}

/// Every subject of a challenge, by name.
pub fn subjects(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    by_partner: bool,
) -> QueryResult<Vec<SubjectRow>> {
    diesel::sql_query(subjects_sql(by_partner))
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(challenge)
        .load(conn)
}

/// The same rows one at a time, as the database sends them (for exports).
pub fn each_subject(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    by_partner: bool,
    mut f: impl FnMut(SubjectRow) -> QueryResult<()>,
) -> QueryResult<()> {
    let rows = diesel::sql_query(subjects_sql(by_partner))
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(challenge)
        .load_iter::<SubjectRow, diesel::pg::PgRowByRowLoadingMode>(conn)?;
    for row in rows {
        f(row?)?;
    }
    Ok(())
}
