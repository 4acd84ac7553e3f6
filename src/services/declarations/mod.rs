//! Sell-out declarations: a participant declares (checked, flagged, maybe approved at
//! once), a reviewer approves or rejects, points follow through the ledger with the
//! declaration as cause and idempotency key. Each use case owns its transaction.

mod declare;
mod notify;
pub mod proofs;
mod review;
mod rules;
mod validate;
mod views;

pub use declare::{declare, declare_from, preview, Declared, Preview};
pub(crate) use declare::{record_declaration, Record};
pub use review::{approve, bulk_approve, reject, withdraw, BulkOutcome};
pub use rules::{rules, update_rules, RulesInput};
pub use validate::{
    multipliers, DeclarationErrors, DeclarationInput, LineInput, ValidDeclaration, ValidLine,
    MAX_LINES,
};
pub use views::{
    detail_for_participant, detail_for_reviewer, form_products, list_own, proof, queue, Detail,
    OwnList, QueuePage, ReviewDetail,
};

use crate::domain::values::ErrorKey;
use crate::domain::DeclarationId;
use crate::services::ledger::LedgerError;

#[derive(Debug, thiserror::Error)]
pub enum DeclarationError {
    /// The input was refused; the form is shown again with these messages.
    #[error("invalid declaration: {0:?}")]
    Invalid(Box<DeclarationErrors>),
    #[error("not found")]
    NotFound,
    /// Only participants of a partner declare sales.
    #[error("the user belongs to no partner")]
    NoPartner,
    #[error("the declaration was already decided")]
    AlreadyDecided,
    /// Decided by someone else since the reviewer opened it: nothing was changed.
    #[error("the declaration changed since it was shown")]
    Changed,
    /// A reviewer who also declares sales cannot approve their own.
    #[error("a reviewer cannot approve their own declaration")]
    OwnDeclaration,
    /// Rejecting an approved declaration takes its points back: refused when the
    /// participant no longer has them.
    #[error("the participant has already spent these points")]
    PointsSpent,
    #[error(transparent)]
    Ledger(LedgerError),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl DeclarationError {
    pub fn field(field: &'static str, key: ErrorKey) -> Self {
        let mut errors = DeclarationErrors::default();
        errors.fields.insert(field, key);
        DeclarationError::Invalid(Box::new(errors))
    }
}

impl From<LedgerError> for DeclarationError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::InsufficientPoints => DeclarationError::PointsSpent,
            LedgerError::Db(e) => DeclarationError::Db(e),
            other => DeclarationError::Ledger(other),
        }
    }
}

impl From<DeclarationError> for crate::error::AppError {
    fn from(e: DeclarationError) -> Self {
        use crate::error::AppError;
        match e {
            DeclarationError::Invalid(errors) => AppError::BadRequest(format!("{errors:?}")),
            DeclarationError::NotFound => AppError::NotFound,
            DeclarationError::NoPartner | DeclarationError::OwnDeclaration => AppError::Forbidden,
            DeclarationError::AlreadyDecided
            | DeclarationError::Changed
            | DeclarationError::PointsSpent => AppError::Conflict(e.to_string()),
            DeclarationError::Ledger(e) => e.into(),
            DeclarationError::Db(e) => e.into(),
        }
    }
}

impl From<DeclarationError> for crate::services::ServiceError {
    fn from(e: DeclarationError) -> Self {
        use crate::services::ServiceError;
        match e {
            DeclarationError::NotFound => ServiceError::NotFound,
            DeclarationError::Db(e) => ServiceError::Db(e),
            other => ServiceError::Other(anyhow::anyhow!("{other}")),
        }
    }
}

/// The idempotency key of the points earned by approving a declaration.
pub fn earn_key(id: DeclarationId) -> String {
    format!("declaration:{id}")
}

/// The idempotency key of the reversal of those points.
pub fn reversal_key(id: DeclarationId) -> String {
    format!("declaration:{id}:reversal")
}
