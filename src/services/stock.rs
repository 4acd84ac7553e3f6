//! The stock view: for each partner × product, sell-in and approved sell-out over a
//! period, the stock they imply and how many weeks it lasts, with alerts; as a page or
//! a CSV file.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;

use super::ServiceError;
use crate::db::declarations::rules as rules_db;
use crate::db::partners::Partner;
use crate::db::stock::{
    self, StockDays, StockFilter, StockOrder, StockRow, StockRules, StockSelection,
};
use crate::db::{partners, products};
use crate::domain::declarations::{FIRST_DAY, LAST_DAY};
use crate::domain::stock::{Alert, Figures, Thresholds, RATE_WEEKS};
use crate::domain::values::spreadsheet_safe;
use crate::domain::{PartnerId, TenantId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Partner,
    Product,
    SellIn,
    SellOut,
    Stock,
    Cover,
}

impl Sort {
    pub const ALL: [(Sort, &'static str); 6] = [
        (Sort::Partner, "partner"),
        (Sort::Product, "product"),
        (Sort::SellIn, "sell_in"),
        (Sort::SellOut, "sell_out"),
        (Sort::Stock, "stock"),
        (Sort::Cover, "cover"),
    ];

    pub fn parse(s: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, name)| *name == s)
            .map_or(Sort::Partner, |(sort, _)| *sort)
    }
}

#[derive(Debug, Clone, Default)]
pub struct StockQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub filter: StockFilter,
    pub alert: Option<Alert>,
    pub sort: Sort,
    pub descending: bool,
    /// `(offset, limit)` of the lines wanted; every line when `None`.
    pub page: Option<(i64, i64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StockLine {
    #[serde(flatten)]
    pub row: StockRow,
    pub implied_stock: i64,
    /// Weeks of cover in tenths; `None` when nothing sold recently.
    pub cover_tenths: Option<i64>,
    pub alert: Option<Alert>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StockView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The lines asked for (one page, or all of them).
    pub lines: Vec<StockLine>,
    /// How many lines match the filter and the alert.
    pub total: i64,
    pub stock_out_risks: i64,
    pub overstocks: i64,
    pub stock_out_weeks: i32,
    pub overstock_weeks: i32,
    pub regions: Vec<String>,
    pub categories: Vec<String>,
}

/// The default period: the last 13 weeks.
pub const DEFAULT_WEEKS: i64 = 13;

/// The stock view of one partner (`Some`, then also returned) or of the whole network.
pub fn view_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner: Option<PartnerId>,
    query: &StockQuery,
    today: NaiveDate,
) -> Result<(StockView, Option<Partner>), ServiceError> {
    let partner = partner
        .map(|id| partners::find(conn, tenant, id))
        .transpose()?;
    Ok((view(conn, tenant, query, today)?, partner))
}

pub fn view(
    conn: &mut PgConnection,
    tenant: TenantId,
    query: &StockQuery,
    today: NaiveDate,
) -> Result<StockView, ServiceError> {
    // Far-off days are brought back within the years that make sense (and that
    // Postgres and date arithmetic can take).
    let sane = |d: NaiveDate| d.clamp(FIRST_DAY, LAST_DAY);
    let to = sane(query.to.unwrap_or(today));
    let from = query
        .from
        .map(sane)
        .filter(|f| *f <= to)
        .unwrap_or_else(|| weeks_before(to, DEFAULT_WEEKS));
    let rules = rules_db::find(conn, tenant)?;
    let thresholds = Thresholds {
        stock_out_weeks: rules.stock_out_weeks,
        overstock_weeks: rules.overstock_weeks,
    };
    let days = StockDays {
        from,
        to,
        rate_after: weeks_before(to, RATE_WEEKS),
    };
    let (offset, limit) = query.page.unwrap_or((0, i64::MAX));
    let selection = StockSelection {
        days,
        filter: &query.filter,
        rules: StockRules {
            rate_weeks: RATE_WEEKS,
            stock_out_weeks: rules.stock_out_weeks,
            overstock_weeks: rules.overstock_weeks,
        },
        alert: query.alert.map(Alert::as_str),
        order: order(query.sort),
        descending: query.descending,
        offset,
        limit,
    };
    let page = stock::page(conn, tenant, &selection)?;
    let lines = page
        .rows
        .into_iter()
        .map(|row| {
            let figures = Figures {
                opening: row.opening,
                sell_in_to_date: row.sell_in_to_date,
                sell_out_to_date: row.sell_out_to_date,
                sell_out_recent: row.sell_out_recent,
            };
            StockLine {
                implied_stock: figures.implied_stock(),
                cover_tenths: figures.cover_tenths(),
                alert: figures.alert(thresholds),
                row,
            }
        })
        .collect();
    let (regions, _) = partners::regions_and_tiers(conn, tenant)?;
    Ok(StockView {
        from,
        to,
        lines,
        total: page.total,
        stock_out_risks: page.stock_out_risks,
        overstocks: page.overstocks,
        stock_out_weeks: rules.stock_out_weeks,
        overstock_weeks: rules.overstock_weeks,
        regions,
        categories: products::categories(conn, tenant)?,
    })
}

/// The day `weeks` weeks before `day`, or the first day there is.
fn weeks_before(day: NaiveDate, weeks: i64) -> NaiveDate {
    day.checked_sub_signed(Duration::weeks(weeks))
        .unwrap_or(NaiveDate::MIN)
}

fn order(sort: Sort) -> StockOrder {
    match sort {
        Sort::Partner => StockOrder::Partner,
        Sort::Product => StockOrder::Product,
        Sort::SellIn => StockOrder::SellIn,
        Sort::SellOut => StockOrder::SellOut,
        Sort::Stock => StockOrder::Stock,
        Sort::Cover => StockOrder::Cover,
    }
}

/// The lines as a CSV file (UTF-8, comma-separated, a header line; cover in weeks with
/// a decimal point, empty when nothing sold recently).
pub fn to_csv(view: &StockView) -> Result<Vec<u8>, ServiceError> {
    let mut out = csv::Writer::from_writer(vec![]);
    let failed = |e: csv::Error| ServiceError::Other(anyhow::anyhow!("writing the CSV: {e}"));
    out.write_record([
        "partner_code",
        "partner",
        "region",
        "partner_kind",
        "sku",
        "product",
        "category",
        "sell_in",
        "sell_out",
        "opening_stock",
        "implied_stock",
        "weeks_of_cover",
        "alert",
    ])
    .map_err(failed)?;
    // Names, regions and categories are typed by people: never formulas in a spreadsheet.
    let text = |s: &str| spreadsheet_safe(s);
    for l in &view.lines {
        let r = &l.row;
        let cover = l
            .cover_tenths
            .map(|c| format!("{}.{}", c / 10, c % 10))
            .unwrap_or_default();
        out.write_record([
            text(&r.partner_code).as_str(),
            &text(&r.partner_name),
            &text(&r.region),
            &r.partner_kind,
            &text(&r.sku),
            &text(&r.product_name),
            &text(&r.category),
            &r.sell_in_period.to_string(),
            &r.sell_out_period.to_string(),
            &r.opening.to_string(),
            &l.implied_stock.to_string(),
            &cover,
            l.alert.map_or("", Alert::as_str),
        ])
        .map_err(failed)?;
    }
    out.into_inner()
        .map_err(|e| ServiceError::Other(anyhow::anyhow!("writing the CSV: {e}")))
}
