//! The rules behind the sell-through and challenge-results pages. No I/O.
//!
//! Decided here:
//! - Weeks start on Monday (ISO weeks, as Postgres' `date_trunc('week', …)`).
//! - A partner is **slowing** when its approved sell-out over the last `RECENT_WEEKS`
//!   weeks, as a weekly average, is below its own weekly average over the
//!   `TRAILING_WEEKS` weeks just before (recent ÷ 4 < trailing ÷ 12, so 3 × recent <
//!   trailing). A partner that sold nothing in the trailing window has no average and is
//!   never listed.
//! - Attainment buckets: result ÷ target in quarters, `[0, 25 %)`, `[25, 50)`, `[50, 75)`,
//!   `[75, 100)`, `≥ 100 %`; a subject without a target is in no bucket.
//! - A challenge's reference period: the growth target's when it has one, else as many
//!   days as the challenge lasts, just before its first day.
//! - Incremental = Σ over the challenge's subjects of (result − result of the same
//!   subject, same objective and product set, over the reference period).
//! - Points per incremental unit: points awarded ÷ incremental, shown in hundredths, only
//!   when the incremental is above zero.

use chrono::{Datelike, Duration, NaiveDate};

pub const RECENT_WEEKS: i64 = 4;
pub const TRAILING_WEEKS: i64 = 12;

/// Buckets of the attainment distribution (their labels, in quarters of the target).
pub const BUCKETS: [&str; 5] = ["0-25", "25-50", "50-75", "75-100", "100-plus"];

/// The Monday of the week holding `day`.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Every week (its Monday) from the week of `from` to the week of `to`, at most `max`.
pub fn weeks(from: NaiveDate, to: NaiveDate, max: usize) -> Vec<NaiveDate> {
    let mut out = vec![];
    let mut w = week_of(from);
    while w <= to && out.len() < max {
        out.push(w);
        w += Duration::weeks(1);
    }
    out
}

/// Windows of the slowing rule ending on `to` (inclusive): the recent window is
/// `(recent_after, to]`, the trailing one `(trailing_after, recent_after]`.
pub fn slowing_windows(to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let recent_after = to - Duration::weeks(RECENT_WEEKS);
    (recent_after - Duration::weeks(TRAILING_WEEKS), recent_after)
}

/// Whether sell-out fell below the partner's own trailing weekly average.
pub fn slowing(recent: i64, trailing: i64) -> bool {
    trailing > 0
        && i128::from(recent) * i128::from(TRAILING_WEEKS)
            < i128::from(trailing) * i128::from(RECENT_WEEKS)
}

/// Recent weekly rate against the trailing one, in whole percent rounded down.
pub fn rate_percent(recent: i64, trailing: i64) -> Option<i64> {
    if trailing <= 0 {
        return None;
    }
    let r = i128::from(recent.max(0)) * i128::from(TRAILING_WEEKS) * 100
        / (i128::from(trailing) * i128::from(RECENT_WEEKS));
    Some(r.min(i128::from(i64::MAX)) as i64)
}

/// The bucket of an attainment (`None` without a positive target).
pub fn bucket(result: i64, target: Option<i64>) -> Option<usize> {
    let target = target.filter(|t| *t > 0)?;
    let q = i128::from(result.max(0)) * 4 / i128::from(target);
    Some(q.min(4) as usize)
}

/// The reference period of a challenge whose days are `[first, last]`.
pub fn reference_period(
    first: NaiveDate,
    last: NaiveDate,
    given: Option<(NaiveDate, NaiveDate)>,
) -> (NaiveDate, NaiveDate) {
    given.unwrap_or_else(|| {
        let days = (last - first).num_days().max(0) + 1;
        (first - Duration::days(days), first - Duration::days(1))
    })
}

/// Points per incremental unit, in hundredths (`scale` units of the objective make one:
/// 100 for revenue in cents, 1 otherwise).
pub fn per_unit_hundredths(points: i64, incremental: i64, scale: i64) -> Option<i64> {
    if incremental <= 0 {
        return None;
    }
    let v = i128::from(points) * 100 * i128::from(scale.max(1)) / i128::from(incremental);
    Some(v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_of(d(2026, 11, 30)), d(2026, 11, 30)); // a Monday
        assert_eq!(week_of(d(2026, 12, 6)), d(2026, 11, 30));
        assert_eq!(weeks(d(2026, 11, 4), d(2026, 11, 16), 100).len(), 3);
        assert_eq!(weeks(d(2026, 1, 1), d(2026, 12, 31), 10).len(), 10);
    }

    #[test]
    fn slowing_compares_weekly_averages() {
        // 12 a week for 12 weeks, then 11 a week: slowing.
        assert!(slowing(44, 144));
        assert!(!slowing(48, 144));
        assert!(!slowing(0, 0));
        assert!(slowing(0, 1));
        assert_eq!(rate_percent(44, 144), Some(91));
        assert_eq!(rate_percent(5, 0), None);
        let (trailing_after, recent_after) = slowing_windows(d(2026, 11, 30));
        assert_eq!(recent_after, d(2026, 11, 2));
        assert_eq!(trailing_after, d(2026, 8, 10));
    }

    #[test]
    fn buckets_are_quarters() {
        assert_eq!(bucket(0, Some(10)), Some(0));
        assert_eq!(bucket(2, Some(10)), Some(0));
        assert_eq!(bucket(25, Some(100)), Some(1));
        assert_eq!(bucket(74, Some(100)), Some(2));
        assert_eq!(bucket(99, Some(100)), Some(3));
        assert_eq!(bucket(100, Some(100)), Some(4));
        assert_eq!(bucket(900, Some(100)), Some(4));
        assert_eq!(bucket(5, None), None);
        assert_eq!(bucket(-5, Some(10)), Some(0));
    }

    #[test]
    fn reference_is_the_same_length_just_before() {
        let r = reference_period(d(2026, 11, 10), d(2026, 11, 19), None);
        assert_eq!(r, (d(2026, 10, 31), d(2026, 11, 9)));
        let given = (d(2025, 1, 1), d(2025, 1, 31));
        assert_eq!(
            reference_period(d(2026, 11, 10), d(2026, 11, 19), Some(given)),
            given
        );
    }

    #[test]
    fn points_per_incremental_unit() {
        assert_eq!(per_unit_hundredths(300, 40, 1), Some(750));
        assert_eq!(per_unit_hundredths(300, 0, 1), None);
        assert_eq!(per_unit_hundredths(300, -4, 1), None);
        assert_eq!(per_unit_hundredths(300, 12_000, 100), Some(250));
    }
}
