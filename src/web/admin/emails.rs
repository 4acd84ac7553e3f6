//! E-mails of the tenant: queued, sent and failed, with the error and a retry button.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::domain::JobId;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::email;
use crate::startup::AppState;

#[derive(Deserialize)]
pub struct EmailsQuery {
    status: Option<String>,
}

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<EmailsQuery>,
) -> Result<HttpResponse, AppError> {
    let status = query
        .into_inner()
        .status
        .filter(|s| ["queued", "running", "done", "failed", "skipped"].contains(&s.as_str()));
    let tid = tenant.0.tenant_id();
    let wanted = status.clone();
    let rows = db::run(&state.pool, move |conn| {
        email::list(conn, tid, wanted.as_deref(), 200)
    })
    .await?;
    page.insert("jobs", &rows)
        .insert("status", &status.unwrap_or_default());
    page.render("admin/emails.html")
}

pub async fn retry(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<JobId>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let actor = Actor::user(&me.0);
    let id = path.into_inner();
    let result = db::run(&state.pool, move |conn| {
        match email::retry(conn, tid, &actor, id) {
            Ok(()) => Ok(true),
            Err(crate::services::ServiceError::Invalid(_)) => Ok(false),
            Err(e) => Err(AppError::from(e)),
        }
    })
    .await?;
    page.flash(if result {
        "emails-retried"
    } else {
        "emails-retry-not-failed"
    })?;
    Ok(see_other("/admin/emails?status=failed"))
}
