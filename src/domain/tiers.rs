//! Status tiers: which tier a participant's earned points reach, the effective tier once an
//! admin's floor is applied, the window earned points are counted in, progress to the
//! next tier, and the checks of a tenant's tier list as typed.
//!
//! Decisions:
//! - Tiers are ranked 1 (lowest) to `MAX_TIERS`; rank 0 is "no tier yet". A tier is
//!   identified by its rank, so that a reward requiring rank 3 keeps requiring the third
//!   tier whatever it is renamed to.
//! - "Earned" is the sum of the participant's `earn` transactions dated in the window,
//!   minus those that were reversed (a reversed earn never counts, wherever the reversal
//!   falls). Adjustments, refunds and reversed expiries are not earnings.
//! - The rolling window holds the last 12 months by whole local days: on day D, points
//!   earned from the start of the same day 12 months earlier count. So points earned on
//!   day E leave the window when day E + 12 months + 1 day begins.
//! - The calendar window starts on 1 January, 00:00 in the tenant's zone.
//! - Thresholds strictly increase; multipliers never decrease with the rank and stay
//!   between ×1 and ×3 (per mille, never a float).

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::time::Zone;
use super::values::ErrorKey;

/// Most tiers a tenant may define.
pub const MAX_TIERS: usize = 6;
/// Multipliers between ×1 and ×3, per mille.
pub const MIN_MULTIPLIER: i32 = 1000;
pub const MAX_MULTIPLIER: i32 = 3000;
/// Thresholds up to 10^12 points.
pub const MAX_THRESHOLD: i64 = 1_000_000_000_000;

vocabulary!(
    /// How earned points are counted.
    TierWindow {
        Rolling => "rolling",
        Calendar => "calendar",
    }
);

impl TierWindow {
    /// The first instant whose earned points count at `now`.
    pub fn start(self, now: DateTime<Utc>, zone: Zone) -> DateTime<Utc> {
        let today = zone.today(now);
        match self {
            TierWindow::Rolling => zone.day_start(
                today
                    .checked_sub_months(Months::new(12))
                    .unwrap_or(NaiveDate::MIN),
            ),
            TierWindow::Calendar => zone
                .day_start(NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(NaiveDate::MIN)),
        }
    }

    /// When points earned at `at` leave a rolling window (none for a calendar year).
    pub fn leaves_at(self, at: DateTime<Utc>, zone: Zone) -> Option<NaiveDate> {
        match self {
            TierWindow::Rolling => zone
                .date_of(at)
                .checked_add_months(Months::new(12))
                .and_then(|d| d.succ_opt()),
            TierWindow::Calendar => None,
        }
    }
}

/// One tier as configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub rank: i16,
    pub name: String,
    pub threshold: i64,
    pub multiplier_permille: i32,
}

impl Tier {
    /// "1.25" for 1250.
    pub fn multiplier_text(&self) -> String {
        multiplier_text(self.multiplier_permille)
    }
}

/// 1250 → "1.25", 1000 → "1".
pub fn multiplier_text(m: i32) -> String {
    let (whole, frac) = (m / 1000, m % 1000);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// The highest rank whose threshold `earned` reaches (0: none). `tiers` by rank.
pub fn rank_for(tiers: &[Tier], earned: i64) -> i16 {
    tiers
        .iter()
        .filter(|t| earned >= t.threshold)
        .map(|t| t.rank)
        .max()
        .unwrap_or(0)
}

/// The tier held: the computed one, or the admin's floor when higher (a floor above the
/// tiers that exist counts as the top tier).
pub fn effective(tiers: &[Tier], computed: i16, floor: Option<i16>) -> i16 {
    let top = tiers.iter().map(|t| t.rank).max().unwrap_or(0);
    computed.max(floor.unwrap_or(0).min(top))
}

/// Where a participant stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub current: Option<Tier>,
    pub next: Option<Tier>,
    pub earned: i64,
    /// Points still to earn in the window to reach `next` (0 at the top).
    pub needed_for_next: i64,
    /// From the current tier's threshold to the next's, 0 to 100 (100 at the top).
    pub percent: u8,
}

pub fn standing(tiers: &[Tier], rank: i16, earned: i64) -> Standing {
    let current = tiers.iter().find(|t| t.rank == rank).cloned();
    let next = tiers.iter().find(|t| t.rank > rank).cloned();
    let (needed_for_next, percent) = match &next {
        None => (0, 100),
        Some(n) => {
            let from = current.as_ref().map_or(0, |c| c.threshold);
            let span = (n.threshold - from).max(1);
            let done = (earned - from).clamp(0, span);
            let percent = u8::try_from(done * 100 / span).unwrap_or(100);
            ((n.threshold - earned).max(0), percent)
        }
    };
    Standing {
        current,
        next,
        earned,
        needed_for_next,
        percent,
    }
}

/// One row of the tier form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TierRowInput<'a> {
    pub name: &'a str,
    pub threshold: &'a str,
    pub multiplier: &'a str,
}

impl TierRowInput<'_> {
    pub fn is_blank(&self) -> bool {
        self.name.trim().is_empty()
            && self.threshold.trim().is_empty()
            && self.multiplier.trim().is_empty()
    }
}

/// A problem with one row: which of its fields (0 name, 1 threshold, 2 multiplier).
pub type RowError = (usize, usize, ErrorKey);

/// "1.25" or "1,25" → 1250; empty → ×1; between ×1 and ×3 with at most 3 decimals.
pub fn parse_multiplier(input: &str) -> Result<i32, ErrorKey> {
    let t = input.trim().replace(',', ".");
    if t.is_empty() {
        return Ok(MIN_MULTIPLIER);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 3 || whole.len() > 2 {
        return Err("error-tier-multiplier");
    }
    let m = whole.parse::<i32>().unwrap_or(0) * 1000
        + format!("{frac:0<3}").parse::<i32>().unwrap_or(0);
    if (MIN_MULTIPLIER..=MAX_MULTIPLIER).contains(&m) {
        Ok(m)
    } else {
        Err("error-tier-multiplier")
    }
}

fn parse_threshold(input: &str) -> Result<i64, ErrorKey> {
    let t = input.trim().replace([' ', '\u{202f}', '\u{a0}'], "");
    if t.is_empty() {
        return Err("error-required");
    }
    match t.parse::<i64>() {
        Ok(n) if n < 0 => Err("error-tier-threshold-negative"),
        Ok(n) if n <= MAX_THRESHOLD => Ok(n),
        _ => Err("error-tier-threshold-number"),
    }
}

/// Checks the rows (blank ones skipped); ranks follow the order of the rows kept.
pub fn parse_tiers(rows: &[TierRowInput]) -> Result<Vec<Tier>, Vec<RowError>> {
    let mut errors = vec![];
    let mut tiers: Vec<Tier> = vec![];
    let mut last_threshold: Option<i64> = None;
    let mut last_multiplier = MIN_MULTIPLIER;
    let mut names: Vec<String> = vec![];
    for (i, row) in rows.iter().enumerate() {
        if row.is_blank() {
            continue;
        }
        let name = row.name.trim();
        let name_ok = if name.is_empty() {
            errors.push((i, 0, "error-required"));
            false
        } else if name.chars().count() > 40 {
            errors.push((i, 0, "error-too-long"));
            false
        } else if names.contains(&name.to_lowercase()) {
            errors.push((i, 0, "error-tier-name-duplicate"));
            false
        } else {
            names.push(name.to_lowercase());
            true
        };
        let threshold = match parse_threshold(row.threshold) {
            Ok(t) => match last_threshold {
                Some(prev) if t == prev => {
                    errors.push((i, 1, "error-tier-threshold-duplicate"));
                    None
                }
                Some(prev) if t < prev => {
                    errors.push((i, 1, "error-tier-threshold-order"));
                    None
                }
                _ => Some(t),
            },
            Err(k) => {
                errors.push((i, 1, k));
                None
            }
        };
        let multiplier = match parse_multiplier(row.multiplier) {
            Ok(m) if m < last_multiplier => {
                errors.push((i, 2, "error-tier-multiplier-order"));
                None
            }
            Ok(m) => Some(m),
            Err(k) => {
                errors.push((i, 2, k));
                None
            }
        };
        if let Some(t) = threshold {
            last_threshold = Some(t);
        }
        if let Some(m) = multiplier {
            last_multiplier = m;
        }
        if let (true, Some(threshold), Some(multiplier_permille)) = (name_ok, threshold, multiplier)
        {
            tiers.push(Tier {
                rank: 0,
                name: name.to_string(),
                threshold,
                multiplier_permille,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for (i, t) in tiers.iter_mut().enumerate() {
        t.rank = i16::try_from(i + 1).unwrap_or(i16::MAX);
    }
    Ok(tiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(rank: i16, threshold: i64, m: i32) -> Tier {
        Tier {
            rank,
            name: format!("T{rank}"),
            threshold,
            multiplier_permille: m,
        }
    }

    fn four() -> Vec<Tier> {
        vec![
            tier(1, 0, 1000),
            tier(2, 1000, 1050),
            tier(3, 5000, 1100),
            tier(4, 15000, 1250),
        ]
    }

    #[test]
    fn a_threshold_is_reached_exactly_at_it() {
        let t = four();
        assert_eq!(rank_for(&t, 999), 1);
        assert_eq!(rank_for(&t, 1000), 2);
        assert_eq!(rank_for(&t, 4999), 2);
        assert_eq!(rank_for(&t, 5000), 3);
        assert_eq!(rank_for(&t, 1_000_000), 4);
        assert_eq!(rank_for(&t[1..], 10), 0);
        assert_eq!(rank_for(&[], 10), 0);
    }

    #[test]
    fn a_floor_only_raises() {
        let t = four();
        assert_eq!(effective(&t, 1, Some(3)), 3);
        assert_eq!(effective(&t, 4, Some(3)), 4);
        assert_eq!(effective(&t, 2, None), 2);
        assert_eq!(effective(&t[..2], 1, Some(4)), 2);
    }

    #[test]
    fn progress_counts_from_the_current_threshold() {
        let s = standing(&four(), 2, 3000);
        assert_eq!(s.needed_for_next, 2000);
        assert_eq!(s.percent, 50);
        let top = standing(&four(), 4, 20000);
        assert_eq!((top.needed_for_next, top.percent, top.next), (0, 100, None));
        // Held by a floor above what was earned: everything still to earn, 0 %.
        let floored = standing(&four(), 3, 100);
        assert_eq!((floored.needed_for_next, floored.percent), (14900, 0));
    }

    #[test]
    fn windows_in_the_tenant_zone() {
        let jakarta = Zone::parse("Asia/Jakarta").unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-30T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            TierWindow::Rolling.start(now, jakarta).to_rfc3339(),
            "2025-11-29T17:00:00+00:00"
        );
        assert_eq!(
            TierWindow::Calendar.start(now, jakarta).to_rfc3339(),
            "2025-12-31T17:00:00+00:00"
        );
        assert_eq!(
            TierWindow::Rolling.leaves_at(now, jakarta),
            NaiveDate::from_ymd_opt(2027, 12, 1)
        );
        assert_eq!(TierWindow::Calendar.leaves_at(now, jakarta), None);
    }

    #[test]
    fn multipliers_per_mille() {
        assert_eq!(parse_multiplier("1.25"), Ok(1250));
        assert_eq!(parse_multiplier("1,1"), Ok(1100));
        assert_eq!(parse_multiplier(""), Ok(1000));
        assert_eq!(parse_multiplier("3"), Ok(3000));
        assert_eq!(parse_multiplier("0.5"), Err("error-tier-multiplier"));
        assert_eq!(parse_multiplier("100"), Err("error-tier-multiplier"));
        assert_eq!(parse_multiplier("1.2345"), Err("error-tier-multiplier"));
        assert_eq!(parse_multiplier("x"), Err("error-tier-multiplier"));
        assert_eq!(multiplier_text(1250), "1.25");
        assert_eq!(multiplier_text(1000), "1");
    }

    fn row<'a>(name: &'a str, threshold: &'a str, multiplier: &'a str) -> TierRowInput<'a> {
        TierRowInput {
            name,
            threshold,
            multiplier,
        }
    }

    #[test]
    fn tier_lists_are_checked_row_by_row() {
        let ok = parse_tiers(&[
            row("Bronze", "0", "1"),
            row("", "", ""),
            row("Silver", "1 000", "1.1"),
        ])
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!((ok[1].rank, ok[1].threshold), (2, 1000));
        let bad = parse_tiers(&[
            row("Bronze", "-1", "1"),
            row("bronze", "10", "1"),
            row("Gold", "10", "9"),
            row("Plat", "5", "1"),
        ])
        .unwrap_err();
        assert!(bad.contains(&(0, 1, "error-tier-threshold-negative")));
        assert!(bad.contains(&(1, 0, "error-tier-name-duplicate")));
        assert!(bad.contains(&(2, 1, "error-tier-threshold-duplicate")));
        assert!(bad.contains(&(2, 2, "error-tier-multiplier")));
        assert!(bad.contains(&(3, 1, "error-tier-threshold-order")));
    }
}
