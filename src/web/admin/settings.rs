//! The tenant's regional settings: time zone, currency and the value of a point.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::{refused, see_other};
use crate::db;
use crate::domain::{Currency, Zone};
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::regional::{self, RegionalInput};
use crate::services::FieldErrors;
use crate::startup::AppState;

#[derive(Serialize)]
struct CurrencyChoice {
    code: &'static str,
    digits: u8,
}

fn render(
    mut page: Page,
    form: &RegionalInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let currencies: Vec<CurrencyChoice> = Currency::ALL
        .iter()
        .map(|c| CurrencyChoice {
            code: c.code,
            digits: c.digits,
        })
        .collect();
    page.insert("form", form)
        .insert("errors", errors)
        .insert("zones", &Zone::all_names().collect::<Vec<_>>())
        .insert("currencies", &currencies);
    page.render_status("admin/settings.html", status)
}

pub async fn form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let current = db::run(&state.pool, move |conn| regional::settings(conn, tid)).await?;
    let form = RegionalInput::of(&current);
    render(page, &form, &FieldErrors::new(), StatusCode::OK)
}

pub async fn save(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<RegionalInput>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (tid, actor, input) = (tenant.0.tenant_id(), Actor::user(&me.0), form.clone());
    let outcome = db::run(&state.pool, move |conn| {
        refused(regional::update(conn, tid, &actor, &input))
    })
    .await?;
    match outcome {
        Ok(_) => {
            page.flash("settings-saved")?;
            Ok(see_other("/admin/settings"))
        }
        Err(errors) => render(page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY),
    }
}
