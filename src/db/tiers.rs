//! Tier rows and their tenant-scoped queries: the tenant's tiers and window, each
//! participant's tier, the rewards that require a tier, and points earned in a window.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Timestamptz};

use super::schema::{participant_tiers, reward_min_tiers, tier_settings, tiers};
use crate::domain::tiers::{Tier, TierWindow};
use crate::domain::{RewardId, TenantId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tiers)]
struct TierRow {
    rank: i16,
    name: String,
    threshold: i64,
    multiplier_permille: i32,
}

/// The tenant's tiers, lowest first.
pub fn list(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Tier>> {
    Ok(tiers::table
        .filter(tiers::tenant_id.eq(tenant))
        .order(tiers::rank)
        .select(TierRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|r| Tier {
            rank: r.rank,
            name: r.name,
            threshold: r.threshold,
            multiplier_permille: r.multiplier_permille,
        })
        .collect())
}

/// The tenant's window (rolling 12 months until chosen otherwise).
pub fn window(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<TierWindow> {
    let stored: Option<String> = tier_settings::table
        .find(tenant)
        .select(tier_settings::time_window)
        .first(conn)
        .optional()?;
    Ok(stored
        .and_then(|w| TierWindow::parse(&w))
        .unwrap_or(TierWindow::Rolling))
}

/// Replaces the tenant's tiers (ranks above the new count are deleted: the caller checks
/// that no reward requires them) and window.
pub fn save(
    conn: &mut PgConnection,
    tenant: TenantId,
    list: &[Tier],
    window: TierWindow,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let top = list.iter().map(|t| t.rank).max().unwrap_or(0);
    diesel::delete(
        tiers::table
            .filter(tiers::tenant_id.eq(tenant))
            .filter(tiers::rank.gt(top)),
    )
    .execute(conn)?;
    for t in list {
        diesel::insert_into(tiers::table)
            .values((
                tiers::tenant_id.eq(tenant),
                tiers::rank.eq(t.rank),
                tiers::name.eq(&t.name),
                tiers::threshold.eq(t.threshold),
                tiers::multiplier_permille.eq(t.multiplier_permille),
            ))
            .on_conflict((tiers::tenant_id, tiers::rank))
            .do_update()
            .set((
                tiers::name.eq(&t.name),
                tiers::threshold.eq(t.threshold),
                tiers::multiplier_permille.eq(t.multiplier_permille),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(tier_settings::table)
        .values((
            tier_settings::tenant_id.eq(tenant),
            tier_settings::time_window.eq(window.as_str()),
            tier_settings::updated_at.eq(now),
        ))
        .on_conflict(tier_settings::tenant_id)
        .do_update()
        .set((
            tier_settings::time_window.eq(window.as_str()),
            tier_settings::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A participant's stored tier.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = participant_tiers)]
pub struct ParticipantTier {
    pub user_id: UserId,
    pub earned: i64,
    pub computed_rank: i16,
    pub floor_rank: Option<i16>,
    pub floor_reason: Option<String>,
    pub rank: i16,
    pub updated_at: DateTime<Utc>,
}

/// A participant's row, created at rank `base` if missing, locked until commit: every change
/// of a participant's tier goes through this lock, so a change is told once.
pub fn participant_for_update(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    base: i16,
) -> QueryResult<ParticipantTier> {
    diesel::insert_into(participant_tiers::table)
        .values((
            participant_tiers::tenant_id.eq(tenant),
            participant_tiers::user_id.eq(user),
            participant_tiers::computed_rank.eq(base),
            participant_tiers::rank.eq(base),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    participant_tiers::table
        .find((tenant, user))
        .select(ParticipantTier::as_select())
        .for_update()
        .first(conn)
}

pub fn participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<Option<ParticipantTier>> {
    participant_tiers::table
        .find((tenant, user))
        .select(ParticipantTier::as_select())
        .first(conn)
        .optional()
}

/// Every stored participant tier of the tenant, by user.
pub fn all_participants(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<HashMap<UserId, ParticipantTier>> {
    Ok(participant_tiers::table
        .filter(participant_tiers::tenant_id.eq(tenant))
        .select(ParticipantTier::as_select())
        .load(conn)?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect())
}

pub fn update_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    row: &ParticipantTier,
) -> QueryResult<()> {
    diesel::update(participant_tiers::table.find((tenant, row.user_id)))
        .set((
            participant_tiers::earned.eq(row.earned),
            participant_tiers::computed_rank.eq(row.computed_rank),
            participant_tiers::floor_rank.eq(row.floor_rank),
            participant_tiers::floor_reason.eq(&row.floor_reason),
            participant_tiers::rank.eq(row.rank),
            participant_tiers::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The multiplier (per mille) of the tier a participant holds; `None` without one.
pub fn multiplier_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<Option<(String, i32)>> {
    participant_tiers::table
        .inner_join(
            tiers::table.on(tiers::tenant_id
                .eq(participant_tiers::tenant_id)
                .and(tiers::rank.eq(participant_tiers::rank))),
        )
        .filter(participant_tiers::tenant_id.eq(tenant))
        .filter(participant_tiers::user_id.eq(user))
        .select((tiers::name, tiers::multiplier_permille))
        .first(conn)
        .optional()
}

/// The tier a participant holds (0: none, or never computed).
pub fn rank_of(conn: &mut PgConnection, tenant: TenantId, user: UserId) -> QueryResult<i16> {
    Ok(participant_tiers::table
        .find((tenant, user))
        .select(participant_tiers::rank)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

const EARNED_SQL: &str = "SELECT COALESCE(SUM(t.amount), 0)::BIGINT AS earned
    FROM ledger_transactions t
    WHERE t.tenant_id = $1 AND t.user_id = $2 AND t.kind = 'earn' AND t.created_at >= $3
      AND NOT EXISTS (SELECT 1 FROM ledger_transactions r
                      WHERE r.tenant_id = $1 AND r.reverses = t.id)";

#[derive(QueryableByName)]
struct Earned {
    #[diesel(sql_type = BigInt)]
    earned: i64,
}

/// Points a participant earned since `from` (reversed earns excluded): the partial index
/// `ledger_transactions_earned_idx`, then the reversal's unique key, per earn.
pub fn earned_since(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    from: DateTime<Utc>,
) -> QueryResult<i64> {
    Ok(diesel::sql_query(EARNED_SQL)
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(user)
        .bind::<Timestamptz, _>(from)
        .get_result::<Earned>(conn)?
        .earned)
}

#[derive(QueryableByName)]
struct UserEarned {
    #[diesel(sql_type = BigInt)]
    user_id: UserId,
    #[diesel(sql_type = BigInt)]
    earned: i64,
}

/// Points earned since `from` by every participant who earned any, by user.
pub fn earned_by_user_since(
    conn: &mut PgConnection,
    tenant: TenantId,
    from: DateTime<Utc>,
) -> QueryResult<HashMap<UserId, i64>> {
    Ok(diesel::sql_query(
        "SELECT t.user_id, COALESCE(SUM(t.amount), 0)::BIGINT AS earned
         FROM ledger_transactions t
         WHERE t.tenant_id = $1 AND t.kind = 'earn' AND t.created_at >= $2
           AND NOT EXISTS (SELECT 1 FROM ledger_transactions r
                           WHERE r.tenant_id = $1 AND r.reverses = t.id)
         GROUP BY t.user_id",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Timestamptz, _>(from)
    .load::<UserEarned>(conn)?
    .into_iter()
    .map(|r| (r.user_id, r.earned))
    .collect())
}

#[derive(QueryableByName)]
struct Oldest {
    #[diesel(sql_type = Nullable<Timestamptz>)]
    at: Option<DateTime<Utc>>,
}

/// When the oldest points still counted since `from` were earned.
pub fn oldest_earn_since(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    from: DateTime<Utc>,
) -> QueryResult<Option<DateTime<Utc>>> {
    let row = diesel::sql_query(
        "SELECT MIN(t.created_at) AS at FROM ledger_transactions t
         WHERE t.tenant_id = $1 AND t.user_id = $2 AND t.kind = 'earn' AND t.created_at >= $3
           AND NOT EXISTS (SELECT 1 FROM ledger_transactions r
                           WHERE r.tenant_id = $1 AND r.reverses = t.id)",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(user)
    .bind::<Timestamptz, _>(from)
    .get_result::<Oldest>(conn)?;
    Ok(row.at)
}

/// Points earned in `[from, until)` (reversed earns excluded).
pub fn earned_between(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<i64> {
    Ok(
        diesel::sql_query(format!("{EARNED_SQL} AND t.created_at < $4"))
            .bind::<BigInt, _>(tenant)
            .bind::<BigInt, _>(user)
            .bind::<Timestamptz, _>(from)
            .bind::<Timestamptz, _>(until)
            .get_result::<Earned>(conn)?
            .earned,
    )
}

/// The tier a reward requires (rank), if any.
pub fn reward_min_rank(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
) -> QueryResult<Option<i16>> {
    reward_min_tiers::table
        .find((tenant, reward))
        .select(reward_min_tiers::min_rank)
        .first(conn)
        .optional()
}

/// Every reward of the tenant that requires a tier, with its rank.
pub fn reward_min_ranks(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<HashMap<RewardId, i16>> {
    Ok(reward_min_tiers::table
        .filter(reward_min_tiers::tenant_id.eq(tenant))
        .select((reward_min_tiers::reward_id, reward_min_tiers::min_rank))
        .load::<(RewardId, i16)>(conn)?
        .into_iter()
        .collect())
}

pub fn set_reward_min_rank(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
    rank: Option<i16>,
) -> QueryResult<()> {
    match rank {
        None => diesel::delete(reward_min_tiers::table.find((tenant, reward)))
            .execute(conn)
            .map(|_| ()),
        Some(rank) => diesel::insert_into(reward_min_tiers::table)
            .values((
                reward_min_tiers::tenant_id.eq(tenant),
                reward_min_tiers::reward_id.eq(reward),
                reward_min_tiers::min_rank.eq(rank),
            ))
            .on_conflict((reward_min_tiers::tenant_id, reward_min_tiers::reward_id))
            .do_update()
            .set(reward_min_tiers::min_rank.eq(rank))
            .execute(conn)
            .map(|_| ()),
    }
}

/// The highest rank any reward of the tenant requires (0: none).
pub fn highest_required_rank(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<i16> {
    Ok(reward_min_ranks(conn, tenant)?
        .values()
        .copied()
        .max()
        .unwrap_or(0))
}

/// The active rewards that require a tier: (rank, reward id, name), by rank then name.
pub fn rewards_by_rank(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<Vec<(i16, RewardId, String)>> {
    use super::schema::rewards;
    reward_min_tiers::table
        .inner_join(
            rewards::table.on(rewards::tenant_id
                .eq(reward_min_tiers::tenant_id)
                .and(rewards::id.eq(reward_min_tiers::reward_id))),
        )
        .filter(reward_min_tiers::tenant_id.eq(tenant))
        .filter(rewards::active.eq(true))
        .order((reward_min_tiers::min_rank, rewards::name))
        .select((reward_min_tiers::min_rank, rewards::id, rewards::name))
        .load(conn)
}
