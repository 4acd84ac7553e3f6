//! The tenancy rule on the migrated schema: every tenant-owned table leads its primary
//! key, unique constraints and foreign keys with tenant_id (see architecture.md).

use crate::common;

use diesel::prelude::*;
use diesel::sql_types::Text;

#[derive(QueryableByName)]
struct Violation {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
    #[diesel(sql_type = Text)]
    first_column: String,
}

#[test]
fn tenant_id_leads_every_key_of_tenant_owned_tables() {
    let (_db, url) = common::fresh_database();
    let mut conn = PgConnection::establish(&url).unwrap();
    let violations: Vec<Violation> = diesel::sql_query(
        "SELECT c.conrelid::regclass::text AS table_name, c.conname::text AS constraint_name,
                a.attname::text AS first_column
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype IN ('p', 'u', 'f')
           AND c.connamespace = 'public'::regnamespace
           AND c.conrelid::regclass::text NOT IN ('tenants', 'tenant_domains', 'web_sessions', 'login_throttle', '__diesel_schema_migrations')
           AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.conrelid AND t.attname = 'tenant_id')
           AND a.attname <> 'tenant_id'
           -- A foreign key to the tenants table itself is the tenant_id column.
           AND NOT (c.contype = 'f' AND c.confrelid = 'tenants'::regclass)",
    )
    .load(&mut conn)
    .unwrap();
    let described: Vec<String> = violations
        .iter()
        .map(|v| {
            format!(
                "{}.{} starts with {}",
                v.table_name, v.constraint_name, v.first_column
            )
        })
        .collect();
    assert!(
        described.is_empty(),
        "keys not led by tenant_id: {described:#?}"
    );

    let missing: Vec<Violation> = diesel::sql_query(
        "SELECT c.relname::text AS table_name, ''::text AS constraint_name, ''::text AS first_column
         FROM pg_class c
         WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
           AND c.relname NOT IN ('tenants', 'tenant_domains', 'web_sessions', 'login_throttle', '__diesel_schema_migrations')
           AND NOT EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id')",
    )
    .load(&mut conn)
    .unwrap();
    let tables: Vec<&str> = missing.iter().map(|v| v.table_name.as_str()).collect();
    assert!(tables.is_empty(), "tables without tenant_id: {tables:?}");
}

#[test]
fn every_migration_can_be_reverted_and_reapplied() {
    use diesel_migrations::MigrationHarness;
    let (_db, url) = common::fresh_database();
    let mut conn = PgConnection::establish(&url).unwrap();
    conn.revert_all_migrations(relais::db::migrate::MIGRATIONS)
        .unwrap();
    let applied = relais::db::migrate::run_pending(&mut conn).unwrap();
    assert!(!applied.is_empty());
}
