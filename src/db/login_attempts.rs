use chrono::{DateTime, Utc};
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use super::schema::login_attempts;
use crate::domain::TenantId;

pub fn record(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
    ip: &str,
    succeeded: bool,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::tenant_id.eq(tenant),
            login_attempts::email.eq(email),
            login_attempts::ip.eq(ip),
            login_attempts::succeeded.eq(succeeded),
            login_attempts::attempted_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Failed attempts for an account since `since` and since its last success.
pub fn recent_failures_for_email(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    let last_success: Option<DateTime<Utc>> = login_attempts::table
        .filter(login_attempts::tenant_id.eq(tenant))
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(true))
        .filter(login_attempts::attempted_at.ge(since))
        .select(max(login_attempts::attempted_at))
        .first(conn)?;
    let from = last_success.map_or(since, |s| s.max(since));
    login_attempts::table
        .filter(login_attempts::tenant_id.eq(tenant))
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::attempted_at.ge(from))
        .select(count_star())
        .first(conn)
}

/// Failed attempts from one address since `since`.
pub fn recent_failures_for_ip(
    conn: &mut PgConnection,
    tenant: TenantId,
    ip: &str,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    login_attempts::table
        .filter(login_attempts::tenant_id.eq(tenant))
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::attempted_at.ge(since))
        .select(count_star())
        .first(conn)
}
