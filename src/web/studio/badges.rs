//! The studio's badges: the built-in rules with the tenant's names, descriptions,
//! images, points and switches (each change audited).

use std::collections::BTreeMap;

use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::{refused, see_other};
use crate::db;
use crate::domain::badges::BadgeRule;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::badges::settings::{self as service, BadgeInput};
use crate::services::FieldErrors;
use crate::startup::AppState;

const PATH: &str = "/studio/badges";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/badges", web::get().to(list))
        .route("/badges/{rule}", web::get().to(edit))
        .route("/badges/{rule}", web::post().to(save))
        .route("/badges/{rule}/image", web::post().to(upload_image))
        .route("/badges/{rule}/image/delete", web::post().to(remove_image));
}

fn rule_of(path: &str) -> Result<BadgeRule, AppError> {
    BadgeRule::ALL
        .iter()
        .copied()
        .find(|r| r.as_str() == path)
        .ok_or(AppError::NotFound)
}

pub async fn list(page: Page, tenant: CurrentTenant) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    page.show("badges", "studio/badges.html", move |conn| {
        service::catalog(conn, tid)
    })
    .await
}

/// The form's values as the page shows them.
fn form_of(b: &service::Badge) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("name", b.name.clone()),
        ("description", b.description.clone()),
        ("points", b.points.to_string()),
        ("streak_weeks", b.streak_weeks.to_string()),
        ("active", if b.active { "on" } else { "" }.to_string()),
    ])
}

async fn render(
    mut page: Page,
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    rule: BadgeRule,
    form: Option<BTreeMap<&'static str, String>>,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let badges = db::run(&state.pool, move |conn| service::catalog(conn, tid)).await?;
    let badge = badges
        .into_iter()
        .find(|b| b.rule == rule)
        .ok_or(AppError::NotFound)?;
    let form = form.unwrap_or_else(|| form_of(&badge));
    let max_image_mb = page.settings().storage.max_image_mb;
    page.insert("badge", &badge)
        .insert("form", &form)
        .insert("errors", errors)
        .insert("max_image_mb", &max_image_mb);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_status("studio/badge.html", status)
}

pub async fn edit(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let rule = rule_of(&path)?;
    render(page, &state, &tenant, rule, None, &FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct BadgeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    points: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    streak_weeks: String,
}

pub async fn save(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<BadgeForm>,
) -> Result<HttpResponse, AppError> {
    let rule = rule_of(&path)?;
    let f = form.into_inner();
    let input = BadgeInput {
        name: f.name.trim().to_string(),
        description: f.description.trim().to_string(),
        points: f.points.trim().to_string(),
        active: f.active.is_some(),
        streak_weeks: f.streak_weeks.trim().to_string(),
    };
    let (tid, actor, sent) = (tenant.0.tenant_id(), Actor::user(&me.0), input.clone());
    let saved = db::run(&state.pool, move |conn| {
        refused(service::update(conn, tid, &actor, rule, &sent, Utc::now()))
    })
    .await?;
    match saved {
        Ok(()) => {
            page.flash("studio-badges-saved")?;
            Ok(see_other(&format!("{PATH}/{}", rule.as_str())))
        }
        Err(errors) => {
            let form = BTreeMap::from([
                ("name", input.name),
                ("description", input.description),
                ("points", input.points),
                ("streak_weeks", input.streak_weeks),
                ("active", if input.active { "on" } else { "" }.to_string()),
            ]);
            render(page, &state, &tenant, rule, Some(form), &errors).await
        }
    }
}

#[derive(MultipartForm)]
pub struct ImageUpload {
    #[multipart(limit = "16MB")]
    file: Option<TempFile>,
}

/// Uploads the badge's image: checked by content (decoded), resized, stored as JPEG;
/// the image it replaces is deleted once committed.
pub async fn upload_image(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    MultipartForm(upload): MultipartForm<ImageUpload>,
) -> Result<HttpResponse, AppError> {
    use crate::domain::missions::MediaRole;
    use crate::services::missions::media;
    use crate::services::rewards::catalog::resize_image;
    let rule = rule_of(&path)?;
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let bytes = match upload.file {
        Some(f) if f.size > 0 => std::fs::read(f.file.path())
            .map_err(|e| AppError::internal(anyhow::anyhow!("reading an upload: {e}")))?,
        _ => vec![],
    };
    let max_image = state.settings.storage.max_image_mb << 20;
    let checked = web::block(move || {
        media::check(MediaRole::Cover, bytes, max_image, 0).and_then(|f| resize_image(&f.bytes))
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!("checking an upload: {e}")))?;
    let jpeg = match checked {
        Ok(jpeg) => jpeg,
        Err(key) => {
            let errors = FieldErrors::from([("image", key)]);
            return render(page, &state, &tenant, rule, None, &errors).await;
        }
    };
    let key = state
        .storage
        .put(tid, "jpg", jpeg)
        .await
        .map_err(AppError::internal)?;
    let stored = key.clone();
    let result = db::run(&state.pool, move |conn| {
        service::set_image(
            conn,
            tid,
            &actor,
            rule,
            Some((&stored, "image/jpeg")),
            Utc::now(),
        )
    })
    .await;
    match result {
        Ok(replaced) => {
            if let Some(old) = replaced {
                if let Err(e) = state.storage.delete(&old).await {
                    tracing::warn!(error = %e, "could not delete a replaced badge image");
                }
            }
            page.flash("studio-badges-image-saved")?;
            Ok(see_other(&format!("{PATH}/{}", rule.as_str())))
        }
        Err(e) => {
            let _ = state.storage.delete(&key).await;
            Err(e.into())
        }
    }
}

pub async fn remove_image(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let rule = rule_of(&path)?;
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let removed = db::run(&state.pool, move |conn| {
        service::set_image(conn, tid, &actor, rule, None, Utc::now())
    })
    .await?;
    if let Some(old) = removed {
        if let Err(e) = state.storage.delete(&old).await {
            tracing::warn!(error = %e, "could not delete a removed badge image");
        }
    }
    page.flash("studio-badges-image-removed")?;
    Ok(see_other(&format!("{PATH}/{}", rule.as_str())))
}
