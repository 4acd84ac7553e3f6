//! The monthly summary: early in each month (tenant's zone), last month in figures for
//! each participant (points earned and spent, declarations approved) with their balance
//! and the points expiring soon. One e-mail per participant and month, queued in bulk.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use diesel::prelude::*;
use serde_json::json;

use crate::db::notices::{self, Bulk};
use crate::db::tenants::Tenant;
use crate::domain::notifications::Category;
use crate::services::jobs::DEFAULT_MAX_ATTEMPTS;
use crate::services::ledger::EXPIRING_WINDOW;

pub const TEMPLATE: &str = "monthly_summary";
/// The summary is sent on the first days of the month: a daily run missed on the 1st
/// (a worker down) still sends it, once.
pub const LAST_DAY: u32 = 3;

/// The month before the one of `today`, as its first day and the first day of `today`'s.
pub fn last_month(today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let this = today.with_day(1)?;
    Some((this.checked_sub_months(Months::new(1))?, this))
}

/// Queues last month's summaries when `now` is in the first days of a month of the
/// tenant's zone; returns how many were queued (0 on other days or when already sent).
pub fn queue_due(conn: &mut PgConnection, t: &Tenant, now: DateTime<Utc>) -> QueryResult<usize> {
    let zone = t.zone();
    let today = zone.today(now);
    if today.day() > LAST_DAY {
        return Ok(0);
    }
    let Some((first, next)) = last_month(today) else {
        return Ok(0);
    };
    let month = first.format("%Y-%m").to_string();
    let expiring_before = now + EXPIRING_WINDOW;
    let args = json!({
        "month": first.to_string(),
        "expiring_before": zone.date_of(expiring_before).to_string(),
    });
    notices::monthly_summaries(
        conn,
        t.tenant_id(),
        &Bulk {
            template: TEMPLATE,
            category: Category::MonthlySummary.as_str(),
            link_path: "/points",
            args: &args,
            key_prefix: &format!("monthly-summary:{month}:"),
            now,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        },
        (zone.day_start(first), zone.day_start(next)),
        expiring_before,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_month_spans_the_year_end() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            last_month(d(2027, 1, 1)),
            Some((d(2026, 12, 1), d(2027, 1, 1)))
        );
        assert_eq!(
            last_month(d(2026, 3, 2)),
            Some((d(2026, 2, 1), d(2026, 3, 1)))
        );
    }
}
