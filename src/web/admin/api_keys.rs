//! API keys of the tenant: create (the secret shown once, on the page answering the
//! form), list with their last use, revoke.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::domain::ApiKeyId;
use crate::error::AppError;
use crate::services::api_keys::{self, KeyInput, SCOPES};
use crate::services::audit::Actor;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api-keys", web::get().to(list))
        .route("/api-keys", web::post().to(create))
        .route("/api-keys/{id}/revoke", web::post().to(revoke));
}

async fn show(
    mut page: Page,
    state: &AppState,
    tenant: &CurrentTenant,
    input: &KeyInput,
) -> Result<Page, AppError> {
    let tid = tenant.0.tenant_id();
    let keys = db::run(&state.pool, move |conn| api_keys::list(conn, tid)).await?;
    page.insert("keys", &keys)
        .insert("scopes", SCOPES)
        .insert("form", input);
    Ok(page)
}

pub async fn list(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let mut page = show(page, &state, &tenant, &KeyInput::default()).await?;
    page.insert("errors", &serde_json::json!({}));
    page.render("admin/api_keys.html")
}

/// The form's fields: `name`, and one `scopes` per ticked box.
fn read_form(body: &[u8]) -> KeyInput {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut input = KeyInput::default();
    for (k, v) in fields {
        match k.as_str() {
            "name" => input.name = v,
            "scopes" => input.scopes.push(v),
            _ => {}
        }
    }
    input
}

pub async fn create(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input = read_form(&body);
    let tid = tenant.0.tenant_id();
    let actor = Actor::user(&me.0);
    let given = input.clone();
    let created = db::run(&state.pool, move |conn| {
        super::super::refused(api_keys::create(
            conn,
            tid,
            &actor,
            &given,
            chrono::Utc::now(),
        ))
    })
    .await?;
    match created {
        Ok(created) => {
            let mut page = show(page, &state, &tenant, &KeyInput::default()).await?;
            page.insert("errors", &serde_json::json!({}))
                .insert("created", &created);
            let mut response = page.render("admin/api_keys.html")?;
            // The secret is on this page only: never cached.
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(errors) => {
            let mut page = show(page, &state, &tenant, &input).await?;
            page.insert("errors", &errors);
            page.render_status("admin/api_keys.html", StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

pub async fn revoke(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ApiKeyId>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let actor = Actor::user(&me.0);
    let id = path.into_inner();
    db::run(&state.pool, move |conn| {
        api_keys::revoke(conn, tid, &actor, id, chrono::Utc::now())
    })
    .await?;
    page.flash("api-keys-revoked")?;
    Ok(see_other("/admin/api-keys"))
}
