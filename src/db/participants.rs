//! Participants as members of partners (rows of `users`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::users;
use super::users::User;
use crate::domain::{PartnerId, TenantId, UserId};

/// The users of a partner, by name.
pub fn of_partner(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner_id: PartnerId,
) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::partner_id.eq(partner_id))
        .order((users::display_name, users::id))
        .select(User::as_select())
        .load(conn)
}

/// The users with these (lower-cased) emails, by email.
pub fn by_emails(
    conn: &mut PgConnection,
    tenant: TenantId,
    emails: &[&str],
) -> QueryResult<HashMap<String, User>> {
    let rows: Vec<User> = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::email.eq_any(emails))
        .select(User::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|u| (u.email.clone(), u)).collect())
}

/// What an import may change about an existing participant.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = users)]
pub struct MembershipChanges<'a> {
    pub display_name: &'a str,
    pub partner_id: Option<PartnerId>,
    /// `None` keeps the user's language.
    pub locale: Option<&'a str>,
    pub updated_at: DateTime<Utc>,
}

pub fn update_membership(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
    changes: &MembershipChanges,
) -> QueryResult<()> {
    diesel::update(users::table.find((tenant, id)))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}
