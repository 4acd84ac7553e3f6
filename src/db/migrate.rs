//! Embedded migrations, run under an advisory lock so that two processes starting at
//! once do not race.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Arbitrary constant identifying the migration lock.
const MIGRATION_LOCK: i64 = 0x7265_6c61_6973;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies pending migrations; returns the versions applied.
pub fn run_pending(conn: &mut PgConnection) -> Result<Vec<String>, BoxError> {
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK)
        .execute(conn)?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.iter().map(|v| v.to_string()).collect::<Vec<_>>());
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK)
        .execute(conn)?;
    applied
}

/// The versions not yet applied.
pub fn pending(conn: &mut PgConnection) -> Result<Vec<String>, BoxError> {
    Ok(conn
        .pending_migrations(MIGRATIONS)?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect())
}
