//! One error type for the web layer. Services return their own `thiserror` enums that
//! convert into it. The response body is a placeholder: `web::errors` renders the
//! branded page for every error status.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("no tenant answers at this host")]
    UnknownHost,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid or missing CSRF token")]
    Csrf,
    #[error("login required")]
    LoginRequired { next: String },
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// Input refused before a handler could show it on its form (too large, incomplete,
    /// a NUL byte): the error page says what was wrong and what the limit is.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What the error page says about refused input: a translation key and its arguments.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Refusal {
    pub key: &'static str,
    pub field: String,
    pub limit: String,
    #[serde(skip)]
    pub status: StatusCode,
}

impl Refusal {
    pub fn new(key: &'static str, status: StatusCode) -> Self {
        Self {
            key,
            field: String::new(),
            limit: String::new(),
            status,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub fn limit(mut self, limit: impl Into<String>) -> Self {
        self.limit = limit.into();
        self
    }
}

impl AppError {
    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        Self::Internal(e.into())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => Self::NotFound,
            other => Self::Internal(other.into()),
        }
    }
}

impl<E: Into<AppError>> From<crate::db::RunError<E>> for AppError {
    fn from(e: crate::db::RunError<E>) -> Self {
        match e {
            crate::db::RunError::Pool(e) => Self::Unavailable(format!("database pool: {e}")),
            crate::db::RunError::Cancelled => {
                Self::Internal(anyhow::anyhow!("the database task was cancelled"))
            }
            crate::db::RunError::Failed(e) => e.into(),
        }
    }
}

impl From<tera::Error> for AppError {
    fn from(e: tera::Error) -> Self {
        Self::Internal(e.into())
    }
}

impl From<actix_session::SessionInsertError> for AppError {
    fn from(e: actix_session::SessionInsertError) -> Self {
        Self::Internal(anyhow::anyhow!("session: {e}"))
    }
}

impl From<actix_session::SessionGetError> for AppError {
    fn from(e: actix_session::SessionGetError) -> Self {
        Self::Internal(anyhow::anyhow!("session: {e}"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound | Self::UnknownHost => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::LoginRequired { .. } => StatusCode::SEE_OTHER,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Refused(r) => r.status,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::LoginRequired { next } => {
                let location = format!("/login?next={}", crate::web::urlencode(next));
                HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, location))
                    .finish()
            }
            Self::Internal(e) => {
                // The cause chain goes to the log, never to the page.
                tracing::error!(error = ?e, "internal error");
                HttpResponse::InternalServerError().finish()
            }
            Self::Refused(refusal) => {
                tracing::info!(key = refusal.key, field = %refusal.field, "input refused");
                let mut response = HttpResponse::build(self.status_code()).finish();
                // The error page (web::errors) reads it to say what was wrong.
                response.extensions_mut().insert(refusal.clone());
                response
            }
            other => {
                if let Self::UnknownHost = other {
                    tracing::info!("request for an unknown host");
                }
                HttpResponse::build(self.status_code()).finish()
            }
        }
    }
}
