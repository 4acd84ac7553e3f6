//! Partners (by external code), products (by SKU) and participants (by e-mail): list,
//! get, upsert in batches (through the CSV import's checks), deactivate.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{self, answer, idempotent_error, ApiBody};
use super::caller::Caller;
use super::error::{ApiError, ErrorBody};
use super::sell_in::{check_size, ImportResult};
use crate::db::partners::Partner;
use crate::db::products::Product;
use crate::services::imports::{self, ImportKind};
use crate::services::integration::{self, Participant};
use crate::services::{api_keys, ServiceError};
use crate::startup::AppState;

/// Most items in one upsert.
pub const MAX_ITEMS: usize = 10_000;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 200 (50 by default).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerView {
    #[schema(example = "DIST-001")]
    pub external_code: String,
    pub name: String,
    /// distributor, retailer, installer…
    pub kind: String,
    pub brand_mode: String,
    pub region: String,
    pub country: String,
    pub tier: Option<String>,
    pub potential: i16,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Partner> for PartnerView {
    fn from(p: Partner) -> Self {
        PartnerView {
            external_code: p.external_code,
            name: p.name,
            kind: p.kind,
            brand_mode: p.brand_mode,
            region: p.region,
            country: p.country,
            tier: p.tier,
            potential: p.potential,
            active: p.active,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerPage {
    pub items: Vec<PartnerView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    #[schema(example = "DIST-001")]
    pub external_code: String,
    pub name: String,
    #[schema(example = "distributor")]
    pub kind: String,
    #[schema(example = "exclusive")]
    pub brand_mode: String,
    pub region: String,
    #[schema(example = "FR")]
    pub country: String,
    /// 1 to 5.
    pub potential: i16,
    pub tier: Option<String>,
    /// Omitted: a new partner is active, an existing one keeps its state.
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerBatch {
    /// 1 to 10,000 partners, created or updated by external code.
    pub items: Vec<PartnerInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    #[schema(example = "RSP-100")]
    pub sku: String,
    pub name: String,
    pub category: String,
    /// In minor units of the tenant's currency (cents).
    pub unit_price_minor: i64,
    pub points_per_unit: i64,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Product> for ProductView {
    fn from(p: Product) -> Self {
        ProductView {
            sku: p.sku,
            name: p.name,
            category: p.category,
            unit_price_minor: p.unit_price_minor,
            points_per_unit: p.points_per_unit,
            active: p.active,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    #[schema(example = "RSP-100")]
    pub sku: String,
    pub name: String,
    pub category: String,
    /// Decimal string in the tenant's currency (`"49.90"`).
    #[schema(example = "49.90")]
    pub unit_price: String,
    pub points_per_unit: i64,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductBatch {
    /// 1 to 10,000 products, created or updated by SKU.
    pub items: Vec<ProductInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    pub email: String,
    pub name: String,
    pub partner_code: Option<String>,
    pub locale: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<Participant> for ParticipantView {
    fn from(p: Participant) -> Self {
        ParticipantView {
            email: p.user.email,
            name: p.user.display_name,
            partner_code: p.partner_code,
            locale: p.user.locale,
            active: !p.user.disabled,
            created_at: p.user.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantPage {
    pub items: Vec<ParticipantView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    #[schema(example = "ana@example.com")]
    pub email: String,
    pub name: String,
    #[schema(example = "DIST-001")]
    pub partner_code: String,
    /// en, fr or id.
    pub locale: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantBatch {
    /// 1 to 10,000 participants, created (and invited) or updated by e-mail.
    pub items: Vec<ParticipantInput>,
}

fn flag(active: Option<bool>) -> String {
    active.map_or(String::new(), |a| if a { "yes" } else { "no" }.to_string())
}

/// A service reading a page after an id.
type ReadPage<T> = fn(
    &mut diesel::PgConnection,
    crate::domain::TenantId,
    i64,
    i64,
) -> Result<integration::Listed<T>, ServiceError>;

/// Lists with the `read` scope: one service call returning a page.
async fn list_page<T, V, P>(
    caller: &Caller,
    req: &HttpRequest,
    state: &AppState,
    read: ReadPage<T>,
    wrap: fn(Vec<V>, Option<String>) -> P,
) -> Result<HttpResponse, ApiError>
where
    T: Send + 'static,
    V: From<T>,
    P: Serialize,
{
    caller.require("read")?;
    let q: ListQuery = body::query(req)?;
    let (after, limit) = body::page(q.cursor.as_deref(), q.limit)?;
    let tid = caller.tenant_id();
    let listed = crate::db::run(&state.pool, move |conn| read(conn, tid, after, limit)).await?;
    let items = listed.items.into_iter().map(V::from).collect();
    Ok(HttpResponse::Ok().json(wrap(items, body::cursor(listed.next_after))))
}

/// An upsert batch through the import of `kind`.
async fn upsert(
    caller: &Caller,
    state: &AppState,
    hash: String,
    body: &ApiBody,
    (kind, columns): (ImportKind, &'static [&'static str]),
    rows: Vec<Vec<String>>,
) -> Result<HttpResponse, ApiError> {
    let idem = body.idempotency(caller, &hash)?;
    check_size(rows.len(), "items", MAX_ITEMS)?;
    let (tid, actor) = (caller.tenant_id(), caller.actor());
    let done = crate::db::run(&state.pool, move |conn| {
        api_keys::idempotent(conn, tid, idem.as_ref(), Utc::now(), |conn| {
            let summary = imports::import_rows(conn, tid, &actor, kind, columns, rows)
                .map_err(|e| ApiError::from_import(e, "items"))?;
            let body =
                serde_json::to_value(ImportResult::from(summary)).map_err(ApiError::internal)?;
            Ok::<_, ApiError>((200, body))
        })
        .map_err(idempotent_error)
    })
    .await?;
    Ok(answer(done))
}

/// List partners
#[utoipa::path(get, path = "/api/v1/partners", tag = "network", params(ListQuery),
    responses((status = 200, body = PartnerPage), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn partners(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    list_page(
        &caller,
        &req,
        &state,
        integration::partners,
        |items, next_cursor| PartnerPage { items, next_cursor },
    )
    .await
}

/// Get a partner by external code
#[utoipa::path(get, path = "/api/v1/partners/{code}", tag = "network",
    params(("code" = String, Path, description = "External code")),
    responses((status = 200, body = PartnerView), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn partner(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let (tid, code) = (caller.tenant_id(), body::path_key(path.into_inner())?);
    let p = crate::db::run(&state.pool, move |conn| {
        integration::partner(conn, tid, &code)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PartnerView::from(p)))
}

const PARTNER_COLUMNS: &[&str] = &[
    "external_code",
    "name",
    "kind",
    "brand_mode",
    "region",
    "country",
    "potential",
    "tier",
    "active",
];

/// Create or update partners
///
/// Matched on external code; checked as the CSV import checks them; nothing is written
/// unless every item is valid.
#[utoipa::path(post, path = "/api/v1/partners", tag = "network", request_body = PartnerBatch,
    params(super::IdempotencyKey),
    responses((status = 200, body = ImportResult), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["network"])))]
pub async fn upsert_partners(
    caller: Caller,
    body: ApiBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("network")?;
    let (batch, hash) = body.json::<PartnerBatch>()?;
    let rows = batch
        .items
        .into_iter()
        .map(|p| {
            vec![
                p.external_code,
                p.name,
                p.kind,
                p.brand_mode,
                p.region,
                p.country,
                p.potential.to_string(),
                p.tier.unwrap_or_default(),
                flag(p.active),
            ]
        })
        .collect();
    let kind = (ImportKind::Partners, PARTNER_COLUMNS);
    upsert(&caller, &state, hash, &body, kind, rows).await
}

/// Deactivate a partner
#[utoipa::path(post, path = "/api/v1/partners/{code}/deactivate", tag = "network",
    params(("code" = String, Path, description = "External code"), super::IdempotencyKey),
    responses((status = 200, body = PartnerView), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["network"])))]
pub async fn deactivate_partner(
    caller: Caller,
    path: web::Path<String>,
    body: ApiBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("network")?;
    let code = body::path_key(path.into_inner())?;
    let idem = body.idempotency(&caller, &format!("deactivate-partner:{code}"))?;
    let (tid, actor) = (caller.tenant_id(), caller.actor());
    let done = crate::db::run(&state.pool, move |conn| {
        api_keys::idempotent(conn, tid, idem.as_ref(), Utc::now(), |conn| {
            let p = integration::deactivate_partner(conn, tid, &actor, &code)?;
            let body = serde_json::to_value(PartnerView::from(p)).map_err(ApiError::internal)?;
            Ok::<_, ApiError>((200, body))
        })
        .map_err(idempotent_error)
    })
    .await?;
    Ok(answer(done))
}

/// List products
#[utoipa::path(get, path = "/api/v1/products", tag = "network", params(ListQuery),
    responses((status = 200, body = ProductPage), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn products(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    list_page(
        &caller,
        &req,
        &state,
        integration::products,
        |items, next_cursor| ProductPage { items, next_cursor },
    )
    .await
}

/// Get a product by SKU
#[utoipa::path(get, path = "/api/v1/products/{sku}", tag = "network",
    params(("sku" = String, Path, description = "SKU")),
    responses((status = 200, body = ProductView), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn product(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let (tid, sku) = (caller.tenant_id(), body::path_key(path.into_inner())?);
    let p = crate::db::run(&state.pool, move |conn| {
        integration::product(conn, tid, &sku)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ProductView::from(p)))
}

const PRODUCT_COLUMNS: &[&str] = &[
    "sku",
    "name",
    "category",
    "unit_price",
    "points_per_unit",
    "active",
];

/// Create or update products
#[utoipa::path(post, path = "/api/v1/products", tag = "network", request_body = ProductBatch,
    params(super::IdempotencyKey),
    responses((status = 200, body = ImportResult), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["network"])))]
pub async fn upsert_products(
    caller: Caller,
    body: ApiBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("network")?;
    let (batch, hash) = body.json::<ProductBatch>()?;
    let rows = batch
        .items
        .into_iter()
        .map(|p| {
            vec![
                p.sku,
                p.name,
                p.category,
                p.unit_price,
                p.points_per_unit.to_string(),
                flag(p.active),
            ]
        })
        .collect();
    let kind = (ImportKind::Products, PRODUCT_COLUMNS);
    upsert(&caller, &state, hash, &body, kind, rows).await
}

/// Deactivate a product
#[utoipa::path(post, path = "/api/v1/products/{sku}/deactivate", tag = "network",
    params(("sku" = String, Path, description = "SKU"), super::IdempotencyKey),
    responses((status = 200, body = ProductView), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["network"])))]
pub async fn deactivate_product(
    caller: Caller,
    path: web::Path<String>,
    body: ApiBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("network")?;
    let sku = body::path_key(path.into_inner())?;
    let idem = body.idempotency(&caller, &format!("deactivate-product:{sku}"))?;
    let (tid, actor) = (caller.tenant_id(), caller.actor());
    let done = crate::db::run(&state.pool, move |conn| {
        api_keys::idempotent(conn, tid, idem.as_ref(), Utc::now(), |conn| {
            let p = integration::deactivate_product(conn, tid, &actor, &sku)?;
            let body = serde_json::to_value(ProductView::from(p)).map_err(ApiError::internal)?;
            Ok::<_, ApiError>((200, body))
        })
        .map_err(idempotent_error)
    })
    .await?;
    Ok(answer(done))
}

/// List participants
#[utoipa::path(get, path = "/api/v1/participants", tag = "network", params(ListQuery),
    responses((status = 200, body = ParticipantPage), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn participants(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    list_page(
        &caller,
        &req,
        &state,
        integration::participants,
        |items, next_cursor| ParticipantPage { items, next_cursor },
    )
    .await
}

/// Get a participant by e-mail
#[utoipa::path(get, path = "/api/v1/participants/{email}", tag = "network",
    params(("email" = String, Path, description = "E-mail address")),
    responses((status = 200, body = ParticipantView), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn participant(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let (tid, email) = (caller.tenant_id(), body::path_key(path.into_inner())?);
    let p = crate::db::run(&state.pool, move |conn| {
        integration::participant(conn, tid, &email)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ParticipantView::from(p)))
}

const PARTICIPANT_COLUMNS: &[&str] = &["email", "name", "partner_code", "locale"];

/// Create or update participants
///
/// Matched on e-mail; new participants are invited by e-mail, as with the CSV import.
#[utoipa::path(post, path = "/api/v1/participants", tag = "network",
    request_body = ParticipantBatch, params(super::IdempotencyKey),
    responses((status = 200, body = ImportResult), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["network"])))]
pub async fn upsert_participants(
    caller: Caller,
    body: ApiBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("network")?;
    let (batch, hash) = body.json::<ParticipantBatch>()?;
    let rows = batch
        .items
        .into_iter()
        .map(|p| {
            vec![
                p.email,
                p.name,
                p.partner_code,
                p.locale.unwrap_or_default(),
            ]
        })
        .collect();
    let kind = (ImportKind::Participants, PARTICIPANT_COLUMNS);
    upsert(&caller, &state, hash, &body, kind, rows).await
}

/// Deactivate a participant
///
/// The account is disabled (nothing is deleted; their points and history stay).
#[utoipa::path(post, path = "/api/v1/participants/{email}/deactivate", tag = "network",
    params(("email" = String, Path, description = "E-mail address"), super::IdempotencyKey),
    responses((status = 200, body = ParticipantView), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["network"])))]
pub async fn deactivate_participant(
    caller: Caller,
    path: web::Path<String>,
    body: ApiBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("network")?;
    let email = body::path_key(path.into_inner())?;
    let idem = body.idempotency(&caller, &format!("deactivate-participant:{email}"))?;
    let (tid, actor) = (caller.tenant_id(), caller.actor());
    let done = crate::db::run(&state.pool, move |conn| {
        api_keys::idempotent(conn, tid, idem.as_ref(), Utc::now(), |conn| {
            let p = integration::deactivate_participant(conn, tid, &actor, &email)?;
            let body =
                serde_json::to_value(ParticipantView::from(p)).map_err(ApiError::internal)?;
            Ok::<_, ApiError>((200, body))
        })
        .map_err(idempotent_error)
    })
    .await?;
    Ok(answer(done))
}
