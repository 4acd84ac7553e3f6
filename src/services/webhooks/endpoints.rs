//! Admins manage their endpoints: create, change (URL, description, events, enabled),
//! rotate the secret, delete; and re-send a delivery. Each is audited.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::db::webhooks::{self as rows, Delivery, Endpoint, Values};
use crate::domain::ids::{WebhookDeliveryId, WebhookEndpointId};
use crate::domain::webhooks::{check_url, derive_secret, EventType, MAX_DESCRIPTION};
use crate::domain::TenantId;
use crate::services::audit::{self, Actor, Change};
use crate::services::{FieldErrors, ServiceError};

/// Deliveries shown on an endpoint's page.
const SHOWN_DELIVERIES: i64 = 100;

/// An endpoint's form, as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EndpointInput {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub enabled: bool,
}

impl EndpointInput {
    pub fn of(e: &Endpoint) -> Self {
        EndpointInput {
            url: e.url.clone(),
            description: e.description.clone(),
            events: e.events.clone(),
            enabled: e.enabled,
        }
    }

    /// The checked values: a URL the environment allows, known events (at least one).
    fn check(&self, allow_http: bool) -> Result<(String, String, Vec<String>), ServiceError> {
        let mut errors = FieldErrors::new();
        let url = check_url(&self.url, allow_http).unwrap_or_else(|key| {
            errors.insert("url", key);
            String::new()
        });
        let description = self.description.trim().to_string();
        if description.chars().count() > MAX_DESCRIPTION
            || description.chars().any(char::is_control)
        {
            errors.insert("description", "error-too-long");
        }
        let events: Vec<String> = EventType::ALL
            .iter()
            .map(|e| e.as_str())
            .filter(|e| self.events.iter().any(|x| x == e))
            .map(str::to_string)
            .collect();
        if events.is_empty() || events.len() != self.events.len() {
            errors.insert("events", "error-webhook-events");
        }
        if errors.is_empty() {
            Ok((url, description, events))
        } else {
            Err(ServiceError::Invalid(errors))
        }
    }
}

fn new_salt() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// The signing secret of an endpoint (see `derive_secret`).
pub fn secret(server_key: &[u8], e: &Endpoint) -> String {
    derive_secret(server_key, e.tenant_id.0, e.id.0, &e.secret_salt)
}

fn audited(e: &Endpoint) -> serde_json::Value {
    json!({ "url": e.url, "description": e.description, "events": e.events, "enabled": e.enabled })
}

pub fn create(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &EndpointInput,
    allow_http: bool,
    now: DateTime<Utc>,
) -> Result<Endpoint, ServiceError> {
    let (url, description, events) = input.check(allow_http)?;
    conn.transaction(|conn| {
        let values = Values {
            url: &url,
            description: &description,
            events: &events,
            enabled: input.enabled,
        };
        let e = rows::insert(conn, tenant, &values, &new_salt(), now)?;
        let change =
            Change::new("webhook.created", "webhook", Some(e.id.into())).after(&audited(&e));
        audit::record(conn, tenant, actor, change)?;
        Ok(e)
    })
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: WebhookEndpointId,
    input: &EndpointInput,
    allow_http: bool,
    now: DateTime<Utc>,
) -> Result<Endpoint, ServiceError> {
    let (url, description, events) = input.check(allow_http)?;
    conn.transaction(|conn| {
        let before = rows::find(conn, tenant, id, true)?;
        let values = Values {
            url: &url,
            description: &description,
            events: &events,
            enabled: input.enabled,
        };
        let after = rows::update(conn, tenant, id, &values, now)?;
        let change = Change::new("webhook.updated", "webhook", Some(id.into()))
            .before(&audited(&before))
            .after(&audited(&after));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
}

/// Draws a new secret: the old one stops signing at once.
pub fn rotate(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: WebhookEndpointId,
    now: DateTime<Utc>,
) -> Result<Endpoint, ServiceError> {
    conn.transaction(|conn| {
        rows::find(conn, tenant, id, true)?;
        let e = rows::set_salt(conn, tenant, id, &new_salt(), now)?;
        let change = Change::new("webhook.secret_rotated", "webhook", Some(id.into()));
        audit::record(conn, tenant, actor, change)?;
        Ok(e)
    })
}

/// Deletes an endpoint and its deliveries (their queued jobs then skip).
pub fn delete(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: WebhookEndpointId,
) -> Result<(), ServiceError> {
    conn.transaction(|conn| {
        let before = rows::find(conn, tenant, id, true)?;
        rows::delete(conn, tenant, id)?;
        let change =
            Change::new("webhook.deleted", "webhook", Some(id.into())).before(&audited(&before));
        audit::record(conn, tenant, actor, change)?;
        Ok(())
    })
}

/// Queues the same event (same id, same payload) to the endpoint again, as a new
/// delivery. Refused while the endpoint is disabled.
pub fn resend(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    endpoint: WebhookEndpointId,
    delivery: WebhookDeliveryId,
    now: DateTime<Utc>,
) -> Result<Delivery, ServiceError> {
    conn.transaction(|conn| {
        let e = rows::find(conn, tenant, endpoint, false)?;
        let d = rows::find_delivery(conn, tenant, delivery)?;
        if d.endpoint_id != e.id {
            return Err(ServiceError::NotFound);
        }
        if !e.enabled {
            return Err(ServiceError::field("delivery", "webhooks-resend-disabled"));
        }
        let again = rows::insert_delivery(
            conn,
            tenant,
            e.id,
            &d.event_id,
            &d.event_type,
            &d.payload,
            now,
        )?;
        super::queue(conn, tenant, &again, now)?;
        let change = Change::new("webhook.resent", "webhook", Some(e.id.into()))
            .after(&json!({ "event_id": d.event_id, "delivery": again.id }));
        audit::record(conn, tenant, actor, change)?;
        Ok(again)
    })
}

pub fn list(conn: &mut PgConnection, tenant: TenantId) -> Result<Vec<Endpoint>, ServiceError> {
    Ok(rows::list(conn, tenant)?)
}

/// An endpoint's page: the endpoint, its secret and its latest deliveries.
#[derive(Debug, Serialize)]
pub struct Detail {
    pub endpoint: Endpoint,
    pub secret: String,
    pub deliveries: Vec<Delivery>,
}

pub fn detail(
    conn: &mut PgConnection,
    tenant: TenantId,
    server_key: &[u8],
    id: WebhookEndpointId,
) -> Result<Detail, ServiceError> {
    let endpoint = rows::find(conn, tenant, id, false)?;
    let deliveries = rows::deliveries_of(conn, tenant, id, SHOWN_DELIVERIES)?;
    Ok(Detail {
        secret: secret(server_key, &endpoint),
        endpoint,
        deliveries,
    })
}
