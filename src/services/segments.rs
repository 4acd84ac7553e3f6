//! Segments: who may see a mission, a challenge or a reward. Members are the active
//! partners matching the segment's rule (see `SegmentRule`) plus those listed explicitly.

use std::collections::BTreeSet;

use chrono::Utc;
use diesel::prelude::*;
use diesel::result::Error as DbError;
use serde::Serialize;

use super::audit::{self, Actor, Change};
use super::catalog::field;
use super::{is_unique_violation, FieldErrors, ServiceError};
use crate::db::partners;
use crate::db::segments::{self, Segment};
use crate::domain::network::{
    optional_text, required_text, ExternalCode, PartnerKind, SegmentRule,
};
use crate::domain::values::ErrorKey;
use crate::domain::{PartnerId, SegmentId, TenantId};
use crate::services::once::{self, Claim};

const NAME_TAKEN: &str = "segments_tenant_name_key";

/// A segment as typed in the form: checked lists and a free list of partner codes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SegmentInput {
    pub name: String,
    pub kinds: Vec<String>,
    pub regions: Vec<String>,
    pub tiers: Vec<String>,
    /// External codes separated by spaces, commas, semicolons or new lines.
    pub partner_codes: String,
    /// A new segment's one-time form token (`services::once`).
    pub form_token: String,
}

impl SegmentInput {
    /// From form or query pairs, where list fields repeat (`kinds=a&kinds=b`).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut input = SegmentInput::default();
        for (k, v) in pairs {
            match k.as_str() {
                "name" => input.name = v,
                "kinds" => input.kinds.push(v),
                "regions" => input.regions.push(v),
                "tiers" => input.tiers.push(v),
                "partner_codes" => input.partner_codes = v,
                "form_token" => input.form_token = v,
                _ => {}
            }
        }
        input
    }

    fn codes(&self) -> Vec<&str> {
        self.partner_codes
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|c| !c.is_empty())
            .collect()
    }
}

fn clean_list(values: &[String], max: usize) -> Result<Vec<String>, ErrorKey> {
    let mut out = BTreeSet::new();
    for v in values {
        if let Some(t) = optional_text(v, max)? {
            out.insert(t);
        }
    }
    Ok(out.into_iter().collect())
}

fn parse_rule(input: &SegmentInput, e: &mut FieldErrors) -> Option<SegmentRule> {
    let kinds: Result<BTreeSet<&str>, ErrorKey> = input
        .kinds
        .iter()
        .map(|k| PartnerKind::parse(k).map(PartnerKind::as_str))
        .collect();
    let kinds = field(e, "kinds", kinds);
    let regions = field(e, "regions", clean_list(&input.regions, 80));
    let tiers = field(e, "tiers", clean_list(&input.tiers, 40));
    Some(SegmentRule {
        kinds: kinds?.into_iter().map(str::to_string).collect(),
        regions: regions?,
        tiers: tiers?,
    })
}

/// The ids of the listed partners; unknown or malformed codes are an error.
fn listed_ids(
    conn: &mut PgConnection,
    tenant: TenantId,
    input: &SegmentInput,
) -> Result<Result<Vec<PartnerId>, ErrorKey>, DbError> {
    let mut codes = BTreeSet::new();
    for raw in input.codes() {
        match ExternalCode::parse(raw) {
            Ok(c) => codes.insert(c),
            Err(_) => return Ok(Err("error-segment-codes-unknown")),
        };
    }
    let wanted: Vec<&str> = codes.iter().map(ExternalCode::as_str).collect();
    let found = partners::by_codes(conn, tenant, &wanted)?;
    if found.len() < wanted.len() {
        return Ok(Err("error-segment-codes-unknown"));
    }
    Ok(Ok(found.values().map(|p| p.id).collect()))
}

fn validate(
    conn: &mut PgConnection,
    tenant: TenantId,
    input: &SegmentInput,
) -> Result<(String, SegmentRule, Vec<PartnerId>), ServiceError> {
    let mut e = FieldErrors::new();
    let name = field(&mut e, "name", required_text(&input.name, 80));
    let rule = parse_rule(input, &mut e);
    let ids = field(&mut e, "partner_codes", listed_ids(conn, tenant, input)?);
    match (name, rule, ids) {
        (Some(n), Some(r), Some(i)) => Ok((n, r, i)),
        _ => Err(ServiceError::Invalid(e)),
    }
}

fn audit_view(s: &Segment, codes: &[String]) -> serde_json::Value {
    serde_json::json!({
        "name": s.name, "kinds": s.rule.kinds.join(", "), "regions": s.rule.regions.join(", "),
        "tiers": s.rule.tiers.join(", "), "partners": codes.join(", "),
    })
}

fn name_taken(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Db(ref db) if is_unique_violation(db, NAME_TAKEN) => {
            ServiceError::field("name", "error-segment-name-taken")
        }
        other => other,
    }
}

pub fn create(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &SegmentInput,
) -> Result<Segment, ServiceError> {
    conn.transaction(|conn| {
        let (name, rule, ids) = validate(conn, tenant, input)?;
        let now = chrono::Utc::now();
        if let Claim::Repeat(first) = once::claim(conn, tenant, &input.form_token, now)? {
            // Sent twice: the first submission's segment stands.
            return Ok(segments::find(
                conn,
                tenant,
                first.ok_or(ServiceError::NotFound)?,
            )?);
        }
        let segment = segments::insert(conn, tenant, &name, &rule)?;
        segments::set_members(conn, tenant, segment.id, &ids)?;
        let codes = segments::member_codes(conn, tenant, segment.id)?;
        let change = Change::new("segment.created", "segment", Some(segment.id.into()))
            .after(&audit_view(&segment, &codes));
        audit::record(conn, tenant, actor, change)?;
        once::settle(conn, tenant, &input.form_token, segment.id)?;
        Ok(segment)
    })
    .map_err(name_taken)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: SegmentId,
    input: &SegmentInput,
) -> Result<Segment, ServiceError> {
    conn.transaction(|conn| {
        let before = segments::find(conn, tenant, id)?;
        let before_codes = segments::member_codes(conn, tenant, id)?;
        let (name, rule, ids) = validate(conn, tenant, input)?;
        let after = segments::update(conn, tenant, id, &name, &rule, Utc::now())?;
        segments::set_members(conn, tenant, id, &ids)?;
        let codes = segments::member_codes(conn, tenant, id)?;
        let (b, a) = (
            audit_view(&before, &before_codes),
            audit_view(&after, &codes),
        );
        if a != b {
            let change = Change::new("segment.updated", "segment", Some(id.into()))
                .before(&b)
                .after(&a);
            audit::record(conn, tenant, actor, change)?;
        }
        Ok(after)
    })
    .map_err(name_taken)
}

fn members(
    conn: &mut PgConnection,
    tenant: TenantId,
    rule: &SegmentRule,
    listed: &[PartnerId],
) -> Result<Vec<PartnerId>, DbError> {
    let mut ids: BTreeSet<PartnerId> = partners::ids_matching(conn, tenant, rule)?
        .into_iter()
        .collect();
    ids.extend(partners::active_among(conn, tenant, listed)?);
    Ok(ids.into_iter().collect())
}

/// The active partners in a segment, by id. For eligibility checks.
pub fn partner_ids(
    conn: &mut PgConnection,
    tenant: TenantId,
    segment_id: SegmentId,
) -> Result<Vec<PartnerId>, ServiceError> {
    let segment = segments::find(conn, tenant, segment_id)?;
    let listed = segments::member_ids(conn, tenant, segment_id)?;
    Ok(members(conn, tenant, &segment.rule, &listed)?)
}

/// Whether a partner is in a segment (false for an inactive or unknown partner).
pub fn contains(
    conn: &mut PgConnection,
    tenant: TenantId,
    segment_id: SegmentId,
    partner_id: PartnerId,
) -> Result<bool, ServiceError> {
    let segment = segments::find(conn, tenant, segment_id)?;
    let Some(p) = partners::find(conn, tenant, partner_id).optional()? else {
        return Ok(false);
    };
    Ok(p.active
        && (segment.rule.matches(&p.kind, &p.region, p.tier.as_deref())
            || segments::is_member(conn, tenant, segment_id, partner_id)?))
}

#[derive(Debug, Serialize)]
pub struct SegmentSummary {
    pub segment: Segment,
    pub members: usize,
}

/// Every segment with its active members, in three queries whatever their number.
fn with_members(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> Result<Vec<(Segment, BTreeSet<PartnerId>)>, ServiceError> {
    let all = segments::list(conn, tenant)?;
    let active = partners::active_facets(conn, tenant)?;
    let listed: BTreeSet<(SegmentId, PartnerId)> =
        segments::all_members(conn, tenant)?.into_iter().collect();
    Ok(all
        .into_iter()
        .map(|segment| {
            let members = active
                .iter()
                .filter(|(id, kind, region, tier)| {
                    segment.rule.matches(kind, region, tier.as_deref())
                        || listed.contains(&(segment.id, *id))
                })
                .map(|(id, ..)| *id)
                .collect();
            (segment, members)
        })
        .collect())
}

/// Every segment with its member count: two queries, whatever the number of segments.
pub fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> Result<Vec<SegmentSummary>, ServiceError> {
    let counts = segments::member_counts(conn, tenant)?;
    Ok(segments::list(conn, tenant)?
        .into_iter()
        .map(|segment| SegmentSummary {
            members: counts
                .get(&segment.id)
                .map_or(0, |&n| usize::try_from(n).unwrap_or(0)),
            segment,
        })
        .collect())
}

/// The names of the segments that hold a partner.
pub fn names_holding(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner_id: PartnerId,
) -> Result<Vec<String>, ServiceError> {
    Ok(with_members(conn, tenant)?
        .into_iter()
        .filter(|(_, ids)| ids.contains(&partner_id))
        .map(|(segment, _)| segment.name)
        .collect())
}

/// How many partners a segment typed so far would hold (invalid parts are ignored).
pub fn preview_count(
    conn: &mut PgConnection,
    tenant: TenantId,
    input: &SegmentInput,
) -> Result<usize, ServiceError> {
    let mut ignored = FieldErrors::new();
    let rule = parse_rule(input, &mut ignored).unwrap_or_default();
    let codes: Vec<String> = input
        .codes()
        .into_iter()
        .filter_map(|c| ExternalCode::parse(c).ok())
        .map(|c| c.as_str().to_string())
        .collect();
    let wanted: Vec<&str> = codes.iter().map(String::as_str).collect();
    let listed: Vec<PartnerId> = partners::by_codes(conn, tenant, &wanted)?
        .values()
        .map(|p| p.id)
        .collect();
    Ok(members(conn, tenant, &rule, &listed)?.len())
}

/// Everything the segment form shows: the values, the choices and the live count.
#[derive(Debug, Serialize)]
pub struct SegmentForm {
    pub input: SegmentInput,
    pub kinds: Vec<&'static str>,
    pub regions: Vec<String>,
    pub tiers: Vec<String>,
    pub count: usize,
}

/// The form for a segment being edited (`Some(id)`), created, or re-shown with `input`.
pub fn form(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Option<SegmentId>,
    input: Option<SegmentInput>,
) -> Result<SegmentForm, ServiceError> {
    let input = match (input, id) {
        (Some(input), _) => input,
        (None, Some(id)) => {
            let s = segments::find(conn, tenant, id)?;
            SegmentInput {
                partner_codes: segments::member_codes(conn, tenant, id)?.join("\n"),
                name: s.name,
                kinds: s.rule.kinds,
                regions: s.rule.regions,
                tiers: s.rule.tiers,
                form_token: String::new(),
            }
        }
        (None, None) => SegmentInput {
            form_token: once::new_token(),
            ..SegmentInput::default()
        },
    };
    if let Some(id) = id {
        segments::find(conn, tenant, id)?;
    }
    let (mut regions, mut tiers) = partners::regions_and_tiers(conn, tenant)?;
    // Values kept by the rule stay offered even when no partner has them any more.
    for (options, chosen) in [(&mut regions, &input.regions), (&mut tiers, &input.tiers)] {
        for c in chosen {
            if !options.contains(c) {
                options.push(c.clone());
            }
        }
        options.sort();
    }
    let count = preview_count(conn, tenant, &input)?;
    Ok(SegmentForm {
        input,
        kinds: PartnerKind::ALL.iter().map(|k| k.as_str()).collect(),
        regions,
        tiers,
        count,
    })
}
