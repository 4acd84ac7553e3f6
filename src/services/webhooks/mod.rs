//! Outgoing webhooks: admins register endpoints for events; each event is written, in
//! the transaction of its cause, as one delivery per subscribed endpoint plus a job
//! (kind `webhook`) that the worker sends, signed, with retries (`jobs::webhook`).

pub mod endpoints;
pub mod events;
pub mod send;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::db::webhooks as rows;
use crate::domain::webhooks::EventType;
use crate::domain::TenantId;
use crate::services::jobs::{self, Enqueue};

pub use endpoints::{create, delete, detail, list, resend, rotate, update, EndpointInput};

/// The job that sends one delivery.
pub const JOB_KIND: &str = "webhook";

/// A random id with a prefix (`evt_…`, 24 hexadecimal digits).
pub(crate) fn random_id(prefix: &str) -> String {
    let mut bytes = [0u8; 12];
    rand::fill(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// Queues a delivery of an event to every enabled endpoint of the tenant subscribed to
/// its type, in the caller's transaction. Returns how many were queued.
pub fn emit(
    conn: &mut PgConnection,
    tenant: TenantId,
    event: EventType,
    data: Value,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let endpoints = rows::subscribed(conn, tenant, event.as_str())?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    let id = random_id("evt_");
    let payload = json!({
        "id": id,
        "type": event.as_str(),
        "created_at": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": data,
    });
    for endpoint in &endpoints {
        let delivery =
            rows::insert_delivery(conn, tenant, *endpoint, &id, event.as_str(), &payload, now)?;
        queue(conn, tenant, &delivery, now)?;
    }
    Ok(endpoints.len())
}

fn queue(
    conn: &mut PgConnection,
    tenant: TenantId,
    delivery: &rows::Delivery,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    jobs::enqueue(
        conn,
        tenant,
        Enqueue {
            kind: JOB_KIND,
            payload: json!({ "delivery": delivery.id }),
            unique_key: None,
            run_at: now,
        },
    )?;
    Ok(())
}
