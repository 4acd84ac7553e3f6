//! Lots: points credited to a participant with their expiry, consumed by debits.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde::Serialize;

use crate::db::schema::{ledger_lot_uses, ledger_lots};
use crate::domain::ledger::{OpenLot, Points};
use crate::domain::{LotId, TenantId, TransactionId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = ledger_lots)]
pub struct Lot {
    pub id: LotId,
    pub user_id: UserId,
    pub transaction_id: TransactionId,
    pub amount: i64,
    pub remaining: i64,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub fn insert_lot(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    transaction: TransactionId,
    amount: Points,
    expires_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(ledger_lots::table)
        .values((
            ledger_lots::tenant_id.eq(tenant),
            ledger_lots::user_id.eq(user),
            ledger_lots::transaction_id.eq(transaction),
            ledger_lots::amount.eq(amount.0),
            ledger_lots::remaining.eq(amount.0),
            ledger_lots::expires_at.eq(expires_at),
            ledger_lots::created_at.eq(created_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A participant's lots with points left, in consumption order, locked.
pub fn open_lots_for_update(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<Vec<OpenLot>> {
    let rows: Vec<(LotId, i64)> = ledger_lots::table
        .filter(ledger_lots::tenant_id.eq(tenant))
        .filter(ledger_lots::user_id.eq(user))
        .filter(ledger_lots::remaining.gt(0_i64))
        .order((ledger_lots::expires_at.asc().nulls_last(), ledger_lots::id))
        .select((ledger_lots::id, ledger_lots::remaining))
        .for_update()
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, remaining)| OpenLot {
            id,
            remaining: Points(remaining),
        })
        .collect())
}

pub fn lot_of_transaction(
    conn: &mut PgConnection,
    tenant: TenantId,
    transaction: TransactionId,
) -> QueryResult<Option<LotId>> {
    ledger_lots::table
        .filter(ledger_lots::tenant_id.eq(tenant))
        .filter(ledger_lots::transaction_id.eq(transaction))
        .select(ledger_lots::id)
        .first(conn)
        .optional()
}

pub fn lot_for_update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: LotId,
) -> QueryResult<Option<Lot>> {
    ledger_lots::table
        .find((tenant, id))
        .select(Lot::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// Takes the planned points from each lot and records which transaction took them.
pub fn consume_lots(
    conn: &mut PgConnection,
    tenant: TenantId,
    transaction: TransactionId,
    plan: &[(LotId, Points)],
) -> QueryResult<()> {
    for &(lot, take) in plan {
        let n = diesel::update(
            ledger_lots::table
                .find((tenant, lot))
                .filter(ledger_lots::remaining.ge(take.0)),
        )
        .set(ledger_lots::remaining.eq(ledger_lots::remaining - take.0))
        .execute(conn)?;
        if n != 1 {
            return Err(diesel::result::Error::NotFound);
        }
    }
    super::insert_entries(conn, ledger_lot_uses::table, plan, |lot, amount| {
        (
            ledger_lot_uses::tenant_id.eq(tenant),
            ledger_lot_uses::transaction_id.eq(transaction),
            ledger_lot_uses::lot_id.eq(lot),
            ledger_lot_uses::amount.eq(amount),
        )
    })
}

/// Lots due to expire at `now` with points left, by id, after `after` (for paging).
pub fn due_lots(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
    after: LotId,
    limit: i64,
) -> QueryResult<Vec<(LotId, UserId)>> {
    ledger_lots::table
        .filter(ledger_lots::tenant_id.eq(tenant))
        .filter(ledger_lots::remaining.gt(0_i64))
        .filter(ledger_lots::expires_at.le(now))
        .filter(ledger_lots::id.gt(after))
        .order(ledger_lots::id)
        .limit(limit)
        .select((ledger_lots::id, ledger_lots::user_id))
        .load(conn)
}

/// Points left in a participant's lots that expire before `until`.
pub fn expiring_before(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    until: DateTime<Utc>,
) -> QueryResult<i64> {
    ledger_lots::table
        .filter(ledger_lots::tenant_id.eq(tenant))
        .filter(ledger_lots::user_id.eq(user))
        .filter(ledger_lots::remaining.gt(0_i64))
        .filter(ledger_lots::expires_at.le(until))
        .select(diesel::dsl::sql::<BigInt>(
            "COALESCE(SUM(remaining), 0)::bigint",
        ))
        .first(conn)
}
