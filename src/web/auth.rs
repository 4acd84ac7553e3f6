//! Login, logout, the current user and role guards.

use std::future::{ready, Ready};

use actix_web::body::MessageBody;
use actix_web::cookie::{time, Cookie, CookieJar, Key, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use sha2::{Digest, Sha512};

use super::identify::{
    tenant_of, user_of, SessionUser, SESSION_ISSUED_AT, SESSION_LOCALE, SESSION_TENANT,
    SESSION_USER,
};
use super::render::Page;
use super::{csrf, home_of, safe_next, see_other};
use crate::db;
use crate::db::tenants::Tenant;
use crate::db::users::User;
use crate::domain::{Role, TenantId};
use crate::error::AppError;
use crate::services::accounts::{self, LoginError, LoginLimits, LoginRequest};
use crate::services::passwords;
use crate::startup::AppState;

/// The signed-in user; anonymous requests are sent to the login page and back.
pub struct CurrentUser(pub User);

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(
            user_of(req)
                .map(CurrentUser)
                .ok_or_else(|| login_required(req)),
        )
    }
}

/// The tenant of the request (always present behind `identify`).
pub struct CurrentTenant(pub Tenant);

impl FromRequest for CurrentTenant {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(
            tenant_of(req)
                .map(CurrentTenant)
                .ok_or(AppError::UnknownHost),
        )
    }
}

fn login_required(req: &HttpRequest) -> AppError {
    let next = match req.query_string() {
        "" => req.path().to_string(),
        q => format!("{}?{q}", req.path()),
    };
    AppError::LoginRequired { next }
}

async fn require(
    role: Role,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let user_role = req
        .extensions()
        .get::<SessionUser>()
        .and_then(|u| u.0.as_ref().map(User::role));
    match user_role {
        Some(r) if r.includes(role) => Ok(next.call(req).await?.map_into_boxed_body()),
        Some(_) => Ok(req.error_response(AppError::Forbidden)),
        None => {
            let e = login_required(req.request());
            Ok(req.error_response(e))
        }
    }
}

/// Guards the studio: marketers and admins.
pub async fn require_marketer(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    require(Role::Marketer, req, next).await
}

/// Guards the back-office: admins only.
pub async fn require_admin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    require(Role::Admin, req, next).await
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(
    mut page: Page,
    query: web::Query<NextQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    if let Some(user) = user_of(&req) {
        return Ok(see_other(home_of(user.role())));
    }
    page.insert("next", &safe_next(query.next.as_deref()));
    page.insert("email", "");
    page.render("auth/login.html")
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// The device cookie: proof that this browser signed in to an account before, encrypted
/// and authenticated with a key derived from the secret (OWASP's "device cookies").
const DEVICE_COOKIE: &str = "relais_device";

fn device_key(state: &AppState) -> Key {
    let digest = Sha512::digest(format!(
        "device-cookie|{}",
        state.settings.security.secret_key
    ));
    Key::from(digest.as_slice())
}

/// The device id of this browser for `email` at this tenant, if its cookie says so.
fn trusted_device(
    req: &HttpRequest,
    state: &AppState,
    tenant: TenantId,
    email: &str,
) -> Option<String> {
    let cookie = req.cookie(DEVICE_COOKIE)?;
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    let value = jar.private(&device_key(state)).get(DEVICE_COOKIE)?;
    let (owner, device) = value.value().rsplit_once('|')?;
    (owner == format!("{tenant}|{}", email.trim().to_lowercase())).then(|| device.to_string())
}

fn device_cookie(state: &AppState, user: &User, device: Option<String>) -> Cookie<'static> {
    let device = device.unwrap_or_else(|| {
        let mut bytes = [0u8; 16];
        rand::fill(&mut bytes);
        hex::encode(bytes)
    });
    let value = format!("{}|{}|{device}", user.tenant_id, user.email);
    let cookie = Cookie::build(DEVICE_COOKIE, value)
        .path("/login")
        .http_only(true)
        .secure(state.settings.security.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::days(365))
        .finish();
    let mut jar = CookieJar::new();
    jar.private_mut(&device_key(state)).add(cookie);
    jar.delta()
        .next()
        .cloned()
        .unwrap_or_else(|| Cookie::new(DEVICE_COOKIE, ""))
}

pub async fn login(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let ip = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let security = &state.settings.security;
    let limits = LoginLimits {
        max_failures_per_account: security.login_max_failures_per_account,
        max_failures_per_ip: security.login_max_failures_per_ip,
        window: chrono::Duration::minutes(security.login_window_minutes),
    };
    let tenant_id = tenant.0.tenant_id();
    let device = trusted_device(&req, &state, tenant_id, &form.email);
    let (email, device_id) = (form.email.clone(), device.clone());
    // Three steps so that the slow password check holds neither a database connection
    // nor an async worker: count the attempt, check the password on the hashing pool,
    // settle the attempt.
    let pending = db::run(&state.pool, move |conn| {
        let request = LoginRequest {
            email: &email,
            ip: &ip,
            trusted_device: device_id.as_deref(),
        };
        match accounts::begin_login(conn, tenant_id, &request, limits, Utc::now()) {
            Ok(p) => Ok(Ok(p)),
            Err(LoginError::Db(e)) => Err(AppError::from(e)),
            Err(refused) => Ok(Err(refused)),
        }
    })
    .await?;
    let outcome = match pending {
        Ok(pending) => {
            let ok = passwords::verify(form.password, pending.hash.clone()).await;
            db::run(&state.pool, move |conn| {
                match accounts::finish_login(conn, pending, ok, Utc::now()) {
                    Ok(user) => Ok(Ok(user)),
                    Err(LoginError::Db(e)) => Err(AppError::from(e)),
                    Err(refused) => Ok(Err(refused)),
                }
            })
            .await?
        }
        Err(refused) => Err(refused),
    };
    match outcome {
        Ok(user) => {
            let session = page.session();
            session.renew();
            session.insert(SESSION_TENANT, user.tenant_id)?;
            session.insert(SESSION_USER, user.id)?;
            session.insert(SESSION_ISSUED_AT, issued_now())?;
            csrf::rotate(session)?;
            let next = match safe_next(form.next.as_deref()) {
                n if n == "/" => home_of(user.role()).to_string(),
                n => n,
            };
            tracing::info!(user_id = %user.id, tenant_id = %user.tenant_id, "logged in");
            let mut response = see_other(&next);
            response
                .add_cookie(&device_cookie(&state, &user, device))
                .map_err(AppError::internal)?;
            Ok(response)
        }
        Err(refused) => {
            let (status, message) = match refused {
                LoginError::TooManyAttempts => {
                    (StatusCode::TOO_MANY_REQUESTS, "login-too-many-attempts")
                }
                _ => (StatusCode::UNPROCESSABLE_ENTITY, "login-invalid"),
            };
            page.insert("next", &safe_next(form.next.as_deref()));
            page.insert("email", &form.email);
            page.insert("error", message);
            page.render_status("auth/login.html", status)
        }
    }
}

/// When a session was opened, in microseconds: revocation (`users.sessions_valid_from`)
/// is compared exactly, not to the second.
pub fn issued_now() -> i64 {
    Utc::now().timestamp_micros()
}

pub async fn logout(page: Page) -> Result<HttpResponse, AppError> {
    // The server forgets the session (every copy of its cookie stops working); the
    // visitor keeps only the language they read.
    let locale = page.session().get::<String>(SESSION_LOCALE)?;
    page.session().clear();
    page.session().renew();
    if let Some(locale) = locale {
        page.session().insert(SESSION_LOCALE, locale)?;
    }
    Ok(see_other("/login"))
}
