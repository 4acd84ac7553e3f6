//! The brand's overview dashboard: participation, sell-out by week against the same weeks
//! a year before, top and bottom partners and products, channels, reviews, missions and
//! points, for a period of whole ISO weeks (in the tenant's zone) and filters.
//!
//! Sales come from `sellout_weekly` (approved sell-out, kept in the approval's and the
//! reversal's transaction), activity from `participant_activity_weekly`; the rest reads
//! indexed ranges (see the `analytics` migration). All figures come from one read-only
//! snapshot, so that they agree with each other.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::{FieldErrors, ServiceError};
use crate::db::analytics::{self as rows, Filters, Participation, PointsFlow, Ranked, Reviews};
use crate::db::tenants;
use crate::domain::money::Currency;
use crate::domain::time::Zone;
use crate::domain::TenantId;

/// The default period: the current week and the twelve before it.
pub const DEFAULT_WEEKS: i64 = 13;
/// The longest period one page reads (two years of weeks).
pub const MAX_WEEKS: i64 = 106;
/// How many partners and products the top and bottom lists show.
pub const RANKED: i64 = 5;
pub const PARTNER_KINDS: [&str; 3] = ["distributor", "reseller", "franchisee"];
pub const CHANNELS: [&str; 2] = ["in_store", "online"];

/// A dashboard request, parsed: the Mondays of its first and last weeks, and filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub first_week: NaiveDate,
    pub last_week: NaiveDate,
    pub filters: Filters,
}

pub fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

impl Query {
    /// Reads the query string's `from`, `to`, `region`, `kind`, `tier`, `category` and
    /// `channel`. What cannot be read falls back to the default and is named in the
    /// errors, so that the page shows the message next to the field.
    pub fn parse(params: &HashMap<String, String>, today: NaiveDate) -> (Query, FieldErrors) {
        let mut errors = FieldErrors::new();
        let text = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
        let mut date = |name: &'static str| {
            let value = text(name)?;
            match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.insert(name, "error-date-invalid");
                    None
                }
            }
        };
        let to = date("to").unwrap_or(today);
        let from = date("from");
        let last_week = monday(to);
        let mut first_week = from.map_or(last_week - Duration::weeks(DEFAULT_WEEKS - 1), monday);
        if first_week > last_week {
            errors.insert("from", "error-analytics-period-order");
            first_week = last_week - Duration::weeks(DEFAULT_WEEKS - 1);
        }
        if (last_week - first_week).num_weeks() >= MAX_WEEKS {
            errors.insert("from", "error-analytics-period-long");
            first_week = last_week - Duration::weeks(MAX_WEEKS - 1);
        }
        let mut choice = |name: &'static str, allowed: &[&str]| {
            let value = text(name)?;
            if allowed.contains(&value) {
                Some(value.to_string())
            } else {
                errors.insert(name, "error-filter-invalid");
                None
            }
        };
        let partner_kind = choice("kind", &PARTNER_KINDS);
        let channel = choice("channel", &CHANNELS);
        // Free text: an unknown region, tier or category matches nothing; control
        // characters (which no stored value holds) are refused.
        let mut bounded = |name: &'static str| {
            let value = text(name)?;
            if value.chars().count() > 80 || value.chars().any(char::is_control) {
                errors.insert(name, "error-filter-invalid");
                return None;
            }
            Some(value.to_string())
        };
        let filters = Filters {
            region: bounded("region"),
            partner_kind,
            tier: bounded("tier"),
            category: bounded("category"),
            channel,
        };
        (
            Query {
                first_week,
                last_week,
                filters,
            },
            errors,
        )
    }

    pub fn weeks(&self) -> i64 {
        (self.last_week - self.first_week).num_weeks() + 1
    }

    /// The same weeks a year (52 weeks) before.
    pub fn year_before(&self) -> (NaiveDate, NaiveDate) {
        (
            self.first_week - Duration::weeks(52),
            self.last_week - Duration::weeks(52),
        )
    }

    /// The period's instants in the tenant's zone: `[first Monday 00:00, the Monday after
    /// the last week 00:00)`.
    pub fn instants(&self, zone: Zone) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            zone.day_start(self.first_week),
            zone.day_start(self.last_week + Duration::weeks(1)),
        )
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Week {
    pub week: NaiveDate,
    pub units: i64,
    pub amount_minor: i64,
    pub units_year_before: i64,
    pub amount_year_before: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub first_week: NaiveDate,
    pub last_week: NaiveDate,
    pub weeks: Vec<Week>,
    pub units: i64,
    pub amount_minor: i64,
    pub units_year_before: i64,
    pub amount_year_before: i64,
    pub top_partners: Vec<Ranked>,
    pub bottom_partners: Vec<Ranked>,
    pub top_products: Vec<Ranked>,
    pub bottom_products: Vec<Ranked>,
    pub channels: Vec<Ranked>,
    pub participation: Participation,
    pub reviews: Reviews,
    pub points: PointsFlow,
    /// The outstanding points in money, at the tenant's value of a point.
    pub liability_minor: i64,
    pub currency: Currency,
}

/// Every figure of the overview, from one snapshot.
pub fn overview(
    conn: &mut PgConnection,
    tenant: TenantId,
    query: &Query,
) -> Result<Overview, ServiceError> {
    conn.build_transaction()
        .repeatable_read()
        .read_only()
        .run(|conn| {
            let t = tenants::find(conn, tenant)?;
            let f = &query.filters;
            let span = (query.first_week, query.last_week);
            let sales = rows::sales_summary(conn, tenant, f, span)?;
            let before = rows::sales_by_week(conn, tenant, f, query.year_before())?;
            let weeks = weekly(query, &sales.weeks, &before);
            let instants = query.instants(t.zone());
            let points = rows::points(conn, tenant, f, instants)?;
            let top = |list: &[Ranked]| list.iter().take(RANKED as usize).cloned().collect();
            let bottom = |list: &[Ranked]| {
                let mut v: Vec<Ranked> = list.to_vec();
                v.sort_by(|a, b| {
                    a.amount_minor
                        .cmp(&b.amount_minor)
                        .then_with(|| a.name.cmp(&b.name))
                        .then_with(|| a.id.cmp(&b.id))
                });
                v.truncate(RANKED as usize);
                v
            };
            Ok(Overview {
                first_week: query.first_week,
                last_week: query.last_week,
                units: weeks.iter().map(|w| w.units).sum(),
                amount_minor: weeks.iter().map(|w| w.amount_minor).sum(),
                units_year_before: weeks.iter().map(|w| w.units_year_before).sum(),
                amount_year_before: weeks.iter().map(|w| w.amount_year_before).sum(),
                weeks,
                top_partners: top(&sales.partners),
                bottom_partners: bottom(&sales.partners),
                top_products: top(&sales.products),
                bottom_products: bottom(&sales.products),
                channels: sales.channels,
                participation: rows::participation(conn, tenant, f, span, instants)?,
                reviews: rows::reviews(conn, tenant, f, instants)?,
                liability_minor: crate::services::ledger::liability_value(
                    points.outstanding,
                    t.point_value_minor,
                ),
                points,
                currency: t.currency(),
            })
        })
}

/// One row per week of the period (weeks without sales are zeros).
fn weekly(query: &Query, current: &[rows::WeekSales], before: &[rows::WeekSales]) -> Vec<Week> {
    let now: HashMap<NaiveDate, &rows::WeekSales> = current.iter().map(|w| (w.week, w)).collect();
    let then: HashMap<NaiveDate, &rows::WeekSales> = before.iter().map(|w| (w.week, w)).collect();
    (0..query.weeks())
        .map(|i| {
            let week = query.first_week + Duration::weeks(i);
            let a = now.get(&week);
            let b = then.get(&(week - Duration::weeks(52)));
            Week {
                week,
                units: a.map_or(0, |w| w.units),
                amount_minor: a.map_or(0, |w| w.amount_minor),
                units_year_before: b.map_or(0, |w| w.units),
                amount_year_before: b.map_or(0, |w| w.amount_minor),
            }
        })
        .collect()
}

/// The values offered by the filters: regions, product categories and partner tiers.
pub struct Choices {
    pub regions: Vec<String>,
    pub categories: Vec<String>,
    pub tiers: Vec<String>,
}

pub fn choices(conn: &mut PgConnection, tenant: TenantId) -> Result<Choices, ServiceError> {
    let (regions, categories, tiers) = rows::choices(conn, tenant)?;
    Ok(Choices {
        regions,
        categories,
        tiers,
    })
}

/// Recomputes a tenant's aggregates from the raw rows (the nightly safety net and the
/// `relais analytics-rebuild` command): one transaction, so readers see old or new.
pub fn rebuild(conn: &mut PgConnection, tenant: TenantId) -> Result<(usize, usize), ServiceError> {
    Ok(conn.transaction(|conn| rows::rebuild(conn, tenant))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_default_period_is_thirteen_weeks_to_this_one() {
        let (q, errors) = Query::parse(&params(&[]), day("2026-11-29"));
        assert!(errors.is_empty());
        assert_eq!(q.last_week, day("2026-11-23"));
        assert_eq!(q.weeks(), 13);
        assert_eq!(q.year_before().1, day("2025-11-24"));
    }

    #[test]
    fn garbage_is_named_and_replaced_by_defaults() {
        let (q, errors) = Query::parse(
            &params(&[("from", "tomorrow"), ("kind", "shop"), ("channel", "<b>")]),
            day("2026-11-29"),
        );
        assert_eq!(errors.len(), 3);
        assert_eq!(q.weeks(), 13);
        assert_eq!(q.filters, Filters::default());
        let (q, errors) = Query::parse(
            &params(&[("from", "2026-12-01"), ("to", "2026-11-01")]),
            day("2026-11-29"),
        );
        assert_eq!(errors.get("from"), Some(&"error-analytics-period-order"));
        assert_eq!(q.weeks(), 13);
        let (q, errors) = Query::parse(&params(&[("from", "1990-01-01")]), day("2026-11-29"));
        assert_eq!(errors.get("from"), Some(&"error-analytics-period-long"));
        assert_eq!(q.weeks(), MAX_WEEKS);
    }
}
