//! The movements: earn, hold then capture or release, adjust.

use diesel::prelude::*;

use super::post::{self, begin, fresh, Begun, Counter, Request};
use super::{LedgerError, Meta, Posted};
use crate::db::ledger;
use crate::domain::ledger::{
    required_reason, valid_amount, AccountKind, HoldId, Points, TransactionKind,
};
use crate::domain::{TenantId, UserId};

fn request<'a>(kind: TransactionKind, user: UserId, amount: Points, meta: &'a Meta) -> Request<'a> {
    Request {
        kind,
        user,
        amount,
        hold: None,
        reverses: None,
        meta,
    }
}

/// Credits earned points to a participant, in a new lot that expires per the tenant's
/// policy.
pub fn earn(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    amount: Points,
    meta: &Meta,
) -> Result<Posted, LedgerError> {
    if !valid_amount(amount) {
        return Err(LedgerError::InvalidAmount);
    }
    let req = request(TransactionKind::Earn, user, amount, meta);
    conn.transaction(|conn| {
        // Every earn but a participant's first (and a replayed key): one statement.
        let txn = match post::earn_at_once(conn, tenant, &req)? {
            Some(txn) => txn,
            None => match begin(conn, tenant, &req)? {
                Begun::Replayed(posted) => return Ok(posted),
                Begun::New(txn) => {
                    post::credit_with_lot(
                        conn,
                        tenant,
                        &txn,
                        amount,
                        Counter::Kind(AccountKind::Issuance),
                    )?;
                    txn
                }
            },
        };
        // The one place every earn goes through: the participant's status tier follows.
        crate::services::tiers::on_earn(conn, tenant, user)?;
        Ok(fresh(txn))
    })
}

/// Reserves points for a pending spend (a redemption): they leave the available balance
/// now, and are captured or released later, once. The hold's id is `Posted::hold_id`.
pub fn hold(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    amount: Points,
    meta: &Meta,
) -> Result<Posted, LedgerError> {
    if !valid_amount(amount) {
        return Err(LedgerError::InvalidAmount);
    }
    conn.transaction(|conn| {
        let txn = match begin(
            conn,
            tenant,
            &request(TransactionKind::Hold, user, amount, meta),
        )? {
            Begun::Replayed(posted) => return Ok(posted),
            Begun::New(txn) => txn,
        };
        let balance = post::move_balance(conn, tenant, user, -amount, amount)?;
        ledger::insert_postings(
            conn,
            tenant,
            txn.id,
            &[
                (balance.available_account_id, -amount),
                (balance.held_account_id, amount),
            ],
        )?;
        ledger::insert_hold(conn, tenant, HoldId::placed_by(txn.id), user, amount)?;
        Ok(fresh(txn))
    })
}

/// Spends held points for good: they go to the programme's redemption account, taken
/// from the participant's lots soonest-expiring first.
pub fn capture(
    conn: &mut PgConnection,
    tenant: TenantId,
    hold: HoldId,
    meta: &Meta,
) -> Result<Posted, LedgerError> {
    resolve(conn, tenant, hold, TransactionKind::Capture, meta)
}

/// Returns held points to the participant's available balance.
pub fn release(
    conn: &mut PgConnection,
    tenant: TenantId,
    hold: HoldId,
    meta: &Meta,
) -> Result<Posted, LedgerError> {
    resolve(conn, tenant, hold, TransactionKind::Release, meta)
}

fn resolve(
    conn: &mut PgConnection,
    tenant: TenantId,
    hold: HoldId,
    kind: TransactionKind,
    meta: &Meta,
) -> Result<Posted, LedgerError> {
    conn.transaction(|conn| {
        let found = ledger::find_hold(conn, tenant, hold)?.ok_or(LedgerError::NotFound)?;
        let user = found.user_id;
        let amount = Points(found.amount);
        let req = Request {
            hold: Some(found.id),
            ..request(kind, user, amount, meta)
        };
        let txn = match begin(conn, tenant, &req)? {
            Begun::Replayed(posted) => return Ok(posted),
            Begun::New(txn) => txn,
        };
        let status = if kind == TransactionKind::Capture {
            "captured"
        } else {
            "released"
        };
        // The row lock taken here decides a capture racing a release.
        if !ledger::resolve_hold(conn, tenant, found.id, status, txn.id, meta.at)? {
            return Err(LedgerError::HoldAlreadyResolved);
        }
        if kind == TransactionKind::Capture {
            let balance = post::move_held(conn, tenant, user, Points::ZERO, -amount)?;
            let redemption = ledger::programme_account(conn, tenant, AccountKind::Redemption)?;
            ledger::insert_postings(
                conn,
                tenant,
                txn.id,
                &[(balance.held_account_id, -amount), (redemption, amount)],
            )?;
            post::consume(conn, tenant, &txn, amount, None)?;
        } else {
            let balance = post::move_held(conn, tenant, user, amount, -amount)?;
            ledger::insert_postings(
                conn,
                tenant,
                txn.id,
                &[
                    (balance.held_account_id, -amount),
                    (balance.available_account_id, amount),
                ],
            )?;
        }
        Ok(fresh(txn))
    })
}

/// A manual correction by an admin, signed, with a mandatory reason. A credit opens a lot;
/// a debit is refused beyond the available balance and consumes lots.
pub fn adjust(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    delta: Points,
    meta: &Meta,
) -> Result<Posted, LedgerError> {
    let reason = required_reason(meta.reason).ok_or(LedgerError::ReasonRequired)?;
    if delta == Points::ZERO {
        return Err(LedgerError::InvalidAmount);
    }
    let meta = Meta { reason, ..*meta };
    conn.transaction(|conn| {
        let req = request(TransactionKind::Adjust, user, delta, &meta);
        let txn = match begin(conn, tenant, &req)? {
            Begun::Replayed(posted) => return Ok(posted),
            Begun::New(txn) => txn,
        };
        let counter = Counter::Kind(AccountKind::Adjustment);
        if delta.is_positive() {
            post::credit_with_lot(conn, tenant, &txn, delta, counter)?;
        } else {
            post::debit_with_lots(conn, tenant, &txn, delta.abs(), counter, None)?;
        }
        Ok(fresh(txn))
    })
}

/// The tenant's setting: points expire `months` after they were earned, or never. Applies
/// to points earned from now on; at most 120 months.
pub fn set_expiry_policy(
    conn: &mut PgConnection,
    tenant: TenantId,
    months: Option<u32>,
) -> Result<(), LedgerError> {
    let months = match months {
        Some(m @ 1..=120) => Some(m as i32),
        Some(_) => return Err(LedgerError::InvalidPolicy),
        None => None,
    };
    conn.transaction(|conn| Ok(ledger::set_expiry_months(conn, tenant, months)?))
}
