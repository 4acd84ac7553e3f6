//! How forms are read: limits, and the errors of forms refused before their handler
//! runs (too large, incomplete, unreadable, a NUL byte), said plainly on the error page
//! with the field and the limit. Urlencoded forms are also checked in `csrf::protect`,
//! the one place that reads every one of them.

use actix_multipart::form::MultipartFormConfig;
use actix_multipart::MultipartError;
use actix_web::error::{PayloadError, UrlencodedError};
use actix_web::http::StatusCode;
use actix_web::web::FormConfig;
use serde::{Deserialize, Deserializer};

use super::csrf::{nul_refusal, FORM_LIMIT};
use crate::error::{AppError, Refusal};

/// Largest multipart upload (several proofs or a large CSV file). Each form's own files
/// have smaller limits, checked by its service with a message next to the field.
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// A text field of a multipart form: any text but a NUL byte.
#[derive(Debug, Clone, Default)]
pub struct Clean(pub String);

impl<'de> Deserialize<'de> for Clean {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.contains('\0') {
            return Err(serde::de::Error::custom(NUL_MESSAGE));
        }
        Ok(Clean(s))
    }
}

const NUL_MESSAGE: &str = "contains a NUL byte";

/// The text of an optional multipart text field.
pub fn text(t: Option<actix_multipart::form::text::Text<Clean>>) -> String {
    t.map(|t| t.into_inner().0).unwrap_or_default()
}

fn too_large(limit: usize) -> AppError {
    AppError::Refused(
        Refusal::new("error-upload-too-large", StatusCode::PAYLOAD_TOO_LARGE)
            .limit(format!("{} MB", limit / (1024 * 1024))),
    )
}

fn unreadable() -> AppError {
    AppError::Refused(Refusal::new(
        "error-form-unreadable",
        StatusCode::BAD_REQUEST,
    ))
}

pub fn multipart_config() -> MultipartFormConfig {
    MultipartFormConfig::default()
        .total_limit(UPLOAD_LIMIT)
        .memory_limit(1024 * 1024)
        .error_handler(|e, _req| {
            match e {
                MultipartError::Payload(PayloadError::Overflow) => too_large(UPLOAD_LIMIT),
                MultipartError::Field { name, source } => {
                    if source.to_string().contains(NUL_MESSAGE) {
                        nul_refusal(&name)
                    } else if source.to_string().contains("overflow") {
                        too_large(UPLOAD_LIMIT)
                    } else {
                        AppError::Refused(
                            Refusal::new("error-field-unreadable", StatusCode::BAD_REQUEST)
                                .field(name),
                        )
                    }
                }
                MultipartError::MissingField(name) => missing(&name),
                _ => unreadable(),
            }
            .into()
        })
}

fn missing(name: &str) -> AppError {
    AppError::Refused(
        Refusal::new("error-form-field-missing", StatusCode::UNPROCESSABLE_ENTITY).field(name),
    )
}

pub fn form_config() -> FormConfig {
    FormConfig::default()
        .limit(FORM_LIMIT)
        .error_handler(|e, _req| {
            match &e {
                UrlencodedError::Overflow { .. } => AppError::Refused(
                    Refusal::new("error-form-too-large", StatusCode::PAYLOAD_TOO_LARGE)
                        .limit(format!("{} kB", FORM_LIMIT / 1024)),
                ),
                UrlencodedError::Parse(inner) => {
                    // serde names the field: "missing field `reason`".
                    let text = inner.to_string();
                    match text.split('`').nth(1) {
                        Some(field) if text.starts_with("missing field") => missing(field),
                        _ => unreadable(),
                    }
                }
                _ => unreadable(),
            }
            .into()
        })
}

/// The files of a multipart form as uploads (an empty file input still sends a part:
/// it is left out).
pub fn uploads(
    files: Vec<actix_multipart::form::tempfile::TempFile>,
) -> Result<Vec<crate::services::declarations::proofs::ProofUpload>, AppError> {
    files
        .into_iter()
        .filter(|f| f.size > 0)
        .map(|f| {
            let bytes = std::fs::read(f.file.path())
                .map_err(|e| AppError::internal(anyhow::anyhow!("reading an upload: {e}")))?;
            Ok(crate::services::declarations::proofs::ProofUpload {
                file_name: f.file_name.unwrap_or_default(),
                bytes,
            })
        })
        .collect()
}
