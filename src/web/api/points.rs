//! A participant's points: balance and statement (movements with running balances).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body;
use super::caller::Caller;
use super::error::{ApiError, ErrorBody};
use crate::services::integration;
use crate::startup::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// First day (`YYYY-MM-DD`, the programme's time zone); omitted: from the start.
    pub from: Option<String>,
    /// Last day, included; omitted: until now.
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceView {
    /// Points that can be spent.
    pub available: i64,
    /// Points held by orders not yet approved.
    pub held: i64,
    /// Points of `available` that expire within 90 days.
    pub expiring_soon: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovementView {
    pub at: DateTime<Utc>,
    /// earn, adjust, hold, capture, release, expire, reversal…
    pub kind: String,
    /// What caused it (declaration, order, mission, challenge…) and its id.
    pub cause_type: Option<String>,
    pub cause_id: Option<i64>,
    pub reason: String,
    pub available_delta: i64,
    pub held_delta: i64,
    pub available_after: i64,
    pub held_after: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatementView {
    pub email: String,
    pub balance: BalanceView,
    /// The balances before the first movement of the period.
    pub opening_available: i64,
    pub opening_held: i64,
    pub movements: Vec<MovementView>,
}

/// A participant's balance and statement
#[utoipa::path(get, path = "/api/v1/participants/{email}/statement", tag = "points",
    params(("email" = String, Path, description = "E-mail address"), StatementQuery),
    responses((status = 200, body = StatementView), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn statement(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let q: StatementQuery = body::query(&req)?;
    let day = |field: &str, v: Option<String>| match v {
        None => Ok(None),
        Some(v) => crate::web::parse_day(&v)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(field, "a date YYYY-MM-DD between 2000 and 2100")),
    };
    let days = (day("from", q.from)?, day("to", q.to)?);
    let (tid, email) = (caller.tenant_id(), body::path_key(path.into_inner())?);
    let (who, s) = crate::db::run(&state.pool, move |conn| {
        integration::statement(conn, tid, &email, days, Utc::now())
    })
    .await?;
    Ok(HttpResponse::Ok().json(StatementView {
        email: who.user.email,
        balance: BalanceView {
            available: s.balance.available.0,
            held: s.balance.held.0,
            expiring_soon: s.balance.expiring_soon.0,
        },
        opening_available: s.opening_available.0,
        opening_held: s.opening_held.0,
        movements: s
            .lines
            .into_iter()
            .map(|l| MovementView {
                at: l.at,
                kind: l.kind.as_str().to_string(),
                cause_type: l.cause.as_ref().map(|c| c.kind.as_str().to_string()),
                cause_id: l.cause.as_ref().and_then(|c| c.id),
                reason: l.reason,
                available_delta: l.available_delta.0,
                held_delta: l.held_delta.0,
                available_after: l.available_after.0,
                held_after: l.held_after.0,
            })
            .collect(),
    }))
}
