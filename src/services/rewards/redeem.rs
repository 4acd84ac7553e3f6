//! A participant orders a reward: in one transaction the points are held through the
//! ledger and the stock reserved, or nothing is written. The participant may cancel
//! while the order waits for a decision.
//!
//! Never twice: the participant's balance row is locked first, so their redemptions
//! follow one another (the per-participant maximum is counted under that lock and the
//! hold refuses points that are not there); the stock is taken by one conditional
//! UPDATE, so twenty participants racing for the last unit get one order between them;
//! the form's one-time token makes a form sent twice one order.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{keys, review, RewardError};
use crate::db::ledger as ledger_db;
use crate::db::rewards::{self as rows, orders, Reward};
use crate::db::users::User;
use crate::db::{tenants, Lock};
use crate::domain::ledger::{Cause, CauseType, Points};
use crate::domain::rewards::{in_window, parse_quantity, AddressInput, RewardKind};
use crate::domain::{OrderId, RewardId, Role, SegmentId, TenantId};
use crate::services::audit::{self, Actor, Change};
use crate::services::ledger::{self, LedgerError, Meta};
use crate::services::once::{self, Claim};
use crate::services::{segments, FieldErrors};

/// The redeem form as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RedeemInput {
    pub quantity: String,
    #[serde(flatten)]
    pub address: AddressFields,
    pub form_token: String,
}

/// The address fields of the redeem form (`address_name` …).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AddressFields {
    pub address_name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub address_postcode: String,
    pub address_city: String,
    pub address_country: String,
    pub address_phone: String,
}

impl AddressFields {
    pub fn input(&self) -> AddressInput {
        AddressInput {
            name: self.address_name.clone(),
            line1: self.address_line1.clone(),
            line2: self.address_line2.clone(),
            postcode: self.address_postcode.clone(),
            city: self.address_city.clone(),
            country: self.address_country.clone(),
            phone: self.address_phone.clone(),
        }
    }

    pub fn of(a: &AddressInput) -> Self {
        AddressFields {
            address_name: a.name.clone(),
            address_line1: a.line1.clone(),
            address_line2: a.line2.clone(),
            address_postcode: a.postcode.clone(),
            address_city: a.city.clone(),
            address_country: a.country.clone(),
            address_phone: a.phone.clone(),
        }
    }
}

/// What a redemption did.
#[derive(Debug, Clone, Copy)]
pub struct Redeemed {
    pub order: OrderId,
    /// The tenant's rule approved it at once.
    pub approved: bool,
}

/// Whether `user` may see and redeem `reward` today: an enabled participant of the
/// tenant, the reward active and in its window, and the participant's partner in one of
/// its segments when it names any.
pub fn may_redeem(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    reward: &Reward,
    segments_of_reward: &[SegmentId],
    today: chrono::NaiveDate,
) -> Result<bool, RewardError> {
    if user.tenant_id != tenant || user.role() != Role::Participant || user.disabled {
        return Ok(false);
    }
    if !reward.active || !in_window(reward.available_from, reward.available_until, today) {
        return Ok(false);
    }
    if segments_of_reward.is_empty() {
        return Ok(true);
    }
    let Some(partner) = user.partner_id else {
        return Ok(false);
    };
    for segment in segments_of_reward {
        if segments::contains(conn, tenant, *segment, partner)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The segments among `wanted` that hold the user's partner (each checked once).
pub fn segments_holding(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    wanted: &BTreeSet<SegmentId>,
) -> Result<BTreeSet<SegmentId>, RewardError> {
    let mut out = BTreeSet::new();
    if let Some(partner) = user.partner_id {
        for segment in wanted {
            if segments::contains(conn, tenant, *segment, partner)? {
                out.insert(*segment);
            }
        }
    }
    Ok(out)
}

/// The reward, if this participant may redeem it today; else not found (another
/// tenant's, outside its segments) or refused (outside its window, deactivated), so
/// that nothing about it leaks to whom may not see it.
fn redeemable(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: RewardId,
    now: DateTime<Utc>,
) -> Result<Reward, RewardError> {
    let reward = rows::find(conn, tenant, id)?;
    let wanted = rows::segments_of(conn, tenant, id)?;
    let today = tenants::zone_and_currency(conn, tenant)?.0.today(now);
    let in_segment = may_redeem(
        conn,
        tenant,
        user,
        &Reward {
            active: true,
            available_from: None,
            available_until: None,
            ..reward.clone()
        },
        &wanted,
        today,
    )?;
    if !in_segment {
        return Err(RewardError::NotFound);
    }
    if !reward.active || !in_window(reward.available_from, reward.available_until, today) {
        return Err(RewardError::field("reward", "error-reward-unavailable"));
    }
    // Shown to participants below its status tier, locked: never redeemable by them.
    if crate::services::tiers::reward_lock(conn, tenant, user.id, id)?.is_some() {
        return Err(RewardError::field("reward", "error-reward-tier-locked"));
    }
    Ok(reward)
}

/// Orders `quantity` units of a reward. Refusals name their field: `quantity` (not a
/// whole number from 1, above the per-participant maximum, not enough points, out of
/// stock), `address_*` (physical goods), `reward` (outside its window).
pub fn redeem(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: RewardId,
    input: &RedeemInput,
    now: DateTime<Utc>,
) -> Result<Redeemed, RewardError> {
    let quantity =
        parse_quantity(&input.quantity).map_err(|key| RewardError::field("quantity", key))?;
    conn.transaction(|conn| {
        if let Claim::Repeat(first) = once::claim::<OrderId>(conn, tenant, &input.form_token, now)?
        {
            let order = first.ok_or(RewardError::NotFound)?;
            let status = orders::find(conn, tenant, order, Lock::Unlocked)?.status;
            return Ok(Redeemed {
                order,
                approved: status == "approved",
            });
        }
        let reward = redeemable(conn, tenant, user, id, now)?;
        let kind = RewardKind::parse(&reward.kind)
            .ok_or_else(|| RewardError::Other(anyhow::anyhow!("unknown kind {}", reward.kind)))?;
        let address = if kind.ships() {
            let checked = input.address.input().check().map_err(|problems| {
                RewardError::Invalid(problems.into_iter().collect::<FieldErrors>())
            })?;
            Some(serde_json::to_value(&checked).map_err(|e| RewardError::Other(e.into()))?)
        } else {
            None
        };
        // The participant's redemptions, one at a time from here on.
        if ledger_db::balance(conn, tenant, user.id, Lock::ForUpdate)?.is_none() {
            return Err(RewardError::field("quantity", "error-points-insufficient"));
        }
        if let Some(max) = reward.max_per_participant {
            let taken = orders::units_taken(conn, tenant, user.id, id)?;
            if taken + i64::from(quantity) > i64::from(max) {
                return Err(RewardError::field("quantity", "error-quantity-over-max"));
            }
        }
        let total = reward
            .cost_points
            .checked_mul(i64::from(quantity))
            .ok_or(RewardError::field("quantity", "error-quantity-too-large"))?;
        let order = orders::insert_order(
            conn,
            tenant,
            user.id,
            user.partner_id,
            total,
            address.as_ref(),
            now,
        )?;
        let key = keys::hold(order.id, id);
        let meta = Meta::new(&key, now)
            .cause(Cause {
                kind: CauseType::Redemption,
                id: Some(order.id.into()),
            })
            .author(user.id);
        let hold = match ledger::hold(conn, tenant, user.id, Points(total), &meta) {
            Ok(posted) => posted.hold_id(),
            Err(LedgerError::InsufficientPoints) => {
                return Err(RewardError::field("quantity", "error-points-insufficient"))
            }
            Err(LedgerError::InvalidAmount) => {
                return Err(RewardError::field("quantity", "error-quantity-too-large"))
            }
            Err(e) => return Err(e.into()),
        };
        if !rows::take_stock(conn, tenant, id, quantity)? {
            return Err(RewardError::field("quantity", "error-out-of-stock"));
        }
        orders::insert_line(
            conn,
            tenant,
            order.id,
            &orders::NewLine {
                reward: id,
                quantity,
                unit_points: reward.cost_points,
                hold,
            },
            now,
        )?;
        if let Some(address) = &address {
            orders::remember_address(conn, tenant, user.id, address, now)?;
        }
        let change = Change::new("order.placed", "order", Some(order.id.into())).after(&json!({
            "reward": reward.code, "quantity": quantity, "points": total,
        }));
        audit::record(conn, tenant, &Actor::user(user), change)?;
        once::settle(conn, tenant, &input.form_token, order.id)?;
        let approved = match orders::auto_approve_below(conn, tenant)? {
            Some(below) if total < below => {
                review::approve_in(conn, tenant, None, order.id, now)?;
                true
            }
            _ => false,
        };
        Ok(Redeemed {
            order: order.id,
            approved,
        })
    })
}

/// The participant cancels their order while it waits: holds released, stock restored.
pub fn cancel(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    order: OrderId,
    now: DateTime<Utc>,
) -> Result<(), RewardError> {
    conn.transaction(|conn| {
        let found = orders::find(conn, tenant, order, Lock::ForUpdate)?;
        if found.user_id != user.id {
            return Err(RewardError::NotFound);
        }
        review::undo(
            conn,
            tenant,
            &found,
            review::Undo::Cancelled,
            "",
            Some(user),
            now,
        )
    })
}
