//! Setting challenges up (marketers): the form, targets uploaded as CSV, the preview of
//! who takes part with which target, and publication (participants enrolled with their
//! targets, the lifecycle's jobs queued). Once published, only the texts change, and the
//! end may move later while it has not passed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::{ChallengeError, TICK_JOB};
use crate::db::challenges::scores::{self, Board, Entrant};
use crate::db::challenges::{self as rows, Challenge, ChallengeValues, Rules};
use crate::db::{
    partners as db_partners, products as db_products, segments as db_segments, tenants,
    users as db_users,
};
use crate::domain::challenges::{
    growth_target, phase, ChallengeStatus, Objective, RankBasis, Scope, TargetMode, Tier,
    MAX_PRIZES, MAX_TIERS,
};
use crate::domain::money::{amount_input, parse_amount, Currency};
use crate::domain::network::{optional_text, required_text};
use crate::domain::values::ErrorKey;
use crate::domain::{ChallengeId, PartnerId, SegmentId, TenantId, UserId, Zone};
use crate::services::audit::{self, Actor, Change};
use crate::services::catalog::field;
use crate::services::jobs::{self, Enqueue};
use crate::services::missions::setup::{
    day, number, product_ids, required_number, segment_ids, to_i32,
};
use crate::services::once::{self, Claim};
use crate::services::{segments, FieldErrors};

/// A challenge as typed in the studio (every value a string, as sent).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChallengeInput {
    pub title: String,
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
    pub objective: String,
    pub scope: String,
    pub target_mode: String,
    /// The fixed target, or the floor of growth targets (money for revenue).
    pub target_value: String,
    pub growth_percent: String,
    pub reference_starts_on: String,
    pub reference_ends_on: String,
    /// "1.5" for ×1.5; blank for none.
    pub multiplier: String,
    pub rank_basis: String,
    pub products: Vec<String>,
    pub categories: Vec<String>,
    pub segments: Vec<String>,
    pub tier_percent: Vec<String>,
    pub tier_points: Vec<String>,
    /// Points of rank 1, 2, … (blank: no prize).
    pub prizes: Vec<String>,
    pub form_token: String,
}

impl ChallengeInput {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut i = ChallengeInput::default();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => i.title = v,
                "description" => i.description = v,
                "starts_on" => i.starts_on = v,
                "ends_on" => i.ends_on = v,
                "objective" => i.objective = v,
                "scope" => i.scope = v,
                "target_mode" => i.target_mode = v,
                "target_value" => i.target_value = v,
                "growth_percent" => i.growth_percent = v,
                "reference_starts_on" => i.reference_starts_on = v,
                "reference_ends_on" => i.reference_ends_on = v,
                "multiplier" => i.multiplier = v,
                "rank_basis" => i.rank_basis = v,
                "products" => i.products.push(v),
                "categories" => i.categories.push(v),
                "segments" => i.segments.push(v),
                "tier_percent" => i.tier_percent.push(v),
                "tier_points" => i.tier_points.push(v),
                "prize" => i.prizes.push(v),
                "form_token" => i.form_token = v,
                _ => {}
            }
        }
        i.pad();
        i
    }

    /// As many tier and prize rows as the form shows.
    fn pad(&mut self) {
        self.tier_percent.resize(MAX_TIERS, String::new());
        self.tier_points.resize(MAX_TIERS, String::new());
        self.prizes.resize(MAX_PRIZES.min(5), String::new());
    }

    /// A new challenge: units, per participant, fixed target of 10, from tomorrow for a
    /// month, tiers 80 / 100 / 120 %.
    pub fn blank(today: NaiveDate) -> Self {
        let mut i = ChallengeInput {
            starts_on: (today + Duration::days(1)).to_string(),
            ends_on: (today + Duration::days(31)).to_string(),
            objective: Objective::Units.as_str().into(),
            scope: Scope::Participant.as_str().into(),
            target_mode: TargetMode::Fixed.as_str().into(),
            target_value: "10".into(),
            growth_percent: "110".into(),
            reference_starts_on: (today - Duration::days(365)).to_string(),
            reference_ends_on: (today - Duration::days(335)).to_string(),
            rank_basis: RankBasis::Result.as_str().into(),
            tier_percent: vec!["80".into(), "100".into(), "120".into()],
            tier_points: vec!["100".into(), "300".into(), "600".into()],
            form_token: once::new_token(),
            ..ChallengeInput::default()
        };
        i.pad();
        i
    }

    fn of(
        c: &Challenge,
        tiers: &[Tier],
        prizes: &[(i32, i64)],
        segments: &[SegmentId],
        zone: Zone,
        currency: Currency,
    ) -> Self {
        let revenue = c.objective == Objective::Revenue.as_str();
        let mut i = ChallengeInput {
            title: c.title.clone(),
            description: c.description.clone(),
            starts_on: zone.date_of(c.starts_at).to_string(),
            ends_on: zone.date_of(c.ends_at - Duration::seconds(1)).to_string(),
            objective: c.objective.clone(),
            scope: c.scope.clone(),
            target_mode: c.target_mode.clone(),
            target_value: if revenue {
                amount_input(c.target_value, currency)
            } else {
                c.target_value.to_string()
            },
            growth_percent: c.growth_percent.map(|g| g.to_string()).unwrap_or_default(),
            reference_starts_on: c
                .reference_starts_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            reference_ends_on: c
                .reference_ends_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            multiplier: c.multiplier.map(multiplier_text).unwrap_or_default(),
            rank_basis: c.rank_basis.clone(),
            products: c
                .product_ids
                .iter()
                .flatten()
                .map(|p| p.to_string())
                .collect(),
            categories: c.categories.iter().flatten().cloned().collect(),
            segments: segments.iter().map(|s| s.to_string()).collect(),
            tier_percent: tiers.iter().map(|t| t.percent.to_string()).collect(),
            tier_points: tiers.iter().map(|t| t.points.to_string()).collect(),
            prizes: vec![],
            form_token: String::new(),
        };
        let mut p = vec![String::new(); MAX_PRIZES.min(5)];
        for (rank, points) in prizes {
            if let Some(slot) = p.get_mut(usize::try_from(*rank - 1).unwrap_or(usize::MAX)) {
                *slot = points.to_string();
            }
        }
        i.prizes = p;
        i.pad();
        i
    }
}

/// 1500 → "1.5".
pub fn multiplier_text(m: i32) -> String {
    let whole = m / 1000;
    let frac = m % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// "1.5" or "1,5" → 1500; between ×1.001 and ×10.
fn parse_multiplier(input: &str) -> Result<Option<i32>, ErrorKey> {
    let t = input.trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    let ok = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !ok(whole) || !ok(frac) || frac.len() > 3 || whole.len() > 2 {
        return Err("error-challenge-multiplier");
    }
    let m = whole.parse::<i32>().unwrap_or(0) * 1000
        + format!("{frac:0<3}").parse::<i32>().unwrap_or(0);
    if (1001..=10_000).contains(&m) {
        Ok(Some(m))
    } else {
        Err("error-challenge-multiplier")
    }
}

/// A checked challenge.
struct Valid {
    title: String,
    description: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    objective: Objective,
    scope: Scope,
    mode: TargetMode,
    target_value: i64,
    growth_percent: Option<i32>,
    reference: Option<(NaiveDate, NaiveDate)>,
    multiplier: Option<i32>,
    rank_basis: RankBasis,
    products: Vec<i64>,
    categories: Vec<String>,
    segments: Vec<SegmentId>,
    tiers: Vec<Tier>,
    prizes: Vec<(i32, i64)>,
}

fn validate(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    currency: Currency,
    input: &ChallengeInput,
) -> Result<Valid, ChallengeError> {
    let mut e = FieldErrors::new();
    let title = field(&mut e, "title", required_text(&input.title, 120));
    let description = field(
        &mut e,
        "description",
        optional_text(&input.description, 4000),
    );
    let starts = field(&mut e, "starts_on", day(&input.starts_on));
    let ends = field(&mut e, "ends_on", day(&input.ends_on));
    if let (Some(s), Some(end)) = (starts, ends) {
        if end < s {
            e.insert("ends_on", "error-mission-ends-before");
        }
    }
    let objective = field(
        &mut e,
        "objective",
        Objective::parse(&input.objective).ok_or("error-challenge-choice"),
    );
    let scope = field(
        &mut e,
        "scope",
        Scope::parse(&input.scope).ok_or("error-challenge-choice"),
    );
    let mode = field(
        &mut e,
        "target_mode",
        TargetMode::parse(&input.target_mode).ok_or("error-challenge-choice"),
    );
    let target_value = if objective == Some(Objective::Revenue) {
        field(
            &mut e,
            "target_value",
            parse_amount(&input.target_value, currency).and_then(|v| {
                if v >= 1 {
                    Ok(v)
                } else {
                    Err("error-mission-number")
                }
            }),
        )
    } else {
        field(
            &mut e,
            "target_value",
            required_number(&input.target_value, 1, 1_000_000_000),
        )
    };
    let (growth_percent, reference) = if mode == Some(TargetMode::Growth) {
        let g = field(
            &mut e,
            "growth_percent",
            required_number(&input.growth_percent, 1, 1000).map(to_i32),
        );
        let from = field(
            &mut e,
            "reference_starts_on",
            day(&input.reference_starts_on),
        );
        let to = field(&mut e, "reference_ends_on", day(&input.reference_ends_on));
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                e.insert("reference_ends_on", "error-mission-ends-before");
            }
            if starts.is_some_and(|s| t >= s) {
                e.insert("reference_ends_on", "error-challenge-reference-overlap");
            }
        }
        (g, from.zip(to))
    } else {
        (None, None)
    };
    let multiplier = field(&mut e, "multiplier", parse_multiplier(&input.multiplier));
    let rank_basis = field(
        &mut e,
        "rank_basis",
        RankBasis::parse(&input.rank_basis).ok_or("error-challenge-choice"),
    );
    let products = field(
        &mut e,
        "products",
        product_ids(conn, tenant, &input.products)?,
    )
    .map(|p| p.into_iter().map(|p| p.0).collect::<Vec<_>>());
    let known: BTreeSet<String> = db_products::categories(conn, tenant)?.into_iter().collect();
    let mut categories = BTreeSet::new();
    for c in input
        .categories
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
    {
        if known.contains(c) {
            categories.insert(c.to_string());
        } else {
            e.insert("categories", "error-challenge-category");
        }
    }
    let segments = field(
        &mut e,
        "segments",
        segment_ids(conn, tenant, &input.segments)?,
    );
    let mut tiers: Vec<Tier> = vec![];
    for (n, (p, pts)) in input
        .tier_percent
        .iter()
        .zip(&input.tier_points)
        .enumerate()
    {
        if p.trim().is_empty() && pts.trim().is_empty() {
            continue;
        }
        let percent = number(p, 1, 1000).ok().flatten();
        let points = number(pts, 1, 1_000_000).ok().flatten();
        match (percent, points) {
            (Some(percent), Some(points))
                if !tiers.iter().any(|t| t.percent == to_i32(percent)) =>
            {
                tiers.push(Tier {
                    percent: to_i32(percent),
                    points,
                })
            }
            _ => {
                e.insert(
                    TIER_FIELDS[n.min(TIER_FIELDS.len() - 1)],
                    "error-challenge-tier",
                );
            }
        }
    }
    tiers.sort_by_key(|t| t.percent);
    let mut prizes = vec![];
    for (n, p) in input.prizes.iter().enumerate() {
        if p.trim().is_empty() {
            continue;
        }
        match number(p, 1, 1_000_000) {
            Ok(Some(points)) => prizes.push((to_i32(n as i64 + 1), points)),
            _ => {
                e.insert(
                    PRIZE_FIELDS[n.min(PRIZE_FIELDS.len() - 1)],
                    "error-mission-number",
                );
            }
        }
    }
    if !e.is_empty() {
        return Err(ChallengeError::Invalid(e));
    }
    let (
        Some(title),
        Some(description),
        Some(s),
        Some(end),
        Some(objective),
        Some(scope),
        Some(mode),
        Some(target_value),
        Some(multiplier),
        Some(rank_basis),
        Some(products),
        Some(segments),
    ) = (
        title,
        description,
        starts,
        ends,
        objective,
        scope,
        mode,
        target_value,
        multiplier,
        rank_basis,
        products,
        segments,
    )
    else {
        return Err(ChallengeError::Invalid(e));
    };
    Ok(Valid {
        title,
        description: description.unwrap_or_default(),
        starts_at: zone.day_start(s),
        ends_at: zone.day_start(end + Duration::days(1)),
        objective,
        scope,
        mode,
        target_value,
        growth_percent,
        reference,
        multiplier,
        rank_basis,
        products,
        categories: categories.into_iter().collect(),
        segments,
        tiers,
        prizes,
    })
}

/// Field names of the tier and prize rows, for their messages.
pub const TIER_FIELDS: [&str; MAX_TIERS] = ["tier_1", "tier_2", "tier_3", "tier_4", "tier_5"];
pub const PRIZE_FIELDS: [&str; 5] = ["prize_1", "prize_2", "prize_3", "prize_4", "prize_5"];

fn values<'a>(tenant: TenantId, v: &'a Valid, now: DateTime<Utc>) -> (ChallengeValues<'a>, Rules) {
    (
        ChallengeValues {
            tenant_id: tenant,
            title: &v.title,
            description: &v.description,
            starts_at: v.starts_at,
            ends_at: v.ends_at,
            updated_at: now,
        },
        Rules {
            tenant_id: tenant,
            challenge_id: ChallengeId(0),
            objective: v.objective.as_str().into(),
            scope: v.scope.as_str().into(),
            target_mode: v.mode.as_str().into(),
            target_value: v.target_value,
            growth_percent: v.growth_percent,
            reference_starts_on: v.reference.map(|r| r.0),
            reference_ends_on: v.reference.map(|r| r.1),
            multiplier: v.multiplier,
            rank_basis: v.rank_basis.as_str().into(),
            product_ids: v.products.iter().map(|p| Some(*p)).collect(),
            categories: v.categories.iter().map(|c| Some(c.clone())).collect(),
        },
    )
}

fn audit_view(
    c: &Challenge,
    tiers: &[Tier],
    prizes: &[(i32, i64)],
    segments: &[SegmentId],
) -> serde_json::Value {
    json!({
        "title": c.title, "objective": c.objective, "scope": c.scope,
        "target_mode": c.target_mode, "target_value": c.target_value,
        "growth_percent": c.growth_percent, "multiplier": c.multiplier,
        "starts_at": c.starts_at, "ends_at": c.ends_at,
        "products": c.product_ids, "categories": c.categories,
        "tiers": tiers, "prizes": prizes, "segments": segments,
    })
}

/// Creates (`id` None, once per form token) or updates a draft; a published challenge
/// takes only its texts and a later end.
#[allow(clippy::too_many_arguments)]
pub fn save(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: Option<ChallengeId>,
    input: &ChallengeInput,
    now: DateTime<Utc>,
) -> Result<Challenge, ChallengeError> {
    conn.transaction(|conn| {
        let t = tenants::find(conn, tenant)?;
        let (zone, currency) = (t.zone(), t.currency());
        if id.is_none() {
            if let Claim::Repeat(Some(first)) =
                once::claim::<ChallengeId>(conn, tenant, &input.form_token, now)?
            {
                return Ok(rows::find(conn, tenant, first)?);
            }
        }
        let before = match id {
            Some(id) => Some(rows::find_for_update(conn, tenant, id)?),
            None => None,
        };
        if let Some(b) = before
            .as_ref()
            .filter(|b| b.status != ChallengeStatus::Draft.as_str())
        {
            return save_published(
                conn,
                tenant,
                actor,
                b,
                input,
                zone,
                t.challenge_grace_days,
                now,
            );
        }
        let v = validate(conn, tenant, zone, currency, input)?;
        let (head, rules) = values(tenant, &v, now);
        let challenge = match &before {
            None => rows::insert(conn, &head, rules)?,
            Some(b) => rows::update(conn, tenant, b.id, &head, rules)?,
        };
        let before_view = match &before {
            Some(b) => Some(audit_view(
                b,
                &rows::tiers(conn, tenant, b.id)?,
                &rows::prizes(conn, tenant, b.id)?,
                &rows::segments_of(conn, tenant, b.id)?,
            )),
            None => None,
        };
        rows::set_tiers(conn, tenant, challenge.id, &v.tiers)?;
        rows::set_prizes(conn, tenant, challenge.id, &v.prizes)?;
        rows::set_segments(conn, tenant, challenge.id, &v.segments)?;
        let after = audit_view(&challenge, &v.tiers, &v.prizes, &v.segments);
        let change = match before_view {
            None => Change::new("challenge.created", "challenge", Some(challenge.id.into()))
                .after(&after),
            Some(b) => Change::new("challenge.updated", "challenge", Some(challenge.id.into()))
                .before(&b)
                .after(&after),
        };
        audit::record(conn, tenant, actor, change)?;
        if id.is_none() {
            once::settle(conn, tenant, &input.form_token, challenge.id)?;
        }
        Ok(challenge)
    })
}

#[allow(clippy::too_many_arguments)]
fn save_published(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    before: &Challenge,
    input: &ChallengeInput,
    zone: Zone,
    grace_days: i32,
    now: DateTime<Utc>,
) -> Result<Challenge, ChallengeError> {
    let mut e = FieldErrors::new();
    let title = field(&mut e, "title", required_text(&input.title, 120));
    let description = field(
        &mut e,
        "description",
        optional_text(&input.description, 4000),
    );
    let old_last = zone.date_of(before.ends_at - Duration::seconds(1));
    let new_end = match day(&input.ends_on) {
        Ok(d) if d == old_last => None,
        Ok(d) if d > old_last && now < before.ends_at => {
            Some(zone.day_start(d + Duration::days(1)))
        }
        Ok(_) => {
            e.insert("ends_on", "error-challenge-end-locked");
            None
        }
        Err(k) => {
            e.insert("ends_on", k);
            None
        }
    };
    let (Some(title), Some(description)) = (title, description) else {
        return Err(ChallengeError::Invalid(e));
    };
    if !e.is_empty() {
        return Err(ChallengeError::Invalid(e));
    }
    let mut after = rows::update_texts(
        conn,
        tenant,
        before.id,
        &title,
        &description.unwrap_or_default(),
        now,
    )?;
    if let Some(end) = new_end {
        let award_at = end + Duration::days(i64::from(grace_days));
        after = rows::set_end(conn, tenant, before.id, end, award_at, now)?;
        schedule(conn, tenant, &after)?;
    }
    let change = Change::new("challenge.updated", "challenge", Some(before.id.into()))
        .before(&json!({ "title": before.title, "description": before.description, "ends_at": before.ends_at }))
        .after(&json!({ "title": after.title, "description": after.description, "ends_at": after.ends_at }));
    audit::record(conn, tenant, actor, change)?;
    Ok(after)
}

/// Queues the ticks that move the challenge at its start, end and award instants (a
/// tick that finds nothing to do does nothing, so moved instants need no clean-up).
fn schedule(conn: &mut PgConnection, tenant: TenantId, c: &Challenge) -> QueryResult<()> {
    let mut at = vec![c.starts_at, c.ends_at];
    at.extend(c.award_at);
    for run_at in at {
        let key = format!("challenge:{}:{}", c.id, run_at.timestamp());
        jobs::enqueue(
            conn,
            tenant,
            Enqueue {
                kind: TICK_JOB,
                payload: json!({ "challenge": c.id }),
                unique_key: Some(&key),
                run_at,
            },
        )?;
    }
    Ok(())
}

/// Who takes part and with which target, as publication would enrol them now.
pub struct Draw {
    pub entrants: Vec<Entrant>,
    pub partner_targets: BTreeMap<PartnerId, i64>,
}

fn draw(conn: &mut PgConnection, c: &Challenge) -> Result<Draw, ChallengeError> {
    let tenant = c.tenant_id;
    let scope = Scope::parse(&c.scope).unwrap_or(Scope::Participant);
    let mode = TargetMode::parse(&c.target_mode).unwrap_or(TargetMode::Fixed);
    let by_partner = scope == Scope::Partner;
    let wanted = rows::segments_of(conn, tenant, c.id)?;
    let partners: Option<Vec<PartnerId>> = if wanted.is_empty() {
        None
    } else {
        let mut all = BTreeSet::new();
        for s in wanted {
            all.extend(segments::partner_ids(conn, tenant, s)?);
        }
        Some(all.into_iter().collect())
    };
    let people = scores::participants_of(conn, tenant, partners.as_deref())?;
    let targets: BTreeMap<i64, i64> = match mode {
        TargetMode::Fixed => BTreeMap::new(),
        TargetMode::Upload => rows::uploaded_targets(conn, tenant, c.id)?
            .into_iter()
            .collect(),
        TargetMode::Growth => {
            let (Some(from), Some(to), Some(g)) =
                (c.reference_starts_on, c.reference_ends_on, c.growth_percent)
            else {
                return Err(ChallengeError::Refused("error-challenge-choice"));
            };
            let objective = Objective::parse(&c.objective).unwrap_or(Objective::Units);
            let products: Vec<i64> = c.product_ids.iter().flatten().copied().collect();
            let categories: Vec<String> = c.categories.iter().flatten().cloned().collect();
            let reference = scores::reference_results(
                conn,
                tenant,
                objective,
                by_partner,
                &products,
                &categories,
                from,
                to,
            )?;
            let subjects: Vec<i64> = if by_partner {
                people.iter().map(|(_, p)| p.0).collect()
            } else {
                people.iter().map(|(u, _)| u.0).collect()
            };
            subjects
                .into_iter()
                .map(|s| {
                    (
                        s,
                        growth_target(reference.get(&s).copied().unwrap_or(0), g, c.target_value),
                    )
                })
                .collect()
        }
    };
    let target_of = |subject: i64| -> Option<i64> {
        match mode {
            TargetMode::Fixed => Some(c.target_value),
            _ => targets.get(&subject).copied(),
        }
    };
    let mut entrants = vec![];
    let mut partner_targets = BTreeMap::new();
    for (user, partner) in people {
        if by_partner {
            let Some(t) = target_of(partner.0) else {
                continue;
            };
            partner_targets.insert(partner, t);
            entrants.push(Entrant {
                participant: user,
                partner,
                target: None,
            });
        } else {
            let Some(t) = target_of(user.0) else { continue };
            entrants.push(Entrant {
                participant: user,
                partner,
                target: Some(t),
            });
        }
    }
    Ok(Draw {
        entrants,
        partner_targets,
    })
}

/// What publication would do: how many take part and how their targets spread.
#[derive(Debug, Serialize, Default)]
pub struct Preview {
    pub participants: usize,
    pub partners: usize,
    /// Minimum, quartiles and maximum of the targets (of partners in a partner challenge).
    pub spread: Option<[i64; 5]>,
}

pub fn preview(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> Result<Preview, ChallengeError> {
    let c = rows::find(conn, tenant, id)?;
    let d = draw(conn, &c)?;
    let mut targets: Vec<i64> = if c.scope == Scope::Partner.as_str() {
        d.partner_targets.values().copied().collect()
    } else {
        d.entrants.iter().filter_map(|e| e.target).collect()
    };
    targets.sort_unstable();
    let partners: BTreeSet<PartnerId> = d.entrants.iter().map(|e| e.partner).collect();
    Ok(Preview {
        participants: d.entrants.len(),
        partners: partners.len(),
        spread: spread(&targets),
    })
}

/// Minimum, quartiles and maximum of sorted values.
pub fn spread(sorted: &[i64]) -> Option<[i64; 5]> {
    if sorted.is_empty() {
        return None;
    }
    let at = |q: usize| sorted[(sorted.len() - 1) * q / 4];
    Some([at(0), at(1), at(2), at(3), at(4)])
}

/// Publishes a draft: enrols everyone with their target, sets the status the clock says
/// and queues the ticks. Refused when it would end in the past or has no one to enrol.
pub fn publish(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: ChallengeId,
    now: DateTime<Utc>,
) -> Result<Challenge, ChallengeError> {
    conn.transaction(|conn| {
        let c = rows::find_for_update(conn, tenant, id)?;
        if c.status != ChallengeStatus::Draft.as_str() {
            return Err(ChallengeError::Refused("error-challenge-not-draft"));
        }
        if now >= c.ends_at {
            return Err(ChallengeError::Refused("error-challenge-over"));
        }
        let d = draw(conn, &c)?;
        if d.entrants.is_empty() {
            return Err(ChallengeError::Refused("error-challenge-nobody"));
        }
        scores::enrol(conn, tenant, id, &d.entrants, &d.partner_targets, now)?;
        let t = tenants::find(conn, tenant)?;
        // What was approved in the window before publication counts too.
        let zone = t.zone();
        scores::backfill(
            conn,
            tenant,
            id,
            Objective::parse(&c.objective).unwrap_or(Objective::Units),
            &c.product_ids.iter().flatten().copied().collect::<Vec<_>>(),
            &c.categories.iter().flatten().cloned().collect::<Vec<_>>(),
            (zone.date_of(c.starts_at), zone.date_of(c.ends_at - Duration::seconds(1))),
            (c.starts_at, c.ends_at),
            now,
        )?;
        let grace = t.challenge_grace_days;
        let award_at = c.ends_at + Duration::days(i64::from(grace));
        let status = phase(now, c.starts_at, c.ends_at, award_at);
        let published = rows::publish(conn, tenant, id, status.as_str(), award_at, now)?;
        schedule(conn, tenant, &published)?;
        if status == ChallengeStatus::Active {
            crate::services::notifications::challenges::launched(conn, &published, now)?;
        }
        let change = Change::new("challenge.published", "challenge", Some(id.into()))
            .before(&json!({ "status": c.status }))
            .after(&json!({ "status": published.status, "participants": d.entrants.len(), "award_at": award_at }));
        audit::record(conn, tenant, actor, change)?;
        Ok(published)
    })
}

/// A line of a targets file that could not be taken.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TargetLineError {
    pub line: usize,
    pub key: ErrorKey,
    pub value: String,
}

/// Replaces a draft's uploaded targets with a CSV file of `email,target` (participant
/// challenges) or `partner_code,target` (partner challenges), with a header line. All or
/// nothing: any bad line refuses the whole file, each bad line said.
pub fn upload_targets(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: ChallengeId,
    bytes: &[u8],
) -> Result<Result<usize, Vec<TargetLineError>>, ChallengeError> {
    conn.transaction(|conn| {
        let c = rows::find_for_update(conn, tenant, id)?;
        if c.status != ChallengeStatus::Draft.as_str() {
            return Err(ChallengeError::Refused("error-challenge-not-draft"));
        }
        let t = tenants::find(conn, tenant)?;
        let by_partner = c.scope == Scope::Partner.as_str();
        let revenue = c.objective == Objective::Revenue.as_str();
        let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
            .into_owned();
        let delimiter = if text.lines().next().is_some_and(|h| h.contains(';')) {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut parsed: Vec<(usize, String, i64)> = vec![];
        let mut errors = vec![];
        for (n, record) in reader.records().enumerate() {
            let line = n + 2;
            let Ok(record) = record else {
                errors.push(TargetLineError {
                    line,
                    key: "error-challenge-target-line",
                    value: String::new(),
                });
                continue;
            };
            let who = record.get(0).unwrap_or("").trim().to_string();
            let raw = record.get(1).unwrap_or("").trim().to_string();
            let target = if revenue {
                parse_amount(&raw, t.currency()).ok()
            } else {
                raw.parse::<i64>().ok()
            };
            match target.filter(|v| (1..=1_000_000_000_000).contains(v)) {
                Some(v) if !who.is_empty() => parsed.push((line, who, v)),
                _ => errors.push(TargetLineError {
                    line,
                    key: "error-challenge-target-value",
                    value: raw,
                }),
            }
        }
        let mut ids: Vec<(i64, i64)> = vec![];
        let mut seen = BTreeSet::new();
        if by_partner {
            let codes: Vec<&str> = parsed.iter().map(|(_, w, _)| w.as_str()).collect();
            let known = db_partners::by_codes(conn, tenant, &codes)?;
            for (line, who, v) in &parsed {
                match known.get(who.as_str()) {
                    Some(p) if seen.insert(p.id.0) => ids.push((p.id.0, *v)),
                    Some(_) => errors.push(TargetLineError {
                        line: *line,
                        key: "error-challenge-target-duplicate",
                        value: who.clone(),
                    }),
                    None => errors.push(TargetLineError {
                        line: *line,
                        key: "error-challenge-target-unknown",
                        value: who.clone(),
                    }),
                }
            }
        } else {
            for (line, who, v) in &parsed {
                let user =
                    db_users::find_by_email(conn, tenant, &who.to_lowercase())?.filter(|u| {
                        u.role() == crate::domain::Role::Participant && u.partner_id.is_some()
                    });
                match user {
                    Some(u) if seen.insert(u.id.0) => ids.push((u.id.0, *v)),
                    Some(_) => errors.push(TargetLineError {
                        line: *line,
                        key: "error-challenge-target-duplicate",
                        value: who.clone(),
                    }),
                    None => errors.push(TargetLineError {
                        line: *line,
                        key: "error-challenge-target-unknown",
                        value: who.clone(),
                    }),
                }
            }
        }
        if parsed.is_empty() && errors.is_empty() {
            errors.push(TargetLineError {
                line: 1,
                key: "error-challenge-target-empty",
                value: String::new(),
            });
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Ok(Err(errors));
        }
        rows::set_uploaded_targets(conn, tenant, id, &ids)?;
        let change = Change::new("challenge.targets_uploaded", "challenge", Some(id.into()))
            .after(&json!({ "targets": ids.len() }));
        audit::record(conn, tenant, actor, change)?;
        Ok(Ok(ids.len()))
    })
}

/// The form: values and the choices.
#[derive(Debug, Serialize)]
pub struct ChallengeForm {
    pub input: ChallengeInput,
    pub segments: Vec<(SegmentId, String)>,
    pub products: Vec<(crate::domain::ProductId, String)>,
    pub categories: Vec<String>,
    pub objectives: Vec<&'static str>,
    pub scopes: Vec<&'static str>,
    pub modes: Vec<&'static str>,
    pub bases: Vec<&'static str>,
    /// Published: only texts and a later end can change.
    pub locked: bool,
}

pub fn form(
    conn: &mut PgConnection,
    tenant: TenantId,
    input: ChallengeInput,
    locked: bool,
) -> Result<ChallengeForm, ChallengeError> {
    Ok(ChallengeForm {
        input,
        segments: db_segments::list(conn, tenant)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
        products: db_products::choices(conn, tenant)?,
        categories: db_products::categories(conn, tenant)?,
        objectives: Objective::ALL.iter().map(|o| o.as_str()).collect(),
        scopes: Scope::ALL.iter().map(|o| o.as_str()).collect(),
        modes: TargetMode::ALL.iter().map(|o| o.as_str()).collect(),
        bases: RankBasis::ALL.iter().map(|o| o.as_str()).collect(),
        locked,
    })
}

/// The studio's page of one challenge.
#[derive(Debug, Serialize)]
pub struct Editor {
    pub challenge: Challenge,
    pub has_banner: bool,
    pub form: ChallengeForm,
    pub preview: Option<Preview>,
    pub uploaded: usize,
    pub participants: i64,
}

pub fn editor(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    sent: Option<ChallengeInput>,
) -> Result<Editor, ChallengeError> {
    let c = rows::find(conn, tenant, id)?;
    let t = tenants::find(conn, tenant)?;
    let tiers = rows::tiers(conn, tenant, id)?;
    let prizes = rows::prizes(conn, tenant, id)?;
    let segs = rows::segments_of(conn, tenant, id)?;
    let draft = c.status == ChallengeStatus::Draft.as_str();
    let input = sent
        .unwrap_or_else(|| ChallengeInput::of(&c, &tiers, &prizes, &segs, t.zone(), t.currency()));
    Ok(Editor {
        has_banner: rows::banner(conn, tenant, id)?.is_some(),
        form: form(conn, tenant, input, !draft)?,
        preview: if draft {
            Some(preview(conn, tenant, id)?)
        } else {
            None
        },
        uploaded: rows::uploaded_targets(conn, tenant, id)?.len(),
        participants: scores::count(conn, tenant, id, Board::Participants)?,
        challenge: c,
    })
}

/// Everyone enrolled, for tests and the CLI: (participant, target).
pub fn enrolled(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> Result<Vec<(UserId, Option<i64>)>, ChallengeError> {
    use crate::db::schema::challenge_scores as s;
    Ok(s::table
        .filter(s::tenant_id.eq(tenant))
        .filter(s::challenge_id.eq(id))
        .order(s::participant_id)
        .select((s::participant_id, s::target))
        .load(conn)?)
}

/// Records a stored image as the challenge's banner (any status: it changes no result).
/// Returns the storage key of the banner it replaced, to delete once committed.
pub fn attach_banner(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: ChallengeId,
    storage_key: &str,
    file: &crate::services::missions::media::CheckedFile,
    now: DateTime<Utc>,
) -> Result<Option<String>, ChallengeError> {
    conn.transaction(|conn| {
        rows::find_for_update(conn, tenant, id)?;
        let replaced = rows::put_banner(
            conn,
            tenant,
            id,
            (storage_key, file.content_type, file.size),
            now,
        )?;
        let change = Change::new("challenge.updated", "challenge", Some(id.into()))
            .after(&json!({ "banner": { "content_type": file.content_type, "size": file.size } }));
        audit::record(conn, tenant, actor, change)?;
        Ok(replaced)
    })
}

/// The banner, if this user may see it: the tenant's staff, or a participant who may see
/// the challenge. (storage key, content type, size)
pub fn banner_for_viewer(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &crate::db::users::User,
    id: ChallengeId,
) -> Result<(String, String, i64), ChallengeError> {
    let c = rows::find(conn, tenant, id)?;
    let staff = user.tenant_id == tenant && user.role().includes(crate::domain::Role::Marketer);
    if !staff
        && (c.status == ChallengeStatus::Draft.as_str()
            || !super::scoring::may_take_part(conn, &c, user)?)
    {
        return Err(ChallengeError::NotFound);
    }
    rows::banner(conn, tenant, id)?.ok_or(ChallengeError::NotFound)
}
