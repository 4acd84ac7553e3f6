//! A partner's own page: its facts, participants and segments. Its list, form and
//! activation are the catalog's (`studio::catalog`).

use actix_web::{web, HttpResponse};

use super::super::auth::CurrentTenant;
use super::super::render::Page;
use crate::db;
use crate::domain::PartnerId;
use crate::error::AppError;
use crate::services::partners;
use crate::startup::AppState;

pub async fn show(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    let details = db::run(&state.pool, move |conn| partners::details(conn, tid, id)).await?;
    page.insert("details", &details);
    page.render("studio/partner.html")
}
