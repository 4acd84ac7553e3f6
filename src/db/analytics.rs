//! The analytics read model: weekly aggregates kept in the transactions of their causes
//! (`sellout_weekly`, `participant_activity_weekly`, `declarations.reviewed_at`), and the
//! overview's queries over them. Every query takes the tenant and the filters; a filter
//! left `None` matches everything.
//!
//! `declarations.reviewed_at` is read and written here in SQL: the `declarations` table
//! of `schema.rs` stays within diesel's 16 columns.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::PgRowByRowLoadingMode;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Nullable, Text, Timestamptz};

use crate::domain::{DeclarationId, TenantId, UserId};

/// Adds (`sign` = 1) or takes back (`sign` = -1) an approved declaration's lines.
pub fn add_sales(
    conn: &mut PgConnection,
    tenant: TenantId,
    declaration: DeclarationId,
    sign: i64,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO sellout_weekly AS s
             (tenant_id, week, partner_id, product_id, channel, units, amount_minor, lines)
         SELECT d.tenant_id, date_trunc('week', d.sale_date)::date, d.partner_id,
                l.product_id, d.channel, $3 * SUM(l.quantity),
                $3 * SUM(l.quantity * l.unit_price_minor), $3 * COUNT(*)
         FROM declarations d
         JOIN declaration_lines l ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
         WHERE d.tenant_id = $1 AND d.id = $2
         GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (tenant_id, week, partner_id, product_id, channel) DO UPDATE
         SET units = s.units + excluded.units,
             amount_minor = s.amount_minor + excluded.amount_minor,
             lines = s.lines + excluded.lines",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(declaration)
    .bind::<BigInt, _>(sign)
    .execute(conn)?;
    Ok(())
}

/// The participant was active at `at` (declared or completed a mission): marks the week
/// in the tenant's zone.
pub fn mark_active(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: UserId,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO participant_activity_weekly (tenant_id, week, participant_id)
         SELECT $1, date_trunc('week', $2 AT TIME ZONE t.time_zone)::date, $3
         FROM tenants t WHERE t.id = $1
         ON CONFLICT DO NOTHING",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Timestamptz, _>(at)
    .bind::<BigInt, _>(participant)
    .execute(conn)?;
    Ok(())
}

/// A person decided the declaration for the first time (the review time's end).
pub fn mark_reviewed(
    conn: &mut PgConnection,
    tenant: TenantId,
    declaration: DeclarationId,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE declarations SET reviewed_at = $3
         WHERE tenant_id = $1 AND id = $2 AND reviewed_at IS NULL",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(declaration)
    .bind::<Timestamptz, _>(at)
    .execute(conn)?;
    Ok(())
}

/// Recomputes a tenant's aggregates from the raw rows; returns the rows written.
pub fn rebuild(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<(usize, usize)> {
    diesel::sql_query("DELETE FROM sellout_weekly WHERE tenant_id = $1")
        .bind::<BigInt, _>(tenant)
        .execute(conn)?;
    diesel::sql_query("DELETE FROM participant_activity_weekly WHERE tenant_id = $1")
        .bind::<BigInt, _>(tenant)
        .execute(conn)?;
    let sales = diesel::sql_query(
        "INSERT INTO sellout_weekly
             (tenant_id, week, partner_id, product_id, channel, units, amount_minor, lines)
         SELECT d.tenant_id, date_trunc('week', d.sale_date)::date, d.partner_id,
                l.product_id, d.channel, SUM(l.quantity),
                SUM(l.quantity * l.unit_price_minor), COUNT(*)
         FROM declarations d
         JOIN declaration_lines l ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
         WHERE d.tenant_id = $1 AND d.status = 'approved'
         GROUP BY 1, 2, 3, 4, 5",
    )
    .bind::<BigInt, _>(tenant)
    .execute(conn)?;
    let active = diesel::sql_query(
        "INSERT INTO participant_activity_weekly (tenant_id, week, participant_id)
         SELECT d.tenant_id, date_trunc('week', d.created_at AT TIME ZONE t.time_zone)::date,
                d.participant_id
         FROM declarations d JOIN tenants t ON t.id = d.tenant_id
         WHERE d.tenant_id = $1
         UNION
         SELECT c.tenant_id, date_trunc('week', c.completed_at AT TIME ZONE t.time_zone)::date,
                c.participant_id
         FROM mission_completions c JOIN tenants t ON t.id = c.tenant_id
         WHERE c.tenant_id = $1",
    )
    .bind::<BigInt, _>(tenant)
    .execute(conn)?;
    Ok((sales, active))
}

/// The filters of the analytics pages (`None`: any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub region: Option<String>,
    pub partner_kind: Option<String>,
    /// The partner's tier (as set on the partner: "Gold", "Silver"…).
    pub tier: Option<String>,
    pub category: Option<String>,
    pub channel: Option<String>,
}

/// The SQL that keeps the rows whose partner (`col`) the filters keep, parameters $1–$4.
///
/// The queries go to Postgres unprepared (diesel's `sql_query`), so it plans them with
/// the values: a filter left empty folds to `true` and the partners are not even read.
/// Written as a semi-join rather than a join, the big table is never widened by them.
fn partner_kept(col: &str) -> String {
    format!(
        "(($2::text IS NULL AND $3::text IS NULL AND $4::text IS NULL)
          OR {col} IN (SELECT p.id FROM partners p WHERE p.tenant_id = $1
                       AND ($2::text IS NULL OR p.region = $2)
                       AND ($3::text IS NULL OR p.kind = $3)
                       AND ($4::text IS NULL OR p.tier = $4)))"
    )
}

/// The participants the filters keep (`people`): every account of a partner the
/// partner filters keep, not anonymised.
fn people() -> String {
    let kept = partner_kept("u.partner_id");
    format!(
        "SELECT u.id FROM users u
         WHERE u.tenant_id = $1 AND u.role = 'participant' AND u.partner_id IS NOT NULL
           AND {kept}"
    )
}

/// Binds tenant, region, kind, tier, category, channel as $1–$6.
macro_rules! bind_filters {
    ($query:expr, $tenant:expr, $f:expr) => {
        $query
            .bind::<BigInt, _>($tenant)
            .bind::<Nullable<Text>, _>($f.region.as_deref())
            .bind::<Nullable<Text>, _>($f.partner_kind.as_deref())
            .bind::<Nullable<Text>, _>($f.tier.as_deref())
            .bind::<Nullable<Text>, _>($f.category.as_deref())
            .bind::<Nullable<Text>, _>($f.channel.as_deref())
    };
}

#[derive(Debug, Clone, QueryableByName, PartialEq, Eq, serde::Serialize)]
pub struct WeekSales {
    #[diesel(sql_type = Date)]
    pub week: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub units: i64,
    #[diesel(sql_type = BigInt)]
    pub amount_minor: i64,
}

/// Approved sell-out by week for the weeks `[from, to]` (Mondays), filtered.
pub fn sales_by_week(
    conn: &mut PgConnection,
    tenant: TenantId,
    f: &Filters,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<WeekSales>> {
    let sql = format!(
        "SELECT s.week, SUM(s.units)::bigint AS units, SUM(s.amount_minor)::bigint AS amount_minor
         FROM sellout_weekly s WHERE {}
         GROUP BY s.week ORDER BY s.week",
        sales_where()
    );
    bind_filters!(diesel::sql_query(sql), tenant, f)
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .load(conn)
}

#[derive(Debug, Clone, QueryableByName, PartialEq, Eq, serde::Serialize)]
pub struct Ranked {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub units: i64,
    #[diesel(sql_type = BigInt)]
    pub amount_minor: i64,
}

/// What to group the sales by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Week,
    Partner,
    Product,
}

impl By {
    /// The SQL of the group's key (a code), its name and what identifies it.
    fn columns(self) -> (&'static str, &'static str, &'static str) {
        match self {
            By::Week => ("s.week::text", "''", "s.week"),
            By::Partner => ("p.external_code", "p.name", "p.id"),
            By::Product => ("pr.sku", "pr.name", "pr.id"),
        }
    }
}

/// The WHERE of every sales query over `sellout_weekly s`: the filters are $1–$6
/// (`bind_filters!`), the first and last weeks $7–$8. The week range is the leading
/// part of the aggregate's key, whose index carries the figures (an index-only scan).
fn sales_where() -> String {
    let partner = partner_kept("s.partner_id");
    format!(
        "s.tenant_id = $1 AND s.week BETWEEN $7 AND $8
         AND {partner}
         AND ($5::text IS NULL OR s.product_id IN
              (SELECT pr.id FROM products pr WHERE pr.tenant_id = $1 AND pr.category = $5))
         AND ($6::text IS NULL OR s.channel = $6)"
    )
}

#[derive(Debug, Clone, QueryableByName)]
pub struct SalesRow {
    #[diesel(sql_type = Text)]
    pub key: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub units: i64,
    #[diesel(sql_type = BigInt)]
    pub amount_minor: i64,
}

/// Every group's sales of the weeks, read row by row (for streamed exports): weeks in
/// order, the others by revenue.
pub fn sales_rows<'a>(
    conn: &'a mut PgConnection,
    tenant: TenantId,
    f: &Filters,
    (from, to): (NaiveDate, NaiveDate),
    by: By,
) -> QueryResult<impl Iterator<Item = QueryResult<SalesRow>> + 'a> {
    let (key, name, group) = by.columns();
    let order = if by == By::Week { "1" } else { "4 DESC, 2, 1" };
    let f = f.clone();
    let sql = format!(
        "SELECT {key} AS key, {name} AS name, SUM(s.units)::bigint AS units,
                SUM(s.amount_minor)::bigint AS amount_minor
         FROM sellout_weekly s
         JOIN partners p ON p.tenant_id = s.tenant_id AND p.id = s.partner_id
         JOIN products pr ON pr.tenant_id = s.tenant_id AND pr.id = s.product_id
         WHERE {}
         GROUP BY {group}, 1, 2
         HAVING SUM(s.units) <> 0 OR SUM(s.amount_minor) <> 0
         ORDER BY {order}",
        sales_where()
    );
    diesel::sql_query(sql)
        .bind::<BigInt, _>(tenant)
        .bind::<Nullable<Text>, _>(f.region)
        .bind::<Nullable<Text>, _>(f.partner_kind)
        .bind::<Nullable<Text>, _>(f.tier)
        .bind::<Nullable<Text>, _>(f.category)
        .bind::<Nullable<Text>, _>(f.channel)
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .load_iter::<SalesRow, PgRowByRowLoadingMode>(conn)
}

#[derive(QueryableByName)]
struct SummaryRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    g: i32,
    #[diesel(sql_type = Nullable<Date>)]
    week: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(sql_type = BigInt)]
    units: i64,
    #[diesel(sql_type = BigInt)]
    amount_minor: i64,
}

/// Approved sell-out of the weeks `[from, to]` by week, partner, product and channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesSummary {
    pub weeks: Vec<WeekSales>,
    /// Partners, products and channels with sales, largest revenue first (ties by name).
    pub partners: Vec<Ranked>,
    pub products: Vec<Ranked>,
    pub channels: Vec<Ranked>,
}

/// The four groupings in one pass over the aggregate (GROUPING SETS), rather than one
/// scan each, on ids; the names are joined to the groups afterwards (a few thousand
/// rows rather than every row of the weeks).
pub fn sales_summary(
    conn: &mut PgConnection,
    tenant: TenantId,
    f: &Filters,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<SalesSummary> {
    let sql = format!(
        "WITH groups AS (
             SELECT GROUPING(s.week, s.partner_id, s.product_id, s.channel) AS g, s.week,
                    s.partner_id, s.product_id, s.channel,
                    SUM(s.units)::bigint AS units, SUM(s.amount_minor)::bigint AS amount_minor
             FROM sellout_weekly s WHERE {}
             GROUP BY GROUPING SETS ((s.week), (s.partner_id), (s.product_id), (s.channel))
         )
         SELECT g.g, g.week, COALESCE(p.id, pr.id) AS id,
                COALESCE(p.name, pr.name, g.channel) AS name, g.units, g.amount_minor
         FROM groups g
         LEFT JOIN partners p ON p.tenant_id = $1 AND p.id = g.partner_id
         LEFT JOIN products pr ON pr.tenant_id = $1 AND pr.id = g.product_id",
        sales_where()
    );
    let rows: Vec<SummaryRow> = bind_filters!(diesel::sql_query(sql), tenant, f)
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .load(conn)?;
    let mut out = SalesSummary::default();
    for r in rows {
        if r.units == 0 && r.amount_minor == 0 {
            continue;
        }
        let ranked = Ranked {
            id: r.id.unwrap_or(0),
            name: r.name.unwrap_or_default(),
            units: r.units,
            amount_minor: r.amount_minor,
        };
        // GROUPING's bits, left to right: week, partner, product, channel (1: not grouped).
        match (r.g, r.week) {
            (0b0111, Some(week)) => out.weeks.push(WeekSales {
                week,
                units: r.units,
                amount_minor: r.amount_minor,
            }),
            (0b1011, _) => out.partners.push(ranked),
            (0b1101, _) => out.products.push(ranked),
            (0b1110, _) => out.channels.push(ranked),
            _ => {}
        }
    }
    out.weeks.sort_by_key(|w| w.week);
    for list in [&mut out.partners, &mut out.products, &mut out.channels] {
        list.sort_by(|a, b| {
            b.amount_minor
                .cmp(&a.amount_minor)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, QueryableByName, PartialEq, serde::Serialize)]
pub struct Participation {
    /// Participants of the filters (every account, invited or signed up).
    #[diesel(sql_type = BigInt)]
    pub invited: i64,
    /// Of those, the ones who declared or completed a mission in the weeks.
    #[diesel(sql_type = BigInt)]
    pub active: i64,
    /// Of those, the ones who completed at least one mission in the period.
    #[diesel(sql_type = BigInt)]
    pub on_missions: i64,
    #[diesel(sql_type = BigInt)]
    pub missions_completed: i64,
}

/// Invited and active participants; mission completions in `[start, end)`.
pub fn participation(
    conn: &mut PgConnection,
    tenant: TenantId,
    f: &Filters,
    (from, to): (NaiveDate, NaiveDate),
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> QueryResult<Participation> {
    let sql = format!(
        "WITH people AS NOT MATERIALIZED ({} AND u.anonymised_at IS NULL
               AND ($5::text IS NULL OR TRUE) AND ($6::text IS NULL OR TRUE)
         ), done AS (
             SELECT c.participant_id FROM mission_completions c
             WHERE c.tenant_id = $1 AND c.completed_at >= $9 AND c.completed_at < $10
         )
         SELECT (SELECT COUNT(*) FROM people)::bigint AS invited,
                (SELECT COUNT(DISTINCT a.participant_id) FROM participant_activity_weekly a
                 WHERE a.tenant_id = $1 AND a.week BETWEEN $7 AND $8
                   AND a.participant_id IN (SELECT id FROM people))::bigint AS active,
                (SELECT COUNT(DISTINCT done.participant_id) FROM done
                 WHERE done.participant_id IN (SELECT id FROM people))::bigint AS on_missions,
                (SELECT COUNT(*) FROM done
                 WHERE done.participant_id IN (SELECT id FROM people))::bigint
                    AS missions_completed",
        people()
    );
    bind_filters!(diesel::sql_query(sql), tenant, f)
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .bind::<Timestamptz, _>(start)
        .bind::<Timestamptz, _>(end)
        .get_result(conn)
}

#[derive(Debug, Clone, QueryableByName, PartialEq, serde::Serialize)]
pub struct Reviews {
    #[diesel(sql_type = BigInt)]
    pub approved: i64,
    #[diesel(sql_type = BigInt)]
    pub rejected: i64,
    #[diesel(sql_type = BigInt)]
    pub pending: i64,
    /// Median hours from submission to a person's first decision.
    #[diesel(sql_type = Nullable<Double>)]
    pub median_review_hours: Option<f64>,
}

/// Declarations submitted in `[start, end)` by status, and the median review time.
pub fn reviews(
    conn: &mut PgConnection,
    tenant: TenantId,
    f: &Filters,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> QueryResult<Reviews> {
    let sql = format!(
        "SELECT COUNT(*) FILTER (WHERE d.status = 'approved')::bigint AS approved,
                COUNT(*) FILTER (WHERE d.status = 'rejected')::bigint AS rejected,
                COUNT(*) FILTER (WHERE d.status = 'submitted')::bigint AS pending,
                -- date_part is a float; extract's numeric made this query twice as slow.
                percentile_cont(0.5) WITHIN GROUP (ORDER BY
                    date_part('epoch', d.reviewed_at - d.created_at) / 3600)
                    AS median_review_hours
         FROM declarations d
         WHERE d.tenant_id = $1 AND d.created_at >= $7 AND d.created_at < $8
           AND {}
           AND ($5::text IS NULL OR TRUE)
           AND ($6::text IS NULL OR d.channel = $6)",
        partner_kept("d.partner_id")
    );
    bind_filters!(diesel::sql_query(sql), tenant, f)
        .bind::<Timestamptz, _>(start)
        .bind::<Timestamptz, _>(end)
        .get_result(conn)
}

#[derive(Debug, Clone, QueryableByName, PartialEq, Eq, serde::Serialize)]
pub struct PointsFlow {
    /// Earned and adjusted up, minus reversals.
    #[diesel(sql_type = BigInt)]
    pub issued: i64,
    /// Captured by reward orders.
    #[diesel(sql_type = BigInt)]
    pub redeemed: i64,
    #[diesel(sql_type = BigInt)]
    pub expired: i64,
    /// Available and held now, of the participants of the filters.
    #[diesel(sql_type = BigInt)]
    pub outstanding: i64,
}

/// Points moved in `[start, end)` and outstanding now, for the filters' participants.
pub fn points(
    conn: &mut PgConnection,
    tenant: TenantId,
    f: &Filters,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> QueryResult<PointsFlow> {
    let sql = format!(
        "WITH people AS NOT MATERIALIZED ({}
               AND ($5::text IS NULL OR TRUE) AND ($6::text IS NULL OR TRUE)
         ), moves AS (
             SELECT t.kind, SUM(t.amount)::bigint AS amount
             FROM ledger_transactions t
             WHERE t.tenant_id = $1 AND t.created_at >= $7 AND t.created_at < $8
               AND t.user_id IN (SELECT id FROM people)
             GROUP BY t.kind
         )
         SELECT COALESCE((SELECT COALESCE(SUM(amount) FILTER (WHERE kind IN ('earn', 'adjust')), 0)
                               - COALESCE(SUM(amount) FILTER (WHERE kind = 'reversal'), 0)
                          FROM moves), 0)::bigint AS issued,
                COALESCE((SELECT SUM(amount) FROM moves WHERE kind = 'capture'), 0)::bigint
                    AS redeemed,
                COALESCE((SELECT SUM(amount) FROM moves WHERE kind = 'expire'), 0)::bigint
                    AS expired,
                COALESCE((SELECT SUM(b.available + b.held) FROM ledger_balances b
                          WHERE b.tenant_id = $1 AND b.user_id IN (SELECT id FROM people)),
                         0)::bigint AS outstanding",
        people()
    );
    bind_filters!(diesel::sql_query(sql), tenant, f)
        .bind::<Timestamptz, _>(start)
        .bind::<Timestamptz, _>(end)
        .get_result(conn)
}

/// The values the filters offer: regions, categories and partner tiers (the partner
/// kinds and channels are fixed).
#[allow(clippy::type_complexity)]
pub fn choices(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<(Vec<String>, Vec<String>, Vec<String>)> {
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = Text)]
        value: String,
    }
    let regions: Vec<Value> = diesel::sql_query(
        "SELECT DISTINCT region AS value FROM partners WHERE tenant_id = $1 ORDER BY 1",
    )
    .bind::<BigInt, _>(tenant)
    .load(conn)?;
    let categories: Vec<Value> = diesel::sql_query(
        "SELECT DISTINCT category AS value FROM products WHERE tenant_id = $1 ORDER BY 1",
    )
    .bind::<BigInt, _>(tenant)
    .load(conn)?;
    let tiers: Vec<Value> = diesel::sql_query(
        "SELECT DISTINCT tier AS value FROM partners
         WHERE tenant_id = $1 AND tier IS NOT NULL ORDER BY 1",
    )
    .bind::<BigInt, _>(tenant)
    .load(conn)?;
    let values = |v: Vec<Value>| v.into_iter().map(|v| v.value).collect();
    Ok((values(regions), values(categories), values(tiers)))
}
