//! The ledger's invariants as queries: each returns the rows that break one. Run them in
//! one repeatable-read transaction so that they see a single snapshot.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::domain::TenantId;

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Offence {
    #[diesel(sql_type = BigInt)]
    pub tenant_id: TenantId,
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub detail: String,
}

/// (invariant, what the offending id names, query). `$1` is the tenant or NULL for all.
pub const CHECKS: &[(&str, &str, &str)] = &[
    (
        "postings sum to zero",
        "transaction",
        "SELECT t.tenant_id, t.id,
                format('%s posting(s) summing to %s', count(p.amount), COALESCE(SUM(p.amount), 0))
                    AS detail
         FROM ledger_transactions t
         LEFT JOIN ledger_postings p ON p.tenant_id = t.tenant_id AND p.transaction_id = t.id
         WHERE $1::bigint IS NULL OR t.tenant_id = $1
         GROUP BY t.tenant_id, t.id
         HAVING COALESCE(SUM(p.amount), 0) <> 0 OR count(p.amount) < 2",
    ),
    (
        "cached balances equal postings",
        "participant",
        "SELECT b.tenant_id, b.user_id AS id,
                format('cached %s available / %s held, postings %s / %s',
                       b.available, b.held, a.s, h.s) AS detail
         FROM ledger_balances b
         CROSS JOIN LATERAL (SELECT COALESCE(SUM(amount), 0) AS s FROM ledger_postings
             WHERE tenant_id = b.tenant_id AND account_id = b.available_account_id) a
         CROSS JOIN LATERAL (SELECT COALESCE(SUM(amount), 0) AS s FROM ledger_postings
             WHERE tenant_id = b.tenant_id AND account_id = b.held_account_id) h
         WHERE ($1::bigint IS NULL OR b.tenant_id = $1) AND (b.available <> a.s OR b.held <> h.s)",
    ),
    (
        "participant accounts belong to their balance",
        "participant",
        "SELECT b.tenant_id, b.user_id AS id, 'accounts of another owner or kind' AS detail
         FROM ledger_balances b
         JOIN ledger_accounts a ON a.tenant_id = b.tenant_id AND a.id = b.available_account_id
         JOIN ledger_accounts h ON h.tenant_id = b.tenant_id AND h.id = b.held_account_id
         WHERE ($1::bigint IS NULL OR b.tenant_id = $1)
           AND (a.user_id <> b.user_id OR a.kind <> 'available'
                OR h.user_id <> b.user_id OR h.kind <> 'held')",
    ),
    (
        "no negative balance",
        "participant",
        "SELECT b.tenant_id, b.user_id AS id,
                format('%s available, %s held', b.available, b.held) AS detail
         FROM ledger_balances b
         WHERE ($1::bigint IS NULL OR b.tenant_id = $1) AND (b.available < 0 OR b.held < 0)",
    ),
    (
        "every hold resolved at most once",
        "hold",
        "SELECT h.tenant_id, h.id,
                format('status %s, resolved by %s, %s resolution(s)',
                       h.status, h.resolved_by, count(t.id)) AS detail
         FROM ledger_holds h
         LEFT JOIN ledger_transactions t ON t.tenant_id = h.tenant_id AND t.hold_id = h.id
         WHERE $1::bigint IS NULL OR h.tenant_id = $1
         GROUP BY h.tenant_id, h.id
         HAVING count(t.id) > 1
             OR (h.status = 'pending') <> (count(t.id) = 0)
             OR (count(t.id) = 1 AND NOT bool_and(t.id = h.resolved_by AND t.kind =
                 CASE h.status WHEN 'captured' THEN 'capture' ELSE 'release' END))",
    ),
    (
        "every hold transaction has its hold",
        "transaction",
        "SELECT t.tenant_id, t.id, 'no hold row' AS detail
         FROM ledger_transactions t
         WHERE ($1::bigint IS NULL OR t.tenant_id = $1) AND t.kind = 'hold'
           AND NOT EXISTS (SELECT 1 FROM ledger_holds h
                           WHERE h.tenant_id = t.tenant_id AND h.id = t.id)",
    ),
    (
        "held balance equals pending holds",
        "participant",
        "SELECT b.tenant_id, b.user_id AS id,
                format('held %s, pending holds %s', b.held, p.s) AS detail
         FROM ledger_balances b
         CROSS JOIN LATERAL (SELECT COALESCE(SUM(amount), 0) AS s FROM ledger_holds
             WHERE tenant_id = b.tenant_id AND user_id = b.user_id AND status = 'pending') p
         WHERE ($1::bigint IS NULL OR b.tenant_id = $1) AND b.held <> p.s",
    ),
    (
        "a lot's remaining is its amount less its uses",
        "lot",
        "SELECT l.tenant_id, l.id,
                format('amount %s, used %s, remaining %s', l.amount, u.s, l.remaining) AS detail
         FROM ledger_lots l
         CROSS JOIN LATERAL (SELECT COALESCE(SUM(amount), 0) AS s FROM ledger_lot_uses
             WHERE tenant_id = l.tenant_id AND lot_id = l.id) u
         WHERE ($1::bigint IS NULL OR l.tenant_id = $1)
           AND (l.remaining <> l.amount - u.s OR l.remaining < 0)",
    ),
    (
        "lots made and used match each transaction's participant postings",
        "transaction",
        "WITH net AS (
             SELECT p.tenant_id, p.transaction_id, SUM(p.amount) AS s
             FROM ledger_postings p
             JOIN ledger_accounts a ON a.tenant_id = p.tenant_id AND a.id = p.account_id
             WHERE a.user_id IS NOT NULL GROUP BY 1, 2),
         made AS (SELECT tenant_id, transaction_id, SUM(amount) AS s FROM ledger_lots GROUP BY 1, 2),
         used AS (SELECT tenant_id, transaction_id, SUM(amount) AS s FROM ledger_lot_uses
                  GROUP BY 1, 2)
         SELECT t.tenant_id, t.id,
                format('participant net %s, lots made %s, used %s',
                       COALESCE(net.s, 0), COALESCE(made.s, 0), COALESCE(used.s, 0)) AS detail
         FROM ledger_transactions t
         LEFT JOIN net ON net.tenant_id = t.tenant_id AND net.transaction_id = t.id
         LEFT JOIN made ON made.tenant_id = t.tenant_id AND made.transaction_id = t.id
         LEFT JOIN used ON used.tenant_id = t.tenant_id AND used.transaction_id = t.id
         WHERE ($1::bigint IS NULL OR t.tenant_id = $1)
           AND COALESCE(net.s, 0) <> COALESCE(made.s, 0) - COALESCE(used.s, 0)",
    ),
    (
        "lots left equal available plus held",
        "participant",
        // Lots summed in one pass (a lookup per participant scans every lot: only the
        // open ones are indexed by participant).
        "SELECT b.tenant_id, b.user_id AS id,
                format('lots %s, available + held %s', COALESCE(l.s, 0), b.available + b.held)
                    AS detail
         FROM ledger_balances b
         LEFT JOIN (SELECT tenant_id, user_id, SUM(remaining) AS s FROM ledger_lots
                    WHERE $1::bigint IS NULL OR tenant_id = $1 GROUP BY 1, 2) l
                ON l.tenant_id = b.tenant_id AND l.user_id = b.user_id
         WHERE ($1::bigint IS NULL OR b.tenant_id = $1)
           AND COALESCE(l.s, 0) <> b.available + b.held",
    ),
];

pub fn run_check(
    conn: &mut PgConnection,
    query: &str,
    tenant: Option<TenantId>,
) -> QueryResult<Vec<Offence>> {
    diesel::sql_query(query)
        .bind::<Nullable<BigInt>, _>(tenant)
        .load(conn)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// How many transactions the checks looked at.
pub fn count_transactions(conn: &mut PgConnection, tenant: Option<TenantId>) -> QueryResult<i64> {
    diesel::sql_query(
        "SELECT count(*) AS n FROM ledger_transactions WHERE $1::bigint IS NULL OR tenant_id = $1",
    )
    .bind::<Nullable<BigInt>, _>(tenant)
    .get_result::<Count>(conn)
    .map(|c| c.n)
}
