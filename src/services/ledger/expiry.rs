//! Expiry: due lots lose their remaining points, exactly once, however often and however
//! concurrently the job runs.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::post::{self, begin, Begun, Request};
use super::{LedgerError, Meta};
use crate::db::ledger::{self, lots};
use crate::db::Lock;
use crate::domain::ledger::{expirable, expiry_key, AccountKind, Points, TransactionKind};
use crate::domain::{LotId, TenantId, UserId};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiryRun {
    /// Expire transactions posted by this run.
    pub transactions: u64,
    pub points: Points,
}

const PAGE: i64 = 500;

/// Expires every lot of the tenant due at `now`, one short transaction per lot (so a
/// large run holds no lock for long). Held points are spared: they may still be captured,
/// and if released, the next run expires them. Each expiry's idempotency key is derived
/// from the lot and its remaining points, which only ever decrease.
pub fn expire_due(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<ExpiryRun, LedgerError> {
    let mut run = ExpiryRun::default();
    let mut after = LotId(0);
    loop {
        let due = lots::due_lots(conn, tenant, now, after, PAGE)?;
        let Some(&(last, _)) = due.last() else {
            return Ok(run);
        };
        for (lot, user) in due {
            if let Some(points) = expire_lot(conn, tenant, lot, user, now)? {
                run.transactions += 1;
                run.points = Points(run.points.0 + points.0);
            }
        }
        after = last;
    }
}

fn expire_lot(
    conn: &mut PgConnection,
    tenant: TenantId,
    lot_id: LotId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Option<Points>, LedgerError> {
    conn.transaction(|conn| {
        // Same lock order as every movement: the balance, then the lots.
        let Some(balance) = ledger::balance(conn, tenant, user, Lock::ForUpdate)? else {
            return Ok(None);
        };
        let Some(lot) = lots::lot_for_update(conn, tenant, lot_id)? else {
            return Ok(None);
        };
        if lot.expires_at.is_none_or(|at| at > now) {
            return Ok(None);
        }
        let amount = expirable(Points(lot.remaining), Points(balance.available));
        if !amount.is_positive() {
            return Ok(None);
        }
        let key = expiry_key(lot.id, Points(lot.remaining));
        let meta = Meta::new(&key, now);
        let req = Request {
            kind: TransactionKind::Expire,
            user,
            amount,
            hold: None,
            reverses: None,
            meta: &meta,
        };
        let txn = match begin(conn, tenant, &req)? {
            Begun::Replayed(_) => return Ok(None),
            Begun::New(txn) => txn,
        };
        let balance = post::move_balance(conn, tenant, user, -amount, Points::ZERO)?;
        let expiry = ledger::programme_account(conn, tenant, AccountKind::Expiry)?;
        ledger::insert_postings(
            conn,
            tenant,
            txn.id,
            &[(balance.available_account_id, -amount), (expiry, amount)],
        )?;
        lots::consume_lots(conn, tenant, txn.id, &[(lot.id, amount)])?;
        Ok(Some(amount))
    })
}
