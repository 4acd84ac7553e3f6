//! A participant's declarations: the list, one declaration, withdrawing it, its proofs.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::{see_other, PageNo};
use crate::db;
use crate::domain::DeclarationId;
use crate::error::AppError;
use crate::services::declarations::{self as service, DeclarationError};
use crate::startup::AppState;

const PER_PAGE: i64 = 20;

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, n) = (tenant.0.tenant_id(), me.0.clone(), query.number());
    let list = db::run(&state.pool, move |conn| {
        service::list_own(conn, tid, &user, n, PER_PAGE)
    })
    .await?;
    page.insert("list", &list)
        .insert("has_partner", &me.0.partner_id.is_some());
    page.render("declarations/list.html")
}

pub async fn show(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<DeclarationId>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let detail = db::run(&state.pool, move |conn| {
        service::detail_for_participant(conn, tid, &user, id)
    })
    .await?;
    page.insert("d", &detail);
    page.render("declarations/show.html")
}

pub async fn withdraw(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<DeclarationId>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let done = db::run(&state.pool, move |conn| {
        match service::withdraw(conn, tid, &user, id, Utc::now()) {
            Ok(_) => Ok(true),
            Err(DeclarationError::AlreadyDecided) => Ok(false),
            Err(e) => Err(AppError::from(e)),
        }
    })
    .await?;
    page.flash(if done {
        "declarations-withdrawn"
    } else {
        "declarations-withdraw-too-late"
    })?;
    Ok(see_other(&format!("/declarations/{id}")))
}

#[derive(Deserialize)]
pub struct ProofQuery {
    #[serde(default)]
    pub thumb: bool,
}

/// A proof (or its thumbnail), to its participant and to admins, served with the content
/// type found in its bytes at upload.
pub async fn proof(
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(DeclarationId, i16)>,
    query: web::Query<ProofQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, n) = path.into_inner();
    let (tid, user, thumb) = (tenant.0.tenant_id(), me.0, query.thumb);
    let (bytes, content_type) = db::run(&state.pool, move |conn| {
        service::proof(conn, tid, &user, id, n, thumb)
    })
    .await?;
    Ok(crate::web::media::stored_file(
        bytes,
        &content_type,
        "proof.pdf",
    ))
}
