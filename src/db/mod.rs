//! Database access: the pool, the one place that takes a connection (`run`), migrations,
//! and one module per aggregate with its rows and tenant-scoped queries.

pub mod audit;
pub mod auth_tokens;
pub mod catalog;
pub mod declarations;
pub mod imports;
pub mod jobs;
pub mod ledger;
pub mod login_attempts;
pub mod migrate;
pub mod participants;
pub mod partners;
pub mod products;
pub mod schema;
pub mod segments;
pub mod stock;
pub mod tenants;
pub mod users;

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};

use crate::config::DatabaseSettings;
use crate::error::AppError;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

#[derive(Debug, thiserror::Error)]
#[error("cannot connect to the database: {0}")]
pub struct ConnectError(String);

/// Builds the pool and checks that one connection can be made.
pub fn build_pool(settings: &DatabaseSettings) -> Result<DbPool, ConnectError> {
    let manager = ConnectionManager::<PgConnection>::new(&settings.url);
    Pool::builder()
        .max_size(settings.pool_size)
        .connection_timeout(Duration::from_millis(settings.connection_timeout_ms))
        .build(manager)
        .map_err(|e| ConnectError(first_line(&e.to_string())))
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}

/// Runs `f` with a pooled connection on the blocking thread pool, inside the caller's
/// tracing span. The only function that calls `pool.get()` in request handling: an
/// exhausted pool becomes a 503, never a blocked async worker.
pub async fn run<F, T, E>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: Into<AppError> + Send + 'static,
{
    let pool = pool.clone();
    let span = tracing::Span::current();
    let result = actix_web::web::block(move || {
        let _entered = span.enter();
        let mut conn = pool
            .get()
            .map_err(|e| AppError::Unavailable(format!("database pool: {e}")))?;
        f(&mut conn).map_err(Into::into)
    })
    .await
    .map_err(AppError::internal)?;
    result
}
