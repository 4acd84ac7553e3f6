//! Probes for load balancers and orchestrators.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde_json::json;

use crate::db::{self, migrate};
use crate::error::AppError;
use crate::startup::AppState;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database answers and no migration is pending.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let check = db::run(&state.pool, |conn| {
        diesel::sql_query("SELECT 1").execute(conn)?;
        migrate::pending(conn).map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))
    })
    .await;
    match check {
        Ok(pending) if pending.is_empty() => HttpResponse::Ok().json(json!({ "status": "ready" })),
        Ok(pending) => HttpResponse::ServiceUnavailable()
            .json(json!({ "status": "pending_migrations", "pending": pending })),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable().json(json!({ "status": "database_unavailable" }))
        }
    }
}
