//! What a participant sees (the balance, the statement) and what an admin sees (the
//! programme's liability).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::LedgerError;
use crate::db::ledger::{self, lots, reports};
use crate::db::tenants;
use crate::db::Lock;
use crate::domain::ledger::{Cause, CauseType, Points, TransactionId, TransactionKind};
use crate::domain::{Currency, TenantId, UserId};

/// Points expiring within this window are announced on the statement.
pub const EXPIRING_WINDOW: Duration = Duration::days(90);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub available: Points,
    pub held: Points,
    /// Points left in lots that expire within `EXPIRING_WINDOW` of now.
    pub expiring_soon: Points,
}

/// A period of movements, `[from, to)`; either end may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementLine {
    pub transaction: TransactionId,
    pub at: DateTime<Utc>,
    pub kind: TransactionKind,
    pub cause: Option<Cause>,
    pub reason: String,
    pub reverses: Option<TransactionId>,
    pub available_delta: Points,
    pub held_delta: Points,
    /// Running balances after this movement.
    pub available_after: Points,
    pub held_after: Points,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub balance: Balance,
    pub opening_available: Points,
    pub opening_held: Points,
    pub lines: Vec<StatementLine>,
}

/// The participant's balance now (zero if they never had points).
pub fn balance(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Balance, LedgerError> {
    snapshot(conn, |conn| current_balance(conn, tenant, user, now))
}

fn current_balance(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Balance, LedgerError> {
    let Some(row) = ledger::balance(conn, tenant, user, Lock::Unlocked)? else {
        return Ok(Balance::default());
    };
    Ok(Balance {
        available: Points(row.available),
        held: Points(row.held),
        expiring_soon: Points(lots::expiring_before(
            conn,
            tenant,
            user,
            now + EXPIRING_WINDOW,
        )?),
    })
}

/// Every movement of the participant in the period, with running balances.
pub fn statement(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Statement, LedgerError> {
    snapshot(conn, |conn| {
        let balance = current_balance(conn, tenant, user, now)?;
        let Some(row) = ledger::balance(conn, tenant, user, Lock::Unlocked)? else {
            return Ok(Statement {
                balance,
                opening_available: Points::ZERO,
                opening_held: Points::ZERO,
                lines: vec![],
            });
        };
        let accounts = (row.available_account_id, row.held_account_id);
        let (mut available, mut held) = match period.from {
            Some(from) => reports::balances_before(conn, tenant, accounts, from)?,
            None => (0, 0),
        };
        let (opening_available, opening_held) = (Points(available), Points(held));
        let movements = reports::movements(conn, tenant, user, accounts, period.from, period.to)?;
        let mut lines = Vec::with_capacity(movements.len());
        for m in movements {
            available += m.available_delta;
            held += m.held_delta;
            let kind = TransactionKind::parse(&m.kind)
                .ok_or_else(|| LedgerError::Invariant(format!("unknown kind {}", m.kind)))?;
            lines.push(StatementLine {
                transaction: m.id,
                at: m.created_at,
                kind,
                cause: m
                    .cause_type
                    .as_deref()
                    .and_then(CauseType::parse)
                    .map(|c| Cause {
                        kind: c,
                        id: m.cause_id,
                    }),
                reason: m.reason,
                reverses: m.reverses,
                available_delta: Points(m.available_delta),
                held_delta: Points(m.held_delta),
                available_after: Points(available),
                held_after: Points(held),
            });
        }
        Ok(Statement {
            balance,
            opening_available,
            opening_held,
            lines,
        })
    })
}

/// The programme's liability: points participants can spend, points on hold, what they
/// are worth in the tenant's currency, and the points left by the month (of the tenant's
/// zone) they expire in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Liability {
    pub available: Points,
    pub held: Points,
    /// (available + held) × the value of a point, in minor units of `currency`.
    pub value_minor: i64,
    pub currency: Currency,
    pub expiring_by_month: Vec<(NaiveDate, Points)>,
}

pub fn liability(conn: &mut PgConnection, tenant: TenantId) -> Result<Liability, LedgerError> {
    snapshot(conn, |conn| {
        let t = tenants::find(conn, tenant)?;
        let (available, held) = reports::outstanding(conn, tenant)?;
        let months = reports::expiring_by_month(conn, tenant, t.zone().name())?;
        Ok(Liability {
            available: Points(available),
            held: Points(held),
            value_minor: liability_value(available.saturating_add(held), t.point_value_minor),
            currency: t.currency(),
            expiring_by_month: months.into_iter().map(|(m, p)| (m, Points(p))).collect(),
        })
    })
}

/// Outstanding points × the value of one point (saturating: a report, never a ledger).
pub fn liability_value(points: i64, point_value_minor: i64) -> i64 {
    points.saturating_mul(point_value_minor)
}

/// Runs reads in one read-only snapshot, so that their figures agree.
fn snapshot<T>(
    conn: &mut PgConnection,
    f: impl FnOnce(&mut PgConnection) -> Result<T, LedgerError>,
) -> Result<T, LedgerError> {
    conn.build_transaction()
        .repeatable_read()
        .read_only()
        .run(f)
}
