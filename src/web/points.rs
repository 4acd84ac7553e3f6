//! A participant's points: balance, statement with running balance, CSV export.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::auth::{CurrentTenant, CurrentUser};
use super::render::Page;
use crate::db;
use crate::domain::values::spreadsheet_safe;
use crate::domain::{TenantId, UserId, Zone};
use crate::error::AppError;
use crate::services::ledger::{self, Period, Statement};
use crate::startup::AppState;

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct PeriodQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
}

impl PeriodQuery {
    /// `[from, until]` as whole days of the tenant's zone; unreadable dates are ignored
    /// (a search form).
    pub fn period(&self, zone: Zone) -> Period {
        let (from, to) = zone.days(super::parse_day(&self.from), super::parse_day(&self.until));
        Period { from, to }
    }
}

pub async fn load_statement(
    state: &AppState,
    tenant: TenantId,
    user: UserId,
    period: Period,
) -> Result<Statement, AppError> {
    Ok(db::run(&state.pool, move |conn| {
        ledger::statement(conn, tenant, user, period, Utc::now())
    })
    .await?)
}

pub async fn statement(
    mut page: Page,
    me: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let period = q.period(page.zone);
    let statement = load_statement(&state, me.0.tenant(), me.0.user_id(), period).await?;
    page.insert("statement", &statement).insert("query", &q);
    page.render("portal/points.html")
}

/// The statement as CSV (UTF-8 with BOM, so that spreadsheet software reads accents).
pub async fn statement_csv(
    me: CurrentUser,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    let zone = tenant.0.zone();
    let statement =
        load_statement(&state, me.0.tenant(), me.0.user_id(), query.period(zone)).await?;
    csv_response(&statement, zone, "points-statement.csv")
}

/// Dates are RFC 3339 in the tenant's zone, with its offset (`2026-12-01T23:30:00+07:00`).
pub fn csv_response(
    statement: &Statement,
    zone: Zone,
    filename: &str,
) -> Result<HttpResponse, AppError> {
    let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let header = [
        "date",
        "kind",
        "reason",
        "cause",
        "cause_id",
        "available_change",
        "held_change",
        "available_balance",
        "held_balance",
    ];
    out.write_record(header).map_err(AppError::internal)?;
    for line in &statement.lines {
        let reason = spreadsheet_safe(&line.reason);
        out.write_record([
            line.at.with_timezone(&zone.tz()).to_rfc3339(),
            line.kind.as_str().to_string(),
            reason,
            line.cause
                .map(|c| c.kind.as_str().to_string())
                .unwrap_or_default(),
            line.cause
                .and_then(|c| c.id)
                .map(|id| id.to_string())
                .unwrap_or_default(),
            line.available_delta.0.to_string(),
            line.held_delta.0.to_string(),
            line.available_after.0.to_string(),
            line.held_after.0.to_string(),
        ])
        .map_err(AppError::internal)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes))
}
