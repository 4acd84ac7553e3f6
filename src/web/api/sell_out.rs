//! Sell-out declarations: created for a participant through the portal's own use case
//! (same checks, flags and automatic approval), listed by status and sale date, read.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{self, answer, idempotent_error, ApiBody};
use super::caller::Caller;
use super::error::{ApiError, ErrorBody};
use crate::db::api_views::DeclarationFilter;
use crate::domain::DeclarationId;
use crate::services::api_keys;
use crate::services::declarations::{DeclarationInput, LineInput};
use crate::services::integration::{self, DeclarationView};
use crate::startup::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationLineInput {
    #[schema(example = "RSP-100")]
    pub sku: String,
    /// Units sold, 1 to the tenant's maximum per line.
    #[schema(example = 2)]
    pub quantity: i32,
    /// Decimal string in the tenant's currency; omitted: the product's price.
    pub unit_price: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationCreate {
    /// The participant (of a partner) who made the sale.
    #[schema(example = "ana@example.com")]
    pub participant_email: String,
    /// `YYYY-MM-DD`, within the tenant's declaration window.
    #[schema(example = "2026-11-20")]
    pub sale_date: String,
    /// in_store, online, phone, field…
    #[schema(example = "in_store")]
    pub channel: String,
    #[schema(example = "F-2026-0042")]
    pub invoice_ref: String,
    pub customer_type: Option<String>,
    pub feedback: Option<String>,
    /// 1 to 30 lines.
    pub lines: Vec<DeclarationLineInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationLineView {
    pub line_no: i32,
    pub sku: String,
    pub quantity: i32,
    pub unit_price_minor: i64,
    pub points: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationOut {
    pub id: i64,
    pub participant_email: String,
    pub partner_code: String,
    pub sale_date: NaiveDate,
    pub channel: String,
    pub invoice_ref: String,
    /// submitted, approved, rejected, withdrawn.
    pub status: String,
    /// Checks that sent it to a person's review.
    pub flags: Vec<String>,
    pub customer_type: Option<String>,
    pub feedback: Option<String>,
    /// portal, import or api.
    pub source: String,
    pub points: i64,
    pub amount_minor: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<DeclarationLineView>,
}

impl From<DeclarationView> for DeclarationOut {
    fn from(v: DeclarationView) -> Self {
        let d = v.declaration;
        DeclarationOut {
            id: d.id.0,
            participant_email: v.participant_email,
            partner_code: v.partner_code,
            sale_date: d.sale_date,
            channel: d.channel,
            invoice_ref: d.invoice_ref,
            status: d.status,
            flags: d.flags.into_iter().flatten().collect(),
            customer_type: d.customer_type,
            feedback: d.feedback,
            source: d.source,
            points: d.points,
            amount_minor: d.amount_minor,
            created_at: d.created_at,
            updated_at: d.updated_at,
            lines: v
                .lines
                .into_iter()
                .map(|(l, sku)| DeclarationLineView {
                    line_no: l.line_no,
                    sku,
                    quantity: l.quantity,
                    unit_price_minor: l.unit_price_minor,
                    points: l.points,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationCreated {
    pub declaration: DeclarationOut,
    /// Approved at once (the tenant's rules allow it and no check flagged it).
    pub auto_approved: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationPage {
    pub items: Vec<DeclarationOut>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeclarationQuery {
    /// submitted, approved, rejected or withdrawn.
    pub status: Option<String>,
    /// Sales on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Sales on or before this day.
    pub to: Option<String>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

const STATUSES: &[&str] = &["submitted", "approved", "rejected", "withdrawn"];

fn day(field: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    match value {
        None => Ok(None),
        Some(v) => crate::web::parse_day(v)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(field, "a date YYYY-MM-DD between 2000 and 2100")),
    }
}

/// Declare a sale
///
/// Goes through the portal form's checks (declaration window, products, quantities,
/// duplicate invoices, stock, daily limit) and is approved at once when the tenant's
/// rules allow it; the points follow through the ledger.
#[utoipa::path(post, path = "/api/v1/sell-out/declarations", tag = "sell-out",
    request_body = DeclarationCreate, params(super::IdempotencyKey),
    responses((status = 201, body = DeclarationCreated), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["sell-out"])))]
pub async fn create(
    caller: Caller,
    body: ApiBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("sell-out")?;
    let (input, hash) = body.json::<DeclarationCreate>()?;
    let idem = body.idempotency(&caller, &hash)?;
    let email = input.participant_email;
    let form = DeclarationInput {
        sale_date: input.sale_date,
        channel: input.channel,
        invoice_ref: input.invoice_ref,
        customer_type: input.customer_type.unwrap_or_default(),
        feedback: input.feedback.unwrap_or_default(),
        form_token: String::new(),
        lines: input
            .lines
            .into_iter()
            .map(|l| LineInput {
                product: l.sku,
                quantity: l.quantity.to_string(),
                unit_price: l.unit_price.unwrap_or_default(),
            })
            .collect(),
    };
    if form.lines.is_empty() {
        return Err(ApiError::invalid().field("lines", "at least one line"));
    }
    let tid = caller.tenant_id();
    let done = crate::db::run(&state.pool, move |conn| {
        let now = Utc::now();
        api_keys::idempotent(conn, tid, idem.as_ref(), now, |conn| {
            let (view, auto_approved) = integration::declare(conn, tid, &email, &form, now)?;
            let out = DeclarationCreated {
                declaration: view.into(),
                auto_approved,
            };
            let body = serde_json::to_value(out).map_err(ApiError::internal)?;
            Ok::<_, ApiError>((201, body))
        })
        .map_err(idempotent_error)
    })
    .await?;
    Ok(answer(done))
}

/// List declarations
#[utoipa::path(get, path = "/api/v1/sell-out/declarations", tag = "sell-out",
    params(DeclarationQuery),
    responses((status = 200, body = DeclarationPage), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn list(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let q: DeclarationQuery = body::query(&req)?;
    let (after, limit) = body::page(q.cursor.as_deref(), q.limit)?;
    if let Some(s) = &q.status {
        if !STATUSES.contains(&s.as_str()) {
            return Err(ApiError::bad_request("status", STATUSES.join(", ")));
        }
    }
    let filter = DeclarationFilter {
        status: q.status,
        from: day("from", q.from.as_deref())?,
        to: day("to", q.to.as_deref())?,
    };
    let tid = caller.tenant_id();
    let listed = crate::db::run(&state.pool, move |conn| {
        integration::declarations(conn, tid, &filter, after, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(DeclarationPage {
        items: listed.items.into_iter().map(Into::into).collect(),
        next_cursor: body::cursor(listed.next_after),
    }))
}

/// Get a declaration
#[utoipa::path(get, path = "/api/v1/sell-out/declarations/{id}", tag = "sell-out",
    params(("id" = i64, Path, description = "Declaration id")),
    responses((status = 200, body = DeclarationOut), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn show(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let id = path
        .parse::<i64>()
        .map(DeclarationId)
        .map_err(|_| ApiError::bad_request("id", "a whole number"))?;
    let tid = caller.tenant_id();
    let view = crate::db::run(&state.pool, move |conn| {
        integration::declaration(conn, tid, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(DeclarationOut::from(view)))
}
