//! Partner organisations of a tenant's network.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{partners, users};
use crate::domain::network::SegmentRule;
use crate::domain::TenantId;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = partners)]
pub struct Partner {
    pub id: i64,
    pub external_code: String,
    pub name: String,
    pub kind: String,
    pub brand_mode: String,
    pub region: String,
    pub country: String,
    pub tier: Option<String>,
    pub potential: i16,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = partners)]
pub struct NewPartner<'a> {
    pub tenant_id: i64,
    pub external_code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub brand_mode: &'a str,
    pub region: &'a str,
    pub country: &'a str,
    pub tier: Option<&'a str>,
    pub potential: i16,
    pub active: bool,
}

/// Every editable field; `tier: None` clears the tier.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = partners, treat_none_as_null = true)]
pub struct PartnerChanges<'a> {
    pub external_code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub brand_mode: &'a str,
    pub region: &'a str,
    pub country: &'a str,
    pub tier: Option<&'a str>,
    pub potential: i16,
    pub updated_at: DateTime<Utc>,
}

/// What the partner list is filtered by; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct PartnerFilter {
    pub search: Option<String>,
    pub kind: Option<String>,
    pub region: Option<String>,
    pub tier: Option<String>,
    pub active: Option<bool>,
}

/// `%text%` for ILIKE, with the wildcard characters of `text` escaped.
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn filtered<'a>(tenant: TenantId, f: &PartnerFilter) -> partners::BoxedQuery<'a, Pg> {
    let mut q = partners::table
        .filter(partners::tenant_id.eq(tenant.0))
        .into_boxed();
    if let Some(text) = &f.search {
        let pattern = contains_pattern(text);
        q = q.filter(
            partners::name
                .ilike(pattern.clone())
                .or(partners::external_code.ilike(pattern)),
        );
    }
    if let Some(kind) = &f.kind {
        q = q.filter(partners::kind.eq(kind.clone()));
    }
    if let Some(region) = &f.region {
        q = q.filter(partners::region.eq(region.clone()));
    }
    if let Some(tier) = &f.tier {
        q = q.filter(partners::tier.eq(tier.clone()));
    }
    if let Some(active) = f.active {
        q = q.filter(partners::active.eq(active));
    }
    q
}

/// One page of partners by name, and how many match in all.
pub fn search(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &PartnerFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Partner>, i64)> {
    let total = filtered(tenant, filter).count().get_result(conn)?;
    let rows = filtered(tenant, filter)
        .select(Partner::as_select())
        .order((partners::name, partners::id))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

pub fn find(conn: &mut PgConnection, tenant: TenantId, id: i64) -> QueryResult<Partner> {
    partners::table
        .find((tenant.0, id))
        .select(Partner::as_select())
        .first(conn)
}

/// The partners with these codes, by code.
pub fn by_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    codes: &[&str],
) -> QueryResult<HashMap<String, Partner>> {
    let rows: Vec<Partner> = partners::table
        .filter(partners::tenant_id.eq(tenant.0))
        .filter(partners::external_code.eq_any(codes))
        .select(Partner::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|p| (p.external_code.clone(), p))
        .collect())
}

pub fn insert(conn: &mut PgConnection, new: &NewPartner) -> QueryResult<Partner> {
    diesel::insert_into(partners::table)
        .values(new)
        .returning(Partner::as_returning())
        .get_result(conn)
}

pub fn insert_many(conn: &mut PgConnection, new: &[NewPartner]) -> QueryResult<usize> {
    diesel::insert_into(partners::table)
        .values(new)
        .execute(conn)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: i64,
    changes: &PartnerChanges,
) -> QueryResult<Partner> {
    diesel::update(partners::table.find((tenant.0, id)))
        .set(changes)
        .returning(Partner::as_returning())
        .get_result(conn)
}

pub fn set_active(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: i64,
    active: bool,
    now: DateTime<Utc>,
) -> QueryResult<Partner> {
    diesel::update(partners::table.find((tenant.0, id)))
        .set((partners::active.eq(active), partners::updated_at.eq(now)))
        .returning(Partner::as_returning())
        .get_result(conn)
}

/// The regions and tiers in use, sorted, for filters and segment rules.
pub fn regions_and_tiers(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<(Vec<String>, Vec<String>)> {
    let regions = partners::table
        .filter(partners::tenant_id.eq(tenant.0))
        .select(partners::region)
        .distinct()
        .order(partners::region)
        .load(conn)?;
    let tiers: Vec<Option<String>> = partners::table
        .filter(partners::tenant_id.eq(tenant.0))
        .filter(partners::tier.is_not_null())
        .select(partners::tier)
        .distinct()
        .order(partners::tier)
        .load(conn)?;
    Ok((regions, tiers.into_iter().flatten().collect()))
}

/// The number of participants of each of these partners.
pub fn participant_counts(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[i64],
) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(Option<i64>, i64)> = users::table
        .filter(users::tenant_id.eq(tenant.0))
        .filter(users::partner_id.eq_any(ids))
        .group_by(users::partner_id)
        .select((users::partner_id, count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n)))
        .collect())
}

/// Ids of the active partners that a segment rule takes (none without criteria).
pub fn ids_matching(
    conn: &mut PgConnection,
    tenant: TenantId,
    rule: &SegmentRule,
) -> QueryResult<Vec<i64>> {
    if !rule.has_criteria() {
        return Ok(vec![]);
    }
    let mut q = partners::table
        .filter(partners::tenant_id.eq(tenant.0))
        .filter(partners::active.eq(true))
        .select(partners::id)
        .into_boxed();
    if !rule.kinds.is_empty() {
        q = q.filter(partners::kind.eq_any(rule.kinds.clone()));
    }
    if !rule.regions.is_empty() {
        q = q.filter(partners::region.eq_any(rule.regions.clone()));
    }
    if !rule.tiers.is_empty() {
        q = q.filter(partners::tier.eq_any(rule.tiers.clone()));
    }
    q.order(partners::id).load(conn)
}

/// Which of these ids are active partners of the tenant.
pub fn active_among(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[i64],
) -> QueryResult<Vec<i64>> {
    partners::table
        .filter(partners::tenant_id.eq(tenant.0))
        .filter(partners::active.eq(true))
        .filter(partners::id.eq_any(ids))
        .select(partners::id)
        .load(conn)
}
