//! The HTTP layer: thin handlers that parse input, call one service through `db::run`
//! and render a template or redirect.

pub mod account;
pub mod admin;
pub mod auth;
pub mod badges;
pub mod challenges;
pub mod charts;
pub mod csrf;
pub mod declarations;
pub mod dev;
pub mod errors;
pub mod export;
pub mod forms;
pub mod identify;
pub mod leaderboard;
pub mod media;
pub mod missions;
pub mod news;
pub mod notifications;
pub mod ops;
pub mod points;
pub mod portal;
pub mod profile;
pub mod render;
pub mod rewards;
pub mod session_store;
pub mod studio;
pub mod tiers;

use actix_web::web;

use crate::domain::Role;

/// Every route of the application.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(ops::healthz)))
        .service(web::resource("/readyz").route(web::get().to(ops::readyz)))
        .service(
            web::resource("/login")
                .route(web::get().to(auth::login_form))
                .route(web::post().to(auth::login)),
        )
        .service(web::resource("/logout").route(web::post().to(auth::logout)))
        .service(
            web::resource("/account/forgot")
                .route(web::get().to(account::forgot_form))
                .route(web::post().to(account::forgot_submit)),
        )
        .configure(notifications::routes)
        .service(
            web::resource("/account/{kind}/{token}")
                .route(web::get().to(account::link_form))
                .route(web::post().to(account::link_submit)),
        )
        .service(web::resource("/locale").route(web::post().to(portal::switch_locale)))
        .service(web::resource("/branding/logo").route(web::get().to(portal::logo)))
        .service(web::resource("/favicon.ico").route(web::get().to(portal::favicon)))
        .service(web::resource("/").route(web::get().to(portal::home)))
        .route("/points", web::get().to(points::statement))
        .route("/points.csv", web::get().to(points::statement_csv))
        .route("/tiers", web::get().to(tiers::show))
        .configure(declarations::routes)
        .route("/media/{id}", web::get().to(media::show))
        .configure(missions::routes)
        .configure(challenges::routes)
        .configure(rewards::routes)
        .configure(profile::routes)
        .configure(news::routes)
        .configure(badges::routes)
        .configure(leaderboard::routes)
        .service(
            web::scope("/studio")
                .wrap(actix_web::middleware::from_fn(auth::require_marketer))
                .configure(studio::routes),
        )
        .service(
            web::scope("/admin")
                .wrap(actix_web::middleware::from_fn(auth::require_admin))
                .configure(admin::routes),
        );
}

/// Development-only pages (the e-mails written by the file transport).
pub fn dev_routes(cfg: &mut web::ServiceConfig) {
    // Reset links are in those e-mails: admins only, even in development.
    cfg.service(
        web::scope("/dev")
            .wrap(actix_web::middleware::from_fn(auth::require_admin))
            .route("/mail", web::get().to(dev::mail)),
    );
}

/// Percent-encodes a query-string value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A redirect target that stays on this site: a local path, never `//host`, `/\\host`,
/// a URL, or anything with control characters (browsers drop tabs and newlines, so
/// `/<tab>/evil.example` would become `//evil.example`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.chars().any(|c| c.is_control() || c == '\\')
                && !n[1..].starts_with('/')
                && !n.contains("://") =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// `?page=` of a paginated list, kept within sane bounds so offsets cannot overflow.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageNo {
    pub page: Option<i64>,
}

impl PageNo {
    pub fn number(&self) -> i64 {
        self.page.unwrap_or(1).clamp(1, 100_000)
    }
}

/// A `YYYY-MM-DD` date typed in a filter or a file, between the years 2000 and 2100
/// (anything else counts as not given).
pub fn parse_day(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| crate::domain::declarations::within_years(*d))
}

/// The landing page of a role.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Participant => "/",
        Role::Marketer => "/studio",
        Role::Admin => "/admin",
    }
}

/// Separates input a service refused (a form shown again with its errors, 422) from
/// failures (an error page).
pub fn refused<T>(
    result: Result<T, crate::services::ServiceError>,
) -> Result<Result<T, crate::services::FieldErrors>, crate::error::AppError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(crate::services::ServiceError::Invalid(errors)) => Ok(Err(errors)),
        Err(e) => Err(e.into()),
    }
}

/// A 303 redirect.
/// Answers HEAD as GET (uptime checkers use HEAD); the HTTP layer sends the headers
/// without the body, since the request on the wire was a HEAD.
pub async fn head_as_get(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    next.call(req).await
}

pub fn see_other(location: &str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location.to_string()))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(safe_next(Some("/admin/theme")), "/admin/theme");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(
            safe_next(Some("/points?from=2026-01-01")),
            "/points?from=2026-01-01"
        );
    }

    #[test]
    fn pages_and_days_are_bounded() {
        assert_eq!(
            PageNo {
                page: Some(i64::MAX)
            }
            .number(),
            100_000
        );
        assert_eq!(PageNo { page: Some(-3) }.number(), 1);
        assert!(parse_day("-5000-01-01").is_none());
        assert!(parse_day("2026-02-30").is_none());
        assert!(parse_day("2026-11-23").is_some());
    }
}
