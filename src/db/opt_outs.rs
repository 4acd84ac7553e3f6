//! The e-mail categories a participant turned off (tenant-scoped).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::email_opt_outs;
use crate::domain::{TenantId, UserId};

#[derive(Debug, Insertable)]
#[diesel(table_name = email_opt_outs)]
pub struct NewOptOut<'a> {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub category: &'a str,
    pub source: &'a str,
    pub created_at: DateTime<Utc>,
}

/// The categories the user turned off.
pub fn of_user(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<Vec<String>> {
    email_opt_outs::table
        .filter(email_opt_outs::tenant_id.eq(tenant))
        .filter(email_opt_outs::user_id.eq(user))
        .select(email_opt_outs::category)
        .order(email_opt_outs::category)
        .load(conn)
}

pub fn is_opted_out(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    category: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        email_opt_outs::table
            .filter(email_opt_outs::tenant_id.eq(tenant))
            .filter(email_opt_outs::user_id.eq(user))
            .filter(email_opt_outs::category.eq(category)),
    ))
    .get_result(conn)
}

/// Turns a category off; returns whether it was on.
pub fn insert(conn: &mut PgConnection, row: &NewOptOut) -> QueryResult<bool> {
    diesel::insert_into(email_opt_outs::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|n| n == 1)
}

/// Turns a category back on; returns whether it was off.
pub fn delete(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    category: &str,
) -> QueryResult<bool> {
    diesel::delete(email_opt_outs::table.find((tenant, user, category.to_string())))
        .execute(conn)
        .map(|n| n == 1)
}
