//! The back-office (admins only; the scope is guarded in `web::routes`).

pub mod anonymise;
pub mod api_keys;
pub mod audit;
pub mod declaration_rules;
pub mod declarations;
pub mod emails;
pub mod mission_reviews;
pub mod orders;
pub mod points;
pub mod settings;
pub mod settings_page;
pub mod theme;
pub mod tiers;
pub mod users;
pub mod webhooks;

use actix_web::{web, HttpResponse};

use super::render::Page;
use crate::error::AppError;
use crate::services::declarations::RulesInput;
use crate::services::regional::RegionalInput;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(home))
        .configure(api_keys::routes)
        .service(
            web::resource("/theme")
                .route(web::get().to(theme::form))
                .route(web::post().to(theme::save)),
        )
        .service(
            web::resource("/settings")
                .route(web::get().to(settings_page::form::<RegionalInput>))
                .route(web::post().to(settings_page::save::<RegionalInput>)),
        )
        .route("/audit", web::get().to(audit::list))
        .route("/points/{id}/tier", web::get().to(tiers::show))
        .route("/points/{id}/tier", web::post().to(tiers::set_floor))
        .route("/declarations", web::get().to(declarations::queue))
        .route(
            "/declarations/approve",
            web::post().to(declarations::bulk_approve),
        )
        .service(
            web::resource("/declarations/rules")
                .route(web::get().to(settings_page::form::<RulesInput>))
                .route(web::post().to(settings_page::save::<RulesInput>)),
        )
        .route("/declarations/{id}", web::get().to(declarations::show))
        .route(
            "/declarations/{id}/approve",
            web::post().to(declarations::approve),
        )
        .route(
            "/declarations/{id}/reject",
            web::post().to(declarations::reject),
        )
        .route("/missions/reviews", web::get().to(mission_reviews::queue))
        .route(
            "/missions/reviews/approve",
            web::post().to(mission_reviews::bulk_approve),
        )
        .route(
            "/missions/reviews/{attempt}/approve",
            web::post().to(mission_reviews::approve),
        )
        .route(
            "/missions/reviews/{attempt}/reject",
            web::post().to(mission_reviews::reject),
        )
        .route("/orders", web::get().to(orders::queue))
        .route("/orders.csv", web::get().to(orders::export_csv))
        .route("/orders/approve", web::post().to(orders::bulk_approve))
        .route("/orders/tracking", web::post().to(orders::import_tracking))
        .route(
            "/orders/auto-approve",
            web::post().to(orders::set_auto_approve),
        )
        .route("/orders/{id}", web::get().to(orders::show))
        .route("/orders/{id}/approve", web::post().to(orders::approve))
        .route("/orders/{id}/reject", web::post().to(orders::reject))
        .route(
            "/orders/{id}/lines/{line}/{step}",
            web::post().to(orders::step),
        )
        .route("/emails", web::get().to(emails::list))
        .route("/points", web::get().to(points::balances))
        .route("/points/{id}", web::get().to(points::participant))
        .route(
            "/points/{id}/statement.csv",
            web::get().to(points::participant_csv),
        )
        .route("/points/{id}/adjust", web::post().to(points::adjust))
        .route("/emails/{id}/retry", web::post().to(emails::retry))
        .service(
            web::resource("/webhooks")
                .route(web::get().to(webhooks::list))
                .route(web::post().to(webhooks::create)),
        )
        .service(
            web::resource("/webhooks/{id}")
                .route(web::get().to(webhooks::show))
                .route(web::post().to(webhooks::update)),
        )
        .route("/webhooks/{id}/rotate", web::post().to(webhooks::rotate))
        .route("/webhooks/{id}/delete", web::post().to(webhooks::delete))
        .route(
            "/webhooks/{id}/deliveries/{delivery}/resend",
            web::post().to(webhooks::resend),
        )
        .route("/users", web::get().to(users::list))
        .service(
            web::resource("/users/new")
                .route(web::get().to(users::new_form))
                .route(web::post().to(users::invite)),
        )
        .route("/users/{id}/invitation", web::post().to(users::reinvite))
        .route("/users/{id}", web::get().to(users::show))
        .route(
            "/users/{id}/anonymise",
            web::post().to(anonymise::anonymise),
        )
        .route(
            "/users/{id}/access",
            web::post().to(users::change::<users::AccessForm>),
        )
        .route(
            "/users/{id}/role",
            web::post().to(users::change::<users::RoleForm>),
        );
}

/// A bulk form's ticked ids (repeated `id` fields: urlencoded forms with repeated keys
/// are read by hand) and the page to go back to (`back`, else `default`).
pub fn ticked<T: std::str::FromStr>(
    body: &[u8],
    default: &str,
) -> Result<(Vec<T>, String), AppError> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| AppError::BadRequest(format!("unreadable form: {e}")))?;
    let ids = fields
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let back = fields
        .iter()
        .find(|(k, _)| k == "back")
        .map_or_else(|| default.to_string(), |(_, v)| super::safe_next(Some(v)));
    Ok((ids, back))
}

pub async fn home(page: Page) -> Result<HttpResponse, AppError> {
    page.render("admin/home.html")
}
