//! Recomputing participants' tiers: on every earn (in its transaction), when an earn is
//! reversed, by the daily job, and after the tiers change. Every change goes through the
//! participant's locked row and compares with the tier stored there, so a change is
//! e-mailed once however often it is recomputed.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db;
use crate::db::tiers::{self as rows, ParticipantTier};
use crate::domain::tiers::{effective, multiplier_text, rank_for, Tier, TierWindow};
use crate::domain::{Role, TenantId, UserId, Zone};
use crate::services::email::{self, EmailMessage};
use crate::services::ServiceError;

/// What every recomputation of a tenant needs, read once.
pub(super) struct Context {
    pub tiers: Vec<Tier>,
    pub window: TierWindow,
    pub zone: Zone,
}

impl Context {
    /// `None` when the tenant has no tiers.
    pub fn load(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Option<Context>> {
        let tiers = rows::list(conn, tenant)?;
        if tiers.is_empty() {
            return Ok(None);
        }
        Ok(Some(Context {
            tiers,
            window: rows::window(conn, tenant)?,
            zone: db::tenants::zone_and_currency(conn, tenant)?.0,
        }))
    }

    /// The tier of a participant who has earned nothing (usually the first, from 0).
    pub fn base(&self) -> i16 {
        rank_for(&self.tiers, 0)
    }

    fn name(&self, rank: i16) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.rank == rank)
    }
}

/// The participant's row, locked (created at the base tier: reaching it is no change).
pub(super) fn locked(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    ctx: &Context,
) -> QueryResult<ParticipantTier> {
    rows::participant_for_update(conn, tenant, user, ctx.base())
}

/// Recomputes a locked row (whose floor the caller may have changed since `original`),
/// writes it if anything changed and queues the e-mail if the tier did. True if it did.
pub(super) fn settle(
    conn: &mut PgConnection,
    tenant: TenantId,
    ctx: &Context,
    original: &ParticipantTier,
    mut row: ParticipantTier,
    now: DateTime<Utc>,
    notify: bool,
) -> QueryResult<bool> {
    let earned = rows::earned_since(conn, tenant, row.user_id, ctx.window.start(now, ctx.zone))?;
    row.earned = earned;
    row.computed_rank = rank_for(&ctx.tiers, earned);
    row.rank = effective(&ctx.tiers, row.computed_rank, row.floor_rank);
    row.updated_at = original.updated_at;
    if row == *original {
        return Ok(false);
    }
    row.updated_at = now;
    rows::update_participant(conn, tenant, &row)?;
    let changed = row.rank != original.rank;
    if changed && notify {
        queue_change(conn, tenant, ctx, row.user_id, original.rank, row.rank)?;
    }
    Ok(changed)
}

/// Queues the `tier_changed` e-mail (none when the participant is left without a tier,
/// is disabled or is no participant).
fn queue_change(
    conn: &mut PgConnection,
    tenant: TenantId,
    ctx: &Context,
    user: UserId,
    before: i16,
    after: i16,
) -> QueryResult<()> {
    let Some(tier) = ctx.name(after) else {
        return Ok(());
    };
    let user = db::users::find(conn, tenant, user)?;
    if user.disabled || user.role() != Role::Participant {
        return Ok(());
    }
    let locale = match user.locale() {
        Some(l) => l,
        None => db::tenants::find(conn, tenant)?.locale(),
    };
    let message = EmailMessage {
        to: user.email.clone(),
        to_name: user.display_name.clone(),
        locale,
        template: "tier_changed".into(),
        link_path: Some("/tiers".into()),
        args: serde_json::json!({
            "tier": tier.name,
            "previous": ctx.name(before).map(|t| t.name.clone()).unwrap_or_default(),
            "up": after > before,
            "multiplier": multiplier_text(tier.multiplier_permille),
            "bonus": tier.multiplier_permille > 1000,
        }),
    };
    email::queue(conn, tenant, &message)?;
    Ok(())
}

/// After points were earned (or an earn reversed), in the same transaction: the
/// participant's tier, e-mailed if it changed. Nothing when the tenant has no tiers.
pub fn on_earn(conn: &mut PgConnection, tenant: TenantId, user: UserId) -> QueryResult<bool> {
    let Some(ctx) = Context::load(conn, tenant)? else {
        return Ok(false);
    };
    let row = locked(conn, tenant, user, &ctx)?;
    settle(conn, tenant, &ctx, &row.clone(), row, Utc::now(), true)
}

/// Every participant with a stored tier or points earned in the window, as of `now`;
/// returns how many changed tier. Participants whose stored figures still hold are not
/// touched (one query for all of them).
pub fn recompute_all(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
    notify: bool,
) -> QueryResult<usize> {
    let Some(ctx) = Context::load(conn, tenant)? else {
        return Ok(0);
    };
    let earned = rows::earned_by_user_since(conn, tenant, ctx.window.start(now, ctx.zone))?;
    let stored = rows::all_participants(conn, tenant)?;
    let users: BTreeSet<UserId> = earned.keys().chain(stored.keys()).copied().collect();
    let mut changed = 0;
    for user in users {
        let points = earned.get(&user).copied().unwrap_or(0);
        if let Some(s) = stored.get(&user) {
            let computed = rank_for(&ctx.tiers, points);
            if s.earned == points
                && s.computed_rank == computed
                && s.rank == effective(&ctx.tiers, computed, s.floor_rank)
            {
                continue;
            }
        }
        let row = locked(conn, tenant, user, &ctx)?;
        if settle(conn, tenant, &ctx, &row.clone(), row, now, notify)? {
            changed += 1;
        }
    }
    Ok(changed)
}

/// The daily step for one tenant (called by `points::run_daily`): points that left a
/// rolling window, a calendar year that began, demote.
pub fn run_daily(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    Ok(conn.transaction(|conn| recompute_all(conn, tenant, now, true))?)
}
