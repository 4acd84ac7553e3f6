//! An admin sets a participant's tier by hand: a floor (the participant never sits below
//! it, and still rises above it by earning), with a mandatory reason, audited.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::progress::{progress, TierProgress};
use super::recompute::{locked, settle, Context};
use crate::db;
use crate::db::tiers::{self as rows, ParticipantTier};
use crate::db::users::User;
use crate::domain::tiers::Tier;
use crate::domain::{Role, TenantId, UserId};
use crate::services::audit::{self, Actor, Change};
use crate::services::{FieldErrors, ServiceError};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FloorInput {
    /// A tier's rank, or empty for no floor.
    pub floor: String,
    pub reason: String,
}

/// What the admin's tier page shows.
#[derive(Debug, Serialize)]
pub struct FloorPage {
    pub participant: User,
    pub tiers: Vec<Tier>,
    pub stored: Option<ParticipantTier>,
    pub progress: Option<TierProgress>,
}

fn participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> Result<User, ServiceError> {
    match db::users::find(conn, tenant, user).optional()? {
        Some(u) if u.role() == Role::Participant => Ok(u),
        _ => Err(ServiceError::NotFound),
    }
}

pub fn floor_page(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<FloorPage, ServiceError> {
    let participant = participant(conn, tenant, user)?;
    Ok(FloorPage {
        participant,
        tiers: rows::list(conn, tenant)?,
        stored: rows::participant(conn, tenant, user)?,
        progress: progress(conn, tenant, user, now)?,
    })
}

/// Sets (or, with an empty `floor`, removes) a participant's floor tier. The reason is
/// required; the participant's tier is recomputed at once (and e-mailed if it changed).
pub fn set_floor(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    user: UserId,
    input: &FloorInput,
) -> Result<(), ServiceError> {
    let mut errors = FieldErrors::new();
    let reason = input.reason.trim();
    if reason.is_empty() {
        errors.insert("reason", "error-required");
    } else if reason.chars().count() > 300 {
        errors.insert("reason", "error-too-long");
    }
    conn.transaction(|conn| {
        participant(conn, tenant, user)?;
        let Some(ctx) = Context::load(conn, tenant)? else {
            return Err(ServiceError::field("floor", "error-tier-none"));
        };
        let floor = match input.floor.trim() {
            "" => None,
            typed => match typed.parse::<i16>() {
                Ok(rank) if ctx.tiers.iter().any(|t| t.rank == rank) => Some(rank),
                _ => {
                    errors.insert("floor", "error-tier-unknown");
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let original = locked(conn, tenant, user, &ctx)?;
        let row = ParticipantTier {
            floor_rank: floor,
            floor_reason: floor.map(|_| reason.to_string()),
            ..original.clone()
        };
        let now = Utc::now();
        settle(conn, tenant, &ctx, &original, row, now, true)?;
        let after = rows::participant(conn, tenant, user)?;
        let change = Change::new("tier.floor_set", "user", Some(user.0))
            .before(&json!({ "floor": original.floor_rank, "tier": original.rank }))
            .after(&json!({
                "floor": floor,
                "tier": after.as_ref().map(|a| a.rank),
                "reason": reason,
            }));
        audit::record(conn, tenant, actor, change)?;
        Ok(())
    })
}
