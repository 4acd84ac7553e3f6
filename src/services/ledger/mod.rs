//! The points ledger: the one service through which every point moves.
//!
//! Every movement is an append-only transaction of postings that sum to zero, carrying an
//! idempotency key unique per tenant: the same key with the same parameters returns the
//! original transaction and does nothing more; with other parameters it is refused.
//! Debits are guarded by one conditional UPDATE of the participant's cached balance, which
//! also serialises all movements of that participant (lock order: hold, balance, lots).
//! A hold is resolved (captured or released) at most once.

mod expiry;
mod ops;
mod post;
mod reports;
mod reverse;
mod verify;

use chrono::{DateTime, Utc};

pub use expiry::{expire_due, ExpiryRun};
pub use ops::{adjust, capture, earn, hold, release, set_expiry_policy};
pub use reports::{
    balance, liability, liability_value, statement, Balance, Liability, Period, Statement,
    StatementLine, EXPIRING_WINDOW,
};
pub use reverse::reverse;
pub use verify::{verify, Verification, Violation};

use crate::db::ledger::LedgerTransaction;
use crate::domain::ledger::{Cause, HoldId, TransactionId};
use crate::domain::UserId;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("insufficient points")]
    InsufficientPoints,
    #[error("idempotency key already used with other parameters")]
    IdempotencyConflict,
    #[error("hold already captured or released")]
    HoldAlreadyResolved,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the amount must be positive (non-zero for an adjustment) and at most 10^12")]
    InvalidAmount,
    #[error("an idempotency key has 1 to 200 bytes")]
    InvalidKey,
    #[error("points expire after 1 to 120 months, or never")]
    InvalidPolicy,
    #[error("this kind of transaction cannot be reversed")]
    NotReversible,
    #[error("transaction already reversed")]
    AlreadyReversed,
    #[error("not found")]
    NotFound,
    /// The ledger contradicts itself: a bug or a hand edit (run `relais ledger verify`).
    #[error("ledger invariant broken: {0}")]
    Invariant(String),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl From<LedgerError> for crate::error::AppError {
    fn from(e: LedgerError) -> Self {
        use crate::error::AppError;
        match e {
            LedgerError::InsufficientPoints
            | LedgerError::IdempotencyConflict
            | LedgerError::HoldAlreadyResolved
            | LedgerError::AlreadyReversed => AppError::Conflict(e.to_string()),
            LedgerError::ReasonRequired
            | LedgerError::InvalidAmount
            | LedgerError::InvalidKey
            | LedgerError::InvalidPolicy
            | LedgerError::NotReversible => AppError::BadRequest(e.to_string()),
            LedgerError::NotFound => AppError::NotFound,
            LedgerError::Invariant(_) => AppError::internal(e),
            LedgerError::Db(e) => e.into(),
        }
    }
}

/// What every movement carries besides its amount: the caller's idempotency key, why,
/// who, and when (the caller's clock, so that jobs and imports can date movements).
#[derive(Debug, Clone, Copy)]
pub struct Meta<'a> {
    pub idempotency_key: &'a str,
    pub cause: Option<Cause>,
    pub reason: &'a str,
    pub author: Option<UserId>,
    pub at: DateTime<Utc>,
}

impl<'a> Meta<'a> {
    pub fn new(idempotency_key: &'a str, at: DateTime<Utc>) -> Self {
        Self {
            idempotency_key,
            cause: None,
            reason: "",
            author: None,
            at,
        }
    }

    pub fn cause(self, cause: Cause) -> Self {
        Self {
            cause: Some(cause),
            ..self
        }
    }

    pub fn reason(self, reason: &'a str) -> Self {
        Self { reason, ..self }
    }

    pub fn author(self, author: UserId) -> Self {
        Self {
            author: Some(author),
            ..self
        }
    }
}

/// A movement's transaction; `replayed` when the key had been used with the same
/// parameters, so that nothing was done this time.
#[derive(Debug, Clone)]
pub struct Posted {
    pub transaction: LedgerTransaction,
    pub replayed: bool,
}

impl Posted {
    pub fn id(&self) -> TransactionId {
        self.transaction.id
    }

    /// The hold placed by a `hold` (its id is the transaction's).
    pub fn hold_id(&self) -> HoldId {
        HoldId::placed_by(self.transaction.id)
    }
}
