//! The participant's tiers page: the tiers, what each unlocks, the window rule, where
//! they stand and what the next tier needs.

use actix_web::{web, HttpResponse};
use chrono::Utc;

use super::auth::CurrentUser;
use super::render::Page;
use crate::db;
use crate::error::AppError;
use crate::services::tiers;
use crate::startup::AppState;

pub async fn show(
    mut page: Page,
    me: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (tenant, user) = (me.0.tenant(), me.0.user_id());
    let (progress, rewards) = db::run(&state.pool, move |conn| {
        let progress = tiers::progress(conn, tenant, user, Utc::now())?;
        let rewards = tiers::rewards_by_rank(conn, tenant)?;
        Ok::<_, crate::services::ServiceError>((progress, rewards))
    })
    .await?;
    page.insert("p", &progress).insert("rewards", &rewards);
    page.render("portal/tiers.html")
}
