//! Doing missions (participants): the missions page, a mission's page, a quiz attempt
//! (started, answered, scored; a time limit checked here, on the server) and a survey's
//! submission. What a participant's browser receives is built here and never holds the
//! correct options before an attempt is scored, nor while the quiz can still be retried.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::eligibility::{is_eligible, segments_by_mission, segments_holding};
use super::{earn_key, MissionError};
use crate::db::missions::media as media_rows;
use crate::db::missions::{self as rows, Answer, Attempt, Mission, Question, QuestionOption};
use crate::db::users::User;
use crate::domain::ledger::{Cause, CauseType, Points};
use crate::domain::missions::{
    is_open, next_period, score, shuffled, CompletionLimit, Key, MissionKind, MissionStatus,
    QuestionKind, TIME_LIMIT_GRACE_SECONDS,
};
use crate::domain::values::ErrorKey;
use crate::domain::{
    AttemptId, MediaId, MissionId, OptionId, QuestionId, TenantId, TransactionId, Zone,
};
use crate::services::is_unique_violation;
use crate::services::ledger::{self, Meta};
use crate::services::once::{self, Claim};

/// Answers as sent: `q<question id>` fields (repeated for several choices); other
/// fields are ignored.
#[derive(Debug, Clone, Default)]
pub struct AnswerInput {
    pub pairs: Vec<(String, String)>,
}

/// Per question, what is wrong with its answer.
pub type AnswerErrors = BTreeMap<QuestionId, ErrorKey>;

/// One answer, checked against its question.
enum Given {
    Options(BTreeSet<OptionId>),
    Text(String),
    Rating(i16),
}

/// The mission, if this participant may see it: published, begun, eligible. Anything
/// else (a draft, another tenant's id, another segment's mission) is not found.
pub(super) fn visible(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MissionId,
    now: DateTime<Utc>,
) -> Result<Mission, MissionError> {
    let mission = rows::find(conn, tenant, id)?;
    if mission.status != MissionStatus::Published.as_str()
        || mission.starts_at > now
        || !is_eligible(conn, tenant, id, user)?
    {
        return Err(MissionError::NotFound);
    }
    Ok(mission)
}

pub(super) fn kind_of(mission: &Mission) -> Result<MissionKind, MissionError> {
    MissionKind::parse(&mission.kind).ok_or(MissionError::NotFound)
}

fn limit_of(mission: &Mission) -> CompletionLimit {
    CompletionLimit::parse(&mission.completion_limit).unwrap_or(CompletionLimit::Once)
}

/// The completion the participant's next success would count as, if any is left.
pub(super) fn next_of(
    mission: &Mission,
    completed: &[String],
    now: DateTime<Utc>,
    zone: Zone,
) -> Option<String> {
    next_period(
        limit_of(mission),
        mission.max_completions,
        completed,
        now,
        zone,
    )
}

fn deadline(attempt: &Attempt, limit: Option<i32>) -> Option<DateTime<Utc>> {
    limit.map(|s| attempt.started_at + Duration::seconds(i64::from(s)))
}

fn overdue(attempt: &Attempt, limit: Option<i32>, now: DateTime<Utc>) -> bool {
    deadline(attempt, limit).is_some_and(|d| now > d + Duration::seconds(TIME_LIMIT_GRACE_SECONDS))
}

/// Checks the answers sent against the mission's questions.
fn parse_answers(
    questions: &[Question],
    options: &[QuestionOption],
    input: &AnswerInput,
) -> Result<BTreeMap<QuestionId, Given>, MissionError> {
    let by_id: BTreeMap<QuestionId, &Question> = questions.iter().map(|q| (q.id, q)).collect();
    let mut sent: BTreeMap<QuestionId, Vec<&str>> = BTreeMap::new();
    for (k, v) in &input.pairs {
        let Some(id) = k
            .strip_prefix('q')
            .and_then(|n| n.parse::<QuestionId>().ok())
        else {
            continue;
        };
        if !by_id.contains_key(&id) {
            // A question of another mission: nothing to show it next to.
            return Err(MissionError::Refused("error-answer-foreign-question"));
        }
        sent.entry(id).or_default().push(v.as_str());
    }
    let mut errors = AnswerErrors::new();
    let mut out = BTreeMap::new();
    for q in questions {
        let values: Vec<&str> = sent
            .get(&q.id)
            .map(|v| {
                v.iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let kind = QuestionKind::parse(&q.kind).unwrap_or(QuestionKind::ShortText);
        let given = match kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                let mut chosen = BTreeSet::new();
                for v in &values {
                    match v.parse::<OptionId>() {
                        Ok(o) if options.iter().any(|x| x.id == o && x.question_id == q.id) => {
                            chosen.insert(o);
                        }
                        _ => {
                            errors.insert(q.id, "error-answer-foreign-option");
                        }
                    }
                }
                if kind == QuestionKind::Single && chosen.len() > 1 {
                    errors.insert(q.id, "error-answer-one-choice");
                }
                (!chosen.is_empty()).then_some(Given::Options(chosen))
            }
            QuestionKind::ShortText | QuestionKind::LongText => {
                let max = if kind == QuestionKind::ShortText {
                    200
                } else {
                    4000
                };
                let text = values.join("\n");
                if text.chars().count() > max {
                    errors.insert(q.id, "error-too-long");
                }
                (!text.is_empty()).then_some(Given::Text(text))
            }
            QuestionKind::Rating => match values.as_slice() {
                [] => None,
                [v] => match v.parse::<i16>() {
                    Ok(r @ 1..=5) => Some(Given::Rating(r)),
                    _ => {
                        errors.insert(q.id, "error-answer-rating");
                        None
                    }
                },
                _ => {
                    errors.insert(q.id, "error-answer-rating");
                    None
                }
            },
        };
        match given {
            Some(g) => {
                out.insert(q.id, g);
            }
            None if q.required => {
                errors.entry(q.id).or_insert("error-answer-required");
            }
            None => {}
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(MissionError::Answers(errors))
    }
}

/// Records a completion and earns its points (once: the advisory lock, the unique key
/// of the completion and the ledger's idempotency key all say so).
pub(super) fn complete(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: &Mission,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> Result<Option<TransactionId>, MissionError> {
    // Challenges first, then the ledger: the lock order closing follows too.
    let open = crate::services::challenges::scoring::open(conn, tenant, now)?;
    let earned = if mission.points > 0 {
        let key = earn_key(mission.id, attempt.participant_id, &attempt.period);
        let meta = Meta::new(&key, now)
            .cause(Cause {
                kind: CauseType::Mission,
                id: Some(mission.id.into()),
            })
            .reason(&mission.title);
        let posted = ledger::earn(
            conn,
            tenant,
            attempt.participant_id,
            Points(mission.points),
            &meta,
        )?;
        Some(posted.id())
    } else {
        None
    };
    let completion = rows::insert_completion(conn, tenant, attempt, earned, now).map_err(|e| {
        if is_unique_violation(&e, "mission_completions_once_key") {
            MissionError::Refused("error-mission-already-done")
        } else {
            e.into()
        }
    })?;
    crate::db::analytics::mark_active(conn, tenant, attempt.participant_id, now)?;
    crate::services::challenges::scoring::mission_completed(
        conn,
        open,
        attempt.participant_id,
        completion.id,
        now,
    )?;
    crate::services::badges::mission_completed(
        conn,
        tenant,
        attempt.participant_id,
        mission.id,
        now,
    )?;
    let done = crate::services::webhooks::events::Completion {
        mission: mission.id,
        kind: &mission.kind,
        participant: attempt.participant_id,
        completion: completion.id,
        period: &attempt.period,
        points: mission.points,
    };
    crate::services::webhooks::events::mission_completed(conn, tenant, &done, now)?;
    Ok(earned)
}

fn answer_rows(
    tenant: TenantId,
    attempt: AttemptId,
    given: BTreeMap<QuestionId, Given>,
    right: &BTreeMap<QuestionId, bool>,
) -> Vec<Answer> {
    given
        .into_iter()
        .map(|(q, g)| {
            let mut a = Answer {
                tenant_id: tenant,
                attempt_id: attempt,
                question_id: q,
                option_ids: vec![],
                text_value: None,
                rating: None,
                correct: right.get(&q).copied(),
            };
            match g {
                Given::Options(o) => a.option_ids = o.into_iter().map(Some).collect(),
                Given::Text(t) => a.text_value = Some(t),
                Given::Rating(r) => a.rating = Some(r),
            }
            a
        })
        .collect()
}

pub(super) fn periods(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    user: &User,
) -> Result<Vec<String>, MissionError> {
    Ok(rows::completions_of(conn, tenant, mission, user.id)?
        .into_iter()
        .map(|c| c.period)
        .collect())
}

/// Closes an attempt whose time ran out: it counts, as failed.
fn time_out(
    conn: &mut PgConnection,
    tenant: TenantId,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> Result<Attempt, MissionError> {
    Ok(rows::settle_attempt(
        conn,
        tenant,
        attempt.id,
        Some(0),
        false,
        true,
        now,
    )?)
}

/// Starts a quiz attempt (or returns the one in progress). Refused when the quiz is
/// closed, completed as often as allowed, or out of attempts.
pub fn start_quiz(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MissionId,
    form_token: &str,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<AttemptId, MissionError> {
    conn.transaction(|conn| {
        if let Claim::Repeat(Some(first)) = once::claim::<AttemptId>(conn, tenant, form_token, now)?
        {
            return Ok(first);
        }
        let mission = visible(conn, tenant, user, id, now)?;
        let kind = kind_of(&mission)?;
        if !kind.is_scored() {
            return Err(MissionError::NotFound);
        }
        rows::lock_participant(conn, tenant, id, user.id)?;
        if !is_open(mission.starts_at, mission.ends_at, now) {
            return Err(MissionError::Refused("error-mission-closed"));
        }
        let rules = rows::quiz_rules(conn, tenant, id)?.ok_or(MissionError::NotFound)?;
        let mut attempts = rows::attempts_of(conn, tenant, id, user.id)?;
        if let Some(open) = attempts.iter_mut().find(|a| a.submitted_at.is_none()) {
            if !overdue(open, rules.time_limit_seconds, now) {
                return Ok(open.id);
            }
            *open = time_out(conn, tenant, open, now)?;
        }
        let completed = periods(conn, tenant, id, user)?;
        let period = next_of(&mission, &completed, now, zone)
            .ok_or(MissionError::Refused("error-mission-already-done"))?;
        // A video's follow-up quiz opens once the video is watched.
        if kind == MissionKind::Video
            && media_rows::watch_of(conn, tenant, id, user.id, &period)?
                .and_then(|w| w.watched_at)
                .is_none()
        {
            return Err(MissionError::Refused("error-video-not-watched"));
        }
        let used = attempts.iter().filter(|a| a.period == period).count();
        if used >= usize::try_from(rules.max_attempts).unwrap_or(0) {
            return Err(MissionError::Refused("error-mission-no-attempts"));
        }
        let mut seed = [0u8; 8];
        rand::fill(&mut seed);
        let attempt = rows::insert_attempt(
            conn,
            tenant,
            id,
            user.id,
            &period,
            i64::from_le_bytes(seed),
            now,
        )?;
        once::settle(conn, tenant, form_token, attempt.id)?;
        Ok(attempt.id)
    })
}

/// What a quiz attempt came to.
#[derive(Debug, Clone, Serialize)]
pub struct QuizOutcome {
    pub score_percent: i32,
    pub passed: bool,
    pub timed_out: bool,
    pub points_earned: i64,
}

/// Scores an attempt in progress. Refused when it was submitted already, the quiz has
/// closed, or an answer names an option of another question; answered too late, it
/// counts as failed (and that is committed).
#[allow(clippy::too_many_arguments)]
pub fn submit_quiz(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MissionId,
    attempt_id: AttemptId,
    input: &AnswerInput,
    now: DateTime<Utc>,
) -> Result<QuizOutcome, MissionError> {
    conn.transaction(|conn| {
        let mission = visible(conn, tenant, user, id, now)?;
        if !kind_of(&mission)?.is_scored() {
            return Err(MissionError::NotFound);
        }
        rows::lock_participant(conn, tenant, id, user.id)?;
        let attempt = rows::attempts_of(conn, tenant, id, user.id)?
            .into_iter()
            .find(|a| a.id == attempt_id)
            .ok_or(MissionError::NotFound)?;
        if attempt.submitted_at.is_some() {
            return Err(MissionError::Refused("error-attempt-submitted"));
        }
        if !is_open(mission.starts_at, mission.ends_at, now) {
            return Err(MissionError::Refused("error-mission-closed"));
        }
        let rules = rows::quiz_rules(conn, tenant, id)?.ok_or(MissionError::NotFound)?;
        if overdue(&attempt, rules.time_limit_seconds, now) {
            time_out(conn, tenant, &attempt, now)?;
            return Ok(QuizOutcome {
                score_percent: 0,
                passed: false,
                timed_out: true,
                points_earned: 0,
            });
        }
        let questions = rows::questions(conn, tenant, id)?;
        let options = rows::options(conn, tenant, id)?;
        let given = parse_answers(&questions, &options, input)?;
        let keys: Vec<Key> = questions
            .iter()
            .map(|q| Key {
                question: q.id,
                correct: options
                    .iter()
                    .filter(|o| o.question_id == q.id && o.correct)
                    .map(|o| o.id)
                    .collect(),
            })
            .collect();
        let chosen: BTreeMap<QuestionId, BTreeSet<OptionId>> = given
            .iter()
            .filter_map(|(q, g)| match g {
                Given::Options(o) => Some((*q, o.clone())),
                _ => None,
            })
            .collect();
        let result = score(&keys, &chosen);
        let passed = result.passes(rules.pass_mark);
        rows::insert_answers(conn, &answer_rows(tenant, attempt.id, given, &result.right))?;
        let settled = rows::settle_attempt(
            conn,
            tenant,
            attempt.id,
            Some(result.percent),
            passed,
            false,
            now,
        )?;
        let mut points_earned = 0;
        if passed {
            complete(conn, tenant, &mission, &settled, now)?;
            points_earned = mission.points;
        }
        Ok(QuizOutcome {
            score_percent: result.percent,
            passed,
            timed_out: false,
            points_earned,
        })
    })
}

/// Submits a survey: once per allowed completion, every required question answered.
/// The same form sent twice counts once.
#[allow(clippy::too_many_arguments)]
pub fn submit_survey(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MissionId,
    form_token: &str,
    input: &AnswerInput,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<i64, MissionError> {
    conn.transaction(|conn| {
        if let Claim::Repeat(_) = once::claim::<AttemptId>(conn, tenant, form_token, now)? {
            return Ok(0);
        }
        let mission = visible(conn, tenant, user, id, now)?;
        if kind_of(&mission)? != MissionKind::Survey {
            return Err(MissionError::NotFound);
        }
        rows::lock_participant(conn, tenant, id, user.id)?;
        if !is_open(mission.starts_at, mission.ends_at, now) {
            return Err(MissionError::Refused("error-mission-closed"));
        }
        let completed = periods(conn, tenant, id, user)?;
        let period = next_of(&mission, &completed, now, zone)
            .ok_or(MissionError::Refused("error-mission-already-done"))?;
        let questions = rows::questions(conn, tenant, id)?;
        let options = rows::options(conn, tenant, id)?;
        let given = parse_answers(&questions, &options, input)?;
        let attempt = rows::insert_attempt(conn, tenant, id, user.id, &period, 0, now)?;
        rows::insert_answers(
            conn,
            &answer_rows(tenant, attempt.id, given, &BTreeMap::new()),
        )?;
        let settled = rows::settle_attempt(conn, tenant, attempt.id, None, true, false, now)?;
        complete(conn, tenant, &mission, &settled, now)?;
        once::settle(conn, tenant, form_token, attempt.id)?;
        Ok(mission.points)
    })
}

// ── what the participant sees ────────────────────────────────────────────────────

/// A mission on the participant's page.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub id: MissionId,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub points: i64,
    pub ends_at: DateTime<Utc>,
    pub completion_limit: String,
    pub completions: usize,
    /// Quizzes: attempts left towards the next completion.
    pub attempts_left: Option<i32>,
    /// Out of attempts without passing.
    pub failed: bool,
    pub cover: Option<MediaId>,
    /// Photo missions: the review of the last submission (`pending`, `approved` or
    /// `rejected`), if one was sent.
    pub review: Option<&'static str>,
}

/// The participant's missions: to do, awaiting review (photos sent), done, expired.
#[derive(Debug, Default, Serialize)]
pub struct Board {
    pub todo: Vec<Card>,
    pub awaiting: Vec<Card>,
    pub done: Vec<Card>,
    pub expired: Vec<Card>,
}

/// The review of the last photo submission among `attempts` (oldest first).
fn last_review<'a>(
    kind: &str,
    attempts: impl Iterator<Item = &'a Attempt>,
) -> Option<&'static str> {
    if kind != MissionKind::Photo.as_str() {
        return None;
    }
    attempts
        .filter(|a| a.submitted_at.is_some())
        .last()
        .map(super::photo::status_of)
}

pub fn board(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Board, MissionError> {
    let missions: Vec<Mission> = rows::published(conn, tenant)?
        .into_iter()
        .filter(|m| m.starts_at <= now)
        .collect();
    let by_mission = segments_by_mission(conn, tenant)?;
    let wanted: BTreeSet<_> = by_mission.values().flatten().copied().collect();
    let holding = segments_holding(conn, tenant, user.partner_id, &wanted)?;
    let (completions, attempts) = rows::participant_history(conn, tenant, user.id)?;
    let covers = media_rows::covers(conn, tenant)?;
    let quiz_rules = rows::all_quiz_rules(conn, tenant)?;
    let mut board = Board::default();
    for m in missions {
        let eligible = match by_mission.get(&m.id) {
            None => true,
            Some(s) => !s.is_disjoint(&holding),
        };
        if !eligible {
            continue;
        }
        let done: Vec<String> = completions
            .iter()
            .filter(|c| c.mission_id == m.id)
            .map(|c| c.period.clone())
            .collect();
        let next = next_of(&m, &done, now, zone);
        let open = is_open(m.starts_at, m.ends_at, now);
        let attempts_left = if m.kind == MissionKind::Quiz.as_str() {
            let max = quiz_rules.get(&m.id).map_or(1, |r| r.max_attempts);
            let used = next.as_ref().map_or(0, |p| {
                attempts
                    .iter()
                    .filter(|a| a.mission_id == m.id && &a.period == p && a.submitted_at.is_some())
                    .count()
            });
            Some(max - i32::try_from(used).unwrap_or(max))
        } else {
            None
        };
        let awaiting = attempts
            .iter()
            .any(|a| a.mission_id == m.id && a.submitted_at.is_some() && a.passed.is_none());
        let can_do = open && next.is_some() && attempts_left.is_none_or(|n| n > 0);
        let review = last_review(&m.kind, attempts.iter().filter(|a| a.mission_id == m.id));
        let card = Card {
            id: m.id,
            kind: m.kind,
            title: m.title,
            description: m.description,
            points: m.points,
            ends_at: m.ends_at,
            completion_limit: m.completion_limit,
            completions: done.len(),
            attempts_left,
            failed: done.is_empty() && attempts_left == Some(0),
            cover: covers.get(&m.id).copied(),
            review,
        };
        if awaiting {
            board.awaiting.push(card);
        } else if can_do {
            board.todo.push(card);
        } else if !done.is_empty() || (open && card.failed) {
            board.done.push(card);
        } else {
            board.expired.push(card);
        }
    }
    Ok(board)
}

/// An option as the participant sees it; whether it was correct only once revealed.
#[derive(Debug, Clone, Serialize)]
pub struct ShownOption {
    pub id: OptionId,
    pub label: String,
    pub chosen: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShownQuestion {
    pub id: QuestionId,
    pub kind: String,
    pub prompt: String,
    pub required: bool,
    pub options: Vec<ShownOption>,
    pub text: String,
    pub rating: Option<i16>,
    /// Revealed quizzes: whether the answer was right.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right: Option<bool>,
}

/// The last scored attempt of a quiz.
#[derive(Debug, Clone, Serialize)]
pub struct LastResult {
    pub score_percent: i32,
    pub passed: bool,
    pub timed_out: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuizState {
    pub pass_mark: i32,
    pub max_attempts: i32,
    pub time_limit_minutes: Option<i32>,
    pub attempts_left: i32,
    /// The attempt in progress and when its time runs out.
    pub attempt_id: Option<AttemptId>,
    pub deadline: Option<DateTime<Utc>>,
    pub last: Option<LastResult>,
    /// The corrections are shown: no attempt can follow.
    pub reveal: bool,
}

/// A mission's page for a participant.
#[derive(Debug, Clone, Serialize)]
pub struct MissionView {
    pub card: Card,
    pub open: bool,
    /// A completion is still possible now (window open, limit not reached).
    pub can_complete: bool,
    pub quiz: Option<QuizState>,
    pub photo: Option<super::photo::PhotoState>,
    pub video: Option<super::video::VideoState>,
    /// Photo missions: the example image.
    pub example: Option<MediaId>,
    /// Quiz: the attempt in progress (shuffled) or the revealed corrections; survey:
    /// the form, or the answers given.
    pub questions: Vec<ShownQuestion>,
    pub form_token: String,
}

fn shown(
    questions: &[Question],
    options: &[QuestionOption],
    answers: &[Answer],
    seed: Option<i64>,
    reveal: bool,
) -> Vec<ShownQuestion> {
    questions
        .iter()
        .map(|q| {
            let answer = answers.iter().find(|a| a.question_id == q.id);
            let chosen: BTreeSet<OptionId> = answer
                .map(|a| a.option_ids.iter().flatten().copied().collect())
                .unwrap_or_default();
            let mine: Vec<&QuestionOption> =
                options.iter().filter(|o| o.question_id == q.id).collect();
            let mut order: Vec<OptionId> = mine.iter().map(|o| o.id).collect();
            if let Some(seed) = seed {
                order = shuffled(&order, seed);
            }
            let options = order
                .iter()
                .filter_map(|id| mine.iter().find(|o| o.id == *id))
                .map(|o| ShownOption {
                    id: o.id,
                    label: o.label.clone(),
                    chosen: chosen.contains(&o.id),
                    correct: reveal.then_some(o.correct),
                })
                .collect();
            ShownQuestion {
                id: q.id,
                kind: q.kind.clone(),
                prompt: q.prompt.clone(),
                required: q.required,
                options,
                text: answer
                    .and_then(|a| a.text_value.clone())
                    .unwrap_or_default(),
                rating: answer.and_then(|a| a.rating),
                right: if reveal {
                    answer.and_then(|a| a.correct).or(Some(false))
                } else {
                    None
                },
            }
        })
        .collect()
}

/// The quiz part of a mission's page (a quiz, or a watched video's follow-up quiz).
#[allow(clippy::too_many_arguments)]
fn quiz_state(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
    view: &mut MissionView,
    questions: &[Question],
    attempts: &[Attempt],
    completed: &[String],
    next: Option<&String>,
    now: DateTime<Utc>,
) -> Result<(), MissionError> {
    let open = view.open;
    let rules = rows::quiz_rules(conn, tenant, id)?.ok_or(MissionError::NotFound)?;
    let limit = rules.time_limit_seconds;
    let in_progress = attempts
        .iter()
        .find(|a| a.submitted_at.is_none() && !overdue(a, limit, now) && open);
    // An attempt left to time out counts as used.
    let used = next.map_or(0, |p| {
        attempts
            .iter()
            .filter(|a| &a.period == p && (a.submitted_at.is_some() || overdue(a, limit, now)))
            .count()
    });
    let attempts_left = rules.max_attempts - i32::try_from(used).unwrap_or(rules.max_attempts);
    let last = attempts.iter().rev().find(|a| a.submitted_at.is_some());
    let can_retry = view.can_complete && attempts_left > 0;
    let reveal = last.is_some() && in_progress.is_none() && !can_retry;
    let options = rows::options(conn, tenant, id)?;
    if let Some(a) = in_progress {
        // Never the correct options here: the attempt is not scored yet.
        view.questions = shown(questions, &options, &[], Some(a.shuffle_seed), false);
    } else if let (true, Some(a)) = (reveal, last) {
        let answers = rows::answers_of(conn, tenant, a.id)?;
        view.questions = shown(questions, &options, &answers, None, true);
    }
    view.card.attempts_left = Some(attempts_left);
    view.card.failed = completed.is_empty() && attempts_left == 0;
    view.quiz = Some(QuizState {
        pass_mark: rules.pass_mark,
        max_attempts: rules.max_attempts,
        time_limit_minutes: limit.map(|s| s / 60),
        attempts_left,
        attempt_id: in_progress.map(|a| a.id),
        deadline: in_progress.and_then(|a| deadline(a, limit)),
        last: last.map(|a| LastResult {
            score_percent: a.score_percent.unwrap_or(0),
            passed: a.passed == Some(true),
            timed_out: a.timed_out,
        }),
        reveal,
    });
    if in_progress.is_none() && can_retry {
        view.form_token = once::new_token();
    }
    Ok(())
}

pub fn view(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MissionId,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<MissionView, MissionError> {
    let mission = visible(conn, tenant, user, id, now)?;
    let kind = kind_of(&mission)?;
    let completed = periods(conn, tenant, id, user)?;
    let next = next_of(&mission, &completed, now, zone);
    let open = is_open(mission.starts_at, mission.ends_at, now);
    let attempts = rows::attempts_of(conn, tenant, id, user.id)?;
    let questions = rows::questions(conn, tenant, id)?;
    let media = super::media::by_role(conn, tenant, id)?;
    let card = Card {
        id: mission.id,
        kind: mission.kind.clone(),
        title: mission.title.clone(),
        description: mission.description.clone(),
        points: mission.points,
        ends_at: mission.ends_at,
        completion_limit: mission.completion_limit.clone(),
        completions: completed.len(),
        attempts_left: None,
        failed: false,
        cover: media.get("cover").copied(),
        review: last_review(&mission.kind, attempts.iter()),
    };
    let mut view = MissionView {
        open,
        can_complete: open && next.is_some(),
        quiz: None,
        photo: None,
        video: None,
        questions: vec![],
        form_token: String::new(),
        example: media.get("example").copied(),
        card,
    };
    match kind {
        MissionKind::Quiz => quiz_state(
            conn,
            tenant,
            id,
            &mut view,
            &questions,
            &attempts,
            &completed,
            next.as_ref(),
            now,
        )?,
        MissionKind::Survey => {
            let options = rows::options(conn, tenant, id)?;
            if view.can_complete {
                view.questions = shown(&questions, &options, &[], None, false);
                view.form_token = once::new_token();
            } else if let Some(a) = attempts.iter().rev().find(|a| a.submitted_at.is_some()) {
                let answers = rows::answers_of(conn, tenant, a.id)?;
                view.questions = shown(&questions, &options, &answers, None, false);
            }
        }
        MissionKind::Photo => {
            let state = super::photo::state(conn, tenant, id, &attempts, view.can_complete)?;
            if state.can_submit {
                view.form_token = once::new_token();
            }
            view.photo = Some(state);
        }
        MissionKind::Video => {
            let state = super::video::state(
                conn,
                tenant,
                user,
                &mission,
                media.get("video").copied(),
                next.as_deref(),
                !questions.is_empty(),
                now,
            )?;
            let quiz_open = state.watched && state.has_quiz;
            view.video = Some(state);
            if quiz_open || (!view.can_complete && !questions.is_empty()) {
                quiz_state(
                    conn,
                    tenant,
                    id,
                    &mut view,
                    &questions,
                    &attempts,
                    &completed,
                    next.as_ref(),
                    now,
                )?;
            }
        }
    }
    Ok(view)
}
