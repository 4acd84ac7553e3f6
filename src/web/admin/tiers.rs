//! A participant's status tier in the back-office: where they stand, and the floor an
//! admin may set by hand (a mandatory reason, audited).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::{refused, see_other};
use crate::db;
use crate::domain::{TenantId, UserId};
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::tiers::{self as service, FloorInput};
use crate::services::FieldErrors;
use crate::startup::AppState;

async fn render(
    mut page: Page,
    state: &AppState,
    tenant: TenantId,
    user: UserId,
    form: &FloorInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let view = db::run(&state.pool, move |conn| {
        service::floor_page(conn, tenant, user, Utc::now())
    })
    .await?;
    page.insert("v", &view)
        .insert("form", form)
        .insert("errors", errors);
    page.render_status("admin/tier_floor.html", status)
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid) = (tenant.0.tenant_id(), path.into_inner());
    let form = FloorInput::default();
    render(
        page,
        &state,
        tid,
        uid,
        &form,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn set_floor(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
    form: web::Form<FloorInput>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid, actor) = (tenant.0.tenant_id(), path.into_inner(), Actor::user(&me.0));
    let form = form.into_inner();
    let input = form.clone();
    let result = db::run(&state.pool, move |conn| {
        refused(service::set_floor(conn, tid, &actor, uid, &input))
    })
    .await?;
    match result {
        Ok(()) => {
            page.flash("tiers-floor-saved")?;
            Ok(see_other(&format!("/admin/points/{uid}/tier")))
        }
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(page, &state, tid, uid, &form, &errors, status).await
        }
    }
}
