//! Missions, their quiz rules, segments, questions and options; attempts, answers and
//! completions (`media`: files, photo and video rules, photos, watches, the review
//! queue). Every query takes the tenant.

pub mod media;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{
    mission_answers, mission_attempts, mission_completions, mission_options, mission_questions,
    mission_quiz_rules, mission_segments, missions,
};
use crate::domain::{
    AttemptId, CompletionId, MissionId, OptionId, QuestionId, SegmentId, TenantId, TransactionId,
    UserId,
};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = missions)]
pub struct Mission {
    pub tenant_id: TenantId,
    pub id: MissionId,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub points: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub completion_limit: String,
    pub max_completions: Option<i32>,
    pub status: String,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = missions, treat_none_as_null = true)]
pub struct MissionValues<'a> {
    pub tenant_id: TenantId,
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub points: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub completion_limit: &'a str,
    pub max_completions: Option<i32>,
    pub position: i32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = mission_quiz_rules, treat_none_as_null = true)]
pub struct QuizRules {
    pub tenant_id: TenantId,
    pub mission_id: MissionId,
    pub pass_mark: i32,
    pub max_attempts: i32,
    pub time_limit_seconds: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = mission_questions)]
pub struct Question {
    pub id: QuestionId,
    pub mission_id: MissionId,
    pub position: i32,
    pub kind: String,
    pub prompt: String,
    pub required: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mission_options)]
pub struct QuestionOption {
    pub id: OptionId,
    pub question_id: QuestionId,
    pub position: i32,
    pub label: String,
    /// Never serialised: what reaches a template is chosen by the service.
    pub correct: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = mission_attempts)]
pub struct Attempt {
    pub id: AttemptId,
    pub mission_id: MissionId,
    pub participant_id: UserId,
    pub period: String,
    pub shuffle_seed: i64,
    pub started_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub score_percent: Option<i32>,
    pub passed: Option<bool>,
    pub timed_out: bool,
    pub review_reason: Option<String>,
    pub reviewed_by: Option<UserId>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = mission_completions)]
pub struct Completion {
    pub id: CompletionId,
    pub mission_id: MissionId,
    pub participant_id: UserId,
    pub period: String,
    pub attempt_id: AttemptId,
    pub ledger_transaction_id: Option<TransactionId>,
    pub completed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mission_answers)]
pub struct Answer {
    pub tenant_id: TenantId,
    pub attempt_id: AttemptId,
    pub question_id: QuestionId,
    pub option_ids: Vec<Option<OptionId>>,
    pub text_value: Option<String>,
    pub rating: Option<i16>,
    pub correct: Option<bool>,
}

// ── missions ──────────────────────────────────────────────────────────────────────

pub fn insert(conn: &mut PgConnection, values: &MissionValues) -> QueryResult<Mission> {
    diesel::insert_into(missions::table)
        .values(values)
        .returning(Mission::as_returning())
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
    values: &MissionValues,
) -> QueryResult<Mission> {
    diesel::update(missions::table.find((tenant, id)))
        .set(values)
        .returning(Mission::as_returning())
        .get_result(conn)
}

pub fn set_status(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
    status: &str,
    now: DateTime<Utc>,
) -> QueryResult<Mission> {
    diesel::update(missions::table.find((tenant, id)))
        .set((missions::status.eq(status), missions::updated_at.eq(now)))
        .returning(Mission::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, tenant: TenantId, id: MissionId) -> QueryResult<Mission> {
    missions::table
        .find((tenant, id))
        .select(Mission::as_select())
        .first(conn)
}

/// The mission's row, locked until the end of the transaction.
pub fn find_for_update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
) -> QueryResult<Mission> {
    missions::table
        .find((tenant, id))
        .select(Mission::as_select())
        .for_update()
        .first(conn)
}

pub fn find_by_title(
    conn: &mut PgConnection,
    tenant: TenantId,
    title: &str,
) -> QueryResult<Option<Mission>> {
    missions::table
        .filter(missions::tenant_id.eq(tenant))
        .filter(missions::title.eq(title))
        .select(Mission::as_select())
        .first(conn)
        .optional()
}

/// Every mission of the tenant, in the participants' order.
pub fn list(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Mission>> {
    missions::table
        .filter(missions::tenant_id.eq(tenant))
        .order((missions::position, missions::id))
        .select(Mission::as_select())
        .load(conn)
}

/// A page of the tenant's missions in id order after `after` (the API's cursor).
pub fn list_after(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Mission>> {
    missions::table
        .filter(missions::tenant_id.eq(tenant))
        .filter(missions::id.gt(MissionId(after)))
        .order(missions::id.asc())
        .limit(limit)
        .select(Mission::as_select())
        .load(conn)
}

/// Published missions whose window has begun (open or past).
pub fn published(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Mission>> {
    missions::table
        .filter(missions::tenant_id.eq(tenant))
        .filter(missions::status.eq("published"))
        .order((missions::position, missions::id))
        .select(Mission::as_select())
        .load(conn)
}

// ── quiz rules and segments ──────────────────────────────────────────────────────

/// A kind's rules table (one row per mission, keyed by tenant and mission): `$get`
/// reads a mission's row, `$put` writes it (insert, or update the row there).
macro_rules! rules_table {
    ($table:ident, $row:ty, $get:ident, $put:ident) => {
        pub fn $get(
            conn: &mut PgConnection,
            tenant: TenantId,
            mission: MissionId,
        ) -> QueryResult<Option<$row>> {
            $table::table
                .find((tenant, mission))
                .select(<$row>::as_select())
                .first(conn)
                .optional()
        }

        pub fn $put(conn: &mut PgConnection, rules: &$row) -> QueryResult<()> {
            diesel::insert_into($table::table)
                .values(rules)
                .on_conflict(($table::tenant_id, $table::mission_id))
                .do_update()
                .set(rules)
                .execute(conn)
                .map(|_| ())
        }
    };
}
pub(crate) use rules_table;

rules_table!(mission_quiz_rules, QuizRules, quiz_rules, put_quiz_rules);

pub fn segments_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> QueryResult<Vec<SegmentId>> {
    mission_segments::table
        .filter(mission_segments::tenant_id.eq(tenant))
        .filter(mission_segments::mission_id.eq(mission))
        .order(mission_segments::segment_id)
        .select(mission_segments::segment_id)
        .load(conn)
}

/// (mission, segment) for every mission of the tenant.
pub fn all_segments(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<Vec<(MissionId, SegmentId)>> {
    mission_segments::table
        .filter(mission_segments::tenant_id.eq(tenant))
        .select((mission_segments::mission_id, mission_segments::segment_id))
        .load(conn)
}

pub fn set_segments(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    segments: &[SegmentId],
) -> QueryResult<()> {
    diesel::delete(
        mission_segments::table
            .filter(mission_segments::tenant_id.eq(tenant))
            .filter(mission_segments::mission_id.eq(mission)),
    )
    .execute(conn)?;
    let rows: Vec<_> = segments
        .iter()
        .map(|s| {
            (
                mission_segments::tenant_id.eq(tenant),
                mission_segments::mission_id.eq(mission),
                mission_segments::segment_id.eq(*s),
            )
        })
        .collect();
    diesel::insert_into(mission_segments::table)
        .values(&rows)
        .execute(conn)
        .map(|_| ())
}

// ── questions and options ────────────────────────────────────────────────────────

pub fn questions(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> QueryResult<Vec<Question>> {
    mission_questions::table
        .filter(mission_questions::tenant_id.eq(tenant))
        .filter(mission_questions::mission_id.eq(mission))
        .order((mission_questions::position, mission_questions::id))
        .select(Question::as_select())
        .load(conn)
}

/// The options of a mission's questions, in their order.
pub fn options(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> QueryResult<Vec<QuestionOption>> {
    mission_options::table
        .inner_join(
            mission_questions::table.on(mission_questions::tenant_id
                .eq(mission_options::tenant_id)
                .and(mission_questions::id.eq(mission_options::question_id))),
        )
        .filter(mission_options::tenant_id.eq(tenant))
        .filter(mission_questions::mission_id.eq(mission))
        .order((
            mission_questions::position,
            mission_options::position,
            mission_options::id,
        ))
        .select(QuestionOption::as_select())
        .load(conn)
}

pub fn insert_question(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    kind: &str,
    prompt: &str,
    required: bool,
) -> QueryResult<Question> {
    let position: Option<i32> = mission_questions::table
        .filter(mission_questions::tenant_id.eq(tenant))
        .filter(mission_questions::mission_id.eq(mission))
        .select(diesel::dsl::max(mission_questions::position))
        .first(conn)?;
    diesel::insert_into(mission_questions::table)
        .values((
            mission_questions::tenant_id.eq(tenant),
            mission_questions::mission_id.eq(mission),
            mission_questions::position.eq(position.map_or(1, |p| p + 1)),
            mission_questions::kind.eq(kind),
            mission_questions::prompt.eq(prompt),
            mission_questions::required.eq(required),
        ))
        .returning(Question::as_returning())
        .get_result(conn)
}

pub fn insert_options(
    conn: &mut PgConnection,
    tenant: TenantId,
    question: QuestionId,
    options: &[(String, bool)],
) -> QueryResult<()> {
    let rows: Vec<_> = options
        .iter()
        .zip(1..)
        .map(|((label, correct), position)| {
            (
                mission_options::tenant_id.eq(tenant),
                mission_options::question_id.eq(question),
                mission_options::position.eq(position),
                mission_options::label.eq(label.as_str()),
                mission_options::correct.eq(*correct),
            )
        })
        .collect();
    diesel::insert_into(mission_options::table)
        .values(&rows)
        .execute(conn)
        .map(|_| ())
}

/// Deletes a question of a mission (its options go with it); false when none.
pub fn delete_question(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    question: QuestionId,
) -> QueryResult<bool> {
    diesel::delete(
        mission_questions::table
            .filter(mission_questions::tenant_id.eq(tenant))
            .filter(mission_questions::mission_id.eq(mission))
            .filter(mission_questions::id.eq(question)),
    )
    .execute(conn)
    .map(|n| n == 1)
}

pub fn set_question_position(
    conn: &mut PgConnection,
    tenant: TenantId,
    question: QuestionId,
    position: i32,
) -> QueryResult<()> {
    diesel::update(mission_questions::table.find((tenant, question)))
        .set(mission_questions::position.eq(position))
        .execute(conn)
        .map(|_| ())
}

// ── attempts, answers, completions ───────────────────────────────────────────────

/// Serialises everything one participant does on one mission until the transaction
/// ends (starting, submitting, completing), so that limits are counted without races.
pub fn lock_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    participant: UserId,
) -> QueryResult<()> {
    diesel::sql_query(
        "SELECT pg_advisory_xact_lock(hashtextextended('mission:' || $1 || ':' || $2 || ':' || $3, 0))",
    )
    .bind::<diesel::sql_types::BigInt, _>(tenant)
    .bind::<diesel::sql_types::BigInt, _>(mission)
    .bind::<diesel::sql_types::BigInt, _>(participant)
    .execute(conn)
    .map(|_| ())
}

#[allow(clippy::too_many_arguments)]
pub fn insert_attempt(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    participant: UserId,
    period: &str,
    shuffle_seed: i64,
    now: DateTime<Utc>,
) -> QueryResult<Attempt> {
    diesel::insert_into(mission_attempts::table)
        .values((
            mission_attempts::tenant_id.eq(tenant),
            mission_attempts::mission_id.eq(mission),
            mission_attempts::participant_id.eq(participant),
            mission_attempts::period.eq(period),
            mission_attempts::shuffle_seed.eq(shuffle_seed),
            mission_attempts::started_at.eq(now),
        ))
        .returning(Attempt::as_returning())
        .get_result(conn)
}

pub fn settle_attempt(
    conn: &mut PgConnection,
    tenant: TenantId,
    attempt: AttemptId,
    score_percent: Option<i32>,
    passed: bool,
    timed_out: bool,
    now: DateTime<Utc>,
) -> QueryResult<Attempt> {
    diesel::update(mission_attempts::table.find((tenant, attempt)))
        .set((
            mission_attempts::submitted_at.eq(Some(now)),
            mission_attempts::score_percent.eq(score_percent),
            mission_attempts::passed.eq(Some(passed)),
            mission_attempts::timed_out.eq(timed_out),
        ))
        .returning(Attempt::as_returning())
        .get_result(conn)
}

/// A participant's attempts at a mission, oldest first.
pub fn attempts_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    participant: UserId,
) -> QueryResult<Vec<Attempt>> {
    mission_attempts::table
        .filter(mission_attempts::tenant_id.eq(tenant))
        .filter(mission_attempts::mission_id.eq(mission))
        .filter(mission_attempts::participant_id.eq(participant))
        .order(mission_attempts::id)
        .select(Attempt::as_select())
        .load(conn)
}

pub fn insert_answers(conn: &mut PgConnection, answers: &[Answer]) -> QueryResult<()> {
    diesel::insert_into(mission_answers::table)
        .values(answers)
        .execute(conn)
        .map(|_| ())
}

pub fn answers_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    attempt: AttemptId,
) -> QueryResult<Vec<Answer>> {
    mission_answers::table
        .filter(mission_answers::tenant_id.eq(tenant))
        .filter(mission_answers::attempt_id.eq(attempt))
        .select(Answer::as_select())
        .load(conn)
}

pub fn insert_completion(
    conn: &mut PgConnection,
    tenant: TenantId,
    attempt: &Attempt,
    ledger_transaction: Option<TransactionId>,
    now: DateTime<Utc>,
) -> QueryResult<Completion> {
    diesel::insert_into(mission_completions::table)
        .values((
            mission_completions::tenant_id.eq(tenant),
            mission_completions::mission_id.eq(attempt.mission_id),
            mission_completions::participant_id.eq(attempt.participant_id),
            mission_completions::period.eq(&attempt.period),
            mission_completions::attempt_id.eq(attempt.id),
            mission_completions::ledger_transaction_id.eq(ledger_transaction),
            mission_completions::completed_at.eq(now),
        ))
        .returning(Completion::as_returning())
        .get_result(conn)
}

pub fn completions_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    participant: UserId,
) -> QueryResult<Vec<Completion>> {
    mission_completions::table
        .filter(mission_completions::tenant_id.eq(tenant))
        .filter(mission_completions::mission_id.eq(mission))
        .filter(mission_completions::participant_id.eq(participant))
        .order(mission_completions::id)
        .select(Completion::as_select())
        .load(conn)
}

/// Every completion and attempt of one participant, for the missions page.
pub fn participant_history(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: UserId,
) -> QueryResult<(Vec<Completion>, Vec<Attempt>)> {
    let completions = mission_completions::table
        .filter(mission_completions::tenant_id.eq(tenant))
        .filter(mission_completions::participant_id.eq(participant))
        .select(Completion::as_select())
        .load(conn)?;
    let attempts = mission_attempts::table
        .filter(mission_attempts::tenant_id.eq(tenant))
        .filter(mission_attempts::participant_id.eq(participant))
        .order(mission_attempts::id)
        .select(Attempt::as_select())
        .load(conn)?;
    Ok((completions, attempts))
}

// ── results ──────────────────────────────────────────────────────────────────────

/// Every attempt at a mission, oldest first.
pub fn attempts_at(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> QueryResult<Vec<Attempt>> {
    mission_attempts::table
        .filter(mission_attempts::tenant_id.eq(tenant))
        .filter(mission_attempts::mission_id.eq(mission))
        .order(mission_attempts::id)
        .select(Attempt::as_select())
        .load(conn)
}

/// Every answer given to a mission's questions.
pub fn answers_at(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> QueryResult<Vec<Answer>> {
    mission_answers::table
        .inner_join(
            mission_questions::table.on(mission_questions::tenant_id
                .eq(mission_answers::tenant_id)
                .and(mission_questions::id.eq(mission_answers::question_id))),
        )
        .filter(mission_answers::tenant_id.eq(tenant))
        .filter(mission_questions::mission_id.eq(mission))
        .select(Answer::as_select())
        .load(conn)
}

pub fn completions_at(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> QueryResult<Vec<Completion>> {
    mission_completions::table
        .filter(mission_completions::tenant_id.eq(tenant))
        .filter(mission_completions::mission_id.eq(mission))
        .select(Completion::as_select())
        .load(conn)
}

/// How many questions each of the tenant's missions has (missions without any are
/// absent).
pub fn question_counts(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<std::collections::BTreeMap<MissionId, i64>> {
    Ok(mission_questions::table
        .filter(mission_questions::tenant_id.eq(tenant))
        .group_by(mission_questions::mission_id)
        .select((mission_questions::mission_id, diesel::dsl::count_star()))
        .load::<(MissionId, i64)>(conn)?
        .into_iter()
        .collect())
}

/// The quiz rules of all the tenant's missions that have some, by mission.
pub fn all_quiz_rules(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<std::collections::BTreeMap<MissionId, QuizRules>> {
    Ok(mission_quiz_rules::table
        .filter(mission_quiz_rules::tenant_id.eq(tenant))
        .select(QuizRules::as_select())
        .load::<QuizRules>(conn)?
        .into_iter()
        .map(|r| (r.mission_id, r))
        .collect())
}
