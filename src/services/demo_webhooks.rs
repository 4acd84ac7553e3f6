//! The demo's webhooks: the brand's ERP endpoint (paused, so the demo sends nothing)
//! with a short history of deliveries (delivered, retried, failed) of real declarations.

use chrono::{Duration, Utc};
use diesel::prelude::*;

use super::audit::Actor;
use super::webhooks::{self, events, EndpointInput};
use super::ServiceError;
use crate::db::declarations::Declaration;
use crate::db::webhooks::{self as rows, Attempt};
use crate::domain::declarations::Status;
use crate::domain::TenantId;

const URL: &str = "https://erp.respire.example/relais/webhooks";

/// (attempts, final status, last code, last answer) of the history, newest first.
const HISTORY: &[(i32, &str, Option<i32>, &str)] = &[
    (1, "succeeded", Some(200), "{\"received\":true}"),
    (3, "succeeded", Some(204), ""),
    (
        8,
        "failed",
        Some(503),
        "Service Unavailable: maintenance until 06:00",
    ),
    (1, "succeeded", Some(200), "{\"received\":true}"),
];

pub fn seed(conn: &mut PgConnection, tenant: TenantId) -> Result<(), ServiceError> {
    if !rows::list(conn, tenant)?.is_empty() {
        return Ok(());
    }
    let actor = Actor::system("seed-demo");
    let input = EndpointInput {
        url: URL.into(),
        description: "ERP Respire (Sage X3)".into(),
        events: vec!["declaration.decided".into(), "order.status_changed".into()],
        enabled: true,
    };
    let now = Utc::now();
    let endpoint = webhooks::create(conn, tenant, &actor, &input, false, now)?;
    conn.transaction(|conn| -> Result<(), ServiceError> {
        let decided: Vec<Declaration> =
            rows::recent_decided_declarations(conn, tenant, HISTORY.len() as i64)?;
        for (n, d) in decided.iter().rev().enumerate() {
            let previous = Status::Submitted.as_str();
            let at = now - Duration::hours(2 * (decided.len() - n) as i64);
            events::declaration_decided(conn, tenant, d, previous, false, None, at)?;
        }
        let sent = rows::deliveries_of(conn, tenant, endpoint.id, HISTORY.len() as i64)?;
        for (d, (attempts, status, code, answer)) in sent.iter().zip(HISTORY) {
            for _ in 0..*attempts {
                let attempt = Attempt {
                    status,
                    code: *code,
                    response: answer,
                    at: d.created_at + Duration::minutes(1),
                };
                rows::record_attempt(conn, tenant, d.id, &attempt)?;
            }
        }
        rows::forget_queued_jobs(conn, tenant)?;
        Ok(())
    })?;
    // Paused: the demo's later events are not sent to a host that does not exist.
    let paused = EndpointInput {
        enabled: false,
        ..input
    };
    webhooks::update(conn, tenant, &actor, endpoint.id, &paused, false, now)?;
    Ok(())
}
