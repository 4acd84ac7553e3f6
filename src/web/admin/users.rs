//! Users of the tenant: list, detail, enable/disable.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use diesel::PgConnection;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::refused;
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::db::users::User;
use crate::domain::{Locale, Role, TenantId, UserId};
use crate::error::AppError;
use crate::services::accounts;
use crate::services::audit::Actor;
use crate::services::invitations::{self, InviteInput};
use crate::services::partners::Listing;
use crate::services::{FieldErrors, ServiceError};
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

/// The form of `/users/{id}/role`.
#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

/// The form of `/users/{id}/access`.
#[derive(Deserialize)]
pub struct AccessForm {
    disabled: bool,
}

/// What an admin changes about a user, read from its form.
pub enum UserChange {
    Role(Role),
    Access { disabled: bool },
}

pub trait UserChangeForm: DeserializeOwned + 'static {
    fn change(self) -> Result<UserChange, AppError>;
}

impl UserChangeForm for RoleForm {
    fn change(self) -> Result<UserChange, AppError> {
        Role::parse(&self.role)
            .map(UserChange::Role)
            .ok_or_else(|| AppError::BadRequest("unknown role".into()))
    }
}

impl UserChangeForm for AccessForm {
    fn change(self) -> Result<UserChange, AppError> {
        Ok(UserChange::Access {
            disabled: self.disabled,
        })
    }
}

impl UserChange {
    /// The flash message once done.
    fn done(&self) -> &'static str {
        match self {
            UserChange::Role(_) => "users-role-changed",
            UserChange::Access { disabled: true } => "users-disabled",
            UserChange::Access { disabled: false } => "users-enabled",
        }
    }

    fn apply(
        self,
        conn: &mut PgConnection,
        tenant: TenantId,
        actor: &Actor,
        user: UserId,
    ) -> Result<User, ServiceError> {
        match self {
            UserChange::Role(role) => accounts::change_role(conn, tenant, actor, user, role),
            UserChange::Access { disabled } => {
                accounts::set_disabled(conn, tenant, actor, user, disabled)
            }
        }
    }
}

/// Runs an admin's change to a user, then shows the user's page with what happened: the
/// change, or the service's refusal (changing one's own role or access).
pub async fn change<F: UserChangeForm>(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<UserId>,
    form: web::Form<F>,
) -> Result<HttpResponse, AppError> {
    let (tid, uid, actor) = (tenant.0.tenant_id(), path.into_inner(), Actor::user(&me.0));
    let change = form.into_inner().change()?;
    let done = change.done();
    let outcome = db::run(&state.pool, move |conn| {
        refused(change.apply(conn, tid, &actor, uid))
    })
    .await?;
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
