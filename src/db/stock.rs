//! Sell-in, opening stock, and the sums behind the stock view and the stock check.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text};
use serde::Serialize;

use super::schema::{declaration_lines, declarations, opening_stock, sell_in};
use crate::domain::{PartnerId, ProductId, TenantId};

#[derive(Debug, Insertable)]
#[diesel(table_name = sell_in)]
pub struct NewSellIn<'a> {
    pub tenant_id: TenantId,
    pub partner_id: PartnerId,
    pub product_id: ProductId,
    pub sold_on: NaiveDate,
    pub quantity: i32,
    pub amount_minor: i64,
    pub import_key: &'a str,
}

/// Inserts the rows whose import key is new; returns how many were inserted.
pub fn insert_sell_in(conn: &mut PgConnection, rows: &[NewSellIn]) -> QueryResult<usize> {
    diesel::insert_into(sell_in::table)
        .values(rows)
        .on_conflict((sell_in::tenant_id, sell_in::import_key))
        .do_nothing()
        .execute(conn)
}

/// The opening stock of these partners, by (partner, product).
pub fn opening_of_partners(
    conn: &mut PgConnection,
    tenant: TenantId,
    partners: &[PartnerId],
) -> QueryResult<HashMap<(PartnerId, ProductId), i32>> {
    let rows: Vec<(PartnerId, ProductId, i32)> = opening_stock::table
        .filter(opening_stock::tenant_id.eq(tenant))
        .filter(opening_stock::partner_id.eq_any(partners))
        .select((
            opening_stock::partner_id,
            opening_stock::product_id,
            opening_stock::quantity,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(a, b, q)| ((a, b), q)).collect())
}

pub fn set_opening(
    conn: &mut PgConnection,
    tenant: TenantId,
    (partner, product): (PartnerId, ProductId),
    quantity: i32,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(opening_stock::table)
        .values((
            opening_stock::tenant_id.eq(tenant),
            opening_stock::partner_id.eq(partner),
            opening_stock::product_id.eq(product),
            opening_stock::quantity.eq(quantity),
            opening_stock::updated_at.eq(now),
        ))
        .on_conflict((
            opening_stock::tenant_id,
            opening_stock::partner_id,
            opening_stock::product_id,
        ))
        .do_update()
        .set((
            opening_stock::quantity.eq(quantity),
            opening_stock::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether anything is known of the partner's supply (sell-in or opening stock).
pub fn has_supply_data(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner: PartnerId,
) -> QueryResult<bool> {
    let sold_in = diesel::select(diesel::dsl::exists(
        sell_in::table
            .filter(sell_in::tenant_id.eq(tenant))
            .filter(sell_in::partner_id.eq(partner)),
    ))
    .get_result(conn)?;
    if sold_in {
        return Ok(true);
    }
    diesel::select(diesel::dsl::exists(
        opening_stock::table
            .filter(opening_stock::tenant_id.eq(tenant))
            .filter(opening_stock::partner_id.eq(partner)),
    ))
    .get_result(conn)
}

/// Opening stock plus all sell-in of these products at the partner.
pub fn supply(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner: PartnerId,
    products: &[ProductId],
) -> QueryResult<HashMap<ProductId, i64>> {
    let sold_in: Vec<(ProductId, Option<i64>)> = sell_in::table
        .filter(sell_in::tenant_id.eq(tenant))
        .filter(sell_in::partner_id.eq(partner))
        .filter(sell_in::product_id.eq_any(products))
        .group_by(sell_in::product_id)
        .select((sell_in::product_id, diesel::dsl::sum(sell_in::quantity)))
        .load(conn)?;
    let mut out: HashMap<ProductId, i64> = sold_in
        .into_iter()
        .map(|(p, q)| (p, q.unwrap_or(0)))
        .collect();
    for ((_, product), q) in opening_of_partners(conn, tenant, &[partner])? {
        if products.contains(&product) {
            *out.entry(product).or_default() += i64::from(q);
        }
    }
    Ok(out)
}

/// Approved sell-out of these products by the partner, all time.
pub fn approved_sold(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner: PartnerId,
    products: &[ProductId],
) -> QueryResult<HashMap<ProductId, i64>> {
    let rows: Vec<(ProductId, Option<i64>)> = declaration_lines::table
        .inner_join(
            declarations::table.on(declarations::tenant_id
                .eq(declaration_lines::tenant_id)
                .and(declarations::id.eq(declaration_lines::declaration_id))),
        )
        .filter(declaration_lines::tenant_id.eq(tenant))
        .filter(declarations::partner_id.eq(partner))
        .filter(declarations::status.eq("approved"))
        .filter(declaration_lines::product_id.eq_any(products))
        .group_by(declaration_lines::product_id)
        .select((
            declaration_lines::product_id,
            diesel::dsl::sum(declaration_lines::quantity),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(p, q)| (p, q.unwrap_or(0))).collect())
}

/// One partner × product of the stock view: names and raw quantities.
#[derive(Debug, Clone, Serialize)]
pub struct StockRow {
    pub partner_id: PartnerId,
    pub product_id: ProductId,
    pub partner_name: String,
    pub partner_code: String,
    pub region: String,
    pub partner_kind: String,
    pub sku: String,
    pub product_name: String,
    pub category: String,
    pub opening: i64,
    pub sell_in_to_date: i64,
    pub sell_in_period: i64,
    pub sell_out_to_date: i64,
    pub sell_out_period: i64,
    pub sell_out_recent: i64,
}

/// What the stock view is filtered by; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct StockFilter {
    pub partner: Option<PartnerId>,
    pub region: Option<String>,
    pub kind: Option<String>,
    pub category: Option<String>,
}

/// Days of the view: the period `[from, to]`, and the start (exclusive) of the window
/// measuring the recent sell-out rate.
#[derive(Debug, Clone, Copy)]
pub struct StockDays {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rate_after: NaiveDate,
}

/// How the figures become alerts (see `domain::stock`), so that the database can filter,
/// count and sort by them.
#[derive(Debug, Clone, Copy)]
pub struct StockRules {
    pub rate_weeks: i64,
    pub stock_out_weeks: i32,
    pub overstock_weeks: i32,
}

/// The order of the lines; every order ends with partner and product names, then ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockOrder {
    Partner,
    Product,
    SellIn,
    SellOut,
    Stock,
    Cover,
}

impl StockOrder {
    // Fixed strings only, never a value from the request. Names compare as Rust strings
    // do (by code point), whatever the database's collation.
    fn sql(self, descending: bool) -> String {
        let dir = if descending { "DESC" } else { "ASC" };
        let names = "partner_name COLLATE \"C\", product_name COLLATE \"C\"";
        let first = match self {
            Self::Partner => {
                return format!(
                    "partner_name COLLATE \"C\" {dir}, product_name COLLATE \"C\" {dir}, \
                     partner_id, product_id"
                )
            }
            Self::Product => {
                format!("product_name COLLATE \"C\" {dir}, partner_name COLLATE \"C\" {dir}")
            }
            Self::SellIn => format!("sell_in_period {dir}"),
            Self::SellOut => format!("sell_out_period {dir}"),
            Self::Stock => format!("implied_stock {dir}"),
            // Stock that does not move lasts for ever: after every finite cover.
            Self::Cover if descending => "cover_tenths DESC NULLS FIRST".into(),
            Self::Cover => "cover_tenths ASC NULLS LAST".into(),
        };
        format!("{first}, {names}, partner_id, product_id")
    }
}

/// One page of lines and the counts over every line of the filter.
#[derive(Debug, Clone, Default)]
pub struct StockPage {
    pub rows: Vec<StockRow>,
    /// Lines matching the filter and the alert.
    pub total: i64,
    /// Lines matching the filter, by alert (whatever the alert asked for).
    pub stock_out_risks: i64,
    pub overstocks: i64,
}

#[derive(QueryableByName)]
struct PageRow {
    #[diesel(sql_type = BigInt)]
    total: i64,
    #[diesel(sql_type = BigInt)]
    risks: i64,
    #[diesel(sql_type = BigInt)]
    overstocks: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    partner_id: Option<PartnerId>,
    #[diesel(sql_type = Nullable<BigInt>)]
    product_id: Option<ProductId>,
    #[diesel(sql_type = Nullable<Text>)]
    partner_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    partner_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    region: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    partner_kind: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    sku: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    product_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    category: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    opening: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    sell_in_to_date: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    sell_in_period: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    sell_out_to_date: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    sell_out_period: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    sell_out_recent: Option<i64>,
}

impl PageRow {
    fn line(self) -> Option<StockRow> {
        Some(StockRow {
            partner_id: self.partner_id?,
            product_id: self.product_id?,
            partner_name: self.partner_name?,
            partner_code: self.partner_code?,
            region: self.region?,
            partner_kind: self.partner_kind?,
            sku: self.sku?,
            product_name: self.product_name?,
            category: self.category?,
            opening: self.opening?,
            sell_in_to_date: self.sell_in_to_date?,
            sell_in_period: self.sell_in_period?,
            sell_out_to_date: self.sell_out_to_date?,
            sell_out_period: self.sell_out_period?,
            sell_out_recent: self.sell_out_recent?,
        })
    }
}

/// Which lines of the stock view, in which order.
#[derive(Debug, Clone, Copy)]
pub struct StockSelection<'a> {
    pub days: StockDays,
    pub filter: &'a StockFilter,
    pub rules: StockRules,
    /// Only the lines with this alert (`Alert::as_str`).
    pub alert: Option<&'a str>,
    pub order: StockOrder,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

/// Every partner × product with sell-in, approved sell-out or opening stock, filtered,
/// sorted and paged by the database, with the counts of the whole filter in one pass.
pub fn page(
    conn: &mut PgConnection,
    tenant: TenantId,
    sel: &StockSelection,
) -> QueryResult<StockPage> {
    let (days, filter, rules) = (sel.days, sel.filter, sel.rules);
    let rows: Vec<PageRow> = diesel::sql_query(format!(
        "{LINES}
        SELECT s.total, s.risks, s.overstocks, p.*
        FROM (SELECT count(*) FILTER (WHERE $12::text IS NULL OR alert = $12) AS total,
                     count(*) FILTER (WHERE alert = 'stock_out_risk') AS risks,
                     count(*) FILTER (WHERE alert = 'overstock') AS overstocks
              FROM lines) s
        LEFT JOIN LATERAL (
            SELECT partner_id, product_id, partner_name, partner_code, region, partner_kind,
                   sku, product_name, category, opening, sell_in_to_date, sell_in_period,
                   sell_out_to_date, sell_out_period, sell_out_recent
            FROM lines WHERE $12::text IS NULL OR alert = $12
            ORDER BY {order} OFFSET $13 LIMIT $14
        ) p ON true",
        order = sel.order.sql(sel.descending)
    ))
    .bind::<BigInt, _>(tenant)
    .bind::<Date, _>(days.from)
    .bind::<Date, _>(days.to)
    .bind::<Date, _>(days.rate_after)
    .bind::<Nullable<BigInt>, _>(filter.partner)
    .bind::<Nullable<Text>, _>(filter.region.as_deref())
    .bind::<Nullable<Text>, _>(filter.kind.as_deref())
    .bind::<Nullable<Text>, _>(filter.category.as_deref())
    .bind::<BigInt, _>(rules.rate_weeks)
    .bind::<Integer, _>(rules.stock_out_weeks)
    .bind::<Integer, _>(rules.overstock_weeks)
    .bind::<Nullable<Text>, _>(sel.alert)
    .bind::<BigInt, _>(sel.offset)
    .bind::<BigInt, _>(sel.limit)
    .load(conn)?;
    let mut out = StockPage::default();
    for row in rows {
        (out.total, out.stock_out_risks, out.overstocks) = (row.total, row.risks, row.overstocks);
        if let Some(line) = row.line() {
            out.rows.push(line);
        }
    }
    Ok(out)
}

/// The lines of the view with their implied stock, cover (tenths of weeks) and alert,
/// computed as `domain::stock::Figures` does (`$9`: weeks of the rate, `$10`/`$11`: the
/// tenant's thresholds).
const LINES: &str = "WITH si AS (
    SELECT partner_id, product_id,
           SUM(quantity) FILTER (WHERE sold_on <= $3) AS to_date,
           SUM(quantity) FILTER (WHERE sold_on BETWEEN $2 AND $3) AS in_period
    FROM sell_in WHERE tenant_id = $1 AND ($5::bigint IS NULL OR partner_id = $5)
    GROUP BY 1, 2
), so AS (
    SELECT d.partner_id, l.product_id,
           SUM(l.quantity) FILTER (WHERE d.sale_date <= $3) AS to_date,
           SUM(l.quantity) FILTER (WHERE d.sale_date BETWEEN $2 AND $3) AS in_period,
           SUM(l.quantity) FILTER (WHERE d.sale_date > $4 AND d.sale_date <= $3) AS recent
    FROM declaration_lines l
    JOIN declarations d ON d.tenant_id = l.tenant_id AND d.id = l.declaration_id
    WHERE l.tenant_id = $1 AND d.status = 'approved'
      AND ($5::bigint IS NULL OR d.partner_id = $5)
    GROUP BY 1, 2
), os AS (
    SELECT partner_id, product_id, quantity FROM opening_stock
    WHERE tenant_id = $1 AND ($5::bigint IS NULL OR partner_id = $5)
), k AS (
    SELECT partner_id, product_id FROM si UNION SELECT partner_id, product_id FROM so
    UNION SELECT partner_id, product_id FROM os
), figures AS (
    SELECT k.partner_id, k.product_id, p.name AS partner_name, p.external_code AS partner_code,
           p.region, p.kind AS partner_kind, pr.sku, pr.name AS product_name, pr.category,
           COALESCE(os.quantity, 0)::bigint AS opening,
           COALESCE(si.to_date, 0)::bigint AS sell_in_to_date,
           COALESCE(si.in_period, 0)::bigint AS sell_in_period,
           COALESCE(so.to_date, 0)::bigint AS sell_out_to_date,
           COALESCE(so.in_period, 0)::bigint AS sell_out_period,
           COALESCE(so.recent, 0)::bigint AS sell_out_recent
    FROM k
    JOIN partners p ON p.tenant_id = $1 AND p.id = k.partner_id
    JOIN products pr ON pr.tenant_id = $1 AND pr.id = k.product_id
    LEFT JOIN si ON si.partner_id = k.partner_id AND si.product_id = k.product_id
    LEFT JOIN so ON so.partner_id = k.partner_id AND so.product_id = k.product_id
    LEFT JOIN os ON os.partner_id = k.partner_id AND os.product_id = k.product_id
    WHERE ($6::text IS NULL OR p.region = $6)
      AND ($7::text IS NULL OR p.kind = $7)
      AND ($8::text IS NULL OR pr.category = $8)
), stocked AS (
    SELECT f.*, f.opening + f.sell_in_to_date - f.sell_out_to_date AS implied_stock,
           CASE WHEN f.sell_out_recent > 0 THEN
                GREATEST(f.opening + f.sell_in_to_date - f.sell_out_to_date, 0) * $9 * 10
                    / f.sell_out_recent
           END AS cover_tenths
    FROM figures f
), lines AS MATERIALIZED (
    SELECT s.*,
           CASE WHEN s.cover_tenths < $10::bigint * 10 THEN 'stock_out_risk'
                WHEN s.cover_tenths > $11::bigint * 10 THEN 'overstock'
                WHEN s.cover_tenths IS NULL AND s.implied_stock > 0 THEN 'overstock'
           END AS alert
    FROM stocked s
)";
