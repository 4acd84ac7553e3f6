//! Use cases. Each public function takes `&mut PgConnection`, owns one transaction and
//! returns a typed error; none of them sees an HTTP request.

pub mod accounts;
pub mod analytics;
pub mod analytics_roi;
pub mod api_keys;
pub mod audit;
pub mod badges;
pub mod catalog;
pub mod challenges;
pub mod declarations;
pub mod demo;
pub mod demo_challenges;
pub mod demo_missions;
pub mod demo_news;
pub mod demo_notifications;
pub mod demo_points;
pub mod demo_rewards;
pub mod demo_sales;
pub mod demo_scale;
pub mod demo_tiers;
pub mod demo_webhooks;
pub mod email;
pub mod gdpr;
pub mod home;
pub mod imports;
pub mod integration;
pub mod integration_progress;
pub mod invitations;
pub mod jobs;
pub mod leaderboard;
pub mod ledger;
pub mod missions;
pub mod news;
pub mod notifications;
pub mod once;
pub mod partners;
pub mod passwords;
pub mod points;
pub mod products;
pub mod profile;
pub mod regional;
pub mod rewards;
pub mod segments;
pub mod stock;
pub mod storage;
pub mod tenants;
pub mod tiers;
pub mod webhooks;

use std::collections::BTreeMap;

use crate::domain::values::ErrorKey;

/// Field name → translation key of what is wrong with it. Rendered next to the field.
pub type FieldErrors = BTreeMap<&'static str, ErrorKey>;

/// A use case refused its input (shown to the user) or failed (logged, 500).
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl ServiceError {
    pub fn field(field: &'static str, key: ErrorKey) -> Self {
        Self::Invalid(BTreeMap::from([(field, key)]))
    }
}

impl From<ServiceError> for crate::error::AppError {
    fn from(e: ServiceError) -> Self {
        use crate::error::AppError;
        match e {
            ServiceError::Invalid(errors) => AppError::BadRequest(format!("{errors:?}")),
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Db(diesel::result::Error::NotFound) => AppError::NotFound,
            ServiceError::Db(e) => AppError::internal(e),
            ServiceError::Other(e) => AppError::Internal(e),
        }
    }
}

/// The rows before page `page` (counted from 1) of a list: never overflows, whatever
/// the page number.
pub fn page_offset(page: i64, per_page: i64) -> i64 {
    page.max(1)
        .saturating_sub(1)
        .saturating_mul(per_page.max(0))
}

/// Whether a database error is the violation of the named unique constraint.
pub fn is_unique_violation(e: &diesel::result::Error, constraint: &str) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(
        diesel::result::DatabaseErrorKind::UniqueViolation, info)
        if info.constraint_name() == Some(constraint))
}
