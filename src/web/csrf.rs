//! CSRF protection for every state-changing request: a per-session random token that
//! each form carries (`csrf_token` field, or `?csrf_token=` on multipart forms, or the
//! `X-CSRF-Token` header) and that this middleware checks before any handler runs.

use actix_session::{Session, SessionExt};
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

use crate::error::AppError;

const SESSION_KEY: &str = "csrf";
pub const FIELD: &str = "csrf_token";

/// The session's token, created on first use.
pub fn token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session.get::<String>(SESSION_KEY)? {
        return Ok(t);
    }
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let t = hex::encode(bytes);
    session.insert(SESSION_KEY, &t)?;
    Ok(t)
}

/// A new token, e.g. after login (the session's privilege changed).
pub fn rotate(session: &Session) -> Result<(), AppError> {
    session.remove(SESSION_KEY);
    token(session).map(|_| ())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn find_field(encoded: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(encoded)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

pub async fn protect(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.path().starts_with("/api/") {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let expected = req.get_session().get::<String>(SESSION_KEY).ok().flatten();
    let mut provided = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| find_field(req.query_string().as_bytes()));
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if provided.is_none() && is_form {
        // Read the form, look for the token, then hand the same bytes to the handler.
        let body = req.extract::<Bytes>().await?;
        provided = find_field(&body);
        req.set_payload(Payload::from(body));
    }
    match (expected, provided) {
        (Some(e), Some(p)) if constant_time_eq(e.as_bytes(), p.as_bytes()) => {
            Ok(next.call(req).await?.map_into_boxed_body())
        }
        _ => {
            tracing::warn!(
                path = req.path(),
                "refused a request without a valid CSRF token"
            );
            Ok(req.error_response(AppError::Csrf))
        }
    }
}
