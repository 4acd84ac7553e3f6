//! Where a participant stands: their tier, the next one and what is still to earn, for
//! the tiers page and the home page.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::recompute::Context;
use crate::db::tiers as rows;
use crate::domain::tiers::{standing, Tier, TierWindow};
use crate::domain::{TenantId, UserId};
use crate::services::ServiceError;

/// A tier as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct TierView {
    pub rank: i16,
    pub name: String,
    pub threshold: i64,
    /// "1.25"; "1" without a bonus.
    pub multiplier: String,
    pub has_bonus: bool,
}

impl From<&Tier> for TierView {
    fn from(t: &Tier) -> Self {
        TierView {
            rank: t.rank,
            name: t.name.clone(),
            threshold: t.threshold,
            multiplier: t.multiplier_text(),
            has_bonus: t.multiplier_permille > 1000,
        }
    }
}

/// Points that leave a rolling window next: those earned on `earned_on` leave on `on`.
#[derive(Debug, Clone, Serialize)]
pub struct Leaving {
    pub points: i64,
    pub earned_on: NaiveDate,
    pub on: NaiveDate,
}

/// The participant's tier (as stored: the one they were told about, which unlocks
/// rewards and bonuses), the next, points earned in the window now, how many more the next
/// needs, and the progress between the two thresholds in percent.
#[derive(Debug, Clone, Serialize)]
pub struct TierProgress {
    pub current: Option<TierView>,
    pub next: Option<TierView>,
    pub earned: i64,
    pub needed_for_next: i64,
    pub percent: u8,
    /// "rolling" or "calendar".
    pub window: TierWindow,
    /// The tier is held thanks to an admin's floor, above what was earned.
    pub by_floor: bool,
    pub leaving: Option<Leaving>,
    pub tiers: Vec<TierView>,
}

/// `None` when the tenant has no tiers. Read-only; a few indexed queries.
pub fn progress(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Option<TierProgress>, ServiceError> {
    let Some(ctx) = Context::load(conn, tenant)? else {
        return Ok(None);
    };
    let stored = rows::participant(conn, tenant, user)?;
    let start = ctx.window.start(now, ctx.zone);
    let earned = rows::earned_since(conn, tenant, user, start)?;
    let rank = stored.as_ref().map_or(ctx.base(), |s| s.rank);
    let computed = crate::domain::tiers::rank_for(&ctx.tiers, earned);
    let s = standing(&ctx.tiers, rank, earned);
    let leaving = match rows::oldest_earn_since(conn, tenant, user, start)? {
        Some(at) if ctx.window == TierWindow::Rolling => {
            let day = ctx.zone.date_of(at);
            let (from, until) = ctx.zone.days(Some(day), Some(day));
            let points = match (from, until) {
                (Some(f), Some(u)) => rows::earned_between(conn, tenant, user, f, u)?,
                _ => 0,
            };
            ctx.window.leaves_at(at, ctx.zone).map(|on| Leaving {
                points,
                earned_on: day,
                on,
            })
        }
        _ => None,
    };
    Ok(Some(TierProgress {
        current: s.current.as_ref().map(TierView::from),
        next: s.next.as_ref().map(TierView::from),
        earned,
        needed_for_next: s.needed_for_next,
        percent: s.percent,
        window: ctx.window,
        by_floor: rank > computed,
        leaving,
        tiers: ctx.tiers.iter().map(TierView::from).collect(),
    }))
}
