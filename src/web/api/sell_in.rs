//! `POST /api/v1/sell-in`: a batch of sell-in lines, checked and written as the CSV
//! import writes them (same columns, same import key: a line sent twice counts once).

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::{answer, idempotent_error, ApiBody};
use super::caller::Caller;
use super::error::{ApiError, ErrorBody};
use crate::services::api_keys;
use crate::services::imports::{self, ImportKind, Summary};
use crate::startup::AppState;

/// Most lines in one request.
pub const MAX_LINES: usize = 10_000;

/// What the brand sold (delivered) to a partner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SellInLine {
    /// The partner's external code.
    #[schema(example = "DIST-001")]
    pub partner_code: String,
    #[schema(example = "RSP-100")]
    pub sku: String,
    /// The day of the sale, `YYYY-MM-DD`, not in the future.
    #[schema(example = "2026-11-02")]
    pub date: String,
    /// Units; negative for a return, never zero.
    #[schema(example = 24)]
    pub quantity: i32,
    /// The amount in the tenant's currency, as a decimal string (`"1250.00"`); negative
    /// for a credit note.
    #[schema(example = "1250.00")]
    pub amount: String,
    /// The ERP's own reference of the line: when given, it identifies the line (with
    /// the partner and SKU) instead of its values.
    #[schema(example = "INV-2026-1187/1")]
    pub reference: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SellInBatch {
    /// 1 to 10,000 lines.
    pub lines: Vec<SellInLine>,
}

/// What an import changed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportResult {
    /// Rows received.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows already known (sent before), left as they were.
    pub unchanged: usize,
}

impl From<Summary> for ImportResult {
    fn from(s: Summary) -> Self {
        ImportResult {
            rows: s.rows,
            created: s.created,
            updated: s.updated,
            unchanged: s.unchanged,
        }
    }
}

/// Checks a batch's size before anything else.
pub fn check_size(len: usize, list: &str, max: usize) -> Result<(), ApiError> {
    if len == 0 || len > max {
        return Err(ApiError::invalid().field(list, format!("between 1 and {max} items")));
    }
    Ok(())
}

/// Upload sell-in lines
///
/// Every line is checked first; nothing is written unless all are valid (errors name
/// each line by its index: `lines[3].sku`). Lines already received (same values, or
/// same reference) are left unchanged, so a batch may be sent again safely.
#[utoipa::path(
    post,
    path = "/api/v1/sell-in",
    tag = "sell-in",
    request_body = SellInBatch,
    params(super::IdempotencyKey),
    responses(
        (status = 200, description = "Imported", body = ImportResult),
        (status = "4XX", description = "Refused", body = ErrorBody),
    ),
    security(("bearer" = ["sell-in"]))
)]
pub async fn upload(
    caller: Caller,
    body: ApiBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("sell-in")?;
    let (batch, hash) = body.json::<SellInBatch>()?;
    let idem = body.idempotency(&caller, &hash)?;
    check_size(batch.lines.len(), "lines", MAX_LINES)?;
    let rows: Vec<Vec<String>> = batch
        .lines
        .into_iter()
        .map(|l| {
            vec![
                l.partner_code,
                l.sku,
                l.date,
                l.quantity.to_string(),
                l.amount,
                l.reference.unwrap_or_default(),
            ]
        })
        .collect();
    let (tid, actor) = (caller.tenant_id(), caller.actor());
    let columns = [
        "partner_code",
        "sku",
        "date",
        "quantity",
        "amount",
        "reference",
    ];
    let done = crate::db::run(&state.pool, move |conn| {
        api_keys::idempotent(conn, tid, idem.as_ref(), chrono::Utc::now(), |conn| {
            let summary =
                imports::import_rows(conn, tid, &actor, ImportKind::SellIn, &columns, rows)
                    .map_err(|e| ApiError::from_import(e, "lines"))?;
            let body =
                serde_json::to_value(ImportResult::from(summary)).map_err(ApiError::internal)?;
            Ok::<_, ApiError>((200, body))
        })
        .map_err(idempotent_error)
    })
    .await?;
    Ok(answer(done))
}
