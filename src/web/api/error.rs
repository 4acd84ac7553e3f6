//! The one shape of every API failure:
//! `{"error": {"code", "message", "fields": [{"field", "message"}]}}`, in English (the
//! readers are integrators), with field names as the request spells them
//! (`lines[3].quantity`).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Locale;
use crate::i18n::{tr, tr_args};
use crate::services::declarations::DeclarationError;
use crate::services::imports::ImportError;
use crate::services::{FieldErrors, ServiceError};

/// What is wrong with one field of the request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, as a path into the request (`lines[3].quantity`), a query parameter or
    /// a header.
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `malformed_json`, `invalid`, `unauthorized`,
    /// `insufficient_scope`, `not_found`, `conflict`, `idempotency_key_reused`,
    /// `payload_too_large`, `rate_limited`, `unavailable`, `internal`.
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// Every failure of the API answers this body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// Seconds to wait (429).
    pub retry_after: Option<u64>,
    /// The cause of a 500, for the log only.
    cause: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: vec![],
            retry_after: None,
            cause: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.fields.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
        self
    }

    pub fn bad_request(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message.clone()).field(field, message)
    }

    pub fn invalid() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "Some fields are invalid.",
        )
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Send a valid, unrevoked API key of this tenant as `Authorization: Bearer <key>`.",
        )
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Nothing was found here.",
        )
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "The request failed on our side; it may be retried.",
        );
        e.cause = Some(cause.to_string());
        e
    }

    /// Field errors of a use case (translation keys), under `prefix` (`""` or `lines[2].`).
    fn push_keys(&mut self, prefix: &str, errors: &FieldErrors, rename: &dyn Fn(&str) -> String) {
        for (field, key) in errors {
            self.fields.push(FieldError {
                field: format!("{prefix}{}", rename(field)),
                message: tr(Locale::En, key),
            });
        }
    }

    /// A refused import of the rows of `list` (each error names its row by index).
    pub fn from_import(e: ImportError, list: &str) -> Self {
        match e {
            ImportError::Failed(e) => e.into(),
            ImportError::Refused(refusal) => {
                let mut out = Self::invalid();
                for r in refusal.errors {
                    let field = match (r.line, r.column) {
                        (Some(line), Some(column)) => format!("{list}[{line}].{column}"),
                        (Some(line), None) => format!("{list}[{line}]"),
                        _ => list.to_string(),
                    };
                    let line = r
                        .other_line
                        .map_or(String::new(), |l| format!("{list}[{l}]"));
                    let message = tr_args(
                        Locale::En,
                        r.key,
                        &[("value", r.value.into()), ("line", line.into())],
                    );
                    out = out.field(field, message);
                }
                if refusal.more > 0 {
                    out.message = format!(
                        "Some fields are invalid ({} more not listed).",
                        refusal.more
                    );
                }
                out
            }
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(errors) => {
                let mut out = Self::invalid();
                out.push_keys("", &errors, &|f| f.to_string());
                out
            }
            ServiceError::NotFound | ServiceError::Db(diesel::result::Error::NotFound) => {
                Self::not_found()
            }
            ServiceError::Db(e) => Self::internal(e),
            ServiceError::Other(e) => Self::internal(format!("{e:#}")),
        }
    }
}

impl From<DeclarationError> for ApiError {
    fn from(e: DeclarationError) -> Self {
        match e {
            DeclarationError::Invalid(errors) => {
                let mut out = Self::invalid();
                // The form's `product` is the API's `sku`.
                let rename = |f: &str| {
                    if f == "product" {
                        "sku".into()
                    } else {
                        f.to_string()
                    }
                };
                out.push_keys("", &errors.fields, &rename);
                for (i, line) in errors.lines.iter().enumerate() {
                    out.push_keys(&format!("lines[{i}]."), line, &rename);
                }
                out
            }
            DeclarationError::NotFound => Self::not_found(),
            DeclarationError::NoPartner => Self::invalid().field(
                "participant_email",
                tr(Locale::En, "error-api-participant-unknown"),
            ),
            DeclarationError::Db(e) => ServiceError::Db(e).into(),
            other => Self::new(StatusCode::CONFLICT, "conflict", other.to_string()),
        }
    }
}

impl<E: Into<ApiError>> From<crate::db::RunError<E>> for ApiError {
    fn from(e: crate::db::RunError<E>) -> Self {
        match e {
            crate::db::RunError::Pool(e) => {
                tracing::warn!(error = %e, "database pool exhausted");
                let mut out = Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The service is busy; retry in a moment.",
                );
                out.retry_after = Some(1);
                out
            }
            crate::db::RunError::Cancelled => Self::internal("the database task was cancelled"),
            crate::db::RunError::Failed(e) => e.into(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(cause) = &self.cause {
            tracing::error!(error = %cause, "API request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message.clone(),
                fields: self.fields.clone(),
            },
        };
        let mut response = HttpResponse::build(self.status);
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(body)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ServiceError::Db(e).into()
    }
}
