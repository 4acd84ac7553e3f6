//! Points arithmetic and the ledger's rules: kinds of movement, causes, the expiry
//! policy, which lots a debit consumes, request fingerprints. No I/O.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{LotId, Zone};

/// A quantity of points. Never a float; negative only as a signed delta.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Points = Points(0);

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn checked_add(self, other: Points) -> Option<Points> {
        self.0.checked_add(other.0).map(Points)
    }

    pub fn checked_sub(self, other: Points) -> Option<Points> {
        self.0.checked_sub(other.0).map(Points)
    }

    pub fn abs(self) -> Points {
        Points(self.0.saturating_abs())
    }
}

impl std::ops::Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(self.0.saturating_neg())
    }
}

impl std::fmt::Display for Points {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

pub use super::ids::{HoldId, TransactionId};

impl HoldId {
    /// A hold's id is the id of the transaction that placed it.
    pub fn placed_by(transaction: TransactionId) -> HoldId {
        HoldId(transaction.0)
    }
}

vocabulary!(TransactionKind {
    Earn => "earn",
    Adjust => "adjust",
    Hold => "hold",
    Capture => "capture",
    Release => "release",
    Expire => "expire",
    Reversal => "reversal",
});

vocabulary!(CauseType {
    Declaration => "declaration",
    Mission => "mission",
    Challenge => "challenge",
    Redemption => "redemption",
    Manual => "manual",
    Badge => "badge",
});

vocabulary!(AccountKind {
    Available => "available",
    Held => "held",
    Issuance => "issuance",
    Redemption => "redemption",
    Expiry => "expiry",
    Adjustment => "adjustment",
});

impl TransactionKind {
    /// Holds are undone by a release, releases cannot be undone, a reversal is final.
    pub fn is_reversible(self) -> bool {
        matches!(
            self,
            Self::Earn | Self::Adjust | Self::Capture | Self::Expire
        )
    }
}

/// Why points moved: a declaration, a mission … and its id when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    pub kind: CauseType,
    pub id: Option<i64>,
}

/// Points expire `months` after they were earned, or never: points earned on a day (of
/// the tenant's zone) expire when the same day `months` later begins in that zone, so a
/// lot's expiry is a whole day, the same for every point earned that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExpiryPolicy {
    pub months: Option<u32>,
}

impl ExpiryPolicy {
    pub fn expires_at(self, earned_at: DateTime<Utc>, zone: Zone) -> Option<DateTime<Utc>> {
        self.months.and_then(|m| zone.months_later(earned_at, m))
    }
}

/// The largest single movement: far above any programme, far below overflow.
pub const MAX_MOVEMENT: Points = Points(1_000_000_000_000);

/// Whether an amount can be moved: positive and within `MAX_MOVEMENT`.
pub fn valid_amount(amount: Points) -> bool {
    amount.is_positive() && amount <= MAX_MOVEMENT
}

/// An idempotency key: 1 to 200 bytes, as stored.
pub fn valid_idempotency_key(key: &str) -> bool {
    (1..=200).contains(&key.len())
}

/// An adjustment's mandatory reason, trimmed.
pub fn required_reason(reason: &str) -> Option<&str> {
    let r = reason.trim();
    (!r.is_empty()).then_some(r)
}

/// A lot as seen by the consumption rule: its id and what is left of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenLot {
    pub id: LotId,
    pub remaining: Points,
}

/// What a debit takes from each lot: `lots` come in consumption order (soonest expiry
/// first, then oldest), and `preferred` (the lot of the earn being reversed) goes first.
/// `None` when the lots hold less than `amount`.
pub fn plan_consumption(
    lots: &[OpenLot],
    amount: Points,
    preferred: Option<LotId>,
) -> Option<Vec<(LotId, Points)>> {
    let ordered = preferred
        .iter()
        .filter_map(|p| lots.iter().find(|l| l.id == *p))
        .chain(lots.iter().filter(|l| Some(l.id) != preferred));
    let mut left = amount.0;
    let mut plan = Vec::new();
    for lot in ordered {
        if left == 0 {
            break;
        }
        let take = lot.remaining.0.min(left);
        if take > 0 {
            plan.push((lot.id, Points(take)));
            left -= take;
        }
    }
    (left == 0).then_some(plan)
}

/// How much of a due lot expires now: all of it, except points that are held (they may
/// still be captured; if released, the next run expires them).
pub fn expirable(lot_remaining: Points, available: Points) -> Points {
    Points(lot_remaining.0.min(available.0).max(0))
}

/// The idempotency key of the expiry of a lot that has `remaining` points left: each
/// (lot, remaining) pair can expire once, since a lot's remaining only ever decreases.
pub fn expiry_key(lot_id: LotId, remaining: Points) -> String {
    format!("expire:lot:{lot_id}:{remaining}")
}

/// A digest of a request's parameters, so that an idempotency key reused with other
/// parameters is refused rather than silently answered with the first result.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn lot(id: i64, remaining: i64) -> OpenLot {
        OpenLot {
            id: LotId(id),
            remaining: Points(remaining),
        }
    }

    #[test]
    fn consumption_takes_lots_in_order_and_splits_the_last() {
        let lots = [lot(1, 30), lot(2, 50), lot(3, 40)];
        assert_eq!(
            plan_consumption(&lots, Points(60), None),
            Some(vec![(LotId(1), Points(30)), (LotId(2), Points(30))])
        );
        assert_eq!(
            plan_consumption(&lots, Points(120), None).map(|p| p.len()),
            Some(3)
        );
        assert_eq!(plan_consumption(&lots, Points(121), None), None);
        assert_eq!(plan_consumption(&lots, Points(0), None), Some(vec![]));
    }

    #[test]
    fn a_preferred_lot_is_consumed_first() {
        let lots = [lot(1, 30), lot(2, 50)];
        assert_eq!(
            plan_consumption(&lots, Points(60), Some(LotId(2))),
            Some(vec![(LotId(2), Points(50)), (LotId(1), Points(10))])
        );
        // A preferred lot that is empty or gone changes nothing.
        assert_eq!(
            plan_consumption(&lots, Points(10), Some(LotId(9))),
            Some(vec![(LotId(1), Points(10))])
        );
    }

    #[test]
    fn expiry_spares_held_points() {
        assert_eq!(expirable(Points(100), Points(30)), Points(30));
        assert_eq!(expirable(Points(20), Points(30)), Points(20));
        assert_eq!(expirable(Points(20), Points(0)), Points(0));
    }

    #[test]
    fn expiry_policy_adds_calendar_months() {
        let earned = Utc.with_ymd_and_hms(2026, 1, 31, 12, 0, 0).unwrap();
        let policy = ExpiryPolicy { months: Some(1) };
        assert_eq!(
            policy.expires_at(earned, Zone::UTC),
            Some(Utc.with_ymd_and_hms(2026, 2, 28, 0, 0, 0).unwrap())
        );
        // 12:00 UTC is 19:00 in Jakarta: the day there starts at 17:00 UTC the day before.
        let jakarta = Zone::parse("Asia/Jakarta").unwrap();
        assert_eq!(
            policy.expires_at(earned, jakarta),
            Some(Utc.with_ymd_and_hms(2026, 2, 27, 17, 0, 0).unwrap())
        );
        assert_eq!(ExpiryPolicy::default().expires_at(earned, Zone::UTC), None);
    }

    #[test]
    fn kinds_round_trip_through_text() {
        for k in TransactionKind::ALL {
            assert_eq!(TransactionKind::parse(k.as_str()), Some(*k));
        }
        for k in CauseType::ALL {
            assert_eq!(CauseType::parse(k.as_str()), Some(*k));
        }
        assert!(TransactionKind::Earn.is_reversible());
        assert!(!TransactionKind::Hold.is_reversible());
        assert!(!TransactionKind::Reversal.is_reversible());
    }

    #[test]
    fn fingerprints_separate_their_parts() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
    }

    #[test]
    fn amounts_and_keys_are_bounded() {
        assert!(valid_amount(Points(1)));
        assert!(!valid_amount(Points(0)));
        assert!(!valid_amount(Points(-5)));
        assert!(!valid_amount(Points(MAX_MOVEMENT.0 + 1)));
        assert!(valid_idempotency_key("order-1"));
        assert!(!valid_idempotency_key(""));
        assert!(!valid_idempotency_key(&"k".repeat(201)));
    }

    #[test]
    fn reasons_are_trimmed_and_required() {
        assert_eq!(required_reason("  goodwill "), Some("goodwill"));
        assert_eq!(required_reason("   "), None);
    }
}
