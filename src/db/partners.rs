//! Partner organisations of a tenant's network.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use serde::Serialize;

use super::catalog::Sort;
use super::schema::{partners, users};
use crate::domain::network::SegmentRule;
use crate::domain::{PartnerId, TenantId};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = partners)]
pub struct Partner {
    pub id: PartnerId,
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
    pub tenant_id: TenantId,
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

/// What the partner list is filtered by (`None` means any) and sorted by.
#[derive(Debug, Clone, Default)]
pub struct PartnerFilter {
    pub search: Option<String>,
    pub kind: Option<String>,
    pub region: Option<String>,
    pub tier: Option<String>,
    pub active: Option<bool>,
    pub sort: Sort,
}

/// The orders of the partner list, the default first.
pub const SORTS: &[&str] = &["name", "code", "region", "updated"];

fn filtered<'a>(tenant: TenantId, f: &PartnerFilter) -> partners::BoxedQuery<'a, Pg> {
    let mut q = narrowed(tenant, f.search.as_deref(), f.active);
    if let Some(kind) = &f.kind {
        q = q.filter(partners::kind.eq(kind.clone()));
    }
    if let Some(region) = &f.region {
        q = q.filter(partners::region.eq(region.clone()));
    }
    if let Some(tier) = &f.tier {
        q = q.filter(partners::tier.eq(tier.clone()));
    }
    q
}

fn ordered<'a>(q: partners::BoxedQuery<'a, Pg>, f: &PartnerFilter) -> partners::BoxedQuery<'a, Pg> {
    crate::sort_by!(q, &f.sort, partners::id, {
        "name" => [partners::name],
        "code" => [partners::external_code],
        "region" => [partners::region, partners::name],
        "updated" => [partners::updated_at],
    })
}

crate::catalog_table!(
    Partners,
    partners,
    Partner,
    PartnerId,
    NewPartner,
    PartnerChanges,
    PartnerFilter,
    key = external_code
);

pub use self::by_keys as by_codes;

/// The regions and tiers in use, sorted, for filters and segment rules.
pub fn regions_and_tiers(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<(Vec<String>, Vec<String>)> {
    let regions = partners::table
        .filter(partners::tenant_id.eq(tenant))
        .select(partners::region)
        .distinct()
        .order(partners::region)
        .load(conn)?;
    let tiers: Vec<Option<String>> = partners::table
        .filter(partners::tenant_id.eq(tenant))
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
    ids: &[PartnerId],
) -> QueryResult<HashMap<PartnerId, i64>> {
    let rows: Vec<(Option<PartnerId>, i64)> = users::table
        .filter(users::tenant_id.eq(tenant))
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
) -> QueryResult<Vec<PartnerId>> {
    if !rule.has_criteria() {
        return Ok(vec![]);
    }
    let mut q = partners::table
        .filter(partners::tenant_id.eq(tenant))
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

/// What segment rules look at: id, kind, region, tier.
pub type Facets = (PartnerId, String, String, Option<String>);

/// The facets of every active partner.
pub fn active_facets(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Facets>> {
    partners::table
        .filter(partners::tenant_id.eq(tenant))
        .filter(partners::active.eq(true))
        .select((
            partners::id,
            partners::kind,
            partners::region,
            partners::tier,
        ))
        .load(conn)
}

/// Which of these ids are active partners of the tenant.
pub fn active_among(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[PartnerId],
) -> QueryResult<Vec<PartnerId>> {
    partners::table
        .filter(partners::tenant_id.eq(tenant))
        .filter(partners::active.eq(true))
        .filter(partners::id.eq_any(ids))
        .select(partners::id)
        .load(conn)
}

/// Name and region of these partners.
pub fn names_and_regions(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[PartnerId],
) -> QueryResult<Vec<(PartnerId, String, String)>> {
    partners::table
        .filter(partners::tenant_id.eq(tenant))
        .filter(partners::id.eq_any(ids))
        .select((partners::id, partners::name, partners::region))
        .load(conn)
}
