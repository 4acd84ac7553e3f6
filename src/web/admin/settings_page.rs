//! The back-office's one-page settings forms (regional settings, declaration rules): shown
//! filled with the saved values, saved through their service, then back to the page with
//! a flash message, or shown again with the errors.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use diesel::PgConnection;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::{refused, see_other};
use crate::db;
use crate::domain::TenantId;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::{FieldErrors, ServiceError};
use crate::startup::AppState;

/// The service that reads a tenant's settings (`S`).
pub type Load<S> = fn(&mut PgConnection, TenantId) -> Result<S, ServiceError>;
/// The service that checks and saves the form (`I`), audited, and answers the settings.
pub type Save<I, S> = fn(&mut PgConnection, TenantId, &Actor, &I) -> Result<S, ServiceError>;

/// A settings form: the service's input (strings, as typed), its page and its services.
pub trait SettingsPage: Serialize + DeserializeOwned + Clone + Send + 'static {
    /// The settings as the services answer them.
    type Saved: Send + 'static;
    /// The page's path, where a saved form returns.
    const PATH: &'static str;
    const TEMPLATE: &'static str;
    /// The flash message once saved.
    const SAVED: &'static str;
    const LOAD: Load<Self::Saved>;
    /// The form filled with the saved settings.
    const FILL: fn(&Self::Saved) -> Self;
    const SAVE: Save<Self, Self::Saved>;

    /// What else the template offers to choose from; nothing by default.
    fn choices(_page: &mut Page) {}
}

fn render<S: SettingsPage>(
    mut page: Page,
    form: &S,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    S::choices(&mut page);
    page.insert("form", form).insert("errors", errors);
    page.render_status(S::TEMPLATE, status)
}

pub async fn form<S: SettingsPage>(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let saved = db::run(&state.pool, move |conn| (S::LOAD)(conn, tid)).await?;
    render(
        page,
        &(S::FILL)(&saved),
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

pub async fn save<S: SettingsPage>(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<S>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (tid, actor, input) = (tenant.0.tenant_id(), Actor::user(&me.0), form.clone());
    let outcome = db::run(&state.pool, move |conn| {
        refused((S::SAVE)(conn, tid, &actor, &input))
    })
    .await?;
    match outcome {
        Ok(_) => {
            page.flash(S::SAVED)?;
            Ok(see_other(S::PATH))
        }
        Err(errors) => render(page, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY),
    }
}
