//! Reward orders (scope `fulfilment`): listed by status, read, and moved through
//! fulfilment (shipped with carrier and tracking number, delivered, refunded) by the
//! admin page's own service: same transitions, e-mails, audit and webhooks.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{self, answer, idempotent_error, ApiBody};
use super::caller::Caller;
use super::error::{ApiError, ErrorBody};
use super::missions::path_id;
use crate::db::rewards::orders::{Order, QueueFilter};
use crate::domain::rewards::{AddressInput, LineStatus, OrderStatus, Step};
use crate::domain::{Locale, OrderId, OrderLineId};
use crate::i18n::tr;
use crate::services::api_keys;
use crate::services::rewards::fulfil::{self, Fulfiller, StepInput};
use crate::services::rewards::views::{self as reward_views, LineView};
use crate::services::rewards::{listing, RewardError};
use crate::startup::AppState;

impl From<RewardError> for ApiError {
    fn from(e: RewardError) -> Self {
        use actix_web::http::StatusCode;
        match e {
            RewardError::Refused(key) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", tr(Locale::En, key))
            }
            RewardError::Ledger(e) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
            }
            other => crate::services::ServiceError::from(other).into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AddressOut {
    pub name: String,
    pub line1: String,
    pub line2: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub phone: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLineOut {
    /// The line's id (the `lines` of a status change).
    pub id: i64,
    pub reward_code: String,
    pub reward_name: String,
    /// physical, voucher, experience or donation.
    pub reward_kind: String,
    pub quantity: i32,
    pub unit_points: i64,
    /// pending, processing, shipped, delivered, refunded, rejected or cancelled.
    pub status: String,
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderOut {
    pub id: i64,
    /// pending, approved, rejected or cancelled.
    pub status: String,
    pub participant_email: String,
    pub participant_name: String,
    pub partner_name: Option<String>,
    pub total_points: i64,
    /// Physical rewards: where to send them.
    pub delivery_address: Option<AddressOut>,
    /// Why it was rejected, if it was.
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub lines: Vec<OrderLineOut>,
}

fn order_out(
    order: Order,
    email: String,
    name: String,
    partner: Option<String>,
    lines: Vec<LineView>,
) -> OrderOut {
    let address = order
        .delivery_address
        .and_then(|v| serde_json::from_value::<AddressInput>(v).ok())
        .map(|a| AddressOut {
            name: a.name,
            line1: a.line1,
            line2: a.line2,
            postcode: a.postcode,
            city: a.city,
            country: a.country,
            phone: a.phone,
        });
    OrderOut {
        id: order.id.0,
        status: order.status,
        participant_email: email,
        participant_name: name,
        partner_name: partner,
        total_points: order.total_points,
        delivery_address: address,
        reason: order.reason,
        created_at: order.created_at,
        decided_at: order.decided_at,
        lines: lines
            .into_iter()
            .map(|v| OrderLineOut {
                id: v.line.id.0,
                reward_code: v.reward_code,
                reward_name: v.reward_name,
                reward_kind: v.reward_kind,
                quantity: v.line.quantity,
                unit_points: v.line.unit_points,
                status: v.line.status,
                carrier: v.line.carrier,
                tracking_number: v.line.tracking_number,
                shipped_at: v.line.shipped_at,
                delivered_at: v.line.delivered_at,
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPage {
    pub items: Vec<OrderOut>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// pending, approved, rejected or cancelled; omitted: any.
    pub status: Option<String>,
    /// Orders with a line in this fulfilment status (processing, shipped, delivered,
    /// refunded…).
    pub line_status: Option<String>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderStatusInput {
    /// shipped (physical rewards: carrier and tracking_number required), delivered, or
    /// refunded (reason required; the points go back to the participant).
    #[schema(example = "shipped")]
    pub status: String,
    /// The lines to move on; omitted: every line of the order this step applies to.
    pub lines: Option<Vec<i64>>,
    #[schema(example = "La Poste")]
    pub carrier: Option<String>,
    #[schema(example = "6A123456789")]
    pub tracking_number: Option<String>,
    pub reason: Option<String>,
}

/// List reward orders
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(OrderQuery),
    responses((status = 200, body = OrderPage), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["fulfilment"])))]
pub async fn list(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("fulfilment")?;
    let q: OrderQuery = body::query(&req)?;
    let (after, limit) = body::page(q.cursor.as_deref(), q.limit)?;
    if q.status
        .as_deref()
        .is_some_and(|s| OrderStatus::parse(s).is_none())
    {
        return Err(ApiError::bad_request(
            "status",
            "pending, approved, rejected or cancelled",
        ));
    }
    if q.line_status
        .as_deref()
        .is_some_and(|s| LineStatus::parse(s).is_none())
    {
        return Err(ApiError::bad_request(
            "line_status",
            "pending, processing, shipped, delivered, refunded, rejected or cancelled",
        ));
    }
    let filter = QueueFilter {
        status: q.status,
        line_status: q.line_status,
        ..QueueFilter::default()
    };
    let tid = caller.tenant_id();
    let listed = crate::db::run(&state.pool, move |conn| {
        listing::orders_after(conn, tid, &filter, after, limit)
    })
    .await?;
    let items = listed
        .items
        .into_iter()
        .map(|e| {
            let r = e.row;
            order_out(r.order, r.user_email, r.user_name, r.partner_name, e.lines)
        })
        .collect();
    Ok(HttpResponse::Ok().json(OrderPage {
        items,
        next_cursor: body::cursor(listed.next_after),
    }))
}

async fn read(state: &AppState, caller: &Caller, id: OrderId) -> Result<OrderOut, ApiError> {
    let tid = caller.tenant_id();
    let a = crate::db::run(&state.pool, move |conn| {
        reward_views::admin_order(conn, tid, id)
    })
    .await?;
    Ok(order_out(
        a.view.order,
        a.participant.email,
        a.participant.display_name,
        a.partner,
        a.view.lines,
    ))
}

/// Get a reward order
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    responses((status = 200, body = OrderOut), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["fulfilment"])))]
pub async fn show(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("fulfilment")?;
    let id = OrderId(path_id(&path)?);
    Ok(HttpResponse::Ok().json(read(&state, &caller, id).await?))
}

/// Move an order through fulfilment
///
/// The steps the admin's order page allows, on an approved order: `shipped` (physical
/// rewards, from processing; carrier and tracking number), `delivered` (from shipped, or
/// from processing for rewards that do not ship), `refunded` (before delivery; the
/// points go back). All named lines move on, or none (409 when a step is not allowed).
/// The participant is e-mailed and `order.status_changed` is sent to webhooks, as from
/// the page.
#[utoipa::path(post, path = "/api/v1/orders/{id}/status", tag = "orders",
    request_body = OrderStatusInput,
    params(("id" = i64, Path, description = "Order id"), super::IdempotencyKey),
    responses((status = 200, body = OrderOut), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["fulfilment"])))]
pub async fn set_status(
    caller: Caller,
    path: web::Path<String>,
    body: ApiBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("fulfilment")?;
    let id = OrderId(path_id(&path)?);
    let (input, hash) = body.json::<OrderStatusInput>()?;
    let idem = body.idempotency(&caller, &format!("order-status:{id}:{hash}"))?;
    let step = match input.status.as_str() {
        "shipped" => Step::Ship,
        "delivered" => Step::Deliver,
        "refunded" => Step::Refund,
        _ => {
            return Err(ApiError::invalid().field("status", "shipped, delivered or refunded"));
        }
    };
    let lines: Option<Vec<OrderLineId>> = input
        .lines
        .map(|l| l.into_iter().map(OrderLineId).collect());
    let step_input = StepInput {
        carrier: input.carrier.unwrap_or_default(),
        tracking_number: input.tracking_number.unwrap_or_default(),
        reason: input.reason.unwrap_or_default(),
    };
    let (tid, key) = (caller.tenant_id(), caller.key.clone());
    let done = crate::db::run(&state.pool, move |conn| {
        let now = Utc::now();
        api_keys::idempotent(conn, tid, idem.as_ref(), now, |conn| {
            let by = Fulfiller::ApiKey(&key);
            fulfil::step_order(conn, tid, by, id, lines.as_deref(), step, &step_input, now)?;
            let a = reward_views::admin_order(conn, tid, id)?;
            let out = order_out(
                a.view.order,
                a.participant.email,
                a.participant.display_name,
                a.partner,
                a.view.lines,
            );
            let body = serde_json::to_value(out).map_err(ApiError::internal)?;
            Ok::<_, ApiError>((200, body))
        })
        .map_err(idempotent_error)
    })
    .await?;
    Ok(answer(done))
}
