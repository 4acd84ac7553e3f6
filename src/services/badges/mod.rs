//! Badges: built-in rules evaluated in the transaction of the event that may earn them
//! (a declaration approved, a mission completed, a challenge awarded), each awarded at
//! most once per participant (`badge_awards`' primary key and `INSERT … ON CONFLICT DO
//! NOTHING`); only the insert that happened earns the badge's points (ledger key
//! `badge:{user}:{rule}`) and queues its e-mail.
//!
//! Counting rules (10 / 50 / 100 declarations, streaks, a month's missions) read rows
//! that concurrent transactions of the same participant are writing; so evaluation first
//! locks the participant's ledger balance row (the lock every movement of theirs takes,
//! in the ledger's own order), and from then on sees every approval committed before.
//!
//! Rules, as decided:
//! - first declaration / 10 / 50 / 100: that many of the participant's declarations are
//!   approved now (a later reversal does not take a badge back);
//! - month's missions: for a calendar month of the tenant's zone, every mission that is
//!   not a draft, whose whole window `[starts, ends)` lies in that month and that the
//!   participant may do (segments), has at least one completion by them; evaluated when
//!   one of those missions is completed (missions added later do not take it back);
//! - podium: rank 1 to 3 with a result above zero in an awarded challenge (for a
//!   partners' challenge, every participant of a partner on the podium);
//! - streak: N consecutive ISO weeks (N per tenant, 4 by default) each holding the sale
//!   date of one of the participant's approved declarations (sale dates are days of the
//!   tenant's zone already).

mod award;
mod backfill;
pub mod settings;

pub use award::{challenge_awarded, declaration_approved, mission_completed};
pub use backfill::backfill;
pub use settings::{catalog, page_for, recent_for, update, Badge, BadgeCard, BadgesPage};

/// The ledger's idempotency key of a badge's points.
pub fn earn_key(user: crate::domain::UserId, rule: crate::domain::badges::BadgeRule) -> String {
    format!("badge:{user}:{}", rule.as_str())
}

pub const EARNED_EMAIL: &str = "badge_earned";
