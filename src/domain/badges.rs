//! Badges and the monthly leaderboard's calendar: the built-in rules, their thresholds,
//! ISO-week streaks and calendar months of the tenant's zone. No I/O.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Zone;

vocabulary!(
    /// The built-in rules; every tenant has every one (its settings may rename it,
    /// give it points or switch it off).
    BadgeRule {
        FirstDeclaration => "first_declaration",
        Declarations10 => "declarations_10",
        Declarations50 => "declarations_50",
        Declarations100 => "declarations_100",
        MonthMissions => "month_missions",
        ChallengePodium => "challenge_podium",
        StreakWeeks => "streak_weeks",
    }
);

impl BadgeRule {
    /// The number of approved declarations a threshold rule asks for.
    pub fn declarations_needed(self) -> Option<i64> {
        match self {
            Self::FirstDeclaration => Some(1),
            Self::Declarations10 => Some(10),
            Self::Declarations50 => Some(50),
            Self::Declarations100 => Some(100),
            _ => None,
        }
    }

    /// The rule as catalog keys: `badge-<rule with dashes>-name` and `-rule`.
    pub fn key(self) -> String {
        self.as_str().replace('_', "-")
    }
}

/// The default length of a streak, in consecutive ISO weeks.
pub const DEFAULT_STREAK_WEEKS: i32 = 4;
/// The bounds a tenant may choose for a streak.
pub const STREAK_WEEKS: std::ops::RangeInclusive<i32> = 2..=52;
/// The most points a badge may be worth.
pub const MAX_BADGE_POINTS: i64 = 1_000_000;

/// A podium: ranks 1 to 3 with a result above zero (nobody stands on a podium for
/// doing nothing, even when few took part).
pub fn is_podium(rank: i32, result: i64) -> bool {
    (1..=3).contains(&rank) && result > 0
}

/// The Monday of a date's ISO week.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The longest run of consecutive ISO weeks among the days given (any order, repeats
/// allowed): a week without a day breaks the run.
pub fn longest_streak(days: &[NaiveDate]) -> u32 {
    let mut weeks: Vec<NaiveDate> = days.iter().map(|d| week_of(*d)).collect();
    weeks.sort_unstable();
    weeks.dedup();
    let (mut best, mut run) = (0u32, 0u32);
    let mut previous: Option<NaiveDate> = None;
    for w in weeks {
        run = match previous {
            Some(p) if w - p == Duration::days(7) => run + 1,
            _ => 1,
        };
        best = best.max(run);
        previous = Some(w);
    }
    best
}

/// A calendar month (of the tenant's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// The month of a local date.
    pub fn of_day(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The month (in `zone`) of an instant.
    pub fn of(zone: Zone, at: DateTime<Utc>) -> Month {
        Month::of_day(zone.date_of(at))
    }

    /// `YYYY-MM`, as in the page's query; anything else is refused.
    pub fn parse(input: &str) -> Option<Month> {
        let (y, m) = input.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(Month { year, month })
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The month before (`n` months before).
    pub fn minus(self, n: u32) -> Month {
        Month::of_day(
            self.first_day()
                .checked_sub_months(Months::new(n))
                .unwrap_or(NaiveDate::MIN),
        )
    }

    pub fn next(self) -> Month {
        Month::of_day(
            self.first_day()
                .checked_add_months(Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        )
    }

    /// `[first instant, first instant of the next month)` in `zone`.
    pub fn bounds(self, zone: Zone) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            zone.day_start(self.first_day()),
            zone.day_start(self.next().first_day()),
        )
    }

    /// Whether `[starts, ends)` lies within this month of `zone`.
    pub fn holds(self, zone: Zone, starts: DateTime<Utc>, ends: DateTime<Utc>) -> bool {
        let (from, to) = self.bounds(zone);
        from <= starts && ends <= to && starts < ends
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn streaks_count_consecutive_iso_weeks() {
        // Monday 2026-11-02 .. Sunday 2026-11-08 is one ISO week.
        assert_eq!(longest_streak(&[d("2026-11-02"), d("2026-11-08")]), 1);
        assert_eq!(
            longest_streak(&[
                d("2026-11-08"),
                d("2026-11-09"),
                d("2026-11-16"),
                d("2026-11-23")
            ]),
            4
        );
        // A gap week breaks the run.
        assert_eq!(
            longest_streak(&[
                d("2026-11-02"),
                d("2026-11-09"),
                d("2026-11-23"),
                d("2026-11-30")
            ]),
            2
        );
        // Across a year: ISO week 53 of 2026 (28 Dec) then week 1 of 2027 (4 Jan).
        assert_eq!(longest_streak(&[d("2026-12-28"), d("2027-01-04")]), 2);
        assert_eq!(longest_streak(&[]), 0);
    }

    #[test]
    fn months_parse_strictly_and_bound_in_the_zone() {
        assert_eq!(
            Month::parse("2026-02"),
            Some(Month {
                year: 2026,
                month: 2
            })
        );
        for bad in [
            "",
            "2026-13",
            "2026-2",
            "x",
            "2026-02-01",
            "-001-01",
            "99999-01",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        let zone = Zone::parse("Asia/Jakarta").unwrap();
        let (from, to) = Month {
            year: 2026,
            month: 12,
        }
        .bounds(zone);
        assert_eq!(from.to_rfc3339(), "2026-11-30T17:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-31T17:00:00+00:00");
        assert_eq!(
            Month {
                year: 2026,
                month: 1
            }
            .minus(1),
            Month {
                year: 2025,
                month: 12
            }
        );
    }

    #[test]
    fn podiums_need_a_result() {
        assert!(is_podium(1, 5) && is_podium(3, 1));
        assert!(!is_podium(4, 5) && !is_podium(1, 0) && !is_podium(0, 3));
    }
}
