//! The programme's declaration rules (window, caps, auto-approval, stock thresholds).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use super::super::studio::refused;
use crate::db;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::declarations::{self as service, RulesInput};
use crate::services::FieldErrors;
use crate::startup::AppState;

fn render(
    mut page: Page,
    form: &RulesInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    page.insert("form", form).insert("errors", errors);
    page.render_status("admin/declaration_rules.html", status)
}

pub async fn form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let rules = db::run(&state.pool, move |conn| service::rules(conn, tid)).await?;
    render(
        page,
        &RulesInput::of(&rules),
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

pub async fn save(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<RulesInput>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (tid, actor, input) = (tenant.0.tenant_id(), Actor::user(&me.0), form.clone());
    let outcome = db::run(&state.pool, move |conn| {
        refused(service::update_rules(conn, tid, &actor, &input))
    })
    .await?;
    match outcome {
        Ok(_) => {
            page.flash("review-rules-saved")?;
            Ok(see_other("/admin/declarations/rules"))
        }
        Err(errors) => render(page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY),
    }
}
