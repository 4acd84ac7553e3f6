//! The reward catalog in the portal: browsing (categories, search, "within my balance",
//! sort, wishlist), a reward's page with its redeem form, and the participant's orders
//! (with their voucher codes, cancellable while they wait for a decision).

pub mod catalog;
pub mod orders;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/rewards", web::get().to(catalog::list))
        .route("/rewards/{id}", web::get().to(catalog::show))
        .route("/rewards/{id}/redeem", web::post().to(catalog::redeem))
        .route("/rewards/{id}/wish", web::post().to(catalog::wish))
        .route(
            "/rewards/{id}/images/{position}",
            web::get().to(catalog::image),
        )
        .route("/orders", web::get().to(orders::list))
        .route("/orders/{id}", web::get().to(orders::show))
        .route("/orders/{id}/cancel", web::post().to(orders::cancel));
}
