use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::login_attempts;
use crate::domain::TenantId;

/// Keeps a settled login attempt in the history (the limits are `login_throttle`'s).
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
