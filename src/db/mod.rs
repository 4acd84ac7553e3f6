//! Database access: the pool, the one place that takes a connection (`run`), migrations,
//! and one module per aggregate with its rows and tenant-scoped queries.

pub mod analytics;
pub mod analytics_roi;
pub mod api_keys;
pub mod api_views;
pub mod audit;
pub mod auth_tokens;
pub mod badges;
pub mod catalog;
pub mod challenges;
pub mod declarations;
pub mod form_submissions;
pub mod gdpr;
pub mod imports;
pub mod jobs;
pub mod leaderboard;
pub mod ledger;
pub mod login_attempts;
pub mod login_throttle;
pub mod migrate;
pub mod missions;
pub mod news;
pub mod notices;
pub mod opt_outs;
pub mod participants;
pub mod partners;
pub mod products;
pub mod rewards;
pub mod schema;
pub mod seed_scale;
pub mod segments;
pub mod sessions;
pub mod stock;
pub mod tenants;
pub mod tiers;
pub mod users;
pub mod webhooks;

use std::time::Duration;

use diesel::dsl::{AsSelect, Find, Limit, Select};
use diesel::pg::{Pg, PgConnection};
use diesel::query_builder::QueryId;
use diesel::query_dsl::methods::{FindDsl, LimitDsl, SelectDsl};
use diesel::query_dsl::LoadQuery;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::{QueryResult, RunQueryDsl, Selectable, SelectableHelper};

use crate::config::DatabaseSettings;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

#[derive(Debug, thiserror::Error)]
#[error("cannot connect to the database: {0}")]
pub struct ConnectError(String);

/// The row of `table` with this primary key (tenant first), as `R` selects it.
pub fn by_key<'q, T, K, R>(conn: &mut PgConnection, table: T, key: K) -> QueryResult<R>
where
    T: FindDsl<K>,
    Find<T, K>: SelectDsl<AsSelect<R, Pg>>,
    Select<Find<T, K>, AsSelect<R, Pg>>: LimitDsl + RunQueryDsl<PgConnection>,
    Limit<Select<Find<T, K>, AsSelect<R, Pg>>>: LoadQuery<'q, PgConnection, R>,
    R: Selectable<Pg>,
    R::SelectExpression: QueryId,
{
    table.find(key).select(R::as_select()).first(conn)
}

/// Whether a row is read `FOR UPDATE`: locked until the transaction ends, so that what is
/// decided from it (a debit, a link's use, a review) is decided once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    Unlocked,
    ForUpdate,
}

/// `$query.first($conn)`, read `FOR UPDATE` when `$lock` is `Lock::ForUpdate`. A macro, not
/// a function: diesel does not export the lock types a generic bound would have to name.
macro_rules! first_row {
    ($query:expr, $lock:expr, $conn:expr) => {
        match $lock {
            $crate::db::Lock::Unlocked => $query.first($conn),
            $crate::db::Lock::ForUpdate => $query.for_update().first($conn),
        }
    };
}
pub(crate) use first_row;

/// A stored upload's bytes and content type (a declaration proof, a mission photo: tables
/// with the same `bytes`, `content_type` and `thumbnail` columns), or with `$thumbnail`
/// its JPEG thumbnail; `None` when there is none.
macro_rules! upload_bytes {
    ($conn:expr, $table:ident, $key:expr, $thumbnail:expr) => {{
        let row = $table::table.find($key);
        if $thumbnail {
            row.select($table::thumbnail)
                .first::<Option<Vec<u8>>>($conn)
                .optional()
                .map(|found| found.flatten().map(|b| (b, "image/jpeg".to_string())))
        } else {
            row.select(($table::bytes, $table::content_type))
                .first::<(Vec<u8>, String)>($conn)
                .optional()
        }
    }};
}
pub(crate) use upload_bytes;

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

/// Like `run`, for a long read whose results leave as they are produced (CSV exports):
/// `f` runs on the blocking pool with a connection, in a repeatable-read, read-only
/// transaction (one consistent snapshot however long the download takes). The returned
/// future resolves once the connection is held (or with `RunError::Pool`), so that an
/// overloaded pool is still a 503 before any byte is sent; `f` carries on in the
/// background and reports its own failure (the download is then cut short).
pub async fn stream<F>(pool: &DbPool, f: F) -> Result<(), RunError<std::convert::Infallible>>
where
    F: FnOnce(&mut PgConnection) -> Result<(), diesel::result::Error> + Send + 'static,
{
    let pool = pool.clone();
    let span = tracing::Span::current();
    let (started, ready) = tokio::sync::oneshot::channel();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let mut conn = match pool.get() {
            Ok(conn) => conn,
            Err(e) => {
                let _ = started.send(Err(RunError::Pool(e)));
                return;
            }
        };
        let _ = started.send(Ok(()));
        let outcome = conn
            .build_transaction()
            .repeatable_read()
            .read_only()
            .run(|conn| f(conn));
        if let Err(error) = outcome {
            tracing::warn!(%error, "streamed read failed");
        }
    });
    ready.await.map_err(|_| RunError::Cancelled)?
}

/// Why `run` could not give an answer: no connection came free in time (overload), the
/// blocking task was lost, or the closure failed with its own error.
#[derive(Debug, thiserror::Error)]
pub enum RunError<E> {
    #[error("database pool: {0}")]
    Pool(#[source] r2d2::Error),
    #[error("the database task was cancelled")]
    Cancelled,
    #[error(transparent)]
    Failed(E),
}

/// Runs `f` with a pooled connection on the blocking thread pool, inside the caller's
/// tracing span. The only function that calls `pool.get()` in request handling: an
/// exhausted pool is `RunError::Pool` (a 503 on a page), never a blocked async worker.
pub async fn run<F, T, E>(pool: &DbPool, f: F) -> Result<T, RunError<E>>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let pool = pool.clone();
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        let mut conn = pool.get().map_err(RunError::Pool)?;
        f(&mut conn).map_err(RunError::Failed)
    })
    .await
    .map_err(|_| RunError::Cancelled)?
}
