use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::auth_tokens;
use super::{first_row, Lock};
use crate::domain::{AuthTokenId, TenantId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = auth_tokens)]
pub struct AuthToken {
    pub tenant_id: TenantId,
    pub id: AuthTokenId,
    pub user_id: UserId,
    pub purpose: String,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub fn insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    purpose: &str,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(auth_tokens::table)
        .values((
            auth_tokens::tenant_id.eq(tenant),
            auth_tokens::user_id.eq(user),
            auth_tokens::purpose.eq(purpose),
            auth_tokens::token_hash.eq(token_hash),
            auth_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Revokes every open link of a user for a purpose (a new one replaces them).
pub fn revoke_open(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    purpose: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        auth_tokens::table
            .filter(auth_tokens::tenant_id.eq(tenant))
            .filter(auth_tokens::user_id.eq(user))
            .filter(auth_tokens::purpose.eq(purpose))
            .filter(auth_tokens::used_at.is_null())
            .filter(auth_tokens::revoked_at.is_null()),
    )
    .set(auth_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// The token with this hash; using it locks it, so that two uses cannot both succeed.
pub fn find_by_hash(
    conn: &mut PgConnection,
    tenant: TenantId,
    token_hash: &str,
    lock: Lock,
) -> QueryResult<Option<AuthToken>> {
    let query = auth_tokens::table
        .filter(auth_tokens::tenant_id.eq(tenant))
        .filter(auth_tokens::token_hash.eq(token_hash))
        .select(AuthToken::as_select());
    first_row!(query, lock, conn).optional()
}

pub fn mark_used(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: AuthTokenId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(auth_tokens::table.find((tenant, id)))
        .set(auth_tokens::used_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

/// Links issued to a user for a purpose since `since` (rate limiting of resets).
pub fn count_since(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    purpose: &str,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    auth_tokens::table
        .filter(auth_tokens::tenant_id.eq(tenant))
        .filter(auth_tokens::user_id.eq(user))
        .filter(auth_tokens::purpose.eq(purpose))
        .filter(auth_tokens::created_at.ge(since))
        .select(count_star())
        .first(conn)
}
