//! The bulk generator behind `relais seed-scale`: set-based SQL (`INSERT … SELECT` over
//! `generate_series`) run on one connection inside the caller's transaction. Each step
//! reads its parameters from transaction-local settings (`seed.*`) and leaves temporary
//! tables (dropped at commit) for the next ones.

use crate::domain::TenantId;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

/// The steps, in order: (what it makes, its SQL).
pub const STEPS: &[(&str, &str)] = &[
    ("parameters", include_str!("00_setup.sql")),
    (
        "partners, products, users, segments",
        include_str!("01_network.sql"),
    ),
    (
        "declarations and their lines",
        include_str!("02_declarations.sql"),
    ),
    (
        "ledger, decisions and audit log",
        include_str!("03_ledger.sql"),
    ),
    ("sell-in and opening stock", include_str!("04_sell_in.sql")),
    ("analytics aggregates", include_str!("05_analytics.sql")),
];

/// The tables the generator fills, vacuumed and analysed once committed.
pub const TABLES: &[&str] = &[
    "partners",
    "products",
    "users",
    "segments",
    "segment_partners",
    "declarations",
    "declaration_lines",
    "declaration_decisions",
    "ledger_accounts",
    "ledger_balances",
    "ledger_transactions",
    "ledger_postings",
    "ledger_lots",
    "ledger_lot_uses",
    "audit_events",
    "sell_in",
    "opening_stock",
    "sellout_weekly",
    "participant_activity_weekly",
];

/// Sets `seed.<name>` for the rest of the transaction.
pub fn set_param(conn: &mut PgConnection, name: &str, value: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT set_config($1, $2, true)")
        .bind::<Text, _>(format!("seed.{name}"))
        .bind::<Text, _>(value)
        .execute(conn)
        .map(|_| ())
}

pub fn run_step(conn: &mut PgConnection, sql: &str) -> QueryResult<()> {
    conn.batch_execute(sql)
}

/// Refreshes the planner's statistics and the visibility map (for index-only scans) of
/// the generated tables. Outside a transaction.
pub fn vacuum_analyze(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute(&format!("VACUUM (ANALYZE) {}", TABLES.join(", ")))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Rows of a generated table that belong to the tenant.
pub fn count(conn: &mut PgConnection, table: &str, tenant: TenantId) -> QueryResult<i64> {
    // `table` is one of `TABLES`, never input.
    debug_assert!(TABLES.contains(&table));
    diesel::sql_query(format!(
        "SELECT count(*) AS n FROM {table} WHERE tenant_id = $1"
    ))
    .bind::<diesel::sql_types::BigInt, _>(tenant)
    .get_result::<Count>(conn)
    .map(|c| c.n)
}
