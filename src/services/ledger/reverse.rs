//! Reversal: a correcting transaction that posts the opposite of the original, never an
//! edit or a delete. Each transaction is reversed at most once.

use diesel::prelude::*;

use super::post::{self, begin, fresh, Begun, Counter, Request};
use super::{LedgerError, Meta, Posted};
use crate::db::ledger::{self, lots};
use crate::db::Lock;
use crate::domain::ledger::{Points, TransactionId, TransactionKind};
use crate::domain::TenantId;

/// Reverses an earn, an adjustment, a capture (a refund) or an expiry. Points taken back
/// come from the original's own lot first, and are refused beyond the available balance;
/// points given back return to the available balance in a new lot that expires per the
/// tenant's policy, counted from the reversal (a reversed expiry must not expire at once).
/// Holds are undone by `release`; releases and reversals cannot be reversed.
pub fn reverse(
    conn: &mut PgConnection,
    tenant: TenantId,
    target: TransactionId,
    meta: &Meta,
) -> Result<Posted, LedgerError> {
    conn.transaction(|conn| {
        let original =
            ledger::find_transaction(conn, tenant, target)?.ok_or(LedgerError::NotFound)?;
        let kind = TransactionKind::parse(&original.kind)
            .ok_or_else(|| LedgerError::Invariant(format!("unknown kind {}", original.kind)))?;
        if !kind.is_reversible() {
            return Err(LedgerError::NotReversible);
        }
        let user = original.user_id;
        let req = Request {
            kind: TransactionKind::Reversal,
            user,
            amount: Points(original.amount),
            hold: None,
            reverses: Some(original.id),
            meta,
        };
        let txn = match begin(conn, tenant, &req)? {
            Begun::Replayed(posted) => return Ok(posted),
            Begun::New(txn) => txn,
        };
        let accounts = ledger::balance(conn, tenant, user, Lock::Unlocked)?
            .ok_or_else(|| LedgerError::Invariant(format!("no balance for user {user}")))?;
        let participant = [accounts.available_account_id, accounts.held_account_id];
        // Every reversible kind has one participant posting and one programme posting.
        let mut net = Points::ZERO;
        let mut counter = None;
        for (account, amount) in ledger::postings_of(conn, tenant, original.id)? {
            if participant.contains(&account) {
                net = Points(net.0 - amount);
            } else {
                counter = Some(account);
            }
        }
        let counter = counter.map(Counter::Account).ok_or_else(|| {
            LedgerError::Invariant(format!("transaction {target:?} has no counterpart"))
        })?;
        if net.is_positive() {
            post::credit_with_lot(conn, tenant, &txn, net, counter)?;
        } else if net < Points::ZERO {
            let own_lot = lots::lot_of_transaction(conn, tenant, original.id)?;
            post::debit_with_lots(conn, tenant, &txn, net.abs(), counter, own_lot)?;
        } else {
            return Err(LedgerError::NotReversible);
        }
        // A reversed earn no longer counts towards the participant's status tier.
        if kind == TransactionKind::Earn {
            crate::services::tiers::on_earn(conn, tenant, user)?;
        }
        Ok(fresh(txn))
    })
}
