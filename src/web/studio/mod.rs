//! The marketers' studio (marketers and admins; the scope is guarded in `web::routes`).

pub mod analytics;
pub mod badges;
pub mod catalog;
pub mod challenge_roi;
pub mod challenges;
pub mod imports;
pub mod missions;
pub mod news;
pub mod partners;
pub mod rewards;
pub mod segments;
pub mod sell_through;
pub mod stock;
pub mod tiers;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::render::Page;
use crate::db::partners::Partners;
use crate::db::products::Products;
use crate::db::rewards::Rewards;
use crate::error::AppError;
use crate::services::tiers::TiersInput;

/// Rows per page of the studio's lists.
pub const PAGE_SIZE: i64 = 25;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(home))
        .configure(news::routes)
        .configure(badges::routes)
        .configure(catalog::routes::<Partners>)
        .route("/partners/{id}", web::get().to(partners::show))
        .route(
            "/partners/{id}/edit",
            web::get().to(catalog::edit_form::<Partners>),
        )
        .configure(catalog::routes::<Products>)
        .route(
            "/products/{id}",
            web::get().to(catalog::edit_form::<Products>),
        )
        .route(
            "/rewards/category-order",
            web::post().to(rewards::set_category_order),
        )
        .configure(catalog::routes::<Rewards>)
        .route(
            "/rewards/{id}",
            web::get().to(catalog::edit_form::<Rewards>),
        )
        .route(
            "/rewards/{id}/images/{position}",
            web::post().to(rewards::upload_image),
        )
        .route(
            "/rewards/{id}/images/{position}/delete",
            web::post().to(rewards::remove_image),
        )
        .route(
            "/rewards/{id}/segments",
            web::post().to(rewards::set_segments),
        )
        .route("/rewards/{id}/tier", web::post().to(tiers::set_reward_tier))
        .service(
            web::resource("/tiers")
                .route(web::get().to(super::admin::settings_page::form::<TiersInput>))
                .route(web::post().to(super::admin::settings_page::save::<TiersInput>)),
        )
        .route("/rewards/{id}/codes", web::post().to(rewards::import_codes))
        .route(
            "/rewards/{id}/codes/generate",
            web::post().to(rewards::generate_codes),
        )
        .route("/segments", web::get().to(segments::list))
        .route("/segments", web::post().to(segments::create))
        .route("/segments/new", web::get().to(segments::new_form))
        .route("/segments/count", web::get().to(segments::count))
        .route("/segments/{id}", web::get().to(segments::edit_form))
        .route("/segments/{id}", web::post().to(segments::update))
        .route("/missions", web::get().to(missions::list))
        .route("/missions", web::post().to(missions::create))
        .route("/missions/new", web::get().to(missions::new_form))
        .route("/missions/{id}", web::get().to(missions::edit))
        .route("/missions/{id}", web::post().to(missions::update))
        .route(
            "/missions/{id}/status",
            web::post().to(missions::set_status),
        )
        .route(
            "/missions/{id}/questions",
            web::post().to(missions::add_question),
        )
        .route(
            "/missions/{id}/questions/{question}/delete",
            web::post().to(missions::delete_question),
        )
        .route(
            "/missions/{id}/questions/{question}/move",
            web::post().to(missions::move_question),
        )
        .route(
            "/missions/{id}/media/{role}",
            web::post().to(missions::upload_media),
        )
        .route("/missions/{id}/results", web::get().to(missions::results))
        .route(
            "/missions/{id}/results.csv",
            web::get().to(missions::results_csv),
        )
        .route("/challenges", web::get().to(challenges::list))
        .route("/challenges", web::post().to(challenges::create))
        .route("/challenges/new", web::get().to(challenges::new_form))
        .route("/challenges/{id}", web::get().to(challenges::edit))
        .route("/challenges/{id}", web::post().to(challenges::update))
        .route(
            "/challenges/{id}/publish",
            web::post().to(challenges::publish),
        )
        .route(
            "/challenges/{id}/banner",
            web::post().to(challenges::upload_banner),
        )
        .route(
            "/challenges/{id}/targets",
            web::post().to(challenges::upload_targets),
        )
        .route(
            "/challenges/{id}/results",
            web::get().to(challenges::results),
        )
        .route(
            "/challenges/{id}/results.csv",
            web::get().to(challenges::results_csv),
        )
        .configure(analytics_roi_routes)
        .route("/analytics", web::get().to(analytics::overview))
        .route(
            "/analytics/{table}.csv",
            web::get().to(analytics::export_csv),
        )
        .route("/stock", web::get().to(stock::list))
        .route("/stock.csv", web::get().to(stock::export))
        .route("/partners/{id}/stock", web::get().to(stock::of_partner))
        .route(
            "/partners/{id}/stock.csv",
            web::get().to(stock::export_partner),
        )
        .route("/imports", web::get().to(imports::form))
        .route("/imports", web::post().to(imports::upload))
        .route(
            "/imports/{id}/columns",
            web::post().to(imports::map_columns),
        );
}

/// Sell-through and challenge results (`/studio/analytics/…`).
fn analytics_roi_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/analytics/sell-through", web::get().to(sell_through::show))
        .route(
            "/analytics/sell-through/draft",
            web::post().to(sell_through::start_draft),
        )
        .route(
            "/analytics/sell-through/{table}.csv",
            web::get().to(sell_through::export),
        )
        .route("/analytics/challenges", web::get().to(challenge_roi::list))
        .route(
            "/analytics/challenges.csv",
            web::get().to(challenge_roi::list_csv),
        )
        .route(
            "/analytics/challenges/{id}.csv",
            web::get().to(challenge_roi::show_csv),
        )
        .route(
            "/analytics/challenges/{id}",
            web::get().to(challenge_roi::show),
        );
}

pub async fn home(page: Page) -> Result<HttpResponse, AppError> {
    page.render("studio/home.html")
}

pub use super::refused;

/// `Some` for a non-blank filter value.
/// A filter's text, if any. A NUL (which Postgres refuses in text, and so no stored value
/// holds) becomes U+FFFD: the filter then matches nothing instead of failing the query.
pub fn given(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.replace('\0', "\u{FFFD}"))
}

/// The "active" filter: `yes`, `no`, or anything else for all.
pub fn active_filter(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// The body of the activate/deactivate buttons.
#[derive(Deserialize)]
pub struct ActiveForm {
    pub active: bool,
}

/// The query string of a list without its page, for the pager's links (`…&page=N`).
pub fn pager_base<T: Serialize>(query: &T) -> String {
    let mut base = serde_urlencoded::to_string(query).unwrap_or_default();
    if !base.is_empty() {
        base.push('&');
    }
    base
}
