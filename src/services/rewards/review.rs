//! Admins decide orders: approve (each line's held points captured, voucher codes
//! given, the line moved on by its reward's kind) or reject with a reason (holds
//! released, stock restored). The order's row lock decides an approval racing a
//! rejection or a cancellation: the second finds the order decided and is refused.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{keys, notify, RewardError};
use crate::db::rewards::{self as rows, orders, orders::Order};
use crate::db::users::User;
use crate::db::Lock;
use crate::domain::ledger::{Cause, CauseType};
use crate::domain::rewards::{LineStatus, OrderStatus, RewardKind};
use crate::domain::{OrderId, Role, TenantId};
use crate::services::audit::{self, Actor, Change};
use crate::services::ledger::{self, Meta};
use crate::services::webhooks;

fn cause(order: OrderId) -> Cause {
    Cause {
        kind: CauseType::Redemption,
        id: Some(order.into()),
    }
}

fn pending(order: &Order) -> Result<(), RewardError> {
    if order.status != OrderStatus::Pending.as_str() {
        return Err(RewardError::Refused("error-order-decided"));
    }
    Ok(())
}

/// An admin approves an order (not their own).
pub fn approve(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &User,
    order: OrderId,
    now: DateTime<Utc>,
) -> Result<(), RewardError> {
    if reviewer.tenant_id != tenant || !reviewer.role().includes(Role::Admin) {
        return Err(RewardError::NotFound);
    }
    conn.transaction(|conn| approve_in(conn, tenant, Some(reviewer), order, now))
}

/// Approves inside the caller's transaction (the auto-approval of a redemption has no
/// reviewer).
pub(super) fn approve_in(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: Option<&User>,
    id: OrderId,
    now: DateTime<Utc>,
) -> Result<(), RewardError> {
    let order = orders::find(conn, tenant, id, Lock::ForUpdate)?;
    pending(&order)?;
    if reviewer.is_some_and(|r| r.id == order.user_id) {
        return Err(RewardError::Refused("error-order-own"));
    }
    let lines = orders::lines_of(conn, tenant, &[id])?;
    let mut codes = Vec::new();
    for line in &lines {
        let reward = rows::find(conn, tenant, line.reward_id)?;
        let kind = RewardKind::parse(&reward.kind)
            .ok_or_else(|| RewardError::Other(anyhow::anyhow!("unknown kind {}", reward.kind)))?;
        let key = keys::capture(line.id);
        let mut meta = Meta::new(&key, now).cause(cause(id));
        if let Some(r) = reviewer {
            meta = meta.author(r.id);
        }
        ledger::capture(conn, tenant, line.hold_id, &meta)?;
        if kind == RewardKind::Voucher {
            let given = rows::assign_codes(conn, tenant, reward.id, line.id, line.quantity, now)?;
            if given.len() != usize::try_from(line.quantity).unwrap_or(0) {
                return Err(RewardError::Refused("error-codes-exhausted"));
            }
            codes.extend(given);
        }
        orders::set_line_status(
            conn,
            tenant,
            line.id,
            kind.approved_line().as_str(),
            None,
            now,
        )?;
    }
    orders::decide(
        conn,
        tenant,
        id,
        OrderStatus::Approved.as_str(),
        "",
        reviewer.map(|r| r.id),
        now,
    )?;
    let actor = reviewer.map_or_else(|| Actor::system("auto-approval"), Actor::user);
    let change = Change::new("order.approved", "order", Some(id.into()))
        .after(&json!({ "points": order.total_points }));
    audit::record(conn, tenant, &actor, change)?;
    notify::approved(conn, tenant, &order, &codes)?;
    let approved = OrderStatus::Approved.as_str();
    webhooks::events::order_status_changed(
        conn,
        tenant,
        &order,
        approved,
        &order.status,
        None,
        now,
    )?;
    Ok(())
}

/// How an order ends without being approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undo {
    Rejected,
    Cancelled,
}

/// An admin rejects an order, with the reason the participant reads.
pub fn reject(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &User,
    order: OrderId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), RewardError> {
    if reviewer.tenant_id != tenant || !reviewer.role().includes(Role::Admin) {
        return Err(RewardError::NotFound);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(RewardError::field("reason", "error-required"));
    }
    if reason.chars().count() > 1000 {
        return Err(RewardError::field("reason", "error-too-long"));
    }
    conn.transaction(|conn| {
        let found = orders::find(conn, tenant, order, Lock::ForUpdate)?;
        undo(
            conn,
            tenant,
            &found,
            Undo::Rejected,
            reason,
            Some(reviewer),
            now,
        )
    })
}

/// Ends a pending order (locked by the caller): each hold released, stock restored.
pub(super) fn undo(
    conn: &mut PgConnection,
    tenant: TenantId,
    order: &Order,
    how: Undo,
    reason: &str,
    by: Option<&User>,
    now: DateTime<Utc>,
) -> Result<(), RewardError> {
    pending(order)?;
    let (status, line_status, action) = match how {
        Undo::Rejected => (
            OrderStatus::Rejected,
            LineStatus::Rejected,
            "order.rejected",
        ),
        Undo::Cancelled => (
            OrderStatus::Cancelled,
            LineStatus::Cancelled,
            "order.cancelled",
        ),
    };
    for line in orders::lines_of(conn, tenant, &[order.id])? {
        let key = keys::release(line.id);
        let mut meta = Meta::new(&key, now).cause(cause(order.id)).reason(reason);
        if let Some(u) = by {
            meta = meta.author(u.id);
        }
        ledger::release(conn, tenant, line.hold_id, &meta)?;
        rows::restore_stock(conn, tenant, line.reward_id, line.quantity)?;
        orders::set_line_status(conn, tenant, line.id, line_status.as_str(), None, now)?;
    }
    orders::decide(
        conn,
        tenant,
        order.id,
        status.as_str(),
        reason,
        by.map(|u| u.id),
        now,
    )?;
    let actor = by.map_or_else(|| Actor::system("auto-approval"), Actor::user);
    let change = Change::new(action, "order", Some(order.id.into()))
        .after(&json!({ "reason": reason, "points": order.total_points }));
    audit::record(conn, tenant, &actor, change)?;
    if how == Undo::Rejected {
        notify::rejected(conn, tenant, order, reason)?;
    }
    let (to, from) = (status.as_str(), order.status.as_str());
    webhooks::events::order_status_changed(conn, tenant, order, to, from, None, now)?;
    Ok(())
}

/// What a bulk approval did.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Bulk {
    pub approved: usize,
    /// Decided meanwhile, the reviewer's own, or without codes left.
    pub skipped: usize,
}

/// Approves each order in its own transaction: one that cannot be approved is skipped,
/// the others go through.
pub fn approve_many(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &User,
    ids: &[OrderId],
    now: DateTime<Utc>,
) -> Result<Bulk, RewardError> {
    let mut done = Bulk::default();
    for id in ids.iter().take(500) {
        match approve(conn, tenant, reviewer, *id, now) {
            Ok(()) => done.approved += 1,
            Err(RewardError::Refused(_) | RewardError::NotFound) => done.skipped += 1,
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// The tenant's rule: orders below `below` points approve themselves (`None`: never).
pub fn set_auto_approve(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, RewardError> {
    let below = match input.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(n) if (1..=100_000_000).contains(&n) => Some(n),
            _ => {
                return Err(RewardError::field(
                    "auto_approve_below",
                    "error-points-invalid",
                ))
            }
        },
    };
    conn.transaction(|conn| {
        let before = orders::auto_approve_below(conn, tenant)?;
        if before == below {
            return Ok(below);
        }
        orders::put_auto_approve_below(conn, tenant, below, now)?;
        let change = Change::new("rewards.settings_updated", "tenant", Some(tenant.into()))
            .before(&json!({ "orders_auto_approve_below": before }))
            .after(&json!({ "orders_auto_approve_below": below }));
        audit::record(conn, tenant, actor, change)?;
        Ok(below)
    })
}
