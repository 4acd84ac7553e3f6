//! Challenges: marketers set them up (`setup`), approvals and mission completions move
//! the scores in their own transaction (`scoring`, which also gives declaration lines
//! their multiplier), the job queue moves them through their lifecycle and awards them
//! exactly once (`close`), participants and the brand read them (`views`).
//!
//! The rules (tiers, targets, ties, multipliers) are in `domain::challenges`.

pub mod close;
pub mod scoring;
pub mod setup;
pub mod views;

use crate::domain::values::ErrorKey;
use crate::domain::{ChallengeId, UserId};
use crate::services::ledger::LedgerError;
use crate::services::missions::MissionError;
use crate::services::FieldErrors;

/// The job that moves a challenge along (one per instant that matters).
pub const TICK_JOB: &str = "challenge.tick";

#[derive(Debug, thiserror::Error)]
pub enum ChallengeError {
    /// Input refused field by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// Not there, or not for this participant: a 404.
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

impl From<diesel::result::Error> for ChallengeError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => ChallengeError::NotFound,
            other => ChallengeError::Db(other),
        }
    }
}

impl From<LedgerError> for ChallengeError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Db(e) => e.into(),
            other => ChallengeError::Ledger(other),
        }
    }
}

impl From<MissionError> for ChallengeError {
    fn from(e: MissionError) -> Self {
        match e {
            MissionError::Invalid(errors) => ChallengeError::Invalid(errors),
            MissionError::NotFound => ChallengeError::NotFound,
            MissionError::Refused(key) => ChallengeError::Refused(key),
            MissionError::Db(e) => e.into(),
            MissionError::Ledger(e) => e.into(),
            other => ChallengeError::Other(anyhow::anyhow!("{other}")),
        }
    }
}

impl From<crate::services::ServiceError> for ChallengeError {
    fn from(e: crate::services::ServiceError) -> Self {
        use crate::services::ServiceError;
        match e {
            ServiceError::Invalid(errors) => ChallengeError::Invalid(errors),
            ServiceError::NotFound => ChallengeError::NotFound,
            ServiceError::Db(e) => e.into(),
            ServiceError::Other(e) => ChallengeError::Other(e),
        }
    }
}

impl From<ChallengeError> for crate::error::AppError {
    fn from(e: ChallengeError) -> Self {
        use crate::error::AppError;
        match e {
            ChallengeError::Invalid(errors) => AppError::BadRequest(format!("{errors:?}")),
            ChallengeError::NotFound => AppError::NotFound,
            ChallengeError::Refused(key) => AppError::Conflict(key.to_string()),
            ChallengeError::Ledger(e) => e.into(),
            ChallengeError::Db(e) => e.into(),
            ChallengeError::Other(e) => AppError::Internal(e),
        }
    }
}

impl From<ChallengeError> for crate::services::ServiceError {
    fn from(e: ChallengeError) -> Self {
        use crate::services::ServiceError;
        match e {
            ChallengeError::Invalid(errors) => ServiceError::Invalid(errors),
            ChallengeError::NotFound => ServiceError::NotFound,
            ChallengeError::Db(e) => ServiceError::Db(e),
            ChallengeError::Other(e) => ServiceError::Other(e),
            other => ServiceError::Other(anyhow::anyhow!("{other}")),
        }
    }
}

/// The idempotency key of a participant's award.
pub fn award_key(challenge: ChallengeId, participant: UserId) -> String {
    format!("challenge:{challenge}:award:{participant}")
}
