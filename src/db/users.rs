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

/// These users of the tenant, by id (one query for a batch).
pub fn by_ids(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[UserId],
) -> QueryResult<std::collections::HashMap<UserId, User>> {
    let rows: Vec<User> = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq_any(ids))
        .select(User::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|u| (u.id, u)).collect())
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

/// What an update changes on a user: `None` leaves a column as it is. A change of role,
/// access or password starts from `ending_sessions`.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChange<'a> {
    pub role: Option<&'a str>,
    pub disabled: Option<bool>,
    pub password_hash: Option<&'a str>,
    pub locale: Option<&'a str>,
    /// `Some(None)` takes the user out of their partner.
    pub partner_id: Option<Option<PartnerId>>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Sessions opened before this instant are no longer valid.
    pub sessions_valid_from: Option<DateTime<Utc>>,
}

impl UserChange<'_> {
    /// A change that ends every session the user has open (opened before `now`).
    pub fn ending_sessions(now: DateTime<Utc>) -> Self {
        UserChange {
            updated_at: Some(now),
            sessions_valid_from: Some(now),
            ..UserChange::default()
        }
    }
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
    change: &UserChange,
) -> QueryResult<User> {
    diesel::update(users::table.find((tenant, id)))
        .set(change)
        .returning(User::as_returning())
        .get_result(conn)
}
