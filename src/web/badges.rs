//! A participant's badges (earned, with their date; the others with how to earn them)
//! and the badges' images.

use actix_web::{web, HttpResponse};

use super::auth::{CurrentTenant, CurrentUser};
use super::render::Page;
use crate::db;
use crate::domain::badges::BadgeRule;
use crate::error::AppError;
use crate::services::badges::{self as service, settings};
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/badges", web::get().to(mine))
        .route("/badges/{rule}/image", web::get().to(image));
}

pub async fn mine(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let (tid, user) = (tenant.0.tenant_id(), me.0.user_id());
    page.show("badges", "portal/badges.html", move |conn| {
        service::page_for(conn, tid, user)
    })
    .await
}

/// A badge's image, to anyone signed in to the tenant (another tenant's: 404).
pub async fn image(
    tenant: CurrentTenant,
    _me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let rule = BadgeRule::ALL
        .iter()
        .copied()
        .find(|r| r.as_str() == path.as_str())
        .ok_or(AppError::NotFound)?;
    let tid = tenant.0.tenant_id();
    let (key, content_type) =
        db::run(&state.pool, move |conn| settings::image_of(conn, tid, rule)).await?;
    let bytes = state
        .storage
        .get(&key, None)
        .await
        .map_err(AppError::internal)?;
    Ok(super::media::stored_file(
        bytes.to_vec(),
        &content_type,
        "badge",
    ))
}
