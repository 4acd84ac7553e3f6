//! Files: mission media from the storage service (with HTTP range requests, so that a
//! video player can seek: `206 Partial Content`), and stored uploads (declaration proofs,
//! mission photos) through one response builder.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;

use super::auth::{CurrentTenant, CurrentUser};
use crate::db;
use crate::domain::MediaId;
use crate::error::AppError;
use crate::services::missions::media as service;
use crate::startup::AppState;

/// An uploaded file served back to whom may see it: private caching, and no script
/// running in it (a PDF is shown inline with a name).
pub fn stored_file(bytes: Vec<u8>, content_type: &str, pdf_name: &str) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"));
    if content_type == "application/pdf" {
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{pdf_name}\""),
        ));
    } else {
        response.insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"));
    }
    response.body(bytes)
}

/// A mission's file, to the tenant's staff and to participants who may see the mission
/// (anyone else: 404). A `Range` header gets `206` with those bytes; a range outside the
/// file gets `416`.
pub async fn show(
    req: HttpRequest,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MediaId>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let media = db::run(&state.pool, move |conn| {
        service::for_viewer(conn, tid, &user, id, Utc::now())
    })
    .await?;
    let size = u64::try_from(media.size).unwrap_or(0);
    let range = match req.headers().get(header::RANGE).map(|v| v.to_str()) {
        None => None,
        Some(Ok(value)) => match actix_files::HttpRange::parse(value, size) {
            Ok(ranges) => ranges.first().map(|r| r.start..r.start + r.length),
            Err(_) => {
                return Ok(HttpResponse::build(StatusCode::RANGE_NOT_SATISFIABLE)
                    .insert_header((header::CONTENT_RANGE, format!("bytes */{size}")))
                    .finish())
            }
        },
        Some(Err(_)) => None,
    };
    let bytes = state
        .storage
        .get(&media.storage_key, range.clone())
        .await
        .map_err(AppError::internal)?;
    let mut response = match &range {
        Some(r) => {
            let mut b = HttpResponse::build(StatusCode::PARTIAL_CONTENT);
            b.insert_header((
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{size}", r.start, r.end.saturating_sub(1)),
            ));
            b
        }
        None => HttpResponse::Ok(),
    };
    Ok(response
        .content_type(media.content_type.as_str())
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"))
        .body(bytes))
}
