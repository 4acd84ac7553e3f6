//! Segments of partners: a rule on partner fields plus explicit members.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{partners, segment_partners, segments};
use crate::domain::network::SegmentRule;
use crate::domain::{PartnerId, SegmentId, TenantId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = segments)]
struct SegmentRow {
    id: SegmentId,
    name: String,
    kinds: Vec<Option<String>>,
    regions: Vec<Option<String>>,
    tiers: Vec<Option<String>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub id: SegmentId,
    pub name: String,
    pub rule: SegmentRule,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SegmentRow> for Segment {
    fn from(r: SegmentRow) -> Self {
        // Array elements are never NULL here (the service writes them); skip any that are.
        let list = |v: Vec<Option<String>>| v.into_iter().flatten().collect();
        Segment {
            id: r.id,
            name: r.name,
            rule: SegmentRule {
                kinds: list(r.kinds),
                regions: list(r.regions),
                tiers: list(r.tiers),
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

fn some(list: &[String]) -> Vec<Option<&str>> {
    list.iter().map(|s| Some(s.as_str())).collect()
}

pub fn list(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Segment>> {
    let rows: Vec<SegmentRow> = segments::table
        .filter(segments::tenant_id.eq(tenant))
        .order((segments::name, segments::id))
        .select(SegmentRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Segment::from).collect())
}

#[derive(QueryableByName)]
struct MemberCount {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: SegmentId,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    members: i64,
}

/// How many partners each segment of the tenant holds, in one query: the active
/// partners matching its rule (as `SegmentRule::matches`), plus the active partners
/// listed.
pub fn member_counts(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<std::collections::HashMap<SegmentId, i64>> {
    let rows: Vec<MemberCount> = diesel::sql_query(
        "SELECT s.id, count(DISTINCT m.id) AS members
         FROM segments s
         LEFT JOIN LATERAL (
             SELECT p.id FROM partners p
             WHERE p.tenant_id = s.tenant_id AND p.active
               AND cardinality(s.kinds) + cardinality(s.regions) + cardinality(s.tiers) > 0
               AND (cardinality(s.kinds) = 0 OR p.kind = ANY (s.kinds))
               AND (cardinality(s.regions) = 0 OR p.region = ANY (s.regions))
               AND (cardinality(s.tiers) = 0 OR p.tier = ANY (s.tiers))
             UNION ALL
             SELECT p.id FROM segment_partners sp
             JOIN partners p ON p.tenant_id = sp.tenant_id AND p.id = sp.partner_id
             WHERE sp.tenant_id = s.tenant_id AND sp.segment_id = s.id AND p.active
         ) m ON true
         WHERE s.tenant_id = $1
         GROUP BY s.id",
    )
    .bind::<diesel::sql_types::BigInt, _>(tenant)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.id, r.members)).collect())
}

pub fn find(conn: &mut PgConnection, tenant: TenantId, id: SegmentId) -> QueryResult<Segment> {
    segments::table
        .find((tenant, id))
        .select(SegmentRow::as_select())
        .first(conn)
        .map(Segment::from)
}

pub fn find_by_name(
    conn: &mut PgConnection,
    tenant: TenantId,
    name: &str,
) -> QueryResult<Option<Segment>> {
    segments::table
        .filter(segments::tenant_id.eq(tenant))
        .filter(segments::name.eq(name))
        .select(SegmentRow::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Segment::from))
}

pub fn insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    name: &str,
    rule: &SegmentRule,
) -> QueryResult<Segment> {
    diesel::insert_into(segments::table)
        .values((
            segments::tenant_id.eq(tenant),
            segments::name.eq(name),
            segments::kinds.eq(some(&rule.kinds)),
            segments::regions.eq(some(&rule.regions)),
            segments::tiers.eq(some(&rule.tiers)),
        ))
        .returning(SegmentRow::as_returning())
        .get_result(conn)
        .map(Segment::from)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: SegmentId,
    name: &str,
    rule: &SegmentRule,
    now: DateTime<Utc>,
) -> QueryResult<Segment> {
    diesel::update(segments::table.find((tenant, id)))
        .set((
            segments::name.eq(name),
            segments::kinds.eq(some(&rule.kinds)),
            segments::regions.eq(some(&rule.regions)),
            segments::tiers.eq(some(&rule.tiers)),
            segments::updated_at.eq(now),
        ))
        .returning(SegmentRow::as_returning())
        .get_result(conn)
        .map(Segment::from)
}

/// The external codes of the partners listed explicitly, sorted.
pub fn member_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    segment_id: SegmentId,
) -> QueryResult<Vec<String>> {
    segment_partners::table
        .inner_join(
            partners::table.on(partners::tenant_id
                .eq(segment_partners::tenant_id)
                .and(partners::id.eq(segment_partners::partner_id))),
        )
        .filter(segment_partners::tenant_id.eq(tenant))
        .filter(segment_partners::segment_id.eq(segment_id))
        .select(partners::external_code)
        .order(partners::external_code)
        .load(conn)
}

/// The ids of the partners listed explicitly (active or not).
pub fn member_ids(
    conn: &mut PgConnection,
    tenant: TenantId,
    segment_id: SegmentId,
) -> QueryResult<Vec<PartnerId>> {
    segment_partners::table
        .filter(segment_partners::tenant_id.eq(tenant))
        .filter(segment_partners::segment_id.eq(segment_id))
        .select(segment_partners::partner_id)
        .load(conn)
}

/// Every explicit membership of the tenant: (segment, partner).
pub fn all_members(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<Vec<(SegmentId, PartnerId)>> {
    segment_partners::table
        .filter(segment_partners::tenant_id.eq(tenant))
        .select((segment_partners::segment_id, segment_partners::partner_id))
        .load(conn)
}

pub fn is_member(
    conn: &mut PgConnection,
    tenant: TenantId,
    segment_id: SegmentId,
    partner_id: PartnerId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        segment_partners::table.find((tenant, segment_id, partner_id)),
    ))
    .get_result(conn)
}

/// Replaces the explicit members.
pub fn set_members(
    conn: &mut PgConnection,
    tenant: TenantId,
    segment_id: SegmentId,
    partner_ids: &[PartnerId],
) -> QueryResult<()> {
    diesel::delete(
        segment_partners::table
            .filter(segment_partners::tenant_id.eq(tenant))
            .filter(segment_partners::segment_id.eq(segment_id)),
    )
    .execute(conn)?;
    if partner_ids.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = partner_ids
        .iter()
        .map(|id| {
            (
                segment_partners::tenant_id.eq(tenant),
                segment_partners::segment_id.eq(segment_id),
                segment_partners::partner_id.eq(*id),
            )
        })
        .collect();
    diesel::insert_into(segment_partners::table)
        .values(&rows)
        .execute(conn)
        .map(|_| ())
}
