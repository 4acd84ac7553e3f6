//! Reviewing declarations (admins): the queue with its filters, a declaration with its
//! flags, proofs and the partner's history, approve, reject or reverse, bulk approve.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::studio::{given, pager_base};
use super::super::{parse_day, see_other, PageNo};
use crate::db;
use crate::db::declarations::QueueFilter;
use crate::domain::declarations::{Flag, ListedReason, Reason, Status};
use crate::domain::DeclarationId;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::declarations::{self as service, DeclarationError};
use crate::startup::AppState;

const PER_PAGE: i64 = 25;

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct QueueQuery {
    status: String,
    flag: String,
    partner: String,
    region: String,
    from: String,
    until: String,
}

fn vocab<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

pub async fn queue(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
    page_no: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    let mut q = query.into_inner();
    // The queue opens on what waits for a decision; "all" lifts the filter.
    if q.status.is_empty() {
        q.status = Status::Submitted.as_str().into();
    }
    let tid = tenant.0.tenant_id();
    let code = given(&q.partner).map(|c| c.to_uppercase());
    let filter = QueueFilter {
        status: Status::parse(&q.status).map(|s| s.as_str().to_string()),
        flag: Flag::parse(&q.flag).map(|f| f.as_str().to_string()),
        unflagged: q.flag == "none",
        partner: None,
        region: given(&q.region),
        from: parse_day(&q.from),
        until: parse_day(&q.until),
        zone: tenant.0.zone(),
    };
    // The form shows the days it filtered on (an unreadable one is dropped, not echoed).
    q.from = filter.from.map(|d| d.to_string()).unwrap_or_default();
    q.until = filter.until.map(|d| d.to_string()).unwrap_or_default();
    let n = page_no.number();
    let queue = db::run(&state.pool, move |conn| {
        service::queue(conn, tid, &filter, code.as_deref(), n, PER_PAGE)
    })
    .await?;
    let unknown_partner = queue.is_none();
    let bulk = page
        .session()
        .remove_as::<(usize, usize)>("bulk_outcome")
        .and_then(Result::ok);
    page.insert("queue", &queue)
        .insert("bulk", &bulk)
        .insert("unknown_partner", &unknown_partner)
        .insert("statuses", &vocab(Status::ALL, Status::as_str))
        .insert("flags", &vocab(Flag::ALL, Flag::as_str))
        .insert("pager_base", &pager_base(&q))
        .insert("query", &q);
    page.render("admin/declarations.html")
}

fn render_detail(
    mut page: Page,
    detail: &service::ReviewDetail,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    page.insert("r", detail)
        .insert("d", &detail.detail)
        .insert("reasons", &vocab(ListedReason::ALL, ListedReason::as_str));
    page.render_status("admin/declaration.html", status)
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<DeclarationId>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    let detail = db::run(&state.pool, move |conn| {
        service::detail_for_reviewer(conn, tid, id)
    })
    .await?;
    render_detail(page, &detail, StatusCode::OK)
}

/// The flash message of a decision that could not be taken.
fn refused(e: &DeclarationError) -> Option<&'static str> {
    match e {
        DeclarationError::AlreadyDecided => Some("review-already-decided"),
        DeclarationError::Changed => Some("review-changed-meanwhile"),
        DeclarationError::PointsSpent => Some("review-points-spent"),
        DeclarationError::OwnDeclaration => Some("review-own-declaration"),
        _ => None,
    }
}

/// The state of the declaration on the reviewer's page.
#[derive(Deserialize)]
pub struct DecisionForm {
    seen: String,
}

fn seen_status(seen: &str) -> Result<Status, AppError> {
    Status::parse(seen).ok_or_else(|| AppError::BadRequest(format!("unknown status {seen:?}")))
}

pub async fn approve(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<DeclarationId>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, id, actor) = (tenant.0.tenant_id(), path.into_inner(), Actor::user(&me.0));
    let seen = seen_status(&form.seen)?;
    let message = db::run(&state.pool, move |conn| {
        match service::approve(conn, tid, &actor, id, seen, Utc::now()) {
            Ok(_) => Ok("review-approved"),
            Err(e) => refused(&e).ok_or_else(|| AppError::from(e)),
        }
    })
    .await?;
    page.flash(message)?;
    Ok(see_other(&format!("/admin/declarations/{id}")))
}

#[derive(Deserialize)]
pub struct RejectForm {
    seen: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    reason_text: String,
}

pub async fn reject(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<DeclarationId>,
    form: web::Form<RejectForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, id, actor) = (tenant.0.tenant_id(), path.into_inner(), Actor::user(&me.0));
    let reason = Reason::parse(&form.reason, &form.reason_text);
    let seen = seen_status(&form.seen)?;
    let outcome = db::run(&state.pool, move |conn| {
        let reason = match reason {
            Ok(r) => r,
            Err(key) => return Ok(Err((key, service::detail_for_reviewer(conn, tid, id)?))),
        };
        match service::reject(conn, tid, &actor, id, seen, &reason, Utc::now()) {
            Ok(_) => Ok(Ok("review-rejected")),
            Err(e) => refused(&e).map(Ok).ok_or_else(|| AppError::from(e)),
        }
    })
    .await?;
    match outcome {
        Ok(message) => {
            page.flash(message)?;
            Ok(see_other(&format!("/admin/declarations/{id}")))
        }
        Err((key, detail)) => {
            page.insert("reason_error", key)
                .insert("reason_text", &form.reason_text);
            render_detail(page, &detail, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Approves the ticked declarations (repeated `id` fields; urlencoded forms with
/// repeated keys are read by hand).
pub async fn bulk_approve(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (ids, back) = super::ticked::<DeclarationId>(&body, "/admin/declarations")?;
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let outcome = db::run(&state.pool, move |conn| {
        service::bulk_approve(conn, tid, &actor, &ids, Utc::now())
    })
    .await?;
    page.session()
        .insert("bulk_outcome", (outcome.approved, outcome.skipped))?;
    page.flash("review-bulk-done")?;
    Ok(see_other(&back))
}
