//! Reward orders (admins): the queue with its filters, approve, reject with a reason,
//! bulk approve, the fulfilment file out (CSV) and its tracking numbers back (all or
//! nothing), the tenant's auto-approval threshold; an order's page with its lines and
//! their fulfilment steps (ship, deliver, refund).
//!
//! A decision the service refuses (the order decided meanwhile, the reviewer's own
//! order, a step not allowed from the line's status) shows the order's page with the
//! reason and status 409; input refused (no reason, no carrier) shows it with the
//! message next to its field and status 422.

use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::MultipartForm;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::db::rewards::orders as order_rows;
use crate::db::Lock;
use crate::domain::rewards::{AddressInput, LineStatus, OrderStatus, RewardKind, Step};
use crate::domain::values::ErrorKey;
use crate::domain::{OrderId, OrderLineId, TenantId};
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::rewards::fulfil::{self, FileProblem, StepInput};
use crate::services::rewards::views::{self, AdminOrder, QueueQuery};
use crate::services::rewards::{review, RewardError};
use crate::services::FieldErrors;
use crate::startup::AppState;

const PATH: &str = "/admin/orders";
const BULK_OUTCOME: &str = "orders_bulk_outcome";

/// What the queue page shows besides the queue: a refused form of the page.
#[derive(Default)]
struct QueueProblems {
    errors: FieldErrors,
    tracking: Vec<FileProblem>,
    auto_approve_below: Option<String>,
}

/// The filters as a query string without the page, for the pager and the export link.
fn filters_base(q: &QueueQuery) -> String {
    let set: Vec<(&str, &str)> = [
        ("status", &q.status),
        ("reward", &q.reward),
        ("partner", &q.partner),
        ("region", &q.region),
        ("line", &q.line),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (k, v.as_str()))
    .collect();
    super::super::studio::pager_base(&set)
}

async fn render_queue(
    mut page: Page,
    state: &web::Data<AppState>,
    tid: TenantId,
    mut query: QueueQuery,
    problems: QueueProblems,
) -> Result<HttpResponse, AppError> {
    if query.status.trim().is_empty() {
        query.status = OrderStatus::Pending.as_str().into();
    }
    let base = filters_base(&query);
    let (queue, below) = db::run(&state.pool, move |conn| {
        let queue = views::queue(conn, tid, query)?;
        let below = order_rows::auto_approve_below(conn, tid)?;
        Ok::<_, AppError>((queue, below))
    })
    .await?;
    let bulk = page
        .session()
        .remove_as::<(usize, usize)>(BULK_OUTCOME)
        .and_then(Result::ok);
    let status = if problems.errors.is_empty() && problems.tracking.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let statuses: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
    let line_statuses: Vec<&str> = LineStatus::ALL.iter().map(|s| s.as_str()).collect();
    page.insert("queue", &queue)
        .insert("query", &queue.query)
        .insert("statuses", &statuses)
        .insert("line_statuses", &line_statuses)
        .insert("pager_base", &base)
        .insert("bulk", &bulk)
        .insert("errors", &problems.errors)
        .insert("tracking_problems", &problems.tracking)
        .insert(
            "auto_approve_below",
            &problems
                .auto_approve_below
                .unwrap_or_else(|| below.map(|b| b.to_string()).unwrap_or_default()),
        );
    page.render_status("admin/orders.html", status)
}

pub async fn queue(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    render_queue(
        page,
        &state,
        tid,
        query.into_inner(),
        QueueProblems::default(),
    )
    .await
}

/// The lines of the queue's matching orders, as the fulfilment house's file.
pub async fn export_csv(
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let (tid, query) = (tenant.0.tenant_id(), query.into_inner());
    let bytes = db::run(&state.pool, move |conn| views::export_csv(conn, tid, query)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"orders.csv\"",
        ))
        .body(bytes))
}

/// Where a form goes back to: the page it was sent from, if it is one of these.
fn back_to(back: &str, default: &str) -> String {
    if back.starts_with(PATH) {
        super::super::safe_next(Some(back))
    } else {
        default.to_string()
    }
}

/// Approves the ticked orders (repeated `id` fields), each on its own.
pub async fn bulk_approve(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (ids, back) = super::ticked::<OrderId>(&body, PATH)?;
    let (tid, reviewer) = (tenant.0.tenant_id(), me.0);
    let done = db::run(&state.pool, move |conn| {
        review::approve_many(conn, tid, &reviewer, &ids, Utc::now())
    })
    .await?;
    page.session()
        .insert(BULK_OUTCOME, (done.approved, done.skipped))?;
    page.flash("admin-orders-bulk-done")?;
    Ok(see_other(&back_to(&back, PATH)))
}

#[derive(MultipartForm)]
pub struct TrackingUpload {
    #[multipart(limit = "8MB")]
    file: Option<TempFile>,
}

/// Imports tracking numbers: every line shipped, or none and each bad line shown.
pub async fn import_tracking(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    MultipartForm(upload): MultipartForm<TrackingUpload>,
) -> Result<HttpResponse, AppError> {
    let bytes = match upload.file {
        Some(f) if f.size > 0 => std::fs::read(f.file.path())
            .map_err(|e| AppError::internal(anyhow::anyhow!("reading an upload: {e}")))?,
        _ => vec![],
    };
    let (tid, admin) = (tenant.0.tenant_id(), me.0);
    let result = db::run(&state.pool, move |conn| {
        fulfil::import_tracking(conn, tid, &admin, &bytes, Utc::now())
    })
    .await?;
    match result {
        Ok(_) => {
            page.flash("admin-orders-tracking-imported")?;
            Ok(see_other(&format!("{PATH}?status=approved")))
        }
        Err(tracking) => {
            let problems = QueueProblems {
                errors: FieldErrors::from([("tracking", "admin-orders-tracking-refused")]),
                tracking,
                ..QueueProblems::default()
            };
            let query = QueueQuery {
                status: OrderStatus::Approved.as_str().into(),
                ..QueueQuery::default()
            };
            render_queue(page, &state, tid, query, problems).await
        }
    }
}

#[derive(Deserialize)]
pub struct AutoApproveForm {
    #[serde(default)]
    auto_approve_below: String,
}

/// The tenant's threshold below which orders approve themselves (empty: never).
pub async fn set_auto_approve(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<AutoApproveForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let typed = form.into_inner().auto_approve_below;
    let input = typed.clone();
    let result = db::run(&state.pool, move |conn| {
        match review::set_auto_approve(conn, tid, &actor, &input, Utc::now()) {
            Ok(_) => Ok(Ok(())),
            Err(RewardError::Invalid(errors)) => Ok(Err(errors)),
            Err(e) => Err(AppError::from(e)),
        }
    })
    .await?;
    match result {
        Ok(()) => {
            page.flash("admin-orders-auto-approve-saved")?;
            Ok(see_other(PATH))
        }
        Err(errors) => {
            let problems = QueueProblems {
                errors,
                auto_approve_below: Some(typed),
                ..QueueProblems::default()
            };
            render_queue(page, &state, tid, QueueQuery::default(), problems).await
        }
    }
}

/// The steps each line of an order may take now, in the order of its lines.
#[derive(Serialize)]
struct LineSteps {
    line: OrderLineId,
    steps: Vec<&'static str>,
}

fn step_name(step: Step) -> &'static str {
    match step {
        Step::Ship => "ship",
        Step::Deliver => "deliver",
        Step::Refund => "refund",
    }
}

fn steps_of(order: &AdminOrder) -> Vec<LineSteps> {
    let approved = order.view.order.status == OrderStatus::Approved.as_str();
    order
        .view
        .lines
        .iter()
        .map(|l| {
            let (status, kind) = (
                LineStatus::parse(&l.line.status),
                RewardKind::parse(&l.reward_kind),
            );
            let steps = match (approved, status, kind) {
                (true, Some(status), Some(kind)) => [Step::Ship, Step::Deliver, Step::Refund]
                    .into_iter()
                    .filter(|s| status.after(*s, kind).is_some())
                    .map(step_name)
                    .collect(),
                _ => vec![],
            };
            LineSteps {
                line: l.line.id,
                steps,
            }
        })
        .collect()
}

/// What the order page shows besides the order: a refusal or a form's errors.
#[derive(Default)]
struct OrderProblems {
    /// A decision or step refused as a whole (409).
    refusal: Option<ErrorKey>,
    /// The reject form's errors and reason as typed (422).
    errors: FieldErrors,
    reason: String,
    /// A line's step form: the line, its errors and what was typed (422).
    line: Option<(OrderLineId, FieldErrors, StepValues)>,
}

#[derive(Default, Serialize, Deserialize, Clone)]
#[serde(default)]
pub struct StepValues {
    carrier: String,
    tracking_number: String,
    reason: String,
}

async fn render_order(
    mut page: Page,
    state: &web::Data<AppState>,
    tid: TenantId,
    id: OrderId,
    problems: OrderProblems,
) -> Result<HttpResponse, AppError> {
    let order = db::run(&state.pool, move |conn| views::admin_order(conn, tid, id)).await?;
    let address: Option<AddressInput> = order
        .view
        .order
        .delivery_address
        .clone()
        .and_then(|v| serde_json::from_value(v).ok());
    let status = if problems.refusal.is_some() {
        StatusCode::CONFLICT
    } else if !problems.errors.is_empty() || problems.line.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (line_id, line_errors, line_values) = match problems.line {
        Some((l, e, v)) => (Some(l), e, v),
        None => (None, FieldErrors::new(), StepValues::default()),
    };
    page.insert("steps", &steps_of(&order))
        .insert("o", &order)
        .insert("address", &address)
        .insert("refusal", &problems.refusal)
        .insert("errors", &problems.errors)
        .insert("reason", &problems.reason)
        .insert("line_id", &line_id)
        .insert("line_errors", &line_errors)
        .insert("line_values", &line_values);
    page.render_status("admin/order.html", status)
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<OrderId>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    render_order(
        page,
        &state,
        tid,
        path.into_inner(),
        OrderProblems::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    back: String,
}

/// A decision's outcome: done, refused as a whole, or its input refused.
enum Outcome {
    Done,
    Refused(ErrorKey),
    Invalid(FieldErrors),
}

fn outcome(result: Result<(), RewardError>) -> Result<Outcome, AppError> {
    match result {
        Ok(()) => Ok(Outcome::Done),
        Err(RewardError::Refused(key)) => Ok(Outcome::Refused(key)),
        Err(RewardError::Invalid(errors)) => Ok(Outcome::Invalid(errors)),
        Err(e) => Err(e.into()),
    }
}

pub async fn approve(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<OrderId>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, reviewer, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let done = db::run(&state.pool, move |conn| {
        outcome(review::approve(conn, tid, &reviewer, id, Utc::now()))
    })
    .await?;
    decided(page, &state, tid, id, done, &form, "admin-orders-approved").await
}

pub async fn reject(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<OrderId>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, reviewer, id) = (tenant.0.tenant_id(), me.0, path.into_inner());
    let reason = form.reason.clone();
    let done = db::run(&state.pool, move |conn| {
        outcome(review::reject(
            conn,
            tid,
            &reviewer,
            id,
            &reason,
            Utc::now(),
        ))
    })
    .await?;
    decided(page, &state, tid, id, done, &form, "admin-orders-rejected").await
}

async fn decided(
    page: Page,
    state: &web::Data<AppState>,
    tid: TenantId,
    id: OrderId,
    done: Outcome,
    form: &DecisionForm,
    message: &'static str,
) -> Result<HttpResponse, AppError> {
    let problems = match done {
        Outcome::Done => {
            page.flash(message)?;
            return Ok(see_other(&back_to(&form.back, &format!("{PATH}/{id}"))));
        }
        Outcome::Refused(key) => OrderProblems {
            refusal: Some(key),
            ..OrderProblems::default()
        },
        Outcome::Invalid(errors) => OrderProblems {
            errors,
            reason: form.reason.clone(),
            ..OrderProblems::default()
        },
    };
    render_order(page, state, tid, id, problems).await
}

/// Ship (carrier, tracking number), deliver or refund (reason) one line.
pub async fn step(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(OrderId, OrderLineId, String)>,
    form: web::Form<StepValues>,
) -> Result<HttpResponse, AppError> {
    let (id, line, step) = path.into_inner();
    let step = match step.as_str() {
        "ship" => Step::Ship,
        "deliver" => Step::Deliver,
        "refund" => Step::Refund,
        _ => return Err(AppError::NotFound),
    };
    let (tid, admin) = (tenant.0.tenant_id(), me.0);
    let values = form.into_inner();
    let input = StepInput {
        carrier: values.carrier.clone(),
        tracking_number: values.tracking_number.clone(),
        reason: values.reason.clone(),
    };
    let done = db::run(&state.pool, move |conn| {
        // The line must be one of this order's (else: not found).
        if order_rows::find_line(conn, tid, line, Lock::Unlocked)?.order_id != id {
            return Err(AppError::NotFound);
        }
        outcome(fulfil::step(
            conn,
            tid,
            &admin,
            line,
            step,
            &input,
            Utc::now(),
        ))
    })
    .await?;
    let problems = match done {
        Outcome::Done => {
            page.flash(match step {
                Step::Ship => "admin-orders-shipped",
                Step::Deliver => "admin-orders-delivered",
                Step::Refund => "admin-orders-refunded",
            })?;
            return Ok(see_other(&format!("{PATH}/{id}")));
        }
        Outcome::Refused(key) => OrderProblems {
            refusal: Some(key),
            ..OrderProblems::default()
        },
        Outcome::Invalid(errors) => OrderProblems {
            line: Some((line, errors, values)),
            ..OrderProblems::default()
        },
    };
    render_order(page, &state, tid, id, problems).await
}
