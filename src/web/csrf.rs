//! CSRF protection for every state-changing request: a per-session random token that
//! each form carries (`csrf_token` field — the first field of multipart forms — or the
//! `X-CSRF-Token` header) and that this middleware checks before any handler runs. It
//! is also the one place where every urlencoded form is read before its handler, so it
//! refuses NUL bytes and oversized forms for all of them.

use actix_session::{Session, SessionExt};
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use futures_util::StreamExt;

use crate::error::{AppError, Refusal};

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

/// The largest urlencoded form accepted (far above any form's fields; text fields have
/// their own limits in the services).
pub const FORM_LIMIT: usize = 1024 * 1024;

/// Reads an urlencoded form once: its token, and the first field holding a NUL byte
/// (Postgres cannot store one; refused here for every form, before any handler).
fn read_form(encoded: &[u8]) -> Result<Option<String>, AppError> {
    let fields = serde_urlencoded::from_bytes::<Vec<(String, String)>>(encoded).map_err(|_| {
        AppError::Refused(Refusal::new(
            "error-form-unreadable",
            StatusCode::BAD_REQUEST,
        ))
    })?;
    if let Some((name, _)) = fields
        .iter()
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        return Err(nul_refusal(name));
    }
    Ok(fields.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v))
}

pub fn nul_refusal(field: &str) -> AppError {
    AppError::Refused(
        Refusal::new("error-field-nul", StatusCode::UNPROCESSABLE_ENTITY)
            .field(field.replace('\0', "")),
    )
}

/// The token of a multipart form, which must be its first field. Only that first part is
/// read (a few kilobytes at most); the bytes read are handed on to the handler with the
/// rest of the stream, so uploads are never buffered here.
async fn multipart_token(
    req: &mut ServiceRequest,
    content_type: &str,
) -> Result<Option<String>, AppError> {
    let Some(boundary) = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| format!("\r\n--{}", b.trim_matches('"')))
    else {
        return Ok(None);
    };
    let mut payload = req.parts_mut().1.take();
    let mut head = BytesMut::new();
    let mut token = None;
    while head.len() < 16 * 1024 {
        match payload.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(e)) => return Err(AppError::BadRequest(format!("upload: {e}"))),
            None => break,
        }
        // "--boundary\r\nheaders\r\n\r\nvalue\r\n--boundary"
        let Some(body_at) = find(&head, b"\r\n\r\n") else {
            continue;
        };
        let Some(end) = find(&head[body_at + 4..], boundary.as_bytes()) else {
            continue;
        };
        let headers = String::from_utf8_lossy(&head[..body_at]).to_ascii_lowercase();
        if headers.contains(&format!("name=\"{FIELD}\"")) {
            token =
                Some(String::from_utf8_lossy(&head[body_at + 4..body_at + 4 + end]).into_owned());
        }
        break;
    }
    let read = futures_util::stream::once(async move {
        Ok::<_, actix_web::error::PayloadError>(head.freeze())
    });
    req.set_payload(Payload::Stream {
        payload: Box::pin(read.chain(payload)),
    });
    Ok(token)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Refuses any unsafe request without the session's token, and any urlencoded form with
/// a NUL byte; hands the request on otherwise.
pub async fn protect(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // The one-click unsubscribe (RFC 8058) is posted by mail clients without a session
    // or token: its signed link is the proof, and it can only turn off the e-mails of
    // the person it was sent to (see `web::notifications`).
    let one_click = req.path().starts_with("/unsubscribe/");
    if safe || one_click || req.path().starts_with("/api/") {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let expected = req.get_session().get::<String>(SESSION_KEY).ok().flatten();
    let header_token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let provided = if content_type.starts_with("application/x-www-form-urlencoded") {
        // Read the form, check it, then hand the same bytes to the handler.
        let body = match read_body(&mut req).await {
            Ok(body) => body,
            Err(e) => return Ok(req.error_response(e).map_into_boxed_body()),
        };
        let found = read_form(&body);
        req.set_payload(Payload::from(body));
        match found {
            Ok(token) => header_token.or(token),
            Err(e) => return Ok(req.error_response(e).map_into_boxed_body()),
        }
    } else if content_type.starts_with("multipart/form-data") && header_token.is_none() {
        match multipart_token(&mut req, &content_type).await {
            Ok(token) => token,
            Err(e) => return Ok(req.error_response(e).map_into_boxed_body()),
        }
    } else {
        header_token
    };
    match (expected, provided) {
        (Some(e), Some(p)) if constant_time_eq(e.as_bytes(), p.as_bytes()) => {
            Ok(next.call(req).await?.map_into_boxed_body())
        }
        _ => {
            tracing::warn!(
                path = req.path(),
                "refused a request without a valid CSRF token"
            );
            Ok(req.error_response(AppError::Csrf).map_into_boxed_body())
        }
    }
}

/// The whole urlencoded body, refused with its limit when larger.
async fn read_body(req: &mut ServiceRequest) -> Result<Bytes, AppError> {
    let mut payload = req.parts_mut().1.take();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("form: {e}")))?;
        if body.len() + chunk.len() > FORM_LIMIT {
            return Err(AppError::Refused(
                Refusal::new("error-form-too-large", StatusCode::PAYLOAD_TOO_LARGE)
                    .limit(format!("{} kB", FORM_LIMIT / 1024)),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
