//! API keys of a tenant and the responses kept by idempotency key.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{api_idempotency, api_keys};
use crate::domain::{ApiKeyId, TenantId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    pub tenant_id: TenantId,
    pub id: ApiKeyId,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey<'a> {
    pub tenant_id: TenantId,
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_sha256: &'a str,
    pub scopes: &'a [String],
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

pub fn insert(conn: &mut PgConnection, new: &NewApiKey) -> QueryResult<ApiKey> {
    diesel::insert_into(api_keys::table)
        .values(new)
        .returning(ApiKey::as_returning())
        .get_result(conn)
}

pub fn list(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<ApiKey>> {
    api_keys::table
        .filter(api_keys::tenant_id.eq(tenant))
        .order(api_keys::id.desc())
        .select(ApiKey::as_select())
        .load(conn)
}

/// The unrevoked key of this tenant whose secret hashes to `sha256`.
pub fn find_active_by_hash(
    conn: &mut PgConnection,
    tenant: TenantId,
    sha256: &str,
) -> QueryResult<Option<ApiKey>> {
    api_keys::table
        .filter(api_keys::tenant_id.eq(tenant))
        .filter(api_keys::secret_sha256.eq(sha256))
        .filter(api_keys::revoked_at.is_null())
        .select(ApiKey::as_select())
        .first(conn)
        .optional()
}

/// Records a use, at most once a minute per key (no write on every request).
pub fn touch(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ApiKeyId,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let stale = now - chrono::Duration::minutes(1);
    diesel::update(api_keys::table.find((tenant, id)))
        .filter(
            api_keys::last_used_at
                .is_null()
                .or(api_keys::last_used_at.lt(stale)),
        )
        .set(api_keys::last_used_at.eq(now))
        .execute(conn)
}

/// Revokes a key; `None` when it does not exist (or was revoked already).
pub fn revoke(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ApiKeyId,
    now: DateTime<Utc>,
) -> QueryResult<Option<ApiKey>> {
    diesel::update(api_keys::table.find((tenant, id)))
        .filter(api_keys::revoked_at.is_null())
        .set(api_keys::revoked_at.eq(now))
        .returning(ApiKey::as_returning())
        .get_result(conn)
        .optional()
}

/// A kept response: the request's hash, and the status and body answered.
#[derive(Debug, Clone, Queryable)]
pub struct Kept {
    pub request_sha256: String,
    pub status: i16,
    pub body: serde_json::Value,
}

/// Claims an idempotency key. A concurrent request holding the same key makes this wait
/// on the unique index until it commits (then `false`: read what it kept) or rolls back
/// (then `true`).
pub fn claim(
    conn: &mut PgConnection,
    tenant: TenantId,
    key: ApiKeyId,
    idempotency_key: &str,
    request_sha256: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let n = diesel::insert_into(api_idempotency::table)
        .values((
            api_idempotency::tenant_id.eq(tenant),
            api_idempotency::api_key_id.eq(key),
            api_idempotency::idempotency_key.eq(idempotency_key),
            api_idempotency::request_sha256.eq(request_sha256),
            api_idempotency::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(n == 1)
}

pub fn kept(
    conn: &mut PgConnection,
    tenant: TenantId,
    key: ApiKeyId,
    idempotency_key: &str,
) -> QueryResult<Kept> {
    api_idempotency::table
        .find((tenant, key, idempotency_key))
        .select((
            api_idempotency::request_sha256,
            api_idempotency::status,
            api_idempotency::body,
        ))
        .first(conn)
}

pub fn keep(
    conn: &mut PgConnection,
    tenant: TenantId,
    key: ApiKeyId,
    idempotency_key: &str,
    status: i16,
    body: &serde_json::Value,
) -> QueryResult<usize> {
    diesel::update(api_idempotency::table.find((tenant, key, idempotency_key)))
        .set((
            api_idempotency::status.eq(status),
            api_idempotency::body.eq(body),
        ))
        .execute(conn)
}

/// Forgets the tenant's responses kept since before `before` (the daily job).
pub fn forget_before(
    conn: &mut PgConnection,
    tenant: TenantId,
    before: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(
        api_idempotency::table
            .filter(api_idempotency::tenant_id.eq(tenant))
            .filter(api_idempotency::created_at.lt(before)),
    )
    .execute(conn)
}
