//! Sell-in against approved sell-out, by week, by partner and by product, with the stock
//! they imply and its alerts (the stock view's own figures, `services::stock`), and the
//! partners whose sell-out fell below their own trailing average (`domain::analytics_roi`)
//! — with the use case that starts a draft challenge for them.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::analytics_roi::{self as rows, Filter, PartnerPace, WeekRow};
use crate::db::partners as db_partners;
use crate::db::products as db_products;
use crate::db::stock::StockFilter;
use crate::domain::analytics_roi::{
    rate_percent, slowing, slowing_windows, weeks, RECENT_WEEKS, TRAILING_WEEKS,
};
use crate::domain::declarations::{FIRST_DAY, LAST_DAY};
use crate::domain::stock::Alert;
use crate::domain::{ChallengeId, PartnerId, ProductId, TenantId};
use crate::services::audit::Actor;
use crate::services::challenges::setup::{self, ChallengeInput};
use crate::services::challenges::ChallengeError;
use crate::services::once::{self, Claim};
use crate::services::segments::{self, SegmentInput};
use crate::services::stock::{self, StockLine, StockQuery};
use crate::services::ServiceError;

/// The default period: the last 26 weeks (sell-in comes in monthly deliveries: half a
/// year shows several beside the weekly sell-out).
pub const DEFAULT_WEEKS: i64 = 26;
/// Most weeks a chart shows (about two years).
pub const MAX_WEEKS: usize = 110;

#[derive(Debug, Clone, Default)]
pub struct Query {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub filter: Filter,
}

impl Query {
    /// The period asked for, within sane years; `from` defaults to 13 weeks before `to`.
    pub fn period(&self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let sane = |d: NaiveDate| d.clamp(FIRST_DAY, LAST_DAY);
        let to = sane(self.to.unwrap_or(today));
        let from = self
            .from
            .map(sane)
            .filter(|f| *f <= to)
            .unwrap_or_else(|| to - Duration::weeks(DEFAULT_WEEKS) + Duration::days(1));
        // A chart of at most MAX_WEEKS weeks.
        let earliest = to - Duration::weeks(MAX_WEEKS as i64 - 1);
        (from.max(earliest), to)
    }
}

/// Sums of the stock view's lines for one partner or one product.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Totals {
    pub id: i64,
    pub name: String,
    pub code: String,
    /// The partner's region, or the product's category.
    pub group: String,
    pub sell_in: i64,
    pub sell_out: i64,
    pub implied_stock: i64,
    pub stock_out_risks: i64,
    pub overstocks: i64,
}

impl Totals {
    fn add(&mut self, l: &StockLine) {
        self.sell_in += l.row.sell_in_period;
        self.sell_out += l.row.sell_out_period;
        self.implied_stock += l.implied_stock;
        match l.alert {
            Some(Alert::StockOutRisk) => self.stock_out_risks += 1,
            Some(Alert::Overstock) => self.overstocks += 1,
            None => {}
        }
    }
}

/// A partner to animate: its sell-out in both windows and its weekly pace against its
/// trailing average (in percent).
#[derive(Debug, Clone, Serialize)]
pub struct Slowing {
    #[serde(flatten)]
    pub pace: PartnerPace,
    pub pace_percent: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SellThrough {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every week of the period, weeks without figures included.
    pub weeks: Vec<WeekRow>,
    pub sell_in: i64,
    pub sell_out: i64,
    pub implied_stock: i64,
    pub stock_out_risks: i64,
    pub overstocks: i64,
    pub partners: Vec<Totals>,
    pub products: Vec<Totals>,
    pub slowing: Vec<Slowing>,
    /// First day (exclusive) of the trailing and of the recent windows.
    pub trailing_after: NaiveDate,
    pub recent_after: NaiveDate,
    pub recent_weeks: i64,
    pub trailing_weeks: i64,
    pub regions: Vec<String>,
    pub categories: Vec<String>,
    pub products_choice: Vec<(ProductId, String)>,
    pub partner_name: Option<String>,
}

/// The weeks of the period, with zeros where nothing was sold.
pub fn weekly(
    conn: &mut PgConnection,
    tenant: TenantId,
    query: &Query,
    today: NaiveDate,
) -> Result<Vec<WeekRow>, ServiceError> {
    let (from, to) = query.period(today);
    let found: BTreeMap<NaiveDate, WeekRow> =
        rows::weekly(conn, tenant, &query.filter, (from, to))?
            .into_iter()
            .map(|w| (w.week, w))
            .collect();
    Ok(weeks(from, to, MAX_WEEKS + 1)
        .into_iter()
        .map(|week| {
            found.get(&week).cloned().unwrap_or(WeekRow {
                week,
                sell_in: 0,
                sell_out: 0,
            })
        })
        .collect())
}

/// The partners slowing down, as of the period's last day.
pub fn slowing_partners(
    conn: &mut PgConnection,
    tenant: TenantId,
    query: &Query,
    today: NaiveDate,
) -> Result<Vec<Slowing>, ServiceError> {
    let (_, to) = query.period(today);
    let (trailing_after, recent_after) = slowing_windows(to);
    Ok(rows::paces(
        conn,
        tenant,
        &query.filter,
        (trailing_after, recent_after, to),
    )?
    .into_iter()
    .filter(|p| slowing(p.recent, p.trailing))
    .map(|pace| Slowing {
        pace_percent: rate_percent(pace.recent, pace.trailing).unwrap_or(0),
        pace,
    })
    .collect())
}

/// The stock view's lines of the filter (every line: this page sums them).
fn stock_lines(
    conn: &mut PgConnection,
    tenant: TenantId,
    query: &Query,
    today: NaiveDate,
) -> Result<Vec<StockLine>, ServiceError> {
    let (from, to) = query.period(today);
    let f = &query.filter;
    let view = stock::view(
        conn,
        tenant,
        &StockQuery {
            from: Some(from),
            to: Some(to),
            filter: StockFilter {
                partner: f.partner,
                region: f.region.clone(),
                kind: f.kind.clone(),
                category: f.category.clone(),
            },
            page: None,
            ..StockQuery::default()
        },
        today,
    )?;
    Ok(view
        .lines
        .into_iter()
        .filter(|l| f.product.is_none_or(|p| l.row.product_id == p))
        .collect())
}

/// Partner and product totals, by sell-out (highest first), then name.
pub fn totals(lines: &[StockLine]) -> (Vec<Totals>, Vec<Totals>) {
    let mut partners: BTreeMap<PartnerId, Totals> = BTreeMap::new();
    let mut products: BTreeMap<ProductId, Totals> = BTreeMap::new();
    for l in lines {
        let r = &l.row;
        partners
            .entry(r.partner_id)
            .or_insert_with(|| Totals {
                id: r.partner_id.0,
                name: r.partner_name.clone(),
                code: r.partner_code.clone(),
                group: r.region.clone(),
                ..Totals::default()
            })
            .add(l);
        products
            .entry(r.product_id)
            .or_insert_with(|| Totals {
                id: r.product_id.0,
                name: r.product_name.clone(),
                code: r.sku.clone(),
                group: r.category.clone(),
                ..Totals::default()
            })
            .add(l);
    }
    let sorted = |m: Vec<Totals>| {
        let mut v = m;
        v.sort_by(|a, b| {
            b.sell_out
                .cmp(&a.sell_out)
                .then_with(|| a.name.cmp(&b.name))
                .then(a.id.cmp(&b.id))
        });
        v
    };
    (
        sorted(partners.into_values().collect()),
        sorted(products.into_values().collect()),
    )
}

pub fn view(
    conn: &mut PgConnection,
    tenant: TenantId,
    query: &Query,
    today: NaiveDate,
) -> Result<SellThrough, ServiceError> {
    conn.transaction(|conn| {
        let (from, to) = query.period(today);
        let lines = stock_lines(conn, tenant, query, today)?;
        let (partners, products) = totals(&lines);
        let sum = |f: fn(&Totals) -> i64| partners.iter().map(f).sum::<i64>();
        let (trailing_after, recent_after) = slowing_windows(to);
        let partner_name = match query.filter.partner {
            Some(p) => Some(db_partners::find(conn, tenant, p)?.name),
            None => None,
        };
        let (regions, _) = db_partners::regions_and_tiers(conn, tenant)?;
        Ok(SellThrough {
            from,
            to,
            weeks: weekly(conn, tenant, query, today)?,
            sell_in: sum(|t| t.sell_in),
            sell_out: sum(|t| t.sell_out),
            implied_stock: sum(|t| t.implied_stock),
            stock_out_risks: sum(|t| t.stock_out_risks),
            overstocks: sum(|t| t.overstocks),
            slowing: slowing_partners(conn, tenant, query, today)?,
            partners,
            products,
            trailing_after,
            recent_after,
            recent_weeks: RECENT_WEEKS,
            trailing_weeks: TRAILING_WEEKS,
            regions,
            categories: db_products::categories(conn, tenant)?,
            products_choice: db_products::choices(conn, tenant)?,
            partner_name,
        })
    })
}

/// The partner and product tables alone (for their CSV files).
pub fn tables(
    conn: &mut PgConnection,
    tenant: TenantId,
    query: &Query,
    today: NaiveDate,
) -> Result<(Vec<Totals>, Vec<Totals>), ServiceError> {
    Ok(totals(&stock_lines(conn, tenant, query, today)?))
}

/// The names a draft gets, in the marketer's language.
#[derive(Debug, Clone)]
pub struct DraftNames {
    pub segment: String,
    pub title: String,
    pub description: String,
}

/// Starts a draft challenge for the partners slowing down under `query` (as listed at
/// this moment): a segment listing exactly them, a draft with that segment (on the
/// filtered category's products, if any). Once per form token. `Ok(None)`: nobody to
/// animate, nothing written.
#[allow(clippy::too_many_arguments)]
pub fn start_draft(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    query: &Query,
    names: &DraftNames,
    form_token: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<ChallengeId>, ChallengeError> {
    conn.transaction(|conn| {
        if let Claim::Repeat(first) = once::claim::<ChallengeId>(conn, tenant, form_token, now)? {
            return Ok(first);
        }
        let listed = slowing_partners(conn, tenant, query, today)?;
        if listed.is_empty() {
            return Ok(None);
        }
        let codes: Vec<&str> = listed.iter().map(|s| s.pace.code.as_str()).collect();
        let segment = segments::create(
            conn,
            tenant,
            actor,
            &SegmentInput {
                name: format!("{} #{}", names.segment, now.timestamp()),
                partner_codes: codes.join("\n"),
                ..SegmentInput::default()
            },
        )?;
        let mut input = ChallengeInput::blank(today);
        input.title = names.title.clone();
        input.description = names.description.clone();
        input.segments = vec![segment.id.to_string()];
        input.categories = query.filter.category.iter().cloned().collect();
        if let Some(p) = query.filter.product {
            input.products = vec![p.to_string()];
        }
        input.form_token = String::new();
        let challenge = setup::save(conn, tenant, actor, None, &input, now)?;
        once::settle(conn, tenant, form_token, challenge.id)?;
        Ok(Some(challenge.id))
    })
}
