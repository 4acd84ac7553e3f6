//! A participant's points: balance, statement with running balance, CSV export.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::auth::CurrentUser;
use super::render::Page;
use crate::db;
use crate::domain::values::spreadsheet_safe;
use crate::domain::{TenantId, UserId};
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
    /// `[from, until]` as whole UTC days; unreadable dates are ignored (a search form).
    pub fn period(&self) -> Period {
        let day = super::parse_day;
        Period {
            from: day(&self.from)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc()),
            to: day(&self.until)
                .and_then(|d| d.succ_opt())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc()),
        }
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
    let statement = load_statement(&state, me.0.tenant(), me.0.user_id(), q.period()).await?;
    page.insert("statement", &statement).insert("query", &q);
    page.render("portal/points.html")
}

/// The statement as CSV (UTF-8 with BOM, so that spreadsheet software reads accents).
pub async fn statement_csv(
    me: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    let statement = load_statement(&state, me.0.tenant(), me.0.user_id(), query.period()).await?;
    csv_response(&statement, "points-statement.csv")
}

pub fn csv_response(statement: &Statement, filename: &str) -> Result<HttpResponse, AppError> {
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
            line.at.to_rfc3339(),
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
