//! Branded error pages: any 4xx/5xx response that is not already a page (a form shown
//! again with its errors is) gets the tenant's 403/404/500 page, in the reader's
//! language. A request for an unknown host gets a plain page naming no tenant.

use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpResponse};

use super::identify::locale_of;
use super::render::{base_context, render_html};
use crate::error::Refusal;
use crate::startup::AppState;

pub fn render_error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let already_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"));
    if already_page {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let kind = match status {
        StatusCode::FORBIDDEN => "403",
        StatusCode::NOT_FOUND => "404",
        s if s.is_server_error() => "500",
        _ => "4xx",
    };
    let refusal = res.response().extensions().get::<Refusal>().cloned();
    let req = res.request().clone();
    let html = req.app_data::<web::Data<AppState>>().and_then(|state| {
        let locale = locale_of(&req);
        let mut ctx = base_context(&req, locale, false).ok()?;
        ctx.insert("status", &status.as_u16());
        ctx.insert("kind", kind);
        ctx.insert("refusal", &refusal);
        render_html(&state.templates, "errors/error.html", &ctx).ok()
    });
    // If even the error page fails, a bare status line is all that is left to say.
    let body = html.unwrap_or_else(|| format!("{status}"));
    let response = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body);
    let (req, _) = res.into_parts();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
