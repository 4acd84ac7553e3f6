//! Challenges: their vocabularies, targets, tiers, attainment, the lifecycle the clock
//! drives and the ranking rule. No I/O.
//!
//! Rules decided here (and shown to participants in plain words):
//! - The target of a growth challenge is `growth %` of the participant's (or partner's)
//!   result over the reference period, rounded up, and never below the floor.
//! - Attainment is result ÷ target. A tier is reached when result × 100 ≥ percent ×
//!   target (exactly 100 % reaches the 100 % tier); only the highest tier reached pays.
//! - Ranking: the higher result (or attainment) first; among equals, whoever reached it
//!   first (the time their result last changed); then the smaller id. So every rank is
//!   held by one participant and rank prizes are never shared.
//! - Several challenges covering the same sale: only the highest multiplier applies
//!   (multipliers never compound).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::declarations::Multiplier;

vocabulary!(
    /// draft → scheduled → active → closed → awarded; all but the first moved by the clock.
    ChallengeStatus {
        Draft => "draft",
        Scheduled => "scheduled",
        Active => "active",
        Closed => "closed",
        Awarded => "awarded",
    }
);

vocabulary!(
    /// What counts: units or revenue of the product set, approved declarations (with a
    /// line of the product set), or completed missions.
    Objective { Units => "units", Revenue => "revenue", Declarations => "declarations", Missions => "missions" }
);

vocabulary!(
    /// Who is measured: each participant, or each partner (its participants add up).
    Scope { Participant => "participant", Partner => "partner" }
);

vocabulary!(
    /// How targets are set: one for all, growth over a reference period, or uploaded.
    TargetMode { Fixed => "fixed", Growth => "growth", Upload => "upload" }
);

vocabulary!(
    /// What rank prizes go by: the raw result, or the percentage of the target.
    RankBasis { Result => "result", Attainment => "attainment" }
);

/// Most reward tiers and rank prizes a challenge has.
pub const MAX_TIERS: usize = 5;
pub const MAX_PRIZES: usize = 10;

/// A reward tier: reaching `percent` % of the target earns `points`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub percent: i32,
    pub points: i64,
}

/// Whether `result` reaches `percent` % of `target` (exact integer arithmetic).
pub fn reaches(result: i64, target: i64, percent: i32) -> bool {
    i128::from(result) * 100 >= i128::from(percent) * i128::from(target)
}

/// The highest tier reached, if any (`tiers` in any order).
pub fn tier_reached(result: i64, target: i64, tiers: &[Tier]) -> Option<Tier> {
    tiers
        .iter()
        .filter(|t| reaches(result, target, t.percent))
        .max_by_key(|t| t.percent)
        .copied()
}

/// The lowest tier not reached yet, if any.
pub fn next_tier(result: i64, target: i64, tiers: &[Tier]) -> Option<Tier> {
    tiers
        .iter()
        .filter(|t| !reaches(result, target, t.percent))
        .min_by_key(|t| t.percent)
        .copied()
}

/// Attainment in whole percent, rounded down (what the progress bar shows).
pub fn percent_of(result: i64, target: i64) -> i64 {
    if target <= 0 {
        return 0;
    }
    (i128::from(result.max(0)) * 100 / i128::from(target)).min(i128::from(i64::MAX)) as i64
}

/// A growth target: `growth_percent` % of the reference result, rounded up, at least
/// `floor`.
pub fn growth_target(reference: i64, growth_percent: i32, floor: i64) -> i64 {
    let r = i128::from(reference.max(0)) * i128::from(growth_percent);
    let t = ((r + 99) / 100).min(i128::from(i64::MAX)) as i64;
    t.max(floor)
}

/// The status the clock says a published challenge has at `now`.
pub fn phase(
    now: DateTime<Utc>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    award_at: DateTime<Utc>,
) -> ChallengeStatus {
    if now < starts_at {
        ChallengeStatus::Scheduled
    } else if now < ends_at {
        ChallengeStatus::Active
    } else if now < award_at {
        ChallengeStatus::Closed
    } else {
        ChallengeStatus::Awarded
    }
}

/// The multiplier a line earns when several challenges cover it: the highest.
pub fn strongest(multipliers: impl IntoIterator<Item = Multiplier>) -> Option<Multiplier> {
    multipliers.into_iter().max_by_key(|m| m.0)
}

/// What a declaration line adds to an objective measured on lines.
pub fn line_amount(objective: Objective, quantity: i32, unit_price_minor: i64) -> i64 {
    match objective {
        Objective::Units => i64::from(quantity),
        Objective::Revenue => unit_price_minor.saturating_mul(i64::from(quantity)),
        Objective::Declarations | Objective::Missions => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const TIERS: [Tier; 3] = [
        Tier {
            percent: 100,
            points: 300,
        },
        Tier {
            percent: 80,
            points: 100,
        },
        Tier {
            percent: 120,
            points: 600,
        },
    ];

    #[test]
    fn exactly_one_hundred_percent_reaches_the_hundred_tier() {
        assert_eq!(tier_reached(100, 100, &TIERS).map(|t| t.points), Some(300));
        assert_eq!(tier_reached(99, 100, &TIERS).map(|t| t.points), Some(100));
        assert_eq!(tier_reached(79, 100, &TIERS), None);
        assert_eq!(tier_reached(80, 100, &TIERS).map(|t| t.points), Some(100));
        // 119.99 % is not 120 %.
        assert_eq!(
            tier_reached(11_999, 10_000, &TIERS).map(|t| t.percent),
            Some(100)
        );
        assert_eq!(
            tier_reached(12_000, 10_000, &TIERS).map(|t| t.percent),
            Some(120)
        );
        // A target of 3: 80 % of 3 is 2.4, so 2 units do not reach it, 3 reach 100 %.
        assert_eq!(tier_reached(2, 3, &TIERS), None);
        assert_eq!(tier_reached(3, 3, &TIERS).map(|t| t.percent), Some(100));
    }

    #[test]
    fn next_tier_is_the_lowest_not_reached() {
        assert_eq!(next_tier(0, 100, &TIERS).map(|t| t.percent), Some(80));
        assert_eq!(next_tier(85, 100, &TIERS).map(|t| t.percent), Some(100));
        assert_eq!(next_tier(130, 100, &TIERS), None);
    }

    #[test]
    fn growth_targets_round_up_and_keep_the_floor() {
        assert_eq!(growth_target(100, 110, 5), 110);
        assert_eq!(growth_target(101, 110, 5), 112); // 111.1 → 112
        assert_eq!(growth_target(0, 110, 5), 5);
        assert_eq!(growth_target(3, 110, 5), 5);
        assert_eq!(growth_target(-4, 110, 5), 5);
    }

    #[test]
    fn percent_is_rounded_down_and_safe() {
        assert_eq!(percent_of(2, 3), 66);
        assert_eq!(percent_of(5, 0), 0);
        assert_eq!(percent_of(-5, 10), 0);
        assert_eq!(percent_of(i64::MAX, 1), i64::MAX);
    }

    #[test]
    fn the_clock_moves_the_status() {
        let at = |d| Utc.with_ymd_and_hms(2026, 12, d, 0, 0, 0).unwrap();
        let p = |now| phase(now, at(10), at(20), at(27));
        assert_eq!(p(at(9)), ChallengeStatus::Scheduled);
        assert_eq!(p(at(10)), ChallengeStatus::Active);
        assert_eq!(p(at(20)), ChallengeStatus::Closed);
        assert_eq!(p(at(26)), ChallengeStatus::Closed);
        assert_eq!(p(at(27)), ChallengeStatus::Awarded);
    }

    #[test]
    fn the_highest_multiplier_wins() {
        let m = strongest([Multiplier(1500), Multiplier(2000), Multiplier(1200)]);
        assert_eq!(m, Some(Multiplier(2000)));
        assert_eq!(strongest([]), None);
    }

    #[test]
    fn lines_count_units_or_revenue() {
        assert_eq!(line_amount(Objective::Units, 3, 1999), 3);
        assert_eq!(line_amount(Objective::Revenue, 3, 1999), 5997);
        assert_eq!(line_amount(Objective::Declarations, 3, 1999), 0);
    }
}
