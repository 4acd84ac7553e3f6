//! Users of the tenant: list, detail, enable/disable.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::domain::UserId;
use crate::error::AppError;
use crate::services::accounts;
use crate::services::audit::Actor;
use crate::startup::AppState;

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = tenant.0.tenant_id();
    let users = db::run(&state.pool, move |conn| db::users::list(conn, id)).await?;
    page.insert("users", &users);
    page.render("admin/users.html")
}

pub async fn show(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid) = (tenant.0.tenant_id(), UserId(path.into_inner()));
    let user = db::run(&state.pool, move |conn| db::users::find(conn, tid, uid)).await?;
    page.insert("shown", &user);
    page.render("admin/user.html")
}

#[derive(Deserialize)]
pub struct AccessForm {
    disabled: bool,
}

pub async fn set_access(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<AccessForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid) = (tenant.0.tenant_id(), UserId(path.into_inner()));
    if uid == me.0.user_id() {
        // Locking oneself out of the back-office is never what an admin meant.
        page.flash("users-cannot-disable-self")?;
        return Ok(see_other(&format!("/admin/users/{uid}")));
    }
    let disabled = form.disabled;
    let actor = Actor::user(&me.0);
    db::run(&state.pool, move |conn| {
        accounts::set_disabled(conn, tid, &actor, uid, disabled)
    })
    .await?;
    page.flash(if disabled {
        "users-disabled"
    } else {
        "users-enabled"
    })?;
    Ok(see_other(&format!("/admin/users/{uid}")))
}
