//! An earn in one statement: the transaction row, the participant's balance, the two
//! postings and the lot, written by data-modifying CTEs in a single round trip, as a
//! prepared statement that each connection plans once. It does nothing (and returns no
//! row) unless the participant's balance and the issuance account exist and the key is
//! new: the caller then takes the general path (first earn, or a replayed key).

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};

use super::{LedgerTransaction, NewLedgerTransaction};
use crate::db::schema::ledger_transactions;

/// `{name}` marks where a value of the new transaction is bound. The lot's expiry is
/// `domain::ledger::ExpiryPolicy::expires_at`: the start of the same local day (in the
/// tenant's zone) whole months after the earn.
const SQL: &str = "WITH ctx AS (
    SELECT t.points_expiry_months AS months, t.time_zone AS zone, a.id AS issuance
    FROM tenants t
    JOIN ledger_accounts a ON a.tenant_id = t.id AND a.kind = 'issuance' AND a.user_id IS NULL
    WHERE t.id = {tenant}
      AND EXISTS (SELECT 1 FROM ledger_balances b
                  WHERE b.tenant_id = {tenant} AND b.user_id = {user})
), txn AS (
    INSERT INTO ledger_transactions (tenant_id, kind, user_id, amount, cause_type, cause_id,
        reason, author_id, idempotency_key, request_fingerprint, created_at)
    SELECT {tenant}, 'earn', {user}, {amount}, {cause_type}, {cause_id}, {reason}, {author},
           {key}, {print}, {at}
    FROM ctx
    ON CONFLICT ON CONSTRAINT ledger_transactions_idempotency_key DO NOTHING
    RETURNING tenant_id, id, kind, user_id, amount, cause_type, cause_id, reason, author_id,
              hold_id, reverses, idempotency_key, request_fingerprint, created_at
), balance AS (
    UPDATE ledger_balances b SET available = b.available + {amount}
    FROM txn WHERE b.tenant_id = {tenant} AND b.user_id = {user}
    RETURNING b.available_account_id
), postings AS (
    INSERT INTO ledger_postings (tenant_id, transaction_id, account_id, amount)
    SELECT {tenant}, txn.id, balance.available_account_id, {amount} FROM txn, balance
    UNION ALL
    SELECT {tenant}, txn.id, ctx.issuance, - {amount} FROM txn, balance, ctx
), lot AS (
    INSERT INTO ledger_lots (tenant_id, user_id, transaction_id, amount, remaining,
                             expires_at, created_at)
    SELECT {tenant}, {user}, txn.id, {amount}, {amount},
           (date_trunc('day', txn.created_at AT TIME ZONE ctx.zone)
               + make_interval(months => ctx.months)) AT TIME ZONE ctx.zone,
           txn.created_at
    FROM txn, balance, ctx
)
SELECT txn.* FROM txn, balance";

/// The statement as diesel sees it: a query with a fixed type id, so that diesel keeps
/// it prepared per connection (its `sql_query` and upserts are re-planned every time).
pub struct EarnInOne<'a> {
    pub new: &'a NewLedgerTransaction<'a>,
}

pub struct EarnInOneId;

impl QueryId for EarnInOne<'_> {
    type QueryId = EarnInOneId;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for EarnInOne<'_> {
    type SqlType = ledger_transactions::SqlType;
}

impl RunQueryDsl<PgConnection> for EarnInOne<'_> {}

impl QueryFragment<Pg> for EarnInOne<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let n = self.new;
        let mut rest = SQL;
        while let Some(open) = rest.find('{') {
            out.push_sql(&rest[..open]);
            let close = rest[open..]
                .find('}')
                .map(|i| open + i)
                .ok_or_else(|| placeholder_error("an unclosed placeholder"))?;
            match &rest[open + 1..close] {
                "tenant" => out.push_bind_param::<BigInt, _>(&n.tenant_id)?,
                "user" => out.push_bind_param::<BigInt, _>(&n.user_id)?,
                "amount" => out.push_bind_param::<BigInt, _>(&n.amount)?,
                "cause_type" => out.push_bind_param::<Nullable<Text>, _>(&n.cause_type)?,
                "cause_id" => out.push_bind_param::<Nullable<BigInt>, _>(&n.cause_id)?,
                "reason" => out.push_bind_param::<Text, _>(&n.reason)?,
                "author" => out.push_bind_param::<Nullable<BigInt>, _>(&n.author_id)?,
                "key" => out.push_bind_param::<Text, _>(&n.idempotency_key)?,
                "print" => out.push_bind_param::<Text, _>(&n.request_fingerprint)?,
                "at" => out.push_bind_param::<Timestamptz, _>(&n.created_at)?,
                _ => return Err(placeholder_error("an unknown placeholder")),
            }
            rest = &rest[close + 1..];
        }
        out.push_sql(rest);
        Ok(())
    }
}

fn placeholder_error(what: &'static str) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("earn statement: {what}").into())
}

/// Earns in one statement; `None` when it did nothing (see the module's comment).
pub fn earn_in_one(
    conn: &mut PgConnection,
    new: &NewLedgerTransaction,
) -> QueryResult<Option<LedgerTransaction>> {
    EarnInOne { new }.get_result(conn).optional()
}
