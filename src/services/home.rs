//! The participant's home: everything they come back for on one screen — balance and
//! what expires, status tier and the way to the next, running challenges with their bars and rank, missions to do, rewards
//! within reach, their latest declarations and badges, their rank of the month and the brand's news. Read only; each part is read by the area's
//! own service, so the home shows exactly what the area's pages show.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::challenges::views as challenge_views;
use super::declarations as declaration_views;
use super::ledger::{self, Balance};
use super::missions as mission_play;
use super::rewards::views as reward_views;
use super::ServiceError;
use crate::db::declarations::Declaration;
use crate::db::tenants;
use crate::db::users::User;
use crate::domain::TenantId;

/// How many items each part of the home shows (the area's own page lists the rest).
pub const CHALLENGES: usize = 2;
pub const MISSIONS: usize = 2;
pub const REWARDS: usize = 3;
pub const DECLARATIONS: i64 = 3;
pub const NEWS: usize = 2;
pub const BADGES: i64 = 4;

#[derive(Debug, Serialize)]
pub struct Home {
    pub balance: Balance,
    /// `None` when the tenant has no status tiers.
    pub tier: Option<super::tiers::TierProgress>,
    pub challenges: Vec<challenge_views::Card>,
    /// Running challenges beyond the ones shown.
    pub more_challenges: usize,
    pub missions: Vec<mission_play::Card>,
    pub more_missions: usize,
    pub rewards: Vec<reward_views::Card>,
    pub declarations: Vec<Declaration>,
    pub news: Vec<super::news::NewsCard>,
    /// The latest badges earned.
    pub badges: Vec<super::badges::BadgeCard>,
    /// This month's national rank on points earned (`None` before the first points).
    pub monthly: Option<super::leaderboard::MonthlyRank>,
}

pub fn home(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Home, ServiceError> {
    let balance = ledger::balance(conn, tenant, user.id, now)?;
    let tier = super::tiers::progress(conn, tenant, user.id, now)?;
    let mut challenges = challenge_views::mine(conn, tenant, user, now)?.active;
    let more_challenges = challenges.len().saturating_sub(CHALLENGES);
    // The ones ending first come first: they are the ones to act on.
    challenges.sort_by_key(|c| c.challenge.ends_at);
    challenges.truncate(CHALLENGES);
    let zone = tenants::zone_and_currency(conn, tenant)?.0;
    let mut missions = mission_play::board(conn, tenant, user, now, zone)?.todo;
    let more_missions = missions.len().saturating_sub(MISSIONS);
    missions.sort_by_key(|m| m.ends_at);
    missions.truncate(MISSIONS);
    let rewards = reward_views::within_reach(conn, tenant, user, now, REWARDS)?;
    let declarations = if user.partner_id.is_some() {
        declaration_views::list_own(conn, tenant, user, 1, DECLARATIONS)?
            .rows
            .into_iter()
            .map(|r| r.declaration)
            .collect()
    } else {
        vec![]
    };
    let news = super::news::for_participant(conn, tenant, user, now, NEWS)?;
    let badges = super::badges::recent_for(conn, tenant, user.id, BADGES)?;
    let monthly = super::leaderboard::monthly_rank(conn, tenant, user, now)?;
    Ok(Home {
        balance,
        tier,
        challenges,
        more_challenges,
        missions,
        more_missions,
        rewards,
        declarations,
        news,
        badges,
        monthly,
    })
}
