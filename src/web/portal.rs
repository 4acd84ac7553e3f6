//! The participant portal: home, language switcher, the tenant's logo.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::auth::{CurrentTenant, CurrentUser};
use super::identify::SESSION_LOCALE;
use super::render::Page;
use super::{safe_next, see_other};
use crate::db;
use crate::domain::{Locale, Role};
use crate::error::AppError;
use crate::startup::AppState;

/// The participant's home: their points, challenges, missions and rewards at a glance.
pub async fn home(
    mut page: Page,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    // The back office's people start on their own home, not on the participants' one.
    let role = user.0.role();
    if role != Role::Participant {
        return Ok(see_other(super::home_of(role)));
    }
    let tenant = user.0.tenant();
    let home = db::run(&state.pool, move |conn| {
        crate::services::home::home(conn, tenant, &user.0, chrono::Utc::now())
    })
    .await?;
    page.insert("home", &home);
    page.render("portal/home.html")
}

#[derive(Deserialize)]
pub struct LocaleForm {
    locale: String,
    next: Option<String>,
}

/// Switches the language: remembered on the account when signed in, else in the session.
pub async fn switch_locale(
    page: Page,
    state: web::Data<AppState>,
    form: web::Form<LocaleForm>,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, AppError> {
    let Some(locale) = Locale::parse(&form.locale) else {
        return Err(AppError::BadRequest("unknown locale".into()));
    };
    page.session().insert(SESSION_LOCALE, locale.as_str())?;
    if let Some(CurrentUser(user)) = user {
        db::run(&state.pool, move |conn| {
            crate::services::accounts::set_locale(conn, &user, locale)
        })
        .await?;
    }
    Ok(see_other(&safe_next(form.next.as_deref())))
}

/// The tenant's logo, checked by content when it was uploaded.
/// The browser tab's icon: the tenant's logo, else its initial on its primary colour.
pub async fn favicon(
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = tenant.0.tenant_id();
    let logo = db::run(&state.pool, move |conn| {
        crate::services::tenants::logo(conn, id)
    })
    .await?;
    let (bytes, content_type) = match logo {
        Some((bytes, content_type)) => (bytes, content_type),
        None => {
            let t = &tenant.0;
            let initial: String = t.name.chars().take(1).collect();
            let svg = format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="{}"/><text x="16" y="22" font-family="sans-serif" font-size="18" font-weight="700" text-anchor="middle" fill="#fff">{}</text></svg>"##,
                t.primary_color,
                html_escape(&initial)
            );
            (svg.into_bytes(), "image/svg+xml".to_string())
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub async fn logo(
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = tenant.0.tenant_id();
    let (bytes, content_type) = db::run(&state.pool, move |conn| {
        crate::services::tenants::logo(conn, id)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes))
}
