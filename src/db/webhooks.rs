//! Webhook endpoints and their deliveries (tenant-scoped).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::schema::{webhook_deliveries, webhook_endpoints};
use crate::domain::ids::{WebhookDeliveryId, WebhookEndpointId};
use crate::domain::TenantId;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = webhook_endpoints)]
pub struct Endpoint {
    pub tenant_id: TenantId,
    pub id: WebhookEndpointId,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub enabled: bool,
    /// Never shown: the secret is derived from it and the server's key.
    #[serde(skip)]
    pub secret_salt: String,
    pub secret_rotated_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an admin sets on an endpoint.
pub struct Values<'a> {
    pub url: &'a str,
    pub description: &'a str,
    pub events: &'a [String],
    pub enabled: bool,
}

pub fn insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    v: &Values,
    salt: &str,
    now: DateTime<Utc>,
) -> QueryResult<Endpoint> {
    diesel::insert_into(webhook_endpoints::table)
        .values((
            webhook_endpoints::tenant_id.eq(tenant),
            webhook_endpoints::url.eq(v.url),
            webhook_endpoints::description.eq(v.description),
            webhook_endpoints::events.eq(v.events),
            webhook_endpoints::enabled.eq(v.enabled),
            webhook_endpoints::secret_salt.eq(salt),
            webhook_endpoints::secret_rotated_at.eq(now),
            webhook_endpoints::created_at.eq(now),
            webhook_endpoints::updated_at.eq(now),
        ))
        .returning(Endpoint::as_returning())
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: WebhookEndpointId,
    v: &Values,
    now: DateTime<Utc>,
) -> QueryResult<Endpoint> {
    diesel::update(webhook_endpoints::table.find((tenant, id)))
        .set((
            webhook_endpoints::url.eq(v.url),
            webhook_endpoints::description.eq(v.description),
            webhook_endpoints::events.eq(v.events),
            webhook_endpoints::enabled.eq(v.enabled),
            webhook_endpoints::updated_at.eq(now),
        ))
        .returning(Endpoint::as_returning())
        .get_result(conn)
}

pub fn set_salt(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: WebhookEndpointId,
    salt: &str,
    now: DateTime<Utc>,
) -> QueryResult<Endpoint> {
    diesel::update(webhook_endpoints::table.find((tenant, id)))
        .set((
            webhook_endpoints::secret_salt.eq(salt),
            webhook_endpoints::secret_rotated_at.eq(now),
            webhook_endpoints::updated_at.eq(now),
        ))
        .returning(Endpoint::as_returning())
        .get_result(conn)
}

/// Deletes the endpoint and (cascade) its deliveries; queued jobs then find nothing.
pub fn delete(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: WebhookEndpointId,
) -> QueryResult<usize> {
    diesel::delete(webhook_endpoints::table.find((tenant, id))).execute(conn)
}

/// The endpoint, locked for a change when `lock`.
pub fn find(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: WebhookEndpointId,
    lock: bool,
) -> QueryResult<Endpoint> {
    let query = webhook_endpoints::table
        .find((tenant, id))
        .select(Endpoint::as_select());
    if lock {
        query.for_update().first(conn)
    } else {
        query.first(conn)
    }
}

pub fn list(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Endpoint>> {
    webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant))
        .order(webhook_endpoints::id)
        .select(Endpoint::as_select())
        .load(conn)
}

/// The enabled endpoints of the tenant subscribed to `event_type`.
pub fn subscribed(
    conn: &mut PgConnection,
    tenant: TenantId,
    event_type: &str,
) -> QueryResult<Vec<WebhookEndpointId>> {
    webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant))
        .filter(webhook_endpoints::enabled.eq(true))
        .filter(webhook_endpoints::events.contains(vec![event_type.to_string()]))
        .order(webhook_endpoints::id)
        .select(webhook_endpoints::id)
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub tenant_id: TenantId,
    pub id: WebhookDeliveryId,
    pub endpoint_id: WebhookEndpointId,
    pub event_id: String,
    pub event_type: String,
    pub payload: Value,
    pub status: String,
    pub attempts: i32,
    pub last_status_code: Option<i32>,
    pub last_response: Option<String>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub fn insert_delivery(
    conn: &mut PgConnection,
    tenant: TenantId,
    endpoint: WebhookEndpointId,
    event_id: &str,
    event_type: &str,
    payload: &Value,
    now: DateTime<Utc>,
) -> QueryResult<Delivery> {
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::tenant_id.eq(tenant),
            webhook_deliveries::endpoint_id.eq(endpoint),
            webhook_deliveries::event_id.eq(event_id),
            webhook_deliveries::event_type.eq(event_type),
            webhook_deliveries::payload.eq(payload),
            webhook_deliveries::created_at.eq(now),
        ))
        .returning(Delivery::as_returning())
        .get_result(conn)
}

pub fn find_delivery(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: WebhookDeliveryId,
) -> QueryResult<Delivery> {
    webhook_deliveries::table
        .find((tenant, id))
        .select(Delivery::as_select())
        .first(conn)
}

/// An endpoint's deliveries, newest first.
pub fn deliveries_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    endpoint: WebhookEndpointId,
    limit: i64,
) -> QueryResult<Vec<Delivery>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant))
        .filter(webhook_deliveries::endpoint_id.eq(endpoint))
        .order((
            webhook_deliveries::created_at.desc(),
            webhook_deliveries::id.desc(),
        ))
        .limit(limit)
        .select(Delivery::as_select())
        .load(conn)
}

/// One attempt's outcome.
pub struct Attempt<'a> {
    pub status: &'a str,
    pub code: Option<i32>,
    pub response: &'a str,
    pub at: DateTime<Utc>,
}

pub fn record_attempt(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: WebhookDeliveryId,
    a: &Attempt,
) -> QueryResult<usize> {
    diesel::update(webhook_deliveries::table.find((tenant, id)))
        .set((
            webhook_deliveries::status.eq(a.status),
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::last_status_code.eq(a.code),
            webhook_deliveries::last_response.eq(a.response),
            webhook_deliveries::last_attempt_at.eq(a.at),
        ))
        .execute(conn)
}

pub fn set_status(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: WebhookDeliveryId,
    status: &str,
) -> QueryResult<usize> {
    diesel::update(webhook_deliveries::table.find((tenant, id)))
        .set(webhook_deliveries::status.eq(status))
        .execute(conn)
}

/// Latest approved or rejected declarations of the tenant, for the demo's history.
pub fn recent_decided_declarations(
    conn: &mut PgConnection,
    tenant: TenantId,
    limit: i64,
) -> QueryResult<Vec<crate::db::declarations::Declaration>> {
    use super::schema::declarations;
    declarations::table
        .filter(declarations::tenant_id.eq(tenant))
        .filter(declarations::status.eq_any(["approved", "rejected"]))
        .order((declarations::updated_at.desc(), declarations::id.desc()))
        .limit(limit)
        .select(crate::db::declarations::Declaration::as_select())
        .load(conn)
}

/// Removes the tenant's queued webhook jobs (the demo's history is not to be sent).
pub fn forget_queued_jobs(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<usize> {
    use super::schema::jobs;
    diesel::delete(
        jobs::table
            .filter(jobs::tenant_id.eq(tenant))
            .filter(jobs::kind.eq("webhook"))
            .filter(jobs::status.eq("queued")),
    )
    .execute(conn)
}
