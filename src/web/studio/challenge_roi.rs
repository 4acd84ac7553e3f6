//! Results across challenges (participation, attainment, incremental sell-out, points
//! cost and points per incremental unit), and one challenge's subjects.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::super::auth::CurrentTenant;
use super::super::parse_day;
use super::super::render::Page;
use crate::domain::ChallengeId;
use crate::error::AppError;
use crate::services::analytics_roi::challenges;

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct Params {
    pub from: String,
    pub to: String,
}

impl Params {
    pub fn period(&self, tenant: &CurrentTenant) -> (chrono::NaiveDate, chrono::NaiveDate) {
        let today = tenant.0.zone().today(Utc::now());
        challenges::period(parse_day(&self.from), parse_day(&self.to), today)
    }
}

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    params: web::Query<Params>,
) -> Result<HttpResponse, AppError> {
    let (tid, period) = (tenant.0.tenant_id(), params.period(&tenant));
    page.insert(
        "query_string",
        &serde_urlencoded::to_string(&*params).unwrap_or_default(),
    );
    page.show("view", "studio/challenge_roi.html", move |conn| {
        challenges::overview(conn, tid, period)
    })
    .await
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    path: web::Path<ChallengeId>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    page.show("d", "studio/challenge_roi_show.html", move |conn| {
        challenges::detail(conn, tid, id)
    })
    .await
}
