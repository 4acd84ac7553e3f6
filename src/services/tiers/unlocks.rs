//! What a tier unlocks: a declaration points multiplier, and the rewards that require it
//! (shown locked to participants below, with the tier needed, and refused at redeem).

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::json;

use super::progress::TierView;
use crate::db::rewards as reward_rows;
use crate::db::tiers as rows;
use crate::domain::declarations::Multiplier;
use crate::domain::tiers::rank_for;
use crate::domain::{RewardId, TenantId, UserId};
use crate::services::audit::{self, Actor, Change};
use crate::services::ServiceError;

/// The bonus of the participant's tier on declared sales (with the tier's name), when it
/// has one. It compounds with a challenge's multiplier.
pub fn declaration_multiplier(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<Option<(String, Multiplier)>> {
    Ok(rows::multiplier_of(conn, tenant, user)?
        .filter(|(_, m)| *m > 1000)
        .and_then(|(name, m)| Some((name, Multiplier(u32::try_from(m).ok()?)))))
}

/// The tier the participant holds, as stored (the base tier before any is stored).
fn held(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    tiers: &[crate::domain::tiers::Tier],
) -> QueryResult<i16> {
    Ok(rows::rank_of(conn, tenant, user)?.max(rank_for(tiers, 0)))
}

/// The tier a reward requires when the participant is below it (`None`: not locked).
pub fn reward_lock(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    reward: RewardId,
) -> QueryResult<Option<TierView>> {
    let Some(min) = rows::reward_min_rank(conn, tenant, reward)? else {
        return Ok(None);
    };
    let tiers = rows::list(conn, tenant)?;
    if held(conn, tenant, user, &tiers)? >= min {
        return Ok(None);
    }
    Ok(tiers.iter().find(|t| t.rank == min).map(TierView::from))
}

/// Every reward locked for this participant, with the tier it requires.
pub fn reward_locks(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<HashMap<RewardId, TierView>> {
    let required = rows::reward_min_ranks(conn, tenant)?;
    if required.is_empty() {
        return Ok(HashMap::new());
    }
    let tiers = rows::list(conn, tenant)?;
    let rank = held(conn, tenant, user, &tiers)?;
    Ok(required
        .into_iter()
        .filter(|(_, min)| *min > rank)
        .filter_map(|(r, min)| {
            tiers
                .iter()
                .find(|t| t.rank == min)
                .map(|t| (r, TierView::from(t)))
        })
        .collect())
}

/// Sets the tier a reward requires (empty: none), audited as a reward change.
pub fn set_reward_min_tier(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    reward: RewardId,
    typed: &str,
) -> Result<(), ServiceError> {
    conn.transaction(|conn| {
        reward_rows::find(conn, tenant, reward)
            .optional()?
            .ok_or(ServiceError::NotFound)?;
        let tiers = rows::list(conn, tenant)?;
        let rank = match typed.trim() {
            "" => None,
            t => match t.parse::<i16>() {
                Ok(r) if tiers.iter().any(|x| x.rank == r) => Some(r),
                _ => return Err(ServiceError::field("min_tier", "error-tier-unknown")),
            },
        };
        let before = rows::reward_min_rank(conn, tenant, reward)?;
        if before == rank {
            return Ok(());
        }
        rows::set_reward_min_rank(conn, tenant, reward, rank)?;
        let change = Change::new("reward.updated", "reward", Some(reward.0))
            .before(&json!({ "min_tier": before }))
            .after(&json!({ "min_tier": rank }));
        audit::record(conn, tenant, actor, change)?;
        Ok(())
    })
}

/// The tiers a reward may require, and the one it does (for the studio's form).
#[derive(Debug, serde::Serialize)]
pub struct RewardTierSetting {
    pub tiers: Vec<TierView>,
    pub min_rank: Option<i16>,
}

pub fn reward_tier_setting(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
) -> QueryResult<RewardTierSetting> {
    Ok(RewardTierSetting {
        tiers: rows::list(conn, tenant)?
            .iter()
            .map(TierView::from)
            .collect(),
        min_rank: rows::reward_min_rank(conn, tenant, reward)?,
    })
}

/// The active rewards each tier unlocks, for the tiers page: (rank, reward id, name).
pub fn rewards_by_rank(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<Vec<(i16, RewardId, String)>> {
    rows::rewards_by_rank(conn, tenant)
}
