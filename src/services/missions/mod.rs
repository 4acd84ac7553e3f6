//! Missions: a marketer sets them up (`setup`, files in `media`), participants do them
//! (`play`; `photo` submissions reviewed by admins, `video` watches), the brand reads
//! what came back (`results`).
//!
//! Points are earned through the ledger exactly once per allowed completion: everything
//! a participant does on a mission runs under a transaction-scoped advisory lock on
//! (mission, participant), the completion's key is unique (`mission_completions_once_key`)
//! and so is the ledger's idempotency key (`earn_key`).

mod eligibility;
pub mod media;
pub mod photo;
mod play;
mod results;
pub(crate) mod setup;
pub mod video;

pub use eligibility::is_eligible;
pub use play::{
    board, start_quiz, submit_quiz, submit_survey, view, AnswerErrors, AnswerInput, Board, Card,
    MissionView, QuizOutcome,
};
pub use results::{export_csv, results, Results};
pub use setup::{
    add_question, delete_question, editor, form, list, move_question, save, set_status, Editor,
    MissionForm, MissionInput, QuestionInput, Rules, StudioRow,
};

use crate::domain::values::ErrorKey;
use crate::domain::{MissionId, UserId};
use crate::services::ledger::LedgerError;
use crate::services::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum MissionError {
    /// Input refused field by field; the form is shown again with these messages.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// Not there, or not for this participant (another segment or tenant): a 404.
    #[error("not found")]
    NotFound,
    /// Refused as a whole for the reason the page states (closed, out of attempts,
    /// already completed, rules locked by publication …); nothing was written.
    #[error("refused: {0}")]
    Refused(ErrorKey),
    /// Answers refused question by question (shown next to each question).
    #[error("invalid answers: {0:?}")]
    Answers(AnswerErrors),
    #[error(transparent)]
    Ledger(LedgerError),
    #[error(transparent)]
    Db(diesel::result::Error),
    #[error(transparent)]
    Other(anyhow::Error),
}

impl MissionError {
    pub fn field(field: &'static str, key: ErrorKey) -> Self {
        Self::Invalid(FieldErrors::from([(field, key)]))
    }
}

impl From<diesel::result::Error> for MissionError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => MissionError::NotFound,
            other => MissionError::Db(other),
        }
    }
}

impl From<LedgerError> for MissionError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Db(e) => e.into(),
            other => MissionError::Ledger(other),
        }
    }
}

impl From<crate::services::ServiceError> for MissionError {
    fn from(e: crate::services::ServiceError) -> Self {
        use crate::services::ServiceError;
        match e {
            ServiceError::Invalid(errors) => MissionError::Invalid(errors),
            ServiceError::NotFound => MissionError::NotFound,
            ServiceError::Db(e) => e.into(),
            ServiceError::Other(e) => MissionError::Other(e),
        }
    }
}

impl From<MissionError> for crate::services::ServiceError {
    fn from(e: MissionError) -> Self {
        use crate::services::ServiceError;
        match e {
            MissionError::Invalid(errors) => ServiceError::Invalid(errors),
            MissionError::NotFound => ServiceError::NotFound,
            MissionError::Db(e) => ServiceError::Db(e),
            MissionError::Other(e) => ServiceError::Other(e),
            other => ServiceError::Other(anyhow::anyhow!("{other}")),
        }
    }
}

impl From<MissionError> for crate::error::AppError {
    fn from(e: MissionError) -> Self {
        use crate::error::AppError;
        match e {
            MissionError::Invalid(errors) => AppError::BadRequest(format!("{errors:?}")),
            MissionError::NotFound => AppError::NotFound,
            MissionError::Refused(key) => AppError::Conflict(key.to_string()),
            MissionError::Answers(errors) => AppError::BadRequest(format!("{errors:?}")),
            MissionError::Ledger(e) => e.into(),
            MissionError::Db(e) => e.into(),
            MissionError::Other(e) => AppError::Internal(e),
        }
    }
}

/// The idempotency key of the points of one completion.
pub fn earn_key(mission: MissionId, participant: UserId, period: &str) -> String {
    format!("mission:{mission}:{participant}:{period}")
}
