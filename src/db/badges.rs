//! Badge settings (a row only once a tenant changed a badge) and awards (once per
//! participant and badge), plus the history the rules read.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    badge_awards, badges, challenge_awards, declarations, mission_completions, missions,
};
use crate::domain::ledger::TransactionId;
use crate::domain::{MissionId, TenantId, UserId};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = badges)]
pub struct BadgeSettings {
    pub tenant_id: TenantId,
    pub rule: String,
    pub name: String,
    pub description: String,
    pub image_key: Option<String>,
    pub image_content_type: Option<String>,
    pub points: i64,
    pub active: bool,
    pub streak_weeks: i32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = badge_awards)]
pub struct BadgeAward {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub badge: String,
    pub awarded_at: DateTime<Utc>,
    pub points: i64,
    pub ledger_transaction_id: Option<TransactionId>,
}

/// The tenant's changed badges (the others are as built in).
pub fn settings(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<BadgeSettings>> {
    badges::table
        .filter(badges::tenant_id.eq(tenant))
        .select(BadgeSettings::as_select())
        .load(conn)
}

pub fn settings_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    rule: &str,
) -> QueryResult<Option<BadgeSettings>> {
    badges::table
        .find((tenant, rule))
        .select(BadgeSettings::as_select())
        .first(conn)
        .optional()
}

/// Writes a badge's settings (the image is kept unless `row` says otherwise).
pub fn upsert(conn: &mut PgConnection, row: &BadgeSettings) -> QueryResult<()> {
    diesel::insert_into(badges::table)
        .values(row)
        .on_conflict((badges::tenant_id, badges::rule))
        .do_update()
        .set((
            badges::name.eq(&row.name),
            badges::description.eq(&row.description),
            badges::image_key.eq(&row.image_key),
            badges::image_content_type.eq(&row.image_content_type),
            badges::points.eq(row.points),
            badges::active.eq(row.active),
            badges::streak_weeks.eq(row.streak_weeks),
            badges::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records an award unless the participant already has the badge: the row when it was
/// inserted now, `None` when it existed (whoever got there first, even concurrently).
pub fn insert_award(
    conn: &mut PgConnection,
    award: &BadgeAward,
) -> QueryResult<Option<BadgeAward>> {
    diesel::insert_into(badge_awards::table)
        .values(award)
        .on_conflict_do_nothing()
        .returning(BadgeAward::as_returning())
        .get_result(conn)
        .optional()
}

/// Links an award to the ledger transaction of its points.
pub fn set_award_transaction(
    conn: &mut PgConnection,
    award: &BadgeAward,
    transaction: TransactionId,
) -> QueryResult<()> {
    diesel::update(badge_awards::table.find((award.tenant_id, award.user_id, &award.badge)))
        .set(badge_awards::ledger_transaction_id.eq(Some(transaction)))
        .execute(conn)
        .map(|_| ())
}

/// A participant's badges, latest first (at most `limit`).
pub fn awards_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    limit: i64,
) -> QueryResult<Vec<BadgeAward>> {
    badge_awards::table
        .filter(badge_awards::tenant_id.eq(tenant))
        .filter(badge_awards::user_id.eq(user))
        .order((badge_awards::awarded_at.desc(), badge_awards::badge))
        .limit(limit)
        .select(BadgeAward::as_select())
        .load(conn)
}

/// How many declarations of the participant are approved.
pub fn approved_count(conn: &mut PgConnection, tenant: TenantId, user: UserId) -> QueryResult<i64> {
    declarations::table
        .filter(declarations::tenant_id.eq(tenant))
        .filter(declarations::participant_id.eq(user))
        .filter(declarations::status.eq("approved"))
        .count()
        .get_result(conn)
}

/// The distinct sale dates of the participant's approved declarations.
pub fn approved_sale_dates(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<Vec<NaiveDate>> {
    declarations::table
        .filter(declarations::tenant_id.eq(tenant))
        .filter(declarations::participant_id.eq(user))
        .filter(declarations::status.eq("approved"))
        .select(declarations::sale_date)
        .distinct()
        .load(conn)
}

/// Participants with at least one approved declaration (the backfill's candidates).
pub fn declarants(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<UserId>> {
    declarations::table
        .filter(declarations::tenant_id.eq(tenant))
        .filter(declarations::status.eq("approved"))
        .select(declarations::participant_id)
        .distinct()
        .load(conn)
}

/// A mission's window, for the month rule.
pub fn mission_window(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> QueryResult<(DateTime<Utc>, DateTime<Utc>)> {
    missions::table
        .find((tenant, mission))
        .select((missions::starts_at, missions::ends_at))
        .first(conn)
}

/// Published (or since archived) missions whose window lies within `[from, to)`.
pub fn missions_within(
    conn: &mut PgConnection,
    tenant: TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<MissionId>> {
    missions::table
        .filter(missions::tenant_id.eq(tenant))
        .filter(missions::status.ne("draft"))
        .filter(missions::starts_at.ge(from))
        .filter(missions::ends_at.le(to))
        .select(missions::id)
        .load(conn)
}

/// The missions among `of` that the participant completed at least once.
pub fn completed_among(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    of: &[MissionId],
) -> QueryResult<Vec<MissionId>> {
    mission_completions::table
        .filter(mission_completions::tenant_id.eq(tenant))
        .filter(mission_completions::participant_id.eq(user))
        .filter(mission_completions::mission_id.eq_any(of))
        .select(mission_completions::mission_id)
        .distinct()
        .load(conn)
}

/// Every (participant, mission) completion of the tenant, for the backfill.
pub fn completions(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<Vec<(UserId, MissionId)>> {
    mission_completions::table
        .filter(mission_completions::tenant_id.eq(tenant))
        .select((
            mission_completions::participant_id,
            mission_completions::mission_id,
        ))
        .distinct()
        .load(conn)
}

/// Every challenge award of the tenant: (participant, rank, result), for the backfill.
pub fn challenge_results(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<Vec<(UserId, i32, i64)>> {
    challenge_awards::table
        .filter(challenge_awards::tenant_id.eq(tenant))
        .filter(challenge_awards::rank.le(3))
        .select((
            challenge_awards::participant_id,
            challenge_awards::rank,
            challenge_awards::result,
        ))
        .load(conn)
}
