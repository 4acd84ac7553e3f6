//! Challenges in the portal: the participant's challenges with their progress, and a
//! challenge's page with its rules and leaderboards.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::auth::{CurrentTenant, CurrentUser};
use super::render::Page;
use crate::db::challenges::scores::Board;
use crate::domain::challenges::RankBasis;
use crate::domain::ChallengeId;
use crate::error::AppError;
use crate::services::challenges::views;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/challenges", web::get().to(list))
        .route("/challenges/{id}", web::get().to(show))
        .route("/challenges/{id}/banner", web::get().to(banner));
}

pub async fn list(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let (tid, user) = (tenant.0.tenant_id(), me.0);
    page.show("mine", "challenges/list.html", move |conn| {
        views::mine(conn, tid, &user, Utc::now())
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    board: String,
    #[serde(default)]
    by: String,
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    path: web::Path<ChallengeId>,
    query: web::Query<BoardQuery>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let board = if query.board == "partners" {
        Board::Partners
    } else {
        Board::Participants
    };
    let basis = RankBasis::parse(&query.by).unwrap_or(RankBasis::Result);
    page.show("p", "challenges/show.html", move |conn| {
        views::page(conn, tid, &user, id, board, basis, Utc::now())
    })
    .await
}

/// A challenge's banner, to whom may see the challenge (anyone else: 404).
pub async fn banner(
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<crate::startup::AppState>,
    path: web::Path<ChallengeId>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let (key, content_type, _) = crate::db::run(&state.pool, move |conn| {
        crate::services::challenges::setup::banner_for_viewer(conn, tid, &user, id)
    })
    .await?;
    let bytes = state
        .storage
        .get(&key, None)
        .await
        .map_err(AppError::internal)?;
    Ok(super::media::stored_file(
        bytes.to_vec(),
        &content_type,
        "banner",
    ))
}
