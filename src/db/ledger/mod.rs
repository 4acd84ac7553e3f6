//! Ledger rows and their tenant-scoped queries. The rules (what to post, which lots to
//! consume) live in `domain::ledger`; the use cases in `services::ledger`.

pub mod admin;
pub mod checks;
pub mod earn;
pub mod lots;
pub mod reports;

pub use lots::Lot;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::query_builder::InsertStatement;
use diesel::query_dsl::methods::ExecuteDsl;
use diesel::sql_types::{BigInt, Text};
use serde::Serialize;

use super::schema::{
    ledger_accounts, ledger_balances, ledger_holds, ledger_postings, ledger_transactions, tenants,
};
use super::{by_key, first_row, Lock};
use crate::domain::ledger::{AccountKind, Points};
use crate::domain::{AccountId, HoldId, TenantId, TransactionId, UserId, Zone};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = ledger_transactions)]
pub struct LedgerTransaction {
    pub tenant_id: TenantId,
    pub id: TransactionId,
    pub kind: String,
    pub user_id: UserId,
    pub amount: i64,
    pub cause_type: Option<String>,
    pub cause_id: Option<i64>,
    pub reason: String,
    pub author_id: Option<UserId>,
    pub hold_id: Option<HoldId>,
    pub reverses: Option<TransactionId>,
    pub idempotency_key: String,
    pub request_fingerprint: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ledger_transactions)]
pub struct NewLedgerTransaction<'a> {
    pub tenant_id: TenantId,
    pub kind: &'a str,
    pub user_id: UserId,
    pub amount: i64,
    pub cause_type: Option<&'a str>,
    pub cause_id: Option<i64>,
    pub reason: &'a str,
    pub author_id: Option<UserId>,
    pub hold_id: Option<HoldId>,
    pub reverses: Option<TransactionId>,
    pub idempotency_key: &'a str,
    pub request_fingerprint: &'a str,
    pub created_at: DateTime<Utc>,
}

/// A participant's cached balance and the ids of their two accounts.
#[derive(Debug, Clone, Copy, Queryable, Selectable)]
#[diesel(table_name = ledger_balances)]
pub struct BalanceRow {
    pub user_id: UserId,
    pub available_account_id: AccountId,
    pub held_account_id: AccountId,
    pub available: i64,
    pub held: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = ledger_holds)]
pub struct Hold {
    pub id: HoldId,
    pub user_id: UserId,
    pub amount: i64,
    pub status: String,
    /// The capture or release.
    pub resolved_by: Option<TransactionId>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// Inserts a transaction unless its idempotency key is taken (then `None`). A concurrent
/// insert of the same key waits for the other to commit or roll back.
pub fn insert_transaction(
    conn: &mut PgConnection,
    new: &NewLedgerTransaction,
) -> QueryResult<Option<LedgerTransaction>> {
    diesel::insert_into(ledger_transactions::table)
        .values(new)
        .on_conflict(diesel::upsert::on_constraint(
            "ledger_transactions_idempotency_key",
        ))
        .do_nothing()
        .returning(LedgerTransaction::as_returning())
        .get_result(conn)
        .optional()
}

pub fn find_transaction_by_key(
    conn: &mut PgConnection,
    tenant: TenantId,
    key: &str,
) -> QueryResult<Option<LedgerTransaction>> {
    ledger_transactions::table
        .filter(ledger_transactions::tenant_id.eq(tenant))
        .filter(ledger_transactions::idempotency_key.eq(key))
        .select(LedgerTransaction::as_select())
        .first(conn)
        .optional()
}

pub fn find_transaction(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: TransactionId,
) -> QueryResult<Option<LedgerTransaction>> {
    by_key(conn, ledger_transactions::table, (tenant, id)).optional()
}

/// What an earn needs of its tenant, in one query: the expiry policy in months, the zone
/// expiry days are counted in, and the issuance account once it exists.
pub fn earn_context(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<(Option<i32>, Zone, Option<AccountId>)> {
    let (months, zone, issuance): (Option<i32>, String, Option<AccountId>) = tenants::table
        .left_join(
            ledger_accounts::table.on(ledger_accounts::tenant_id
                .eq(tenants::id)
                .and(ledger_accounts::kind.eq(AccountKind::Issuance.as_str()))
                .and(ledger_accounts::user_id.is_null())),
        )
        .filter(tenants::id.eq(tenant))
        .select((
            tenants::points_expiry_months,
            tenants::time_zone,
            ledger_accounts::id.nullable(),
        ))
        .first(conn)?;
    Ok((months, Zone::from_stored(&zone), issuance))
}

pub fn set_expiry_months(
    conn: &mut PgConnection,
    tenant: TenantId,
    months: Option<i32>,
) -> QueryResult<()> {
    diesel::update(tenants::table.find(tenant))
        .set(tenants::points_expiry_months.eq(months))
        .execute(conn)
        .map(|_| ())
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: AccountId,
}

/// The programme account of this kind, created on first use.
pub fn programme_account(
    conn: &mut PgConnection,
    tenant: TenantId,
    kind: AccountKind,
) -> QueryResult<AccountId> {
    let find = |conn: &mut PgConnection| {
        ledger_accounts::table
            .filter(ledger_accounts::tenant_id.eq(tenant))
            .filter(ledger_accounts::kind.eq(kind.as_str()))
            .filter(ledger_accounts::user_id.is_null())
            .select(ledger_accounts::id)
            .first::<AccountId>(conn)
            .optional()
    };
    if let Some(id) = find(conn)? {
        return Ok(id);
    }
    let created = diesel::sql_query(
        "INSERT INTO ledger_accounts (tenant_id, kind) VALUES ($1, $2)
         ON CONFLICT (tenant_id, kind) WHERE user_id IS NULL DO NOTHING RETURNING id",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Text, _>(kind.as_str())
    .get_result::<Id>(conn)
    .optional()?;
    match created {
        Some(row) => Ok(row.id),
        None => find(conn)?.ok_or(diesel::result::Error::NotFound),
    }
}

/// Creates a participant's accounts and balance row unless they exist.
pub fn ensure_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<()> {
    diesel::sql_query(
        "WITH created AS (
             INSERT INTO ledger_accounts (tenant_id, kind, user_id)
             VALUES ($1, 'available', $2), ($1, 'held', $2)
             ON CONFLICT ON CONSTRAINT ledger_accounts_user_kind_key DO NOTHING
             RETURNING id, kind)
         INSERT INTO ledger_balances (tenant_id, user_id, available_account_id, held_account_id)
         SELECT $1, $2, (SELECT id FROM created WHERE kind = 'available'),
                (SELECT id FROM created WHERE kind = 'held')
         WHERE EXISTS (SELECT 1 FROM created)
         ON CONFLICT DO NOTHING",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(user)
    .execute(conn)
    .map(|_| ())
}

/// Adds signed deltas to a participant's cached balance in one conditional UPDATE:
/// `None` when the row is missing or either balance would go below zero. Row-locks the
/// balance until commit, which serialises every movement of this participant.
pub fn apply_balance_delta(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    available: Points,
    held: Points,
) -> QueryResult<Option<BalanceRow>> {
    diesel::update(
        ledger_balances::table
            .find((tenant, user))
            .filter((ledger_balances::available + available.0).ge(0_i64))
            .filter((ledger_balances::held + held.0).ge(0_i64)),
    )
    .set((
        ledger_balances::available.eq(ledger_balances::available + available.0),
        ledger_balances::held.eq(ledger_balances::held + held.0),
    ))
    .returning(BalanceRow::as_returning())
    .get_result(conn)
    .optional()
}

/// A participant's balance (`None` before their first earn); locked, it serialises their
/// movements as `apply_balance_delta` does.
pub fn balance(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    lock: Lock,
) -> QueryResult<Option<BalanceRow>> {
    let query = ledger_balances::table
        .find((tenant, user))
        .select(BalanceRow::as_select());
    first_row!(query, lock, conn).optional()
}

/// Inserts a transaction's postings: (account, signed amount) pairs that sum to zero.
pub fn insert_postings(
    conn: &mut PgConnection,
    tenant: TenantId,
    transaction: TransactionId,
    postings: &[(AccountId, Points)],
) -> QueryResult<()> {
    insert_entries(conn, ledger_postings::table, postings, |account, amount| {
        (
            ledger_postings::tenant_id.eq(tenant),
            ledger_postings::transaction_id.eq(transaction),
            ledger_postings::account_id.eq(account),
            ledger_postings::amount.eq(amount),
        )
    })
}

/// Writes a transaction's rows in one of its detail tables (postings, lot uses): one per
/// (account or lot, points) pair, as `row` builds it from the id and the signed amount.
fn insert_entries<T, Id, R>(
    conn: &mut PgConnection,
    table: T,
    entries: &[(Id, Points)],
    row: impl Fn(Id, i64) -> R,
) -> QueryResult<()>
where
    T: Table,
    Id: Copy,
    Vec<R>: Insertable<T>,
    InsertStatement<T, <Vec<R> as Insertable<T>>::Values>: ExecuteDsl<PgConnection>,
{
    let rows: Vec<R> = entries
        .iter()
        .map(|&(id, points)| row(id, points.0))
        .collect();
    diesel::insert_into(table)
        .values(rows)
        .execute(conn)
        .map(|_| ())
}

pub fn postings_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    transaction: TransactionId,
) -> QueryResult<Vec<(AccountId, i64)>> {
    ledger_postings::table
        .filter(ledger_postings::tenant_id.eq(tenant))
        .filter(ledger_postings::transaction_id.eq(transaction))
        .select((ledger_postings::account_id, ledger_postings::amount))
        .order(ledger_postings::account_id)
        .load(conn)
}

pub fn insert_hold(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: HoldId,
    user: UserId,
    amount: Points,
) -> QueryResult<()> {
    diesel::insert_into(ledger_holds::table)
        .values((
            ledger_holds::tenant_id.eq(tenant),
            ledger_holds::id.eq(id),
            ledger_holds::user_id.eq(user),
            ledger_holds::amount.eq(amount.0),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find_hold(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: HoldId,
) -> QueryResult<Option<Hold>> {
    by_key(conn, ledger_holds::table, (tenant, id)).optional()
}

/// Marks a pending hold captured or released; `false` if it was no longer pending.
pub fn resolve_hold(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: HoldId,
    status: &str,
    by: TransactionId,
    at: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        ledger_holds::table
            .find((tenant, id))
            .filter(ledger_holds::status.eq("pending")),
    )
    .set((
        ledger_holds::status.eq(status),
        ledger_holds::resolved_by.eq(by),
        ledger_holds::resolved_at.eq(at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}
