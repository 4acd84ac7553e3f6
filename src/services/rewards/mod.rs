//! The reward catalog and its orders.
//!
//! - `catalog`: rewards as a catalog entity (form, CSV import and export), their images,
//!   segments, category order and e-voucher code pools.
//! - `redeem`: a participant orders (points held, stock reserved, one transaction) and
//!   may cancel while the order waits.
//! - `review`: admins approve (points captured, codes given) or reject; bulk approval;
//!   the tenant's auto-approval rule.
//! - `fulfil`: per line, processing → shipped → delivered, or refunded; tracking numbers
//!   imported from a file.
//! - `views`: what the pages show; `listing`: pages of orders for the integration API.
//!
//! Lock order (no cycle with the ledger or challenges): an order's row, then the
//! participant's balance (the ledger), then the reward's stock, then voucher codes.
//! A redemption, whose order does not exist yet, starts at the balance.

pub mod catalog;
pub mod fulfil;
pub mod listing;
pub mod notify;
pub mod redeem;
pub mod review;
pub mod views;

use crate::domain::values::ErrorKey;
use crate::services::ledger::LedgerError;
use crate::services::{FieldErrors, ServiceError};

#[derive(Debug, thiserror::Error)]
pub enum RewardError {
    /// Input refused field by field; nothing was written.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// Not there, or not for this user: a 404.
    #[error("not found")]
    NotFound,
    /// Refused as a whole for the reason the page states; nothing was written.
    #[error("refused: {0}")]
    Refused(ErrorKey),
    #[error(transparent)]
    Ledger(LedgerError),
    #[error(transparent)]
    Db(diesel::result::Error),
    #[error(transparent)]
    Other(anyhow::Error),
}

impl RewardError {
    pub fn field(field: &'static str, key: ErrorKey) -> Self {
        Self::Invalid(FieldErrors::from([(field, key)]))
    }
}

impl From<diesel::result::Error> for RewardError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => RewardError::NotFound,
            other => RewardError::Db(other),
        }
    }
}

impl From<LedgerError> for RewardError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Db(e) => e.into(),
            LedgerError::NotFound => RewardError::NotFound,
            other => RewardError::Ledger(other),
        }
    }
}

impl From<ServiceError> for RewardError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(errors) => RewardError::Invalid(errors),
            ServiceError::NotFound => RewardError::NotFound,
            ServiceError::Db(e) => e.into(),
            ServiceError::Other(e) => RewardError::Other(e),
        }
    }
}

impl From<RewardError> for ServiceError {
    fn from(e: RewardError) -> Self {
        match e {
            RewardError::Invalid(errors) => ServiceError::Invalid(errors),
            RewardError::NotFound => ServiceError::NotFound,
            RewardError::Db(e) => ServiceError::Db(e),
            RewardError::Other(e) => ServiceError::Other(e),
            other => ServiceError::Other(anyhow::anyhow!("{other}")),
        }
    }
}

impl From<RewardError> for crate::error::AppError {
    fn from(e: RewardError) -> Self {
        use crate::error::AppError;
        match e {
            RewardError::Invalid(errors) => AppError::BadRequest(format!("{errors:?}")),
            RewardError::NotFound => AppError::NotFound,
            RewardError::Refused(key) => AppError::Conflict(key.to_string()),
            RewardError::Ledger(e) => e.into(),
            RewardError::Db(e) => e.into(),
            RewardError::Other(e) => AppError::Internal(e),
        }
    }
}

/// The ledger's idempotency keys of an order's movements.
pub mod keys {
    use crate::domain::{OrderId, OrderLineId, RewardId};

    pub fn hold(order: OrderId, reward: RewardId) -> String {
        format!("order:{order}:reward:{reward}:hold")
    }
    pub fn capture(line: OrderLineId) -> String {
        format!("order-line:{line}:capture")
    }
    pub fn release(line: OrderLineId) -> String {
        format!("order-line:{line}:release")
    }
    pub fn refund(line: OrderLineId) -> String {
        format!("order-line:{line}:refund")
    }
}
