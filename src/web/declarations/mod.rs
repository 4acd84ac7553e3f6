//! The participant's declarations in the portal: declare, list, withdraw, proofs,
//! CSV upload.

pub mod form;
pub mod import;
pub mod own;

use actix_multipart::form::MultipartFormConfig;
use actix_web::web;

/// Five proofs of up to 10 MB and the form's fields; the service refuses what breaks
/// the rules with a message.
fn upload_limits() -> MultipartFormConfig {
    MultipartFormConfig::default()
        .total_limit(64 * 1024 * 1024)
        .memory_limit(256 * 1024)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/declarations")
            .app_data(upload_limits())
            .route(web::get().to(own::list))
            .route(web::post().to(form::submit)),
    )
    .route("/declarations/new", web::get().to(form::new_form))
    .service(
        web::resource("/declarations/import")
            .app_data(upload_limits())
            .route(web::get().to(import::form))
            .route(web::post().to(import::upload)),
    )
    .route("/declarations/{id}", web::get().to(own::show))
    .route("/declarations/{id}/withdraw", web::post().to(own::withdraw))
    .route("/declarations/{id}/proofs/{n}", web::get().to(own::proof));
}
