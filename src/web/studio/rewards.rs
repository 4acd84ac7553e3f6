//! What the studio's reward pages have besides the catalog's list and form
//! (`catalog::CatalogPage for Rewards`): images per position, segments, the e-voucher
//! code pool (import, generate; codes are only counted, never listed) and the order of
//! categories. Each is a small form of its own; a refusal shows the page again with
//! the message next to its field (422) and nothing written.

use std::collections::BTreeMap;

use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_multipart::form::MultipartForm;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use super::catalog::{form_page, list_page};
use crate::db;
use crate::db::rewards::Rewards;
use crate::domain::values::ErrorKey;
use crate::domain::RewardId;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::rewards::catalog::{self as service, MAX_IMAGES};
use crate::services::rewards::RewardError;
use crate::services::FieldErrors;
use crate::startup::AppState;

const PATH: &str = "/studio/rewards";

/// The edit page again, with `errors` next to their fields (422).
async fn refused(
    page: Page,
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    id: RewardId,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    form_page::<Rewards>(page, state, tenant.0.tenant_id(), Some(id), &errors).await
}

/// Field errors stay on the page; everything else is an error page.
fn split<T>(result: Result<T, RewardError>) -> Result<Result<T, FieldErrors>, AppError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(RewardError::Invalid(errors)) => Ok(Err(errors)),
        Err(e) => Err(e.into()),
    }
}

fn one(field: &'static str, key: ErrorKey) -> FieldErrors {
    FieldErrors::from([(field, key)])
}

fn read_upload(file: Option<TempFile>) -> Result<Vec<u8>, AppError> {
    match file {
        Some(f) if f.size > 0 => std::fs::read(f.file.path())
            .map_err(|e| AppError::internal(anyhow::anyhow!("reading an upload: {e}"))),
        _ => Ok(vec![]),
    }
}

#[derive(MultipartForm)]
pub struct ImageUpload {
    /// Images up to the configured limit (10 MB by default); the check says more.
    #[multipart(limit = "16MB")]
    file: Option<TempFile>,
}

/// Uploads the image at a position: checked by content, resized, stored, recorded;
/// the image it replaces is deleted once committed.
pub async fn upload_image(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(RewardId, i16)>,
    MultipartForm(upload): MultipartForm<ImageUpload>,
) -> Result<HttpResponse, AppError> {
    use crate::domain::missions::MediaRole;
    use crate::services::missions::media;
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let (id, position) = path.into_inner();
    page.insert("image_position", &position);
    if !(1..=MAX_IMAGES).contains(&position) {
        let errors = one("image", "error-reward-image-position");
        return refused(page, &state, &tenant, id, errors).await;
    }
    let bytes = read_upload(upload.file)?;
    let max_image = state.settings.storage.max_image_mb << 20;
    let checked = web::block(move || {
        media::check(MediaRole::Cover, bytes, max_image, 0)
            .and_then(|file| service::resize_image(&file.bytes))
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!("checking an upload: {e}")))?;
    let jpeg = match checked {
        Ok(jpeg) => jpeg,
        Err(key) => return refused(page, &state, &tenant, id, one("image", key)).await,
    };
    let size = i64::try_from(jpeg.len()).unwrap_or(i64::MAX);
    let key = state
        .storage
        .put(tid, "jpg", jpeg)
        .await
        .map_err(AppError::internal)?;
    let stored = key.clone();
    let result = db::run(&state.pool, move |conn| {
        split(service::attach_image(
            conn,
            tid,
            &actor,
            id,
            position,
            (&stored, "image/jpeg", size),
        ))
    })
    .await;
    match result {
        Ok(Ok(replaced)) => {
            if let Some(old) = replaced {
                if let Err(e) = state.storage.delete(&old).await {
                    tracing::warn!(error = %e, "could not delete a replaced reward image");
                }
            }
            page.flash("studio-rewards-image-saved")?;
            Ok(see_other(&format!("{PATH}/{id}#images")))
        }
        Ok(Err(errors)) => {
            let _ = state.storage.delete(&key).await;
            refused(page, &state, &tenant, id, errors).await
        }
        Err(e) => {
            let _ = state.storage.delete(&key).await;
            Err(e.into())
        }
    }
}

/// Removes the image at a position (its file deleted once committed).
pub async fn remove_image(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(RewardId, i16)>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let (id, position) = path.into_inner();
    let removed = db::run(&state.pool, move |conn| {
        service::remove_image(conn, tid, &actor, id, position)
    })
    .await?;
    if let Some(old) = removed {
        if let Err(e) = state.storage.delete(&old).await {
            tracing::warn!(error = %e, "could not delete a removed reward image");
        }
        page.flash("studio-rewards-image-removed")?;
    }
    Ok(see_other(&format!("{PATH}/{id}#images")))
}

/// Sets the segments (repeated `segments` fields; none: every participant).
pub async fn set_segments(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<RewardId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|e| AppError::BadRequest(format!("unreadable form: {e}")))?;
    let chosen: Vec<String> = fields
        .into_iter()
        .filter(|(k, _)| k == "segments")
        .map(|(_, v)| v)
        .collect();
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    let result = db::run(&state.pool, move |conn| {
        split(service::set_segments(conn, tid, &actor, id, &chosen))
    })
    .await?;
    match result {
        Ok(()) => {
            page.flash("studio-rewards-segments-saved")?;
            Ok(see_other(&format!("{PATH}/{id}#segments")))
        }
        Err(errors) => refused(page, &state, &tenant, id, errors).await,
    }
}

#[derive(MultipartForm)]
pub struct CodesUpload {
    /// A CSV or text file, one code a line (10,000 at most).
    #[multipart(limit = "4MB")]
    file: Option<TempFile>,
    /// Or codes pasted, one a line.
    #[multipart(limit = "4MB")]
    codes: Option<Text<String>>,
}

/// Imports codes into an e-voucher's pool: the whole file or nothing; a refused file
/// names each bad line.
pub async fn import_codes(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<RewardId>,
    MultipartForm(upload): MultipartForm<CodesUpload>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    let mut bytes = read_upload(upload.file)?;
    if bytes.is_empty() {
        bytes = upload
            .codes
            .map(|t| t.into_inner())
            .unwrap_or_default()
            .into_bytes();
    }
    let result = db::run(&state.pool, move |conn| {
        split(service::import_codes(
            conn,
            tid,
            &actor,
            id,
            &bytes,
            Utc::now(),
        ))
    })
    .await?;
    match result {
        Ok(Ok(_added)) => {
            page.flash("studio-rewards-codes-added")?;
            Ok(see_other(&format!("{PATH}/{id}#codes")))
        }
        Ok(Err(problems)) => {
            page.insert("code_problems", &problems);
            let errors = one("codes", "studio-rewards-codes-refused");
            refused(page, &state, &tenant, id, errors).await
        }
        Err(errors) => refused(page, &state, &tenant, id, errors).await,
    }
}

#[derive(Deserialize)]
pub struct GenerateForm {
    #[serde(default)]
    count: String,
}

/// Generates codes (from the OS random source) into an e-voucher's pool.
pub async fn generate_codes(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<RewardId>,
    form: web::Form<GenerateForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    let count = form.into_inner().count;
    let typed = count.clone();
    let result = db::run(&state.pool, move |conn| {
        split(service::generate_codes(
            conn,
            tid,
            &actor,
            id,
            &typed,
            Utc::now(),
        ))
    })
    .await?;
    match result {
        Ok(_) => {
            page.flash("studio-rewards-codes-generated")?;
            Ok(see_other(&format!("{PATH}/{id}#codes")))
        }
        Err(errors) => {
            page.insert("count", &count);
            refused(page, &state, &tenant, id, errors).await
        }
    }
}

#[derive(Deserialize)]
pub struct CategoryOrderForm {
    #[serde(default)]
    category_order: String,
}

/// The order of categories in the participants' catalog, one a line.
pub async fn set_category_order(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<CategoryOrderForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let text = form.into_inner().category_order;
    let typed = text.clone();
    let result = db::run(&state.pool, move |conn| {
        split(service::set_category_order(conn, tid, &actor, &typed))
    })
    .await?;
    match result {
        Ok(()) => {
            page.flash("studio-rewards-order-saved")?;
            Ok(see_other(PATH))
        }
        Err(errors) => {
            page.insert("category_order", &text);
            list_page::<Rewards>(page, &state, tid, BTreeMap::new(), 1, &errors).await
        }
    }
}
