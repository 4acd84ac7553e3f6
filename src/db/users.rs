use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::users;
use crate::domain::{Locale, PartnerId, Role, TenantId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub tenant_id: TenantId,
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: String,
    /// Never shown: pages see only `invited` (no password chosen yet, never signed in).
    #[serde(rename = "invited", serialize_with = "no_password_yet")]
    pub password_hash: Option<String>,
    pub locale: Option<String>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    /// The partner a participant belongs to.
    pub partner_id: Option<PartnerId>,
    /// Sessions opened before this instant are no longer valid.
    #[serde(skip)]
    pub sessions_valid_from: DateTime<Utc>,
}

fn no_password_yet<S: serde::Serializer>(hash: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(hash.is_none())
}

impl User {
    pub fn tenant(&self) -> TenantId {
        self.tenant_id
    }

    pub fn user_id(&self) -> UserId {
        self.id
    }

    /// Unknown roles cannot be stored (CHECK constraint); fall back to the least power.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Participant)
    }

    pub fn locale(&self) -> Option<Locale> {
        self.locale.as_deref().and_then(Locale::parse)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub tenant_id: TenantId,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub password_hash: Option<&'a str>,
    pub locale: Option<&'a str>,
    pub partner_id: Option<PartnerId>,
}

pub fn insert(conn: &mut PgConnection, new: &NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(User::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, tenant: TenantId, id: UserId) -> QueryResult<User> {
    users::table
        .find((tenant, id))
        .select(User::as_select())
        .first(conn)
}

pub fn find_by_email(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
) -> QueryResult<Option<User>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .order((users::role.desc(), users::display_name))
        .select(User::as_select())
        .load(conn)
}

/// The tenant's admins and marketers, by role then name (a programme's staff: a few,
/// where participants are thousands).
pub fn staff(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::role.ne("participant"))
        .order((users::role.desc(), users::display_name))
        .select(User::as_select())
        .load(conn)
}

/// One page of the tenant's users (admins, then marketers, then participants, by name),
/// those whose name or e-mail contains `search` when given, and how many match.
pub fn search(
    conn: &mut PgConnection,
    tenant: TenantId,
    search: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<User>, i64)> {
    let filtered = || {
        let mut q = users::table
            .filter(users::tenant_id.eq(tenant))
            .into_boxed();
        if let Some(text) = search {
            let pattern = super::catalog::contains_pattern(text);
            q = q.filter(
                users::display_name
                    .ilike(pattern.clone())
                    .or(users::email.ilike(pattern)),
            );
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((users::role.desc(), users::display_name, users::id))
        .offset(offset)
        .limit(limit)
        .select(User::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn set_locale(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
    locale: Locale,
) -> QueryResult<()> {
    diesel::update(users::table.find((tenant, id)))
        .set(users::locale.eq(locale.as_str()))
        .execute(conn)
        .map(|_| ())
}

pub fn set_partner(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
    partner: Option<PartnerId>,
) -> QueryResult<()> {
    diesel::update(users::table.find((tenant, id)))
        .set(users::partner_id.eq(partner))
        .execute(conn)
        .map(|_| ())
}

pub fn set_role(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
    role: Role,
    now: DateTime<Utc>,
) -> QueryResult<User> {
    diesel::update(users::table.find((tenant, id)))
        .set((
            users::role.eq(role.as_str()),
            users::updated_at.eq(now),
            users::sessions_valid_from.eq(now),
        ))
        .returning(User::as_returning())
        .get_result(conn)
}

/// Ends every open session of the user (password changed, account disabled, role changed).
pub fn revoke_sessions(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(users::table.find((tenant, id)))
        .set(users::sessions_valid_from.eq(now))
        .execute(conn)
        .map(|_| ())
}

pub fn set_disabled(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
    disabled: bool,
    now: DateTime<Utc>,
) -> QueryResult<User> {
    diesel::update(users::table.find((tenant, id)))
        .set((
            users::disabled.eq(disabled),
            users::updated_at.eq(now),
            users::sessions_valid_from.eq(now),
        ))
        .returning(User::as_returning())
        .get_result(conn)
}

pub fn set_password_hash(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(users::table.find((tenant, id)))
        .set((
            users::password_hash.eq(hash),
            users::updated_at.eq(now),
            users::sessions_valid_from.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
