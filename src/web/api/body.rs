//! Reading requests: JSON bodies (size-limited, unknown fields refused, the path of a
//! wrong field named), query strings, cursors, and the `Idempotency-Key` header.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use base64::Engine;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::caller::Caller;
use super::error::ApiError;
use crate::services::api_keys::{Answer, Idempotency};

/// The largest body accepted: a batch of 10,000 sell-in lines fits with room to spare.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// The body of a POST, read whole; its errors are kept until the handler has checked
/// the key, so that a stranger learns nothing from how a body is refused.
pub struct ApiBody {
    bytes: Result<Bytes, ApiError>,
    idempotency_key: Option<String>,
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("The body is larger than {} MB.", MAX_BODY / 1024 / 1024),
    )
    .field("body", format!("at most {} bytes", MAX_BODY))
}

impl FromRequest for ApiBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let idempotency_key = req.headers().get("idempotency-key").map(|v| {
            v.to_str()
                .map(str::to_string)
                .unwrap_or_else(|_| "\u{0}".into())
        });
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > MAX_BODY) {
                return Ok(ApiBody {
                    bytes: Err(too_large()),
                    idempotency_key,
                });
            }
            let mut body = BytesMut::new();
            let mut failed = None;
            while let Some(chunk) = payload.next().await {
                match chunk {
                    Ok(chunk) if body.len() + chunk.len() <= MAX_BODY => {
                        body.extend_from_slice(&chunk)
                    }
                    Ok(_) => {
                        failed = Some(too_large());
                        break;
                    }
                    Err(e) => {
                        failed = Some(ApiError::bad_request("body", format!("unreadable: {e}")));
                        break;
                    }
                }
            }
            Ok(ApiBody {
                bytes: failed.map_or(Ok(body.freeze()), Err),
                idempotency_key,
            })
        })
    }
}

/// The path of the first string (or key) holding a NUL character, which Postgres cannot
/// store: refused up front rather than failing in the database.
fn nul_in(value: &serde_json::Value, path: String) -> Option<String> {
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(path),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_in(v, format!("{path}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(k, v)| {
            let here = if path.is_empty() {
                k.replace('\0', "")
            } else {
                format!("{path}.{}", k.replace('\0', ""))
            };
            if k.contains('\0') {
                Some(here)
            } else {
                nul_in(v, here)
            }
        }),
        _ => None,
    }
}

/// A key in the path (code, SKU, e-mail): refused (404, nothing has it) when it could
/// not be stored, rather than reaching the database.
pub fn path_key(raw: String) -> Result<String, ApiError> {
    if raw.is_empty() || raw.len() > 320 || raw.chars().any(char::is_control) {
        return Err(ApiError::not_found());
    }
    Ok(raw)
}

/// serde's message for a missing or unknown field names it: `missing field `sku``.
fn named_field(message: &str) -> Option<&str> {
    if message.starts_with("missing field") || message.starts_with("unknown field") {
        message.split('`').nth(1)
    } else {
        None
    }
}

impl ApiBody {
    /// The body as `T`, and a hash of its JSON (key order and spacing aside).
    pub fn json<T: DeserializeOwned>(&self) -> Result<(T, String), ApiError> {
        let bytes = self.bytes.as_ref().map_err(Clone::clone)?;
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                "The body is not valid JSON.",
            )
            .field("body", e.to_string())
        })?;
        if let Some(path) = nul_in(&value, String::new()) {
            let field = if path.is_empty() { "body".into() } else { path };
            return Err(ApiError::invalid().field(field, "text may not contain NUL characters"));
        }
        let canonical = serde_json::to_vec(&value).map_err(ApiError::internal)?;
        let hash = hex::encode(Sha256::digest(&canonical));
        let parsed = serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
            let message = e.inner().to_string();
            let mut path = e.path().to_string();
            if let Some(name) = named_field(&message) {
                if !path.ends_with(name) {
                    path = if path == "." {
                        name.to_string()
                    } else {
                        format!("{path}.{name}")
                    };
                }
            }
            if path == "." {
                path = "body".into();
            }
            ApiError::invalid().field(path, message)
        })?;
        Ok((parsed, hash))
    }

    /// The request's `Idempotency-Key`, if sent: 1 to 255 visible ASCII characters.
    pub fn idempotency(
        &self,
        caller: &Caller,
        request_sha256: &str,
    ) -> Result<Option<Idempotency>, ApiError> {
        let Some(key) = &self.idempotency_key else {
            return Ok(None);
        };
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiError::bad_request(
                "Idempotency-Key",
                "1 to 255 visible ASCII characters",
            ));
        }
        Ok(Some(Idempotency {
            api_key: caller.key.id,
            key: key.clone(),
            request_sha256: request_sha256.to_string(),
        }))
    }
}

impl Clone for ApiError {
    fn clone(&self) -> Self {
        let mut e = ApiError::new(self.status, self.code, self.message.clone());
        e.fields = self.fields.clone();
        e.retry_after = self.retry_after;
        e
    }
}

/// The response to an idempotent POST (`Idempotent-Replayed: true` on a replay).
pub fn answer(answer: Answer) -> HttpResponse {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    if answer.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    response.json(answer.body)
}

/// Maps the idempotent wrapper's refusal of a reused key to a 422.
pub fn idempotent_error<E: Into<ApiError>>(
    e: crate::services::api_keys::IdempotentError<E>,
) -> ApiError {
    match e {
        crate::services::api_keys::IdempotentError::Mismatch => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "This Idempotency-Key was used with a different request.",
        )
        .field("Idempotency-Key", "already used with another body"),
        crate::services::api_keys::IdempotentError::Effect(e) => e.into(),
    }
}

/// A query string as `T` (unknown parameters refused), read after the key is checked.
pub fn query<T: DeserializeOwned>(req: &HttpRequest) -> Result<T, ApiError> {
    serde_urlencoded::from_str::<T>(req.query_string()).map_err(|e| {
        let message = e.to_string();
        let field = named_field(&message).unwrap_or("query").to_string();
        ApiError::bad_request(&field, message)
    })
}

/// Most rows in a page, and the default.
pub const MAX_LIMIT: i64 = 200;
pub const DEFAULT_LIMIT: i64 = 50;

/// `limit` checked, and the id to continue after from an opaque `cursor`.
pub fn page(cursor: Option<&str>, limit: Option<i64>) -> Result<(i64, i64), ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "limit",
            format!("between 1 and {MAX_LIMIT}"),
        ));
    }
    let after = match cursor {
        None => 0,
        Some(c) => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(c)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("after:").and_then(|n| n.parse::<i64>().ok()))
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::bad_request("cursor", "not a cursor this API gave"))?,
    };
    Ok((after, limit))
}

/// The opaque cursor of the page after the row `id`.
pub fn cursor(after: Option<i64>) -> Option<String> {
    after.map(|id| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("after:{id}")))
}
