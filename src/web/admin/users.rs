//! Users of the tenant: list, detail, enable/disable.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::refused;
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::domain::{Locale, Role, UserId};
use crate::error::AppError;
use crate::services::accounts;
use crate::services::audit::Actor;
use crate::services::invitations::{self, InviteInput};
use crate::services::partners::Listing;
use crate::services::FieldErrors;
use crate::startup::AppState;

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Serialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
    page_no: web::Query<super::super::PageNo>,
) -> Result<HttpResponse, AppError> {
    let id = tenant.0.tenant_id();
    let (q, n) = (query.into_inner(), page_no.number());
    let search = Some(q.q.trim().to_string()).filter(|s| !s.is_empty());
    let (users, total) = db::run(&state.pool, move |conn| {
        accounts::search_users(conn, id, search.as_deref(), n, PER_PAGE)
    })
    .await?;
    let listing = Listing::new(users, total, n, PER_PAGE);
    page.insert("listing", &listing)
        .insert("query", &q)
        .insert("pager_base", &super::super::studio::pager_base(&q));
    page.render("admin/users.html")
}

pub async fn show(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid) = (tenant.0.tenant_id(), path.into_inner());
    let user = db::run(&state.pool, move |conn| accounts::find_user(conn, tid, uid)).await?;
    page.insert("shown", &user)
        .insert("roles", &Role::ALL.map(Role::as_str));
    page.render("admin/user.html")
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid, actor) = (tenant.0.tenant_id(), path.into_inner(), Actor::user(&me.0));
    let role =
        Role::parse(&form.role).ok_or_else(|| AppError::BadRequest("unknown role".into()))?;
    change_user(page, state, uid, "users-role-changed", move |conn| {
        accounts::change_role(conn, tid, &actor, uid, role)
    })
    .await
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
    path: web::Path<UserId>,
    form: web::Form<AccessForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid, actor) = (tenant.0.tenant_id(), path.into_inner(), Actor::user(&me.0));
    let disabled = form.disabled;
    let done = if disabled {
        "users-disabled"
    } else {
        "users-enabled"
    };
    change_user(page, state, uid, done, move |conn| {
        accounts::set_disabled(conn, tid, &actor, uid, disabled)
    })
    .await
}

/// Runs an admin's change to a user, then shows the user's page with what happened: the
/// change, or the service's refusal (changing one's own role or access).
async fn change_user(
    page: Page,
    state: web::Data<AppState>,
    uid: UserId,
    done: &'static str,
    change: impl FnOnce(
            &mut diesel::PgConnection,
        ) -> Result<crate::db::users::User, crate::services::ServiceError>
        + Send
        + 'static,
) -> Result<HttpResponse, AppError> {
    let outcome = db::run(&state.pool, move |conn| refused(change(conn))).await?;
    let message = match &outcome {
        Ok(_) => done,
        Err(errors) => errors.values().next().copied().unwrap_or(done),
    };
    page.flash(message)?;
    Ok(see_other(&format!("/admin/users/{uid}")))
}

#[derive(Deserialize, Serialize, Default)]
pub struct InviteForm {
    email: String,
    display_name: String,
    role: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    partner_code: String,
    #[serde(default)]
    form_token: String,
}

pub async fn new_form(mut page: Page) -> Result<HttpResponse, AppError> {
    page.insert(
        "form",
        &InviteForm {
            role: "participant".into(),
            form_token: crate::services::once::new_token(),
            ..Default::default()
        },
    )
    .insert("errors", &FieldErrors::new())
    .insert("roles", &Role::ALL.map(Role::as_str));
    page.render("admin/user_new.html")
}

/// Creates the account and queues the invitation e-mail, in one transaction.
pub async fn invite(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let tid = tenant.0.tenant_id();
    let actor = Actor::user(&me.0);
    let role = Role::parse(&form.role);
    let locale = Locale::parse(&form.locale);
    let (email, name, code, token) = (
        form.email.clone(),
        form.display_name.clone(),
        form.partner_code.clone(),
        form.form_token.clone(),
    );
    let result = db::run(&state.pool, move |conn| {
        let Some(role) = role else {
            return Ok(Err(FieldErrors::from([("role", "error-role-invalid")])));
        };
        let input = InviteInput {
            email: &email,
            display_name: &name,
            role,
            locale,
            partner_code: Some(&code),
            form_token: &token,
        };
        refused(invitations::invite_user(conn, tid, &actor, &input))
    })
    .await?;
    match result {
        Ok(user) => {
            page.flash("users-invited")?;
            Ok(see_other(&format!("/admin/users/{}", user.id)))
        }
        Err(errors) => {
            page.insert("form", &form)
                .insert("errors", &errors)
                .insert("roles", &Role::ALL.map(Role::as_str));
            page.render_status("admin/user_new.html", StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Sends a new invitation link; the previous one stops working.
pub async fn reinvite(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid) = (tenant.0.tenant_id(), path.into_inner());
    let actor = Actor::user(&me.0);
    db::run(&state.pool, move |conn| {
        invitations::reinvite(conn, tid, &actor, uid)
    })
    .await?;
    page.flash("users-invited")?;
    Ok(see_other(&format!("/admin/users/{uid}")))
}
