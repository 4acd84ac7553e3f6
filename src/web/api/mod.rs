//! The integration API, `/api/v1`: JSON for ERP, CRM and e-commerce connectors, per
//! tenant (the host names it, as for pages), authenticated by API keys, documented by
//! an OpenAPI 3.1 document generated from these handlers (`docs`). Handlers stay thin:
//! check the key and its scope, parse, call one service (inside the idempotency
//! wrapper for POSTs), answer JSON.

pub mod body;
pub mod caller;
pub mod challenges;
pub mod docs;
pub mod error;
pub mod missions;
pub mod network;
pub mod orders;
pub mod points;
pub mod sell_in;
pub mod sell_out;

use actix_web::{web, HttpResponse};
use utoipa::IntoParams;

pub use caller::{Caller, RateLimiter};
pub use error::ApiError;

/// `Idempotency-Key` (every POST): a retry with the same key gets the first response
/// (status and body, with `Idempotent-Replayed: true`); the same key with another body
/// is refused (422). Keys are kept 48 hours.
#[derive(IntoParams)]
#[into_params(names("Idempotency-Key"), parameter_in = Header)]
pub struct IdempotencyKey(#[allow(dead_code)] Option<String>);

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/docs", web::get().to(docs::page)).service(
        web::scope("/api/v1")
            .route("/openapi.json", web::get().to(docs::openapi))
            .route("/sell-in", web::post().to(sell_in::upload))
            .route("/sell-out/declarations", web::get().to(sell_out::list))
            .route("/sell-out/declarations", web::post().to(sell_out::create))
            .route("/sell-out/declarations/{id}", web::get().to(sell_out::show))
            .route("/partners", web::get().to(network::partners))
            .route("/partners", web::post().to(network::upsert_partners))
            .route("/partners/{code}", web::get().to(network::partner))
            .route(
                "/partners/{code}/deactivate",
                web::post().to(network::deactivate_partner),
            )
            .route("/products", web::get().to(network::products))
            .route("/products", web::post().to(network::upsert_products))
            .route("/products/{sku}", web::get().to(network::product))
            .route(
                "/products/{sku}/deactivate",
                web::post().to(network::deactivate_product),
            )
            .route("/participants", web::get().to(network::participants))
            .route(
                "/participants",
                web::post().to(network::upsert_participants),
            )
            .route("/participants/{email}", web::get().to(network::participant))
            .route(
                "/participants/{email}/statement",
                web::get().to(points::statement),
            )
            .route(
                "/participants/{email}/deactivate",
                web::post().to(network::deactivate_participant),
            )
            .route(
                "/participants/{email}/missions",
                web::get().to(missions::of_participant),
            )
            .route(
                "/participants/{email}/challenges",
                web::get().to(challenges::of_participant),
            )
            .route("/missions", web::get().to(missions::list))
            .route("/missions/{id}", web::get().to(missions::show))
            .route("/challenges", web::get().to(challenges::list))
            .route("/challenges/{id}", web::get().to(challenges::show))
            .route("/orders", web::get().to(orders::list))
            .route("/orders/{id}", web::get().to(orders::show))
            .route("/orders/{id}/status", web::post().to(orders::set_status))
            .default_service(web::to(not_found)),
    );
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::not_found())
}
