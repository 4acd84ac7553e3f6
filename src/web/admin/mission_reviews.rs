//! Reviewing photo missions (admins): the queue of submissions with their photos beside
//! the mission's example image, filters, approve, reject with a reason, bulk approve.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::studio::{given, pager_base};
use super::super::{see_other, PageNo};
use crate::db;
use crate::db::missions::media::ReviewFilter;
use crate::domain::values::ErrorKey;
use crate::domain::{AttemptId, MissionId};
use crate::error::AppError;
use crate::services::missions::photo::{self as service, Decision};
use crate::services::missions::MissionError;
use crate::startup::AppState;

const PATH: &str = "/admin/missions/reviews";

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct ReviewQuery {
    status: String,
    mission: String,
    partner: String,
    region: String,
}

/// A rejection refused (no reason): shown next to that submission's reason field.
struct RejectProblem {
    attempt: AttemptId,
    key: ErrorKey,
    reason: String,
}

async fn render_queue(
    mut page: Page,
    state: &web::Data<AppState>,
    tenant: &CurrentTenant,
    query: ReviewQuery,
    page_no: i64,
    problem: Option<RejectProblem>,
) -> Result<HttpResponse, AppError> {
    let mut q = query;
    if q.status.is_empty() {
        q.status = "pending".into();
    }
    let filter = ReviewFilter {
        mission: q.mission.trim().parse::<MissionId>().ok(),
        partner: None,
        region: given(&q.region),
        status: Some(q.status.clone()),
    };
    let code = given(&q.partner).map(|c| c.to_uppercase());
    let tid = tenant.0.tenant_id();
    let queue = db::run(&state.pool, move |conn| {
        service::review_queue(conn, tid, (&filter, code.as_deref()), page_no)
    })
    .await?;
    let bulk = page
        .session()
        .remove_as::<(usize, usize)>("mission_bulk_outcome")
        .and_then(Result::ok);
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.insert("queue", &queue)
        .insert("unknown_partner", &queue.is_none())
        .insert("bulk", &bulk)
        .insert("pager_base", &pager_base(&q))
        .insert(
            "reject_error",
            &problem.as_ref().map(|p| (p.attempt, p.key)),
        )
        .insert(
            "reject_reason",
            &problem.map(|p| p.reason).unwrap_or_default(),
        )
        .insert("statuses", &["pending", "approved", "rejected"])
        .insert("query", &q);
    page.render_status("admin/mission_reviews.html", status)
}

pub async fn queue(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<ReviewQuery>,
    page_no: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    let n = page_no.number();
    render_queue(page, &state, &tenant, query.into_inner(), n, None).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    back: String,
}

fn back_to(back: &str) -> String {
    if back.starts_with(PATH) {
        super::super::safe_next(Some(back))
    } else {
        PATH.to_string()
    }
}

/// The flash of a decision, or what stops it (refusals are said on the queue).
fn outcome(result: Result<(), MissionError>, done: &'static str) -> Result<&'static str, AppError> {
    match result {
        Ok(()) => Ok(done),
        Err(MissionError::Refused(key)) => Ok(key),
        Err(e) => Err(e.into()),
    }
}

pub async fn approve(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<AttemptId>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, reviewer, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let message = db::run(&state.pool, move |conn| {
        outcome(
            service::decide(conn, tid, &reviewer, id, &Decision::Approve, Utc::now()),
            "mission-review-approved",
        )
    })
    .await?;
    page.flash(message)?;
    Ok(see_other(&back_to(&form.back)))
}

pub async fn reject(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<AttemptId>,
    form: web::Form<DecisionForm>,
    query: web::Query<ReviewQuery>,
) -> Result<HttpResponse, AppError> {
    let (tid, reviewer, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let decision = Decision::Reject(form.reason.clone());
    let result = db::run(&state.pool, move |conn| {
        match service::decide(conn, tid, &reviewer, id, &decision, Utc::now()) {
            Err(MissionError::Invalid(errors)) => Ok(Err(errors
                .get("reason")
                .copied()
                .unwrap_or("error-required"))),
            other => outcome(other, "mission-review-rejected").map(Ok),
        }
    })
    .await?;
    match result {
        Ok(message) => {
            page.flash(message)?;
            Ok(see_other(&back_to(&form.back)))
        }
        Err(key) => {
            let problem = RejectProblem {
                attempt: id,
                key,
                reason: form.reason.clone(),
            };
            render_queue(page, &state, &tenant, query.into_inner(), 1, Some(problem)).await
        }
    }
}

/// Approves the ticked submissions (repeated `id` fields).
pub async fn bulk_approve(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (ids, back) = super::ticked::<AttemptId>(&body, PATH)?;
    let back = back_to(&back);
    let (tid, reviewer) = (tenant.0.tenant_id(), me.0);
    let counts = db::run(&state.pool, move |conn| {
        service::bulk_approve(conn, tid, &reviewer, &ids, Utc::now())
    })
    .await?;
    page.session().insert("mission_bulk_outcome", counts)?;
    page.flash("review-bulk-done")?;
    Ok(see_other(&back))
}
