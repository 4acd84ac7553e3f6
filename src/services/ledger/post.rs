//! The machinery shared by every movement: the idempotent start of a transaction, the
//! guarded balance update, and the credit and debit halves that touch lots.

use diesel::pg::PgConnection;

use super::{LedgerError, Meta, Posted};
use crate::db::ledger::{self, earn, lots, BalanceRow, LedgerTransaction, NewLedgerTransaction};
use crate::db::Lock;
use crate::domain::ledger::{
    fingerprint, plan_consumption, valid_amount, valid_idempotency_key, AccountKind, ExpiryPolicy,
    Points, TransactionKind,
};
use crate::domain::{AccountId, HoldId, LotId, TenantId, TransactionId, UserId};
use crate::services::is_unique_violation;

/// The parameters that identify a request, for its fingerprint.
pub(super) struct Request<'a> {
    pub kind: TransactionKind,
    pub user: UserId,
    pub amount: Points,
    pub hold: Option<HoldId>,
    pub reverses: Option<TransactionId>,
    pub meta: &'a Meta<'a>,
}

pub(super) enum Begun {
    New(LedgerTransaction),
    Replayed(Posted),
}

/// The request's fingerprint, once its key and amount are checked.
fn checked_fingerprint(req: &Request) -> Result<String, LedgerError> {
    let meta = req.meta;
    if !valid_idempotency_key(meta.idempotency_key) {
        return Err(LedgerError::InvalidKey);
    }
    if !valid_amount(req.amount.abs()) {
        return Err(LedgerError::InvalidAmount);
    }
    Ok(fingerprint(&[
        req.kind.as_str(),
        &req.user.to_string(),
        &req.amount.0.to_string(),
        // Bare numbers, as fingerprints were computed before ids had types.
        &format!("{:?}", req.hold.map(i64::from)),
        &format!("{:?}", req.reverses.map(i64::from)),
        meta.cause.map_or("", |c| c.kind.as_str()),
        &format!("{:?}", meta.cause.and_then(|c| c.id)),
        meta.reason,
        &format!("{:?}", meta.author.map(|a| a.0)),
    ]))
}

fn new_row<'a>(tenant: TenantId, req: &'a Request, print: &'a str) -> NewLedgerTransaction<'a> {
    let meta = req.meta;
    NewLedgerTransaction {
        tenant_id: tenant,
        kind: req.kind.as_str(),
        user_id: req.user,
        amount: req.amount.0,
        cause_type: meta.cause.map(|c| c.kind.as_str()),
        cause_id: meta.cause.and_then(|c| c.id),
        reason: meta.reason,
        author_id: meta.author,
        hold_id: req.hold,
        reverses: req.reverses,
        idempotency_key: meta.idempotency_key,
        request_fingerprint: print,
        created_at: meta.at,
    }
}

/// The participant or the author is not a user of this tenant.
fn is_foreign_key_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ForeignKeyViolation,
            _,
        )
    )
}

/// An earn in one statement (see `db::ledger::earn`), inside the caller's transaction if
/// there is one; `None` when it did nothing, and the general path must run.
pub(super) fn earn_at_once(
    conn: &mut PgConnection,
    tenant: TenantId,
    req: &Request,
) -> Result<Option<LedgerTransaction>, LedgerError> {
    debug_assert!(req.kind == TransactionKind::Earn);
    let print = checked_fingerprint(req)?;
    match earn::earn_in_one(conn, &new_row(tenant, req, &print)) {
        Ok(done) => Ok(done),
        Err(e) if is_foreign_key_violation(&e) => Err(LedgerError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Inserts the transaction row first: a key already taken (even by a transaction still in
/// flight, which Postgres waits for) is answered from the stored row instead.
pub(super) fn begin(
    conn: &mut PgConnection,
    tenant: TenantId,
    req: &Request,
) -> Result<Begun, LedgerError> {
    let meta = req.meta;
    let print = checked_fingerprint(req)?;
    match ledger::insert_transaction(conn, &new_row(tenant, req, &print)) {
        Ok(Some(txn)) => Ok(Begun::New(txn)),
        Ok(None) => {
            let original = ledger::find_transaction_by_key(conn, tenant, meta.idempotency_key)?
                .ok_or_else(|| LedgerError::Invariant("idempotency key vanished".into()))?;
            if original.request_fingerprint == print {
                Ok(Begun::Replayed(Posted {
                    transaction: original,
                    replayed: true,
                }))
            } else {
                Err(LedgerError::IdempotencyConflict)
            }
        }
        Err(e) if is_unique_violation(&e, "ledger_transactions_hold_key") => {
            Err(LedgerError::HoldAlreadyResolved)
        }
        Err(e) if is_unique_violation(&e, "ledger_transactions_reverses_key") => {
            Err(LedgerError::AlreadyReversed)
        }
        Err(e) if is_foreign_key_violation(&e) => Err(LedgerError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Adds deltas to the participant's cached balance, creating it on first use; refuses a
/// debit that would take either balance below zero.
pub(super) fn move_balance(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    available: Points,
    held: Points,
) -> Result<BalanceRow, LedgerError> {
    if let Some(row) = ledger::apply_balance_delta(conn, tenant, user, available, held)? {
        return Ok(row);
    }
    if ledger::balance(conn, tenant, user, Lock::Unlocked)?.is_none() {
        ledger::ensure_participant(conn, tenant, user)?;
        if let Some(row) = ledger::apply_balance_delta(conn, tenant, user, available, held)? {
            return Ok(row);
        }
    }
    Err(LedgerError::InsufficientPoints)
}

/// A balance movement that cannot fail unless the ledger is inconsistent (moving held
/// points of a pending hold).
pub(super) fn move_held(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    available: Points,
    held: Points,
) -> Result<BalanceRow, LedgerError> {
    move_balance(conn, tenant, user, available, held).map_err(|e| match e {
        LedgerError::InsufficientPoints => {
            LedgerError::Invariant(format!("held balance of user {user} below a pending hold"))
        }
        other => other,
    })
}

/// Where the other side of a participant's credit or debit goes.
pub(super) enum Counter {
    Kind(AccountKind),
    Account(AccountId),
}

fn counter_account(
    conn: &mut PgConnection,
    tenant: TenantId,
    counter: Counter,
) -> Result<AccountId, LedgerError> {
    Ok(match counter {
        Counter::Account(id) => id,
        Counter::Kind(kind) => ledger::programme_account(conn, tenant, kind)?,
    })
}

/// Credits the participant's available balance and opens a lot expiring per the tenant's
/// policy, counted from the transaction's date.
pub(super) fn credit_with_lot(
    conn: &mut PgConnection,
    tenant: TenantId,
    txn: &LedgerTransaction,
    amount: Points,
    counter: Counter,
) -> Result<(), LedgerError> {
    let user = txn.user_id;
    let (months, zone, issuance) = ledger::earn_context(conn, tenant)?;
    let counter = match (counter, issuance) {
        (Counter::Kind(AccountKind::Issuance), Some(id)) => id,
        (counter, _) => counter_account(conn, tenant, counter)?,
    };
    let balance = move_balance(conn, tenant, user, amount, Points::ZERO)?;
    ledger::insert_postings(
        conn,
        tenant,
        txn.id,
        &[(balance.available_account_id, amount), (counter, -amount)],
    )?;
    let policy = ExpiryPolicy {
        months: months.and_then(|m| u32::try_from(m).ok()),
    };
    lots::insert_lot(
        conn,
        tenant,
        user,
        txn.id,
        amount,
        policy.expires_at(txn.created_at, zone),
        txn.created_at,
    )?;
    Ok(())
}

/// Debits the participant's available balance (refused if it would go below zero) and
/// consumes lots soonest-expiring first, `preferred` first.
pub(super) fn debit_with_lots(
    conn: &mut PgConnection,
    tenant: TenantId,
    txn: &LedgerTransaction,
    amount: Points,
    counter: Counter,
    preferred: Option<LotId>,
) -> Result<(), LedgerError> {
    let user = txn.user_id;
    let balance = move_balance(conn, tenant, user, -amount, Points::ZERO)?;
    let counter = counter_account(conn, tenant, counter)?;
    ledger::insert_postings(
        conn,
        tenant,
        txn.id,
        &[(balance.available_account_id, -amount), (counter, amount)],
    )?;
    consume(conn, tenant, txn, amount, preferred)
}

/// Takes `amount` from the participant's lots in consumption order.
pub(super) fn consume(
    conn: &mut PgConnection,
    tenant: TenantId,
    txn: &LedgerTransaction,
    amount: Points,
    preferred: Option<LotId>,
) -> Result<(), LedgerError> {
    let open = lots::open_lots_for_update(conn, tenant, txn.user_id)?;
    let plan = plan_consumption(&open, amount, preferred).ok_or_else(|| {
        LedgerError::Invariant(format!(
            "lots of user {} hold less than {amount}",
            txn.user_id
        ))
    })?;
    lots::consume_lots(conn, tenant, txn.id, &plan)?;
    Ok(())
}

pub(super) fn fresh(transaction: LedgerTransaction) -> Posted {
    Posted {
        transaction,
        replayed: false,
    }
}
