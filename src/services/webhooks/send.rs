//! The worker's side of a delivery, around the HTTP request it makes outside any
//! transaction: what to send (`prepare`), then what happened (`record`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::endpoints::secret;
use crate::db::webhooks::{self as rows, Attempt};
use crate::domain::ids::WebhookDeliveryId;
use crate::domain::TenantId;

/// What the worker sends.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub url: String,
    pub event_id: String,
    pub event_type: String,
    /// The exact body, as signed.
    pub body: String,
    pub secret: String,
}

/// Why a delivery is not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSent {
    /// The endpoint (and so the delivery) was deleted.
    Gone,
    /// The endpoint is disabled: the delivery is marked skipped.
    Disabled,
}

pub fn prepare(
    conn: &mut PgConnection,
    tenant: TenantId,
    server_key: &[u8],
    id: WebhookDeliveryId,
) -> QueryResult<Result<Outgoing, NotSent>> {
    let Some(d) = rows::find_delivery(conn, tenant, id).optional()? else {
        return Ok(Err(NotSent::Gone));
    };
    let e = rows::find(conn, tenant, d.endpoint_id, false)?;
    if !e.enabled {
        rows::set_status(conn, tenant, id, "skipped")?;
        return Ok(Err(NotSent::Disabled));
    }
    let body = serde_json::to_string(&d.payload)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    Ok(Ok(Outgoing {
        url: e.url.clone(),
        event_id: d.event_id,
        event_type: d.event_type,
        body,
        secret: secret(server_key, &e),
    }))
}

/// What an attempt got back: a status code and the start of the body, or an error
/// (timeout, refused connection, TLS).
#[derive(Debug, Clone)]
pub struct Response {
    pub code: Option<u16>,
    pub text: String,
}

impl Response {
    pub fn succeeded(&self) -> bool {
        self.code.is_some_and(|c| (200..300).contains(&c))
    }
}

/// Records an attempt: succeeded, failed for good after the `last` attempt, else still
/// pending (the job retries).
pub fn record(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: WebhookDeliveryId,
    response: &Response,
    last: bool,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let status = if response.succeeded() {
        "succeeded"
    } else if last {
        "failed"
    } else {
        "pending"
    };
    rows::record_attempt(
        conn,
        tenant,
        id,
        &Attempt {
            status,
            code: response.code.map(i32::from),
            response: &response.text,
            at: now,
        },
    )?;
    Ok(())
}
