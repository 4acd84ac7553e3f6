//! A participant's e-mail choices (`/account/notifications`) and the one-click
//! unsubscribe link of every non-essential e-mail (`/unsubscribe/{token}`).
//!
//! The unsubscribe link works without a session: opened (GET), it shows a confirmation
//! with a button; posted (the button, or a mail client's RFC 8058 one-click POST, which
//! has no cookie nor CSRF token), it turns the category off. Its signed token is the
//! proof, which is why `csrf::protect` lets `/unsubscribe/` through; a POST there can
//! only ever turn off e-mails of the person the link was sent to.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;

use super::auth::{CurrentTenant, CurrentUser};
use super::render::Page;
use super::see_other;
use crate::db;
use crate::domain::notifications::Category;
use crate::error::AppError;
use crate::services::notifications::{self, LinkRefusal};
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/account/notifications")
            .route(web::get().to(preferences))
            .route(web::post().to(save)),
    )
    .service(
        web::resource("/unsubscribe/{token}")
            .route(web::get().to(confirm))
            .route(web::post().to(unsubscribe)),
    );
}

pub async fn preferences(
    mut page: Page,
    me: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (tenant, user) = (me.0.tenant(), me.0.user_id());
    let rows = db::run(&state.pool, move |conn| {
        notifications::preferences(conn, tenant, user)
    })
    .await?;
    page.insert("preferences", &rows);
    page.render("account/notifications.html")
}

/// The form: one checkbox per category, named after it; unknown names are ignored.
pub async fn save(
    page: Page,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let wanted: Vec<Category> = form
        .iter()
        .filter_map(|(name, _)| Category::parse(name))
        .filter(|c| c.optional())
        .collect();
    let (tenant, user) = (me.0.tenant(), me.0.user_id());
    db::run(&state.pool, move |conn| {
        notifications::save_preferences(conn, tenant, user, &wanted, Utc::now())
    })
    .await?;
    page.flash("notify-saved")?;
    Ok(see_other("/account/notifications"))
}

fn refused(page: &mut Page, refusal: LinkRefusal) -> Result<HttpResponse, AppError> {
    page.insert("problem", refusal.message_key());
    let status = match refusal {
        LinkRefusal::Invalid => StatusCode::BAD_REQUEST,
        LinkRefusal::OtherTenant | LinkRefusal::UnknownUser => StatusCode::NOT_FOUND,
    };
    page.render_status("account/unsubscribe.html", status)
}

fn secret(state: &AppState) -> Vec<u8> {
    state.settings.security.secret_key.as_bytes().to_vec()
}

pub async fn confirm(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let token = token.into_inner();
    let (secret, t) = (secret(&state), token.clone());
    let checked = db::run(&state.pool, move |conn| {
        notifications::check_link(conn, tid, &secret, &t)
    })
    .await?;
    match checked {
        Ok((_, category)) => {
            let name = crate::i18n::tr(page.locale, &category.label_key());
            page.insert("category_name", &name)
                .insert("token", &token)
                .insert("done", &false);
            page.render("account/unsubscribe.html")
        }
        Err(refusal) => refused(&mut page, refusal),
    }
}

/// The button of the confirmation, or a mail client's one-click POST
/// (`List-Unsubscribe=One-Click` in the body, which needs no reading).
pub async fn unsubscribe(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let (secret, token) = (secret(&state), token.into_inner());
    let done = db::run(&state.pool, move |conn| {
        notifications::unsubscribe(conn, tid, &secret, &token, Utc::now())
    })
    .await?;
    match done {
        Ok(category) => {
            let name = crate::i18n::tr(page.locale, &category.label_key());
            page.insert("category_name", &name).insert("done", &true);
            page.render("account/unsubscribe.html")
        }
        Err(refusal) => refused(&mut page, refusal),
    }
}
