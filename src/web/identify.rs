//! Who is asking: the tenant from the Host header, the user from the session and the
//! language, resolved once per request and kept in the request's extensions.

use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};

use crate::db::tenants::Tenant;
use crate::db::users::User;
use crate::db::{self, DbPool};
use crate::domain::{Locale, TenantId, UserId};
use crate::error::AppError;
use crate::services::{accounts, tenants};
use crate::startup::AppState;

pub const SESSION_USER: &str = "uid";
pub const SESSION_TENANT: &str = "tid";
pub const SESSION_LOCALE: &str = "locale";
/// When the session was opened (Unix microseconds), to honour server-side revocation.
pub const SESSION_ISSUED_AT: &str = "iat";

/// The signed-in user of this request, if any.
#[derive(Clone)]
pub struct SessionUser(pub Option<User>);

/// Paths served whatever the host (probes and static files).
fn is_platform_path(path: &str) -> bool {
    path == "/healthz" || path == "/readyz" || path.starts_with("/assets/")
}

pub async fn identify(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if is_platform_path(req.path()) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(req.error_response(AppError::internal(anyhow::anyhow!("no app state"))));
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let session = req.get_session();
    let session_user = match (
        session.get::<i64>(SESSION_TENANT),
        session.get::<i64>(SESSION_USER),
    ) {
        (Ok(Some(t)), Ok(Some(u))) => {
            let issued_at = session
                .get::<i64>(SESSION_ISSUED_AT)
                .ok()
                .flatten()
                .unwrap_or(0);
            Some((TenantId(t), UserId(u), issued_at))
        }
        _ => None,
    };
    let base_domain = state.settings.tenancy.base_domain.clone();
    let found = lookup(&state.pool, host, base_domain, session_user).await;
    let (tenant, user) = match found {
        Ok(Some(found)) => found,
        Ok(None) if req.path().starts_with("/api/") => {
            return Ok(req.error_response(super::api::ApiError::not_found()))
        }
        Ok(None) => return Ok(req.error_response(AppError::UnknownHost)),
        Err(e) => return Ok(req.error_response(e)),
    };
    if session_user.is_some() && user.is_none() {
        // A session from another tenant, or of a deleted or disabled user: forget it.
        session.purge();
    }
    // A link from an e-mail carries the language it was written in (`?lang=`): an
    // anonymous visitor gets the pages in it, and keeps it for the session.
    let from_link = req
        .query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("lang="))
        .and_then(Locale::parse);
    if let (None, Some(l)) = (&user, from_link) {
        session.insert(SESSION_LOCALE, l.as_str())?;
    }
    let chosen = session.get::<String>(SESSION_LOCALE).ok().flatten();
    let locale = user
        .as_ref()
        .and_then(User::locale)
        .or_else(|| chosen.as_deref().and_then(Locale::parse))
        .unwrap_or_else(|| tenant.locale());
    req.extensions_mut().insert(locale);
    req.extensions_mut().insert(tenant);
    req.extensions_mut().insert(SessionUser(user));
    Ok(next.call(req).await?.map_into_boxed_body())
}

async fn lookup(
    pool: &DbPool,
    host: String,
    base_domain: String,
    session_user: Option<(TenantId, UserId, i64)>,
) -> Result<Option<(Tenant, Option<User>)>, AppError> {
    Ok(db::run(pool, move |conn| {
        let Some(tenant) = tenants::resolve_host(conn, &host, &base_domain)? else {
            return Ok::<_, crate::services::ServiceError>(None);
        };
        let user = match session_user {
            Some((tid, uid, issued_at)) if tid == tenant.tenant_id() => {
                accounts::session_user(conn, tid, uid)?
                    // Revoked since this session was opened (password, role, deactivation).
                    .filter(|u| u.sessions_valid_from.timestamp_micros() <= issued_at)
            }
            _ => None,
        };
        Ok(Some((tenant, user)))
    })
    .await?)
}

/// The tenant of a request that went through `identify`.
pub fn tenant_of(req: &HttpRequest) -> Option<Tenant> {
    req.extensions().get::<Tenant>().cloned()
}

pub fn user_of(req: &HttpRequest) -> Option<User> {
    req.extensions()
        .get::<SessionUser>()
        .and_then(|u| u.0.clone())
}

/// The language of the page: the user's choice, else the tenant's default; for a
/// request that names no tenant, the browser's preference.
pub fn locale_of(req: &HttpRequest) -> Locale {
    if let Some(locale) = req.extensions().get::<Locale>() {
        return *locale;
    }
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .and_then(Locale::from_accept_language)
        .unwrap_or_default()
}
