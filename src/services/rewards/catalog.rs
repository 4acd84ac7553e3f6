//! Rewards as a catalog entity (`services::catalog`: list, form, activation, audit, CSV
//! export and import written once), and what only rewards have: images, segments, the
//! order of categories, and e-voucher code pools.
//!
//! Decided: an e-voucher's stock is its count of free codes, so its form has no stock
//! (importing or generating codes adds to it); the codes are never listed again, only
//! counted — a participant sees the ones given to them.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::RewardError;
use crate::db::rewards::{self as rows, Reward, RewardChanges, RewardFilter, Rewards};
use crate::db::segments as db_segments;
use crate::domain::network::{optional_text, required_text, Sku};
use crate::domain::rewards::{generated_code, parse_code, RewardKind, MAX_CODES_AT_ONCE};
use crate::domain::values::ErrorKey;
use crate::domain::{Currency, RewardId, SegmentId, TenantId};
use crate::services::audit::{self, Actor, Change};
use crate::services::catalog::{self, field, Catalog, Listing};
use crate::services::{FieldErrors, ServiceError};

pub use crate::db::rewards::SORTS;
pub const CODE_TAKEN: &str = "rewards_tenant_code_key";

/// A reward as typed in the form or a CSV row.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RewardInput {
    pub code: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub kind: String,
    pub points: String,
    /// Empty: unlimited (ignored for e-vouchers: their codes are their stock).
    pub stock: String,
    pub max_per_participant: String,
    pub available_from: String,
    pub available_until: String,
}

#[derive(Debug, Clone)]
pub struct ValidReward {
    pub code: Sku,
    pub name: String,
    pub description: String,
    pub category: String,
    pub kind: RewardKind,
    pub points: i64,
    pub stock: Option<i32>,
    pub max_per_participant: Option<i32>,
    pub available_from: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
}

fn whole(input: &str, min: i64, max: i64, bad: ErrorKey) -> Result<Option<i64>, ErrorKey> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(bad),
    }
}

fn date(input: &str) -> Result<Option<NaiveDate>, ErrorKey> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    crate::services::missions::setup::day(input).map(Some)
}

pub fn validate(input: &RewardInput) -> Result<ValidReward, FieldErrors> {
    let mut e = FieldErrors::new();
    let code = field(&mut e, "code", Sku::parse(&input.code));
    let name = field(&mut e, "name", required_text(&input.name, 120));
    let description = field(
        &mut e,
        "description",
        optional_text(&input.description, 4000),
    );
    let category = field(&mut e, "category", required_text(&input.category, 60));
    let kind = field(
        &mut e,
        "kind",
        RewardKind::parse(&input.kind).ok_or("error-reward-kind"),
    );
    let points = field(
        &mut e,
        "points",
        whole(&input.points, 1, 100_000_000, "error-reward-points")
            .and_then(|p| p.ok_or("error-required")),
    );
    let stock = field(
        &mut e,
        "stock",
        whole(&input.stock, 0, 1_000_000, "error-reward-stock"),
    );
    let max = field(
        &mut e,
        "max_per_participant",
        whole(&input.max_per_participant, 1, 1000, "error-reward-max"),
    );
    let from = field(&mut e, "available_from", date(&input.available_from));
    let until = field(&mut e, "available_until", date(&input.available_until));
    if let (Some(Some(f)), Some(Some(u))) = (from, until) {
        if u < f {
            e.insert("available_until", "error-reward-window");
        }
    }
    match (
        code,
        name,
        description,
        category,
        kind,
        points,
        stock,
        max,
        from,
        until,
    ) {
        (
            Some(code),
            Some(name),
            Some(description),
            Some(category),
            Some(kind),
            Some(points),
            Some(stock),
            Some(max),
            Some(from),
            Some(until),
        ) if e.is_empty() => Ok(ValidReward {
            code,
            name,
            description: description.unwrap_or_default(),
            category,
            kind,
            points,
            stock: stock.map(|s| s as i32),
            max_per_participant: max.map(|m| m as i32),
            available_from: from,
            available_until: until,
        }),
        _ => Err(e),
    }
}

impl Catalog for Rewards {
    type Table = Rewards;
    type Input = RewardInput;
    type Valid = ValidReward;
    type ListView = RewardList;

    const SUBJECT: &'static str = "reward";
    const KEY: &'static str = "code";
    const KEY_TAKEN: (&'static str, &'static str) = (CODE_TAKEN, "error-reward-code-taken");
    const COLUMNS: &'static [&'static str] = &[
        "code",
        "name",
        "description",
        "category",
        "kind",
        "points",
        "stock",
        "max_per_participant",
        "available_from",
        "available_until",
    ];

    fn validate(input: &RewardInput, _currency: Currency) -> Result<ValidReward, FieldErrors> {
        validate(input)
    }

    fn key(valid: &ValidReward) -> &str {
        valid.code.as_str()
    }

    fn new_row(v: &ValidReward, tenant: TenantId, active: bool) -> rows::NewReward<'_> {
        rows::NewReward {
            tenant_id: tenant,
            code: v.code.as_str(),
            name: &v.name,
            description: &v.description,
            category: &v.category,
            kind: v.kind.as_str(),
            cost_points: v.points,
            stock: if v.kind == RewardKind::Voucher {
                Some(0)
            } else {
                v.stock
            },
            max_per_participant: v.max_per_participant,
            available_from: v.available_from,
            available_until: v.available_until,
            active,
        }
    }

    fn changes(v: &ValidReward, now: DateTime<Utc>) -> RewardChanges<'_> {
        RewardChanges {
            code: v.code.as_str(),
            name: &v.name,
            description: &v.description,
            category: &v.category,
            kind: v.kind.as_str(),
            cost_points: v.points,
            stock: (v.kind != RewardKind::Voucher).then_some(v.stock),
            max_per_participant: Some(v.max_per_participant),
            available_from: Some(v.available_from),
            available_until: Some(v.available_until),
            updated_at: now,
        }
    }

    fn differs(v: &ValidReward, r: &Reward) -> bool {
        v.code.as_str() != r.code
            || v.name != r.name
            || v.description != r.description
            || v.category != r.category
            || v.kind.as_str() != r.kind
            || v.points != r.cost_points
            || (v.kind != RewardKind::Voucher && v.stock != r.stock)
            || v.max_per_participant != r.max_per_participant
            || v.available_from != r.available_from
            || v.available_until != r.available_until
    }

    fn input_of(r: &Reward, _currency: Currency) -> RewardInput {
        let opt = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        RewardInput {
            code: r.code.clone(),
            name: r.name.clone(),
            description: r.description.clone(),
            category: r.category.clone(),
            kind: r.kind.clone(),
            points: r.cost_points.to_string(),
            stock: opt(r.stock),
            max_per_participant: opt(r.max_per_participant),
            available_from: day(r.available_from),
            available_until: day(r.available_until),
        }
    }

    fn list_view(
        conn: &mut PgConnection,
        tenant: TenantId,
        filter: &RewardFilter,
        page: i64,
        per_page: i64,
    ) -> Result<RewardList, ServiceError> {
        Ok(RewardList {
            listing: catalog::list::<Rewards>(conn, tenant, filter, page, per_page)?,
            categories: rows::categories(conn, tenant)?,
            category_order: rows::category_order(conn, tenant)?.join("\n"),
            kinds: RewardKind::ALL.iter().map(|k| k.as_str()).collect(),
        })
    }

    fn choices(
        conn: &mut PgConnection,
        tenant: TenantId,
    ) -> Result<serde_json::Value, ServiceError> {
        Ok(json!({
            "categories": rows::categories(conn, tenant)?,
            "kinds": RewardKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        }))
    }

    fn defaults() -> RewardInput {
        RewardInput {
            kind: RewardKind::Physical.as_str().into(),
            ..RewardInput::default()
        }
    }
}

// create, update, set_active (a deactivated reward leaves the participants' catalog) and find.
crate::catalog_services!(Rewards, Reward, RewardInput);

/// The studio's reward list: a page of matches, the filters' choices, the category order.
#[derive(Debug, Serialize)]
pub struct RewardList {
    pub listing: Listing<Reward>,
    pub categories: Vec<String>,
    pub category_order: String,
    pub kinds: Vec<&'static str>,
}

/// What the studio's reward page shows besides the form.
#[derive(Debug, Serialize)]
pub struct Extras {
    pub reward: Reward,
    pub images: Vec<rows::RewardImage>,
    pub segments: Vec<(SegmentId, String, bool)>,
    pub codes_free: i64,
    pub codes_given: i64,
}

pub fn extras(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: RewardId,
) -> Result<Extras, RewardError> {
    let reward = rows::find(conn, tenant, id)?;
    let chosen: BTreeSet<SegmentId> = rows::segments_of(conn, tenant, id)?.into_iter().collect();
    let segments = db_segments::list(conn, tenant)?
        .into_iter()
        .map(|s| (s.id, s.name.clone(), chosen.contains(&s.id)))
        .collect();
    let (codes_free, codes_given) = rows::code_counts(conn, tenant, id)?;
    Ok(Extras {
        images: rows::images_of(conn, tenant, id)?,
        reward,
        segments,
        codes_free,
        codes_given,
    })
}

/// Sets the segments a reward is offered to (none: every participant).
pub fn set_segments(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: RewardId,
    sent: &[String],
) -> Result<(), RewardError> {
    conn.transaction(|conn| {
        rows::find(conn, tenant, id)?;
        let known: BTreeSet<SegmentId> = db_segments::list(conn, tenant)?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let mut chosen = BTreeSet::new();
        for s in sent.iter().filter(|s| !s.trim().is_empty()) {
            match s.trim().parse::<SegmentId>() {
                Ok(sid) if known.contains(&sid) => chosen.insert(sid),
                _ => return Err(RewardError::field("segments", "error-reward-segment")),
            };
        }
        let before = rows::segments_of(conn, tenant, id)?;
        let chosen: Vec<SegmentId> = chosen.into_iter().collect();
        if before == chosen {
            return Ok(());
        }
        rows::put_segments(conn, tenant, id, &chosen)?;
        let change = Change::new("reward.updated", "reward", Some(id.into()))
            .before(&json!({ "segments": before }))
            .after(&json!({ "segments": chosen }));
        audit::record(conn, tenant, actor, change)?;
        Ok(())
    })
}

/// The order of categories in the participants' catalog: one name per line.
pub fn set_category_order(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    text: &str,
) -> Result<(), RewardError> {
    let mut names: Vec<String> = Vec::new();
    for line in text.lines() {
        let name = line.trim();
        if name.is_empty() || names.iter().any(|n| n == name) {
            continue;
        }
        if name.chars().count() > 60 || names.len() >= 100 {
            return Err(RewardError::field("category_order", "error-too-long"));
        }
        names.push(name.to_string());
    }
    conn.transaction(|conn| {
        let before = rows::category_order(conn, tenant)?;
        rows::put_category_order(conn, tenant, &names)?;
        let change = Change::new("rewards.settings_updated", "tenant", Some(tenant.into()))
            .before(&json!({ "reward_categories": before }))
            .after(&json!({ "reward_categories": names }));
        audit::record(conn, tenant, actor, change)?;
        Ok(())
    })
}

/// One refused line of a code file.
#[derive(Debug, Clone, Serialize)]
pub struct CodeProblem {
    pub line: usize,
    pub key: ErrorKey,
}

fn voucher(conn: &mut PgConnection, tenant: TenantId, id: RewardId) -> Result<Reward, RewardError> {
    let reward = rows::find(conn, tenant, id)?;
    if reward.kind != RewardKind::Voucher.as_str() {
        return Err(RewardError::field("codes", "error-codes-not-voucher"));
    }
    Ok(reward)
}

/// Imports a pool of codes: one per line (a first line `code` is a header). A code
/// repeated in the file or already in the pool refuses the whole file, each such line
/// named. Returns how many were added (the stock grows by as many).
pub fn import_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: RewardId,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<Result<usize, Vec<CodeProblem>>, RewardError> {
    let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else {
        return Ok(Err(vec![CodeProblem {
            line: 0,
            key: "error-file-encoding",
        }]));
    };
    let mut problems = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let cell = raw
            .split([',', ';'])
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if cell.is_empty() || (i == 0 && cell.eq_ignore_ascii_case("code")) {
            continue;
        }
        match parse_code(cell) {
            Ok(code) => {
                if seen.insert(code.clone(), i + 1).is_some() {
                    problems.push(CodeProblem {
                        line: i + 1,
                        key: "error-code-duplicate",
                    });
                } else {
                    codes.push(code);
                }
            }
            Err(key) => problems.push(CodeProblem { line: i + 1, key }),
        }
    }
    if codes.is_empty() && problems.is_empty() {
        return Err(RewardError::field("codes", "error-codes-empty"));
    }
    if codes.len() > MAX_CODES_AT_ONCE {
        return Err(RewardError::field("codes", "error-codes-too-many"));
    }
    conn.transaction(|conn| {
        voucher(conn, tenant, id)?;
        for taken in rows::existing_codes(conn, tenant, id, &codes)? {
            if let Some(line) = seen.get(&taken) {
                problems.push(CodeProblem {
                    line: *line,
                    key: "error-code-in-pool",
                });
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Ok(Err(problems));
        }
        let n = add_codes(conn, tenant, actor, id, &codes, false, now)?;
        Ok(Ok(n))
    })
}

/// Generates `count` codes from the OS random source (unguessable: ≈ 79 bits each).
pub fn generate_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: RewardId,
    count: &str,
    now: DateTime<Utc>,
) -> Result<usize, RewardError> {
    let n = match whole(count, 1, MAX_CODES_AT_ONCE as i64, "error-codes-count") {
        Ok(Some(n)) => n as usize,
        Ok(None) => return Err(RewardError::field("count", "error-required")),
        Err(key) => return Err(RewardError::field("count", key)),
    };
    let mut codes = BTreeSet::new();
    while codes.len() < n {
        let mut bytes = [0u8; 16];
        rand::fill(&mut bytes);
        codes.insert(generated_code(&bytes));
    }
    let codes: Vec<String> = codes.into_iter().collect();
    conn.transaction(|conn| {
        voucher(conn, tenant, id)?;
        add_codes(conn, tenant, actor, id, &codes, true, now)
    })
}

fn add_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: RewardId,
    codes: &[String],
    generated: bool,
    now: DateTime<Utc>,
) -> Result<usize, RewardError> {
    let n = rows::insert_codes(conn, tenant, id, codes, generated)?;
    rows::add_stock(conn, tenant, id, i32::try_from(n).unwrap_or(i32::MAX), now)?;
    // The audit keeps how many, never the codes.
    let change = Change::new("reward.codes_added", "reward", Some(id.into()))
        .after(&json!({ "count": n, "generated": generated }));
    audit::record(conn, tenant, actor, change)?;
    Ok(n)
}

/// Most images a reward shows.
pub const MAX_IMAGES: i16 = 4;

/// Stores an image (already checked and resized) at `position`; the storage key it
/// replaced, to delete once committed.
pub fn attach_image(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: RewardId,
    position: i16,
    (key, content_type, size): (&str, &str, i64),
) -> Result<Option<String>, RewardError> {
    if !(1..=MAX_IMAGES).contains(&position) {
        return Err(RewardError::field("image", "error-reward-image-position"));
    }
    conn.transaction(|conn| {
        rows::find(conn, tenant, id)?;
        let replaced = rows::put_image(conn, tenant, id, position, (key, content_type, size))?;
        let change = Change::new("reward.updated", "reward", Some(id.into()))
            .after(&json!({ "image": { "position": position, "content_type": content_type, "size": size } }));
        audit::record(conn, tenant, actor, change)?;
        Ok(replaced)
    })
}

pub fn remove_image(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: RewardId,
    position: i16,
) -> Result<Option<String>, RewardError> {
    conn.transaction(|conn| {
        let removed = rows::remove_image(conn, tenant, id, position)?;
        if removed.is_some() {
            let change = Change::new("reward.updated", "reward", Some(id.into()))
                .after(&json!({ "image_removed": position }));
            audit::record(conn, tenant, actor, change)?;
        }
        Ok(removed)
    })
}

/// An uploaded image made fit for the catalog: decoded (which proves it is an image),
/// at most 1200 px on its longer side, re-encoded as JPEG (which also drops metadata
/// such as the camera's location).
pub fn resize_image(bytes: &[u8]) -> Result<Vec<u8>, ErrorKey> {
    let image = image::load_from_memory(bytes).map_err(|_| "error-media-image-type")?;
    let image = if image.width() > 1200 || image.height() > 1200 {
        image.resize(1200, 1200, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .into_rgb8()
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .map_err(|_| "error-media-image-type")?;
    Ok(out.into_inner())
}
