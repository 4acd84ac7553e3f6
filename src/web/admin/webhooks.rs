//! Outgoing webhooks: the tenant's endpoints (create, change, rotate the secret, delete)
//! and each endpoint's deliveries with a re-send button.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::refused;
use super::super::render::Page;
use super::super::see_other;
use crate::config::Environment;
use crate::db;
use crate::domain::ids::{WebhookDeliveryId, WebhookEndpointId};
use crate::domain::values::echoable;
use crate::domain::webhooks::EventType;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::webhooks::{self, EndpointInput};
use crate::services::{FieldErrors, ServiceError};
use crate::startup::AppState;

/// An event, for the checkboxes: its name and the key of its label.
#[derive(serde::Serialize)]
struct EventChoice {
    name: &'static str,
    key: String,
}

fn event_names() -> Vec<EventChoice> {
    EventType::ALL
        .iter()
        .map(|e| EventChoice {
            name: e.as_str(),
            key: format!("webhooks-event-{}", e.as_str().replace(['.', '_'], "-")),
        })
        .collect()
}

/// Plain `http` URLs are for development and tests only.
fn allow_http(state: &AppState) -> bool {
    state.settings.environment != Environment::Production
}

/// The endpoint form (repeated `events` fields: read by hand).
fn read_form(body: &[u8]) -> Result<EndpointInput, AppError> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| AppError::BadRequest(format!("unreadable form: {e}")))?;
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    Ok(EndpointInput {
        url: one("url"),
        description: one("description"),
        events: fields
            .iter()
            .filter(|(k, _)| k == "events")
            .map(|(_, v)| v.clone())
            .collect(),
        enabled: !one("enabled").is_empty(),
    })
}

/// Refused input as shown back in its fields (no control characters).
fn echoed(form: EndpointInput) -> EndpointInput {
    EndpointInput {
        url: echoable(&form.url),
        description: echoable(&form.description),
        ..form
    }
}

async fn show_list(
    mut page: Page,
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    form: &EndpointInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let endpoints = db::run(&state.pool, move |conn| webhooks::list(conn, tid)).await?;
    page.insert("endpoints", &endpoints)
        .insert("form", form)
        .insert("errors", errors)
        .insert("event_names", &event_names())
        .insert("allow_http", &allow_http(state));
    page.render_status("admin/webhooks.html", status)
}

pub async fn list(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = EndpointInput {
        enabled: true,
        ..Default::default()
    };
    show_list(
        page,
        &state,
        &tenant,
        &form,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = read_form(&body)?;
    let (tid, actor, http) = (tenant.0.tenant_id(), Actor::user(&me.0), allow_http(&state));
    let input = form.clone();
    let outcome = db::run(&state.pool, move |conn| {
        refused(webhooks::create(
            conn,
            tid,
            &actor,
            &input,
            http,
            Utc::now(),
        ))
    })
    .await?;
    match outcome {
        Ok(e) => {
            page.flash("webhooks-created")?;
            Ok(see_other(&format!("/admin/webhooks/{}", e.id)))
        }
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let form = echoed(form);
            show_list(page, &state, &tenant, &form, &errors, status).await
        }
    }
}

async fn show_detail(
    mut page: Page,
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    id: WebhookEndpointId,
    form: Option<(&EndpointInput, &FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let key = state.settings.security.secret_key.clone();
    let detail = db::run(&state.pool, move |conn| {
        webhooks::detail(conn, tid, key.as_bytes(), id)
    })
    .await?;
    let status = if form.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (input, errors) = match form {
        Some((f, e)) => (f.clone(), e.clone()),
        None => (EndpointInput::of(&detail.endpoint), FieldErrors::new()),
    };
    page.insert("detail", &detail)
        .insert("form", &input)
        .insert("errors", &errors)
        .insert("event_names", &event_names())
        .insert("allow_http", &allow_http(state));
    page.render_status("admin/webhook.html", status)
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<WebhookEndpointId>,
) -> Result<HttpResponse, AppError> {
    show_detail(page, &state, &tenant, path.into_inner(), None).await
}

pub async fn update(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<WebhookEndpointId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = read_form(&body)?;
    let id = path.into_inner();
    let (tid, actor, http) = (tenant.0.tenant_id(), Actor::user(&me.0), allow_http(&state));
    let input = form.clone();
    let outcome = db::run(&state.pool, move |conn| {
        refused(webhooks::update(
            conn,
            tid,
            &actor,
            id,
            &input,
            http,
            Utc::now(),
        ))
    })
    .await?;
    match outcome {
        Ok(_) => {
            page.flash("webhooks-saved")?;
            Ok(see_other(&format!("/admin/webhooks/{id}")))
        }
        Err(errors) => {
            let form = echoed(form);
            show_detail(page, &state, &tenant, id, Some((&form, &errors))).await
        }
    }
}

pub async fn rotate(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<WebhookEndpointId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    db::run(&state.pool, move |conn| {
        webhooks::rotate(conn, tid, &actor, id, Utc::now())
    })
    .await?;
    page.flash("webhooks-rotated")?;
    Ok(see_other(&format!("/admin/webhooks/{id}")))
}

pub async fn delete(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<WebhookEndpointId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    db::run(&state.pool, move |conn| {
        webhooks::delete(conn, tid, &actor, id)
    })
    .await?;
    page.flash("webhooks-deleted")?;
    Ok(see_other("/admin/webhooks"))
}

pub async fn resend(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(WebhookEndpointId, WebhookDeliveryId)>,
) -> Result<HttpResponse, AppError> {
    let (id, delivery) = path.into_inner();
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let outcome = db::run(&state.pool, move |conn| {
        match webhooks::resend(conn, tid, &actor, id, delivery, Utc::now()) {
            Ok(_) => Ok(Ok(())),
            Err(ServiceError::Invalid(e)) => Ok(Err(e)),
            Err(e) => Err(AppError::from(e)),
        }
    })
    .await?;
    page.flash(match &outcome {
        Ok(()) => "webhooks-resent",
        Err(e) => e
            .values()
            .next()
            .copied()
            .unwrap_or("webhooks-resend-disabled"),
    })?;
    Ok(see_other(&format!("/admin/webhooks/{id}")))
}
