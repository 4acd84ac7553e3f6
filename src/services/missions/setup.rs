//! Setting missions up (marketers): the common fields, a quiz's rules, eligible
//! segments, questions with their options, and the status. Once published, a mission
//! keeps the rules that decide points (kind, points, start, completion limit, quiz rules,
//! questions); its text, end date, order and segments stay editable.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::MissionError;
use crate::db::missions::media::{self as media_rows, PhotoRules};
use crate::db::missions::{self as rows, Mission, MissionValues, QuizRules};
use crate::db::{products as db_products, segments as db_segments};
use crate::domain::missions::{
    CompletionLimit, MissionKind, MissionStatus, QuestionKind, MAX_OPTIONS, MAX_PHOTOS,
    MAX_QUESTIONS,
};
use crate::domain::network::{optional_text, required_text};
use crate::domain::values::ErrorKey;
use crate::domain::{MediaId, MissionId, ProductId, QuestionId, SegmentId, TenantId, Zone};
use crate::services::audit::{self, Actor, Change};
use crate::services::catalog::field;
use crate::services::once::{self, Claim};
use crate::services::FieldErrors;

/// A mission as typed in the studio's form (every value a string, as sent).
#[derive(Debug, Clone, Default, Serialize)]
pub struct MissionInput {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub points: String,
    /// First and last day (inclusive) in the tenant's zone, `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
    pub completion_limit: String,
    pub max_completions: String,
    pub position: String,
    pub segments: Vec<String>,
    pub pass_mark: String,
    pub max_attempts: String,
    pub time_limit_minutes: String,
    /// Photo missions: what to photograph, how many photos, the products concerned.
    pub instructions: String,
    pub photos_required: String,
    pub products: Vec<String>,
    /// Video missions: the video's duration in seconds (filled from the file).
    pub duration_seconds: String,
    pub form_token: String,
}

impl MissionInput {
    /// From form pairs, where `segments` repeats.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut i = MissionInput::default();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => i.title = v,
                "description" => i.description = v,
                "kind" => i.kind = v,
                "points" => i.points = v,
                "starts_on" => i.starts_on = v,
                "ends_on" => i.ends_on = v,
                "completion_limit" => i.completion_limit = v,
                "max_completions" => i.max_completions = v,
                "position" => i.position = v,
                "segments" => i.segments.push(v),
                "pass_mark" => i.pass_mark = v,
                "max_attempts" => i.max_attempts = v,
                "time_limit_minutes" => i.time_limit_minutes = v,
                "instructions" => i.instructions = v,
                "photos_required" => i.photos_required = v,
                "products" => i.products.push(v),
                "duration_seconds" => i.duration_seconds = v,
                "form_token" => i.form_token = v,
                _ => {}
            }
        }
        i
    }

    /// The form of a new mission: a quiz from today for 30 days, once, 80 % to pass.
    pub fn blank(today: NaiveDate) -> Self {
        MissionInput {
            kind: MissionKind::Quiz.as_str().into(),
            points: "100".into(),
            starts_on: today.to_string(),
            ends_on: (today + chrono::Duration::days(30)).to_string(),
            completion_limit: CompletionLimit::Once.as_str().into(),
            position: "0".into(),
            pass_mark: "80".into(),
            max_attempts: "3".into(),
            photos_required: "1".into(),
            form_token: once::new_token(),
            ..MissionInput::default()
        }
    }

    fn of(mission: &Mission, rules: &Rules, segments: &[SegmentId], zone: Zone) -> Self {
        let photo = rules.photo.as_ref();
        let rules_quiz = rules.quiz.as_ref();
        let last_day = zone.date_of(mission.ends_at - chrono::Duration::seconds(1));
        MissionInput {
            title: mission.title.clone(),
            description: mission.description.clone(),
            kind: mission.kind.clone(),
            points: mission.points.to_string(),
            starts_on: zone.date_of(mission.starts_at).to_string(),
            ends_on: last_day.to_string(),
            completion_limit: mission.completion_limit.clone(),
            max_completions: mission
                .max_completions
                .map(|n| n.to_string())
                .unwrap_or_default(),
            position: mission.position.to_string(),
            segments: segments.iter().map(|s| s.to_string()).collect(),
            pass_mark: rules_quiz
                .map(|r| r.pass_mark.to_string())
                .unwrap_or_default(),
            max_attempts: rules_quiz
                .map(|r| r.max_attempts.to_string())
                .unwrap_or_default(),
            time_limit_minutes: rules_quiz
                .and_then(|r| r.time_limit_seconds)
                .map(|s| (s / 60).to_string())
                .unwrap_or_default(),
            instructions: photo.map(|p| p.instructions.clone()).unwrap_or_default(),
            photos_required: photo
                .map(|p| p.photos_required.to_string())
                .unwrap_or_default(),
            products: photo
                .map(|p| {
                    p.product_ids
                        .iter()
                        .flatten()
                        .map(|p| p.to_string())
                        .collect()
                })
                .unwrap_or_default(),
            duration_seconds: rules
                .video_seconds
                .map(|s| s.to_string())
                .unwrap_or_default(),
            form_token: String::new(),
        }
    }
}

/// The rules of a mission beyond its common fields, as stored.
#[derive(Debug, Default, Serialize)]
pub struct Rules {
    pub quiz: Option<QuizRules>,
    pub photo: Option<PhotoRules>,
    pub video_seconds: Option<i32>,
}

fn rules_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
) -> Result<Rules, MissionError> {
    Ok(Rules {
        quiz: rows::quiz_rules(conn, tenant, id)?,
        photo: media_rows::photo_rules(conn, tenant, id)?,
        video_seconds: media_rows::video_duration(conn, tenant, id)?,
    })
}

/// A whole number within bounds; blank is `None` when `optional`.
pub(crate) fn number(input: &str, min: i64, max: i64) -> Result<Option<i64>, ErrorKey> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err("error-mission-number"),
    }
}

pub(crate) fn required_number(input: &str, min: i64, max: i64) -> Result<i64, ErrorKey> {
    number(input, min, max)?.ok_or("error-required")
}

pub(crate) fn to_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub(crate) fn day(input: &str) -> Result<NaiveDate, ErrorKey> {
    if input.trim().is_empty() {
        return Err("error-required");
    }
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| crate::domain::declarations::within_years(*d))
        .ok_or("error-mission-date")
}

/// A checked mission.
struct Valid {
    title: String,
    description: String,
    kind: MissionKind,
    points: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    limit: CompletionLimit,
    max_completions: Option<i32>,
    position: i32,
    segments: Vec<SegmentId>,
    quiz: Option<(i32, i32, Option<i32>)>,
    /// Photo missions: instructions, photos required, products concerned.
    photo: Option<(String, i16, Vec<ProductId>)>,
    /// Video missions: the duration entered (none: read from the file).
    video_seconds: Option<i32>,
}

fn validate(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    input: &MissionInput,
) -> Result<Valid, MissionError> {
    let mut e = FieldErrors::new();
    let title = field(&mut e, "title", required_text(&input.title, 120));
    let description = field(
        &mut e,
        "description",
        optional_text(&input.description, 4000),
    );
    let kind = field(
        &mut e,
        "kind",
        MissionKind::parse(&input.kind).ok_or("error-mission-kind"),
    );
    let points = field(
        &mut e,
        "points",
        required_number(&input.points, 0, 1_000_000),
    );
    let starts = field(&mut e, "starts_on", day(&input.starts_on));
    let ends = field(&mut e, "ends_on", day(&input.ends_on));
    if let (Some(s), Some(end)) = (starts, ends) {
        if end < s {
            e.insert("ends_on", "error-mission-ends-before");
        }
    }
    let limit = field(
        &mut e,
        "completion_limit",
        CompletionLimit::parse(&input.completion_limit).ok_or("error-mission-limit"),
    );
    let max_completions = match limit {
        Some(CompletionLimit::Times) => field(
            &mut e,
            "max_completions",
            required_number(&input.max_completions, 2, 100).map(to_i32),
        )
        .map(Some),
        _ => Some(None),
    };
    let position = field(&mut e, "position", number(&input.position, 0, 10_000))
        .map(|p| to_i32(p.unwrap_or(0)));
    let segments = field(
        &mut e,
        "segments",
        segment_ids(conn, tenant, &input.segments)?,
    );
    let quiz = if kind.is_some_and(MissionKind::is_scored) {
        let pass = field(
            &mut e,
            "pass_mark",
            required_number(&input.pass_mark, 1, 100),
        );
        let attempts = field(
            &mut e,
            "max_attempts",
            required_number(&input.max_attempts, 1, 20),
        );
        let minutes = field(
            &mut e,
            "time_limit_minutes",
            number(&input.time_limit_minutes, 1, 1440),
        );
        match (pass, attempts, minutes) {
            (Some(p), Some(a), Some(m)) => {
                Some(Some((to_i32(p), to_i32(a), m.map(|m| to_i32(m * 60)))))
            }
            _ => None,
        }
    } else {
        Some(None)
    };
    let photo = if kind == Some(MissionKind::Photo) {
        let instructions = field(
            &mut e,
            "instructions",
            optional_text(&input.instructions, 2000),
        );
        let required = field(
            &mut e,
            "photos_required",
            required_number(&input.photos_required, 1, i64::from(MAX_PHOTOS)),
        );
        let products = field(
            &mut e,
            "products",
            product_ids(conn, tenant, &input.products)?,
        );
        match (instructions, required, products) {
            (Some(i), Some(r), Some(p)) => Some(Some((
                i.unwrap_or_default(),
                i16::try_from(r).unwrap_or(1),
                p,
            ))),
            _ => None,
        }
    } else {
        Some(None)
    };
    let video_seconds = if kind == Some(MissionKind::Video) {
        field(
            &mut e,
            "duration_seconds",
            number(&input.duration_seconds, 1, 14_400).map(|n| n.map(to_i32)),
        )
    } else {
        Some(None)
    };
    match (
        title,
        description,
        kind,
        points,
        starts,
        ends,
        limit,
        max_completions,
        position,
        segments,
        (quiz, photo, video_seconds),
    ) {
        (
            Some(title),
            Some(description),
            Some(kind),
            Some(points),
            Some(s),
            Some(end),
            Some(limit),
            Some(max_completions),
            Some(position),
            Some(segments),
            (Some(quiz), Some(photo), Some(video_seconds)),
        ) if e.is_empty() => {
            let (starts_at, ends_at) = zone.days(Some(s), Some(end));
            Ok(Valid {
                title,
                description: description.unwrap_or_default(),
                kind,
                points,
                starts_at: starts_at.unwrap_or_else(|| zone.day_start(s)),
                ends_at: ends_at.unwrap_or_else(|| zone.day_start(end)),
                limit,
                max_completions,
                position,
                segments,
                quiz,
                photo,
                video_seconds,
            })
        }
        _ => Err(MissionError::Invalid(e)),
    }
}

/// The tenant's products among the ids sent (an unknown one is an error).
pub(crate) fn product_ids(
    conn: &mut PgConnection,
    tenant: TenantId,
    sent: &[String],
) -> Result<Result<Vec<ProductId>, ErrorKey>, MissionError> {
    let wanted: Vec<&String> = sent.iter().filter(|s| !s.trim().is_empty()).collect();
    if wanted.is_empty() {
        return Ok(Ok(vec![]));
    }
    let known: BTreeSet<ProductId> = db_products::choices(conn, tenant)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let mut out = BTreeSet::new();
    for s in wanted {
        match s.trim().parse::<ProductId>() {
            Ok(id) if known.contains(&id) => out.insert(id),
            _ => return Ok(Err("error-mission-product")),
        };
    }
    Ok(Ok(out.into_iter().collect()))
}

/// The tenant's segments among the ids sent (an unknown one is an error).
pub(crate) fn segment_ids(
    conn: &mut PgConnection,
    tenant: TenantId,
    sent: &[String],
) -> Result<Result<Vec<SegmentId>, ErrorKey>, MissionError> {
    let known: BTreeSet<SegmentId> = db_segments::list(conn, tenant)?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut out = BTreeSet::new();
    for s in sent.iter().filter(|s| !s.trim().is_empty()) {
        match s.trim().parse::<SegmentId>() {
            Ok(id) if known.contains(&id) => out.insert(id),
            _ => return Ok(Err("error-mission-segment")),
        };
    }
    Ok(Ok(out.into_iter().collect()))
}

fn values<'a>(tenant: TenantId, v: &'a Valid, now: DateTime<Utc>) -> MissionValues<'a> {
    MissionValues {
        tenant_id: tenant,
        kind: v.kind.as_str(),
        title: &v.title,
        description: &v.description,
        points: v.points,
        starts_at: v.starts_at,
        ends_at: v.ends_at,
        completion_limit: v.limit.as_str(),
        max_completions: v.max_completions,
        position: v.position,
        updated_at: now,
    }
}

fn audit_view(m: &Mission, rules: &Rules, segments: &[SegmentId]) -> serde_json::Value {
    json!({
        "title": m.title, "kind": m.kind, "points": m.points, "status": m.status,
        "starts_at": m.starts_at, "ends_at": m.ends_at, "completion_limit": m.completion_limit,
        "max_completions": m.max_completions, "position": m.position,
        "segments": segments, "rules": rules,
    })
}

/// The fields a published mission keeps, each compared with what was sent.
fn locked_changes(before: &Mission, rules: &Rules, v: &Valid) -> FieldErrors {
    const LOCKED: ErrorKey = "error-mission-locked";
    let mut e = FieldErrors::new();
    if before.kind != v.kind.as_str() {
        e.insert("kind", LOCKED);
    }
    if before.points != v.points {
        e.insert("points", LOCKED);
    }
    if before.starts_at != v.starts_at {
        e.insert("starts_on", LOCKED);
    }
    if before.completion_limit != v.limit.as_str() || before.max_completions != v.max_completions {
        e.insert("completion_limit", LOCKED);
    }
    if let (Some(p), Some((_, required, _))) = (&rules.photo, &v.photo) {
        if p.photos_required != *required {
            e.insert("photos_required", LOCKED);
        }
    }
    if before.kind == MissionKind::Video.as_str() && rules.video_seconds != v.video_seconds {
        e.insert("duration_seconds", LOCKED);
    }
    if let (Some(r), Some((pass, attempts, limit))) = (&rules.quiz, v.quiz) {
        if r.pass_mark != pass {
            e.insert("pass_mark", LOCKED);
        }
        if r.max_attempts != attempts {
            e.insert("max_attempts", LOCKED);
        }
        if r.time_limit_seconds != limit {
            e.insert("time_limit_minutes", LOCKED);
        }
    }
    e
}

/// Creates (`id` None, with the form's one-time token) or updates a mission.
pub fn save(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    zone: Zone,
    id: Option<MissionId>,
    input: &MissionInput,
    now: DateTime<Utc>,
) -> Result<Mission, MissionError> {
    conn.transaction(|conn| {
        if id.is_none() {
            if let Claim::Repeat(Some(first)) =
                once::claim::<MissionId>(conn, tenant, &input.form_token, now)?
            {
                return Ok(rows::find(conn, tenant, first)?);
            }
        }
        let v = validate(conn, tenant, zone, input)?;
        let (mission, before) = match id {
            None => (rows::insert(conn, &values(tenant, &v, now))?, None),
            Some(id) => {
                let before = rows::find_for_update(conn, tenant, id)?;
                let rules = rules_of(conn, tenant, id)?;
                let segments = rows::segments_of(conn, tenant, id)?;
                if before.status != MissionStatus::Draft.as_str() {
                    let locked = locked_changes(&before, &rules, &v);
                    if !locked.is_empty() {
                        return Err(MissionError::Invalid(locked));
                    }
                }
                let view = audit_view(&before, &rules, &segments);
                (
                    rows::update(conn, tenant, id, &values(tenant, &v, now))?,
                    Some(view),
                )
            }
        };
        let rules = Rules {
            quiz: v
                .quiz
                .map(|(pass_mark, max_attempts, time_limit_seconds)| QuizRules {
                    tenant_id: tenant,
                    mission_id: mission.id,
                    pass_mark,
                    max_attempts,
                    time_limit_seconds,
                }),
            photo: v
                .photo
                .clone()
                .map(|(instructions, photos_required, products)| PhotoRules {
                    tenant_id: tenant,
                    mission_id: mission.id,
                    instructions,
                    photos_required,
                    product_ids: products.into_iter().map(Some).collect(),
                }),
            video_seconds: v.video_seconds,
        };
        if let Some(r) = &rules.quiz {
            rows::put_quiz_rules(conn, r)?;
        }
        if let Some(r) = &rules.photo {
            media_rows::put_photo_rules(conn, r)?;
        }
        if v.kind == MissionKind::Video {
            media_rows::put_video_duration(conn, tenant, mission.id, v.video_seconds)?;
        }
        rows::set_segments(conn, tenant, mission.id, &v.segments)?;
        let after = audit_view(&mission, &rules, &v.segments);
        let change = match before {
            None => {
                Change::new("mission.created", "mission", Some(mission.id.into())).after(&after)
            }
            Some(b) => Change::new("mission.updated", "mission", Some(mission.id.into()))
                .before(&b)
                .after(&after),
        };
        audit::record(conn, tenant, actor, change)?;
        if id.is_none() {
            once::settle(conn, tenant, &input.form_token, mission.id)?;
        }
        Ok(mission)
    })
}

/// Publishes, archives or re-publishes. A mission is published with questions, and a
/// quiz only with questions that can be answered right.
pub fn set_status(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: MissionId,
    to: MissionStatus,
    now: DateTime<Utc>,
) -> Result<Mission, MissionError> {
    conn.transaction(|conn| {
        let mission = rows::find_for_update(conn, tenant, id)?;
        let from = MissionStatus::parse(&mission.status).ok_or(MissionError::NotFound)?;
        if !from.can_become(to) {
            return Err(MissionError::Refused("error-mission-status"));
        }
        let kind = MissionKind::parse(&mission.kind).ok_or(MissionError::NotFound)?;
        if to == MissionStatus::Published {
            if matches!(kind, MissionKind::Quiz | MissionKind::Survey)
                && rows::questions(conn, tenant, id)?.is_empty()
            {
                return Err(MissionError::Refused("error-mission-no-questions"));
            }
            if kind == MissionKind::Video
                && (!super::media::by_role(conn, tenant, id)?.contains_key("video")
                    || media_rows::video_duration(conn, tenant, id)?.is_none())
            {
                return Err(MissionError::Refused("error-mission-no-video"));
            }
        }
        let after = rows::set_status(conn, tenant, id, to.as_str(), now)?;
        let change = Change::new("mission.status", "mission", Some(id.into()))
            .before(&json!({ "status": mission.status }))
            .after(&json!({ "status": after.status }));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
}

/// A question as typed: its kind, prompt, whether required, up to `MAX_OPTIONS`
/// option lines (blank ones ignored) and which of them are correct (their numbers).
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuestionInput {
    pub kind: String,
    pub prompt: String,
    pub required: bool,
    pub options: Vec<String>,
    pub correct: Vec<String>,
    pub form_token: String,
}

impl QuestionInput {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut q = QuestionInput::default();
        for (k, v) in pairs {
            match k.as_str() {
                "kind" => q.kind = v,
                "prompt" => q.prompt = v,
                "required" => q.required = v == "yes",
                "option" => q.options.push(v),
                "correct" => q.correct.push(v),
                "form_token" => q.form_token = v,
                _ => {}
            }
        }
        q
    }

    pub fn blank(kind: MissionKind) -> Self {
        QuestionInput {
            kind: kind.question_kinds()[0].as_str().into(),
            required: true,
            options: vec![String::new(); MAX_OPTIONS / 2],
            form_token: once::new_token(),
            ..QuestionInput::default()
        }
    }
}

/// Adds a question at the end of a draft mission.
pub fn add_question(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: MissionId,
    input: &QuestionInput,
    now: DateTime<Utc>,
) -> Result<QuestionId, MissionError> {
    conn.transaction(|conn| {
        if let Claim::Repeat(Some(first)) =
            once::claim::<QuestionId>(conn, tenant, &input.form_token, now)?
        {
            return Ok(first);
        }
        let mission = editable(conn, tenant, id)?;
        let kind = MissionKind::parse(&mission.kind).ok_or(MissionError::NotFound)?;
        if rows::questions(conn, tenant, id)?.len() >= MAX_QUESTIONS {
            return Err(MissionError::field("prompt", "error-question-too-many"));
        }
        let mut e = FieldErrors::new();
        let qkind = field(
            &mut e,
            "question_kind",
            QuestionKind::parse(&input.kind)
                .filter(|k| kind.question_kinds().contains(k))
                .ok_or("error-question-kind"),
        );
        let prompt = field(&mut e, "prompt", required_text(&input.prompt, 500));
        let mut options = vec![];
        if qkind.is_some_and(QuestionKind::has_options) {
            for (n, label) in input.options.iter().enumerate().take(MAX_OPTIONS) {
                match optional_text(label, 200) {
                    Ok(Some(l)) => {
                        let correct = input.correct.contains(&(n + 1).to_string());
                        options.push((l, correct));
                    }
                    Ok(None) => {}
                    Err(k) => {
                        e.insert("options", k);
                    }
                }
            }
            if options.len() < 2 {
                e.entry("options").or_insert("error-question-options");
            }
            if kind.is_scored() {
                let right = options.iter().filter(|(_, c)| *c).count();
                if right == 0 || (qkind == Some(QuestionKind::Single) && right > 1) {
                    e.insert("correct", "error-question-correct");
                }
            }
        }
        let (Some(qkind), Some(prompt)) = (qkind, prompt) else {
            return Err(MissionError::Invalid(e));
        };
        if !e.is_empty() {
            return Err(MissionError::Invalid(e));
        }
        // A quiz's questions all count: each is required.
        let required = input.required || kind.is_scored();
        let q = rows::insert_question(conn, tenant, id, qkind.as_str(), &prompt, required)?;
        if !options.is_empty() {
            rows::insert_options(conn, tenant, q.id, &options)?;
        }
        let change = Change::new("mission.question_added", "mission", Some(id.into())).after(
            &json!({ "question": q.id, "kind": q.kind, "prompt": q.prompt, "options": options }),
        );
        audit::record(conn, tenant, actor, change)?;
        once::settle(conn, tenant, &input.form_token, q.id)?;
        Ok(q.id)
    })
}

/// The mission, locked, if its questions may still change (a draft).
fn editable(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
) -> Result<Mission, MissionError> {
    let mission = rows::find_for_update(conn, tenant, id)?;
    if mission.status != MissionStatus::Draft.as_str() {
        return Err(MissionError::Refused("error-mission-questions-locked"));
    }
    Ok(mission)
}

pub fn delete_question(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: MissionId,
    question: QuestionId,
) -> Result<(), MissionError> {
    conn.transaction(|conn| {
        editable(conn, tenant, id)?;
        if !rows::delete_question(conn, tenant, id, question)? {
            return Err(MissionError::NotFound);
        }
        let change = Change::new("mission.question_deleted", "mission", Some(id.into()))
            .before(&json!({ "question": question }));
        audit::record(conn, tenant, actor, change)?;
        Ok(())
    })
}

/// Moves a question one place up (`up`) or down.
pub fn move_question(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
    question: QuestionId,
    up: bool,
) -> Result<(), MissionError> {
    conn.transaction(|conn| {
        editable(conn, tenant, id)?;
        let mut order: Vec<QuestionId> = rows::questions(conn, tenant, id)?
            .into_iter()
            .map(|q| q.id)
            .collect();
        let i = order
            .iter()
            .position(|q| *q == question)
            .ok_or(MissionError::NotFound)?;
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        if let Some(j) = j.filter(|j| *j < order.len()) {
            order.swap(i, j);
        }
        for (q, position) in order.iter().zip(1..) {
            rows::set_question_position(conn, tenant, *q, position)?;
        }
        Ok(())
    })
}

/// A row of the studio's list.
#[derive(Debug, Serialize)]
pub struct StudioRow {
    pub mission: Mission,
    pub questions: usize,
}

pub fn list(conn: &mut PgConnection, tenant: TenantId) -> Result<Vec<StudioRow>, MissionError> {
    let counts = rows::question_counts(conn, tenant)?;
    Ok(rows::list(conn, tenant)?
        .into_iter()
        .map(|mission| StudioRow {
            questions: counts
                .get(&mission.id)
                .map_or(0, |n| usize::try_from(*n).unwrap_or(0)),
            mission,
        })
        .collect())
}

/// The mission form: values, segments to choose from, kinds and limits.
#[derive(Debug, Serialize)]
pub struct MissionForm {
    pub input: MissionInput,
    pub segments: Vec<(SegmentId, String)>,
    pub kinds: Vec<&'static str>,
    pub products: Vec<(ProductId, String)>,
    pub limits: Vec<&'static str>,
    /// Published or archived: the rules that decide points are read-only.
    pub locked: bool,
}

pub fn form(
    conn: &mut PgConnection,
    tenant: TenantId,
    input: MissionInput,
    locked: bool,
) -> Result<MissionForm, MissionError> {
    Ok(MissionForm {
        input,
        segments: db_segments::list(conn, tenant)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
        kinds: MissionKind::ALL.iter().map(|k| k.as_str()).collect(),
        products: db_products::choices(conn, tenant)?,
        limits: CompletionLimit::ALL.iter().map(|l| l.as_str()).collect(),
        locked,
    })
}

#[derive(Debug, Serialize)]
pub struct EditorOption {
    pub id: crate::domain::OptionId,
    pub label: String,
    pub correct: bool,
}

#[derive(Debug, Serialize)]
pub struct EditorQuestion {
    pub id: QuestionId,
    pub kind: String,
    pub prompt: String,
    pub required: bool,
    pub options: Vec<EditorOption>,
}

/// The studio's page of one mission: its form, its questions (with the correct
/// options: this is the marketer's view) and the form for the next question.
#[derive(Debug, Serialize)]
pub struct Editor {
    pub mission: Mission,
    pub form: MissionForm,
    pub questions: Vec<EditorQuestion>,
    pub question_kinds: Vec<&'static str>,
    pub question: QuestionInput,
    pub statuses: Vec<&'static str>,
    /// The files this kind shows (cover, example, video) and those it has.
    pub media_roles: Vec<&'static str>,
    pub media: std::collections::BTreeMap<String, MediaId>,
    pub video_seconds: Option<i32>,
}

/// The editor, with the values sent when a form is shown again.
pub fn editor(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    id: MissionId,
    sent: Option<MissionInput>,
    question: Option<QuestionInput>,
) -> Result<Editor, MissionError> {
    let mission = rows::find(conn, tenant, id)?;
    let rules = rules_of(conn, tenant, id)?;
    let segments = rows::segments_of(conn, tenant, id)?;
    let kind = MissionKind::parse(&mission.kind).ok_or(MissionError::NotFound)?;
    let input = sent.unwrap_or_else(|| MissionInput::of(&mission, &rules, &segments, zone));
    let locked = mission.status != MissionStatus::Draft.as_str();
    let options = rows::options(conn, tenant, id)?;
    let questions = rows::questions(conn, tenant, id)?
        .into_iter()
        .map(|q| EditorQuestion {
            options: options
                .iter()
                .filter(|o| o.question_id == q.id)
                .map(|o| EditorOption {
                    id: o.id,
                    label: o.label.clone(),
                    correct: o.correct,
                })
                .collect(),
            id: q.id,
            kind: q.kind,
            prompt: q.prompt,
            required: q.required,
        })
        .collect();
    let from = MissionStatus::parse(&mission.status).unwrap_or(MissionStatus::Draft);
    Ok(Editor {
        form: form(conn, tenant, input, locked)?,
        questions,
        question_kinds: kind.question_kinds().iter().map(|k| k.as_str()).collect(),
        question: question.unwrap_or_else(|| QuestionInput::blank(kind)),
        statuses: MissionStatus::ALL
            .iter()
            .filter(|s| from.can_become(**s))
            .map(|s| s.as_str())
            .collect(),
        media_roles: kind.media_roles().iter().map(|r| r.as_str()).collect(),
        media: super::media::by_role(conn, tenant, id)?,
        video_seconds: rules.video_seconds,
        mission,
    })
}
