//! The monthly leaderboard: `?month=YYYY-MM&board=people|partners&scope=region|national`;
//! anything else in the query shows the defaults (never an error).

use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::auth::{CurrentTenant, CurrentUser};
use super::render::Page;
use crate::error::AppError;
use crate::services::leaderboard::{self as service, Wanted};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/leaderboard", web::get().to(show));
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    month: String,
    #[serde(default)]
    board: String,
    #[serde(default)]
    scope: String,
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    query: Result<web::Query<BoardQuery>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let q = query.map(|q| q.into_inner()).unwrap_or_default();
    let wanted = Wanted {
        month: q.month,
        board: q.board,
        scope: q.scope,
    };
    let (tid, user) = (tenant.0.tenant_id(), me.0);
    page.show("board", "portal/leaderboard.html", move |conn| {
        service::monthly(conn, tid, &user, &wanted, Utc::now())
    })
    .await
}
