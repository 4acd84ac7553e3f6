//! Anonymising a participant (GDPR erasure) from their page: a confirmation box and a
//! mandatory reason; see `services::gdpr::anonymise` for what is erased and kept.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::{refused, see_other};
use crate::db;
use crate::domain::{Role, UserId};
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::{accounts, gdpr};
use crate::startup::AppState;

#[derive(Deserialize)]
pub struct AnonymiseForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
}

pub async fn anonymise(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
    form: web::Form<AnonymiseForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid, actor) = (tenant.0.tenant_id(), path.into_inner(), Actor::user(&me.0));
    let form = form.into_inner();
    let confirmed = form.confirm == "yes";
    let reason = form.reason.clone();
    let done = db::run(&state.pool, move |conn| {
        refused(gdpr::anonymise(
            conn,
            tid,
            &actor,
            uid,
            (&reason, confirmed),
            Utc::now(),
        ))
    })
    .await?;
    match done {
        Ok(_) => {
            page.flash("users-anonymised")?;
            Ok(see_other(&format!("/admin/users/{uid}")))
        }
        Err(errors) => {
            let user =
                db::run(&state.pool, move |conn| accounts::find_user(conn, tid, uid)).await?;
            page.insert("shown", &user)
                .insert("roles", &Role::ALL.map(Role::as_str))
                .insert("errors", &errors)
                .insert("reason", &form.reason);
            page.render_status("admin/user.html", StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
