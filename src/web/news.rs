//! The brand's news for the signed-in user: `/news`, a post, its image.

use actix_web::{web, HttpResponse};
use chrono::Utc;

use super::auth::{CurrentTenant, CurrentUser};
use super::render::Page;
use crate::db;
use crate::domain::ids::NewsPostId;
use crate::error::AppError;
use crate::services::news;
use crate::startup::AppState;

/// Most posts `/news` lists.
const LIST_MAX: usize = 50;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/news", web::get().to(list))
        .route("/news/{id}", web::get().to(show))
        .route("/news/{id}/image", web::get().to(image));
}

pub async fn list(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let (tid, user) = (tenant.0.tenant_id(), me.0);
    page.show("posts", "news/list.html", move |conn| {
        news::for_participant(conn, tid, &user, Utc::now(), LIST_MAX)
    })
    .await
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    path: web::Path<NewsPostId>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    page.show("post", "news/show.html", move |conn| {
        news::show(conn, tid, &user, id, Utc::now())
    })
    .await
}

pub async fn image(
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<NewsPostId>,
) -> Result<HttpResponse, AppError> {
    let (tid, user, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let key = db::run(&state.pool, move |conn| {
        news::image(conn, tid, &user, id, Utc::now())
    })
    .await?;
    let bytes = state
        .storage
        .get(&key, None)
        .await
        .map_err(AppError::internal)?;
    Ok(super::media::stored_file(
        bytes.to_vec(),
        "image/jpeg",
        "news",
    ))
}
