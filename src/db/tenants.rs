use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{tenant_domains, tenants};
use crate::domain::{Currency, Locale, TenantId, Zone};

/// A tenant without its logo bytes (loaded on every request).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = tenants)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub default_locale: String,
    pub primary_color: String,
    pub accent_color: String,
    pub logo_content_type: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// IANA name of the zone every date is shown and every day boundary computed in.
    pub time_zone: String,
    /// ISO 4217 code of the currency amounts are in (minor units).
    pub currency: String,
    /// What one point is worth, in minor units of the currency.
    pub point_value_minor: i64,
    /// Days after a challenge's end during which approvals still count for it.
    pub challenge_grace_days: i32,
}

impl Tenant {
    pub fn zone(&self) -> Zone {
        Zone::from_stored(&self.time_zone)
    }

    pub fn currency(&self) -> Currency {
        Currency::from_stored(&self.currency)
    }

    pub fn tenant_id(&self) -> TenantId {
        self.id
    }

    pub fn locale(&self) -> Locale {
        Locale::parse(&self.default_locale).unwrap_or_default()
    }

    pub fn has_logo(&self) -> bool {
        self.logo_content_type.is_some()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = tenants)]
pub struct NewTenant<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub default_locale: &'a str,
    pub primary_color: &'a str,
    pub accent_color: &'a str,
    pub time_zone: &'a str,
    pub currency: &'a str,
    pub point_value_minor: i64,
}

/// The tenant's time zone, currency and point value, as an admin sets them.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = tenants)]
pub struct RegionalChanges<'a> {
    pub time_zone: &'a str,
    pub currency: &'a str,
    pub point_value_minor: i64,
    pub challenge_grace_days: i32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = tenants)]
pub struct ThemeChanges<'a> {
    pub name: &'a str,
    pub default_locale: &'a str,
    pub primary_color: &'a str,
    pub accent_color: &'a str,
    pub updated_at: DateTime<Utc>,
}

pub fn insert(conn: &mut PgConnection, new: &NewTenant) -> QueryResult<Tenant> {
    diesel::insert_into(tenants::table)
        .values(new)
        .returning(Tenant::as_returning())
        .get_result(conn)
}

pub fn add_domain(conn: &mut PgConnection, tenant: TenantId, domain: &str) -> QueryResult<()> {
    diesel::insert_into(tenant_domains::table)
        .values((
            tenant_domains::domain.eq(domain),
            tenant_domains::tenant_id.eq(tenant),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Every tenant, by slug (platform-wide: used by the operator's commands).
pub fn list_all(conn: &mut PgConnection) -> QueryResult<Vec<Tenant>> {
    tenants::table
        .order(tenants::slug)
        .select(Tenant::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, id: TenantId) -> QueryResult<Tenant> {
    tenants::table
        .find(id)
        .select(Tenant::as_select())
        .first(conn)
}

pub fn find_by_slug(conn: &mut PgConnection, slug: &str) -> QueryResult<Option<Tenant>> {
    tenants::table
        .filter(tenants::slug.eq(slug))
        .select(Tenant::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_domain(conn: &mut PgConnection, domain: &str) -> QueryResult<Option<Tenant>> {
    tenants::table
        .inner_join(tenant_domains::table.on(tenant_domains::tenant_id.eq(tenants::id)))
        .filter(tenant_domains::domain.eq(domain))
        .select(Tenant::as_select())
        .first(conn)
        .optional()
}

pub fn domains(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<String>> {
    tenant_domains::table
        .filter(tenant_domains::tenant_id.eq(tenant))
        .select(tenant_domains::domain)
        .order(tenant_domains::domain)
        .load(conn)
}

pub fn update_theme(
    conn: &mut PgConnection,
    id: TenantId,
    changes: &ThemeChanges,
) -> QueryResult<Tenant> {
    diesel::update(tenants::table.find(id))
        .set(changes)
        .returning(Tenant::as_returning())
        .get_result(conn)
}

pub fn update_regional(
    conn: &mut PgConnection,
    id: TenantId,
    changes: &RegionalChanges,
) -> QueryResult<Tenant> {
    diesel::update(tenants::table.find(id))
        .set(changes)
        .returning(Tenant::as_returning())
        .get_result(conn)
}

pub fn set_logo(
    conn: &mut PgConnection,
    id: TenantId,
    bytes: &[u8],
    content_type: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(tenants::table.find(id))
        .set((
            tenants::logo.eq(bytes),
            tenants::logo_content_type.eq(content_type),
            tenants::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The zone the tenant counts its days in and the currency of its amounts (for services
/// that are given only the tenant's id).
pub fn zone_and_currency(conn: &mut PgConnection, id: TenantId) -> QueryResult<(Zone, Currency)> {
    let (zone, currency): (String, String) = tenants::table
        .find(id)
        .select((tenants::time_zone, tenants::currency))
        .first(conn)?;
    Ok((Zone::from_stored(&zone), Currency::from_stored(&currency)))
}

#[derive(QueryableByName)]
struct Known {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    known: bool,
}

/// Whether Postgres knows a zone by this name (its reports group days with it).
pub fn postgres_knows_zone(conn: &mut PgConnection, name: &str) -> QueryResult<bool> {
    diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS known")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result::<Known>(conn)
        .map(|k| k.known)
}

/// How long an invitation link of this tenant works.
pub fn invitation_ttl_hours(conn: &mut PgConnection, id: TenantId) -> QueryResult<i32> {
    tenants::table
        .find(id)
        .select(tenants::invitation_ttl_hours)
        .first(conn)
}

/// The logo's bytes and content type, if the tenant has one.
pub fn find_logo(conn: &mut PgConnection, id: TenantId) -> QueryResult<Option<(Vec<u8>, String)>> {
    let row: (Option<Vec<u8>>, Option<String>) = tenants::table
        .find(id)
        .select((tenants::logo, tenants::logo_content_type))
        .first(conn)?;
    Ok(match row {
        (Some(bytes), Some(ct)) => Some((bytes, ct)),
        _ => None,
    })
}
