//! Builds the application: state, middleware stack and routes, bound to a listener.

use std::net::TcpListener;

use actix_files::Files;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::SessionMiddleware;
use actix_web::cookie::{time, Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders, ErrorHandlers};
use actix_web::{App, HttpServer};
use sha2::{Digest, Sha512};
use tera::Tera;
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::DbPool;
use crate::jobs::Worker;
use crate::services::storage::Storage;
use crate::web::session_store::{PgSessionStore, Timeouts};
use crate::web::{self, csrf, errors, identify};

/// Scripts only from our own files (no inline script, no `eval`); inline styles are
/// allowed for the tenant's colours, set as CSS variables in the layout.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// What every handler can reach.
pub struct AppState {
    pub settings: Settings,
    pub pool: DbPool,
    pub templates: Tera,
    pub storage: Storage,
    /// Requests of each API key, for its rate limit (in this instance's memory).
    pub api_limiter: web::api::RateLimiter,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Templates(#[from] crate::templates::TemplateError),
    #[error(transparent)]
    Storage(#[from] crate::services::storage::StorageError),
    #[error("cannot start the job worker: {0}")]
    Worker(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// The session key: 64 bytes derived from the configured secret.
fn session_key(settings: &Settings) -> Key {
    let digest = Sha512::digest(settings.security.secret_key.as_bytes());
    Key::from(digest.as_slice())
}

pub struct Application {
    port: u16,
    server: Server,
    worker: Option<Worker>,
}

impl Application {
    pub fn build(settings: Settings, pool: DbPool) -> Result<Self, StartError> {
        let addr = format!("{}:{}", settings.server.host, settings.server.port);
        let listener = TcpListener::bind(&addr).map_err(|source| StartError::Bind {
            addr: addr.clone(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?
            .port();
        let mut settings = settings;
        // Links in e-mails and printed URLs use the port actually bound (port 0 in tests).
        settings.server.public_port.get_or_insert(port);
        let templates = crate::templates::load(&settings)?;
        let worker = if settings.jobs.run_in_serve {
            Some(Worker::new(settings.clone(), pool.clone()).map_err(StartError::Worker)?)
        } else {
            None
        };
        let workers = settings.server.workers;
        let assets = settings.root.join("assets");
        let key = session_key(&settings);
        let secure = settings.security.secure_cookies;
        let development = settings.environment == crate::config::Environment::Development;
        let timeouts = Timeouts {
            idle: chrono::Duration::minutes(settings.security.session_idle_minutes),
            absolute: chrono::Duration::hours(settings.security.session_absolute_hours),
        };
        let store = PgSessionStore::new(pool.clone(), timeouts);
        let storage = Storage::from_settings(&settings.storage, &settings.root)?;
        let state = actix_web::web::Data::new(AppState {
            api_limiter: web::api::RateLimiter::new(&settings.api),
            settings,
            pool,
            templates,
            storage,
        });
        let server = HttpServer::new(move || {
            let session = SessionMiddleware::builder(store.clone(), key.clone())
                .cookie_name("relais_session".into())
                .cookie_secure(secure)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .cookie_content_security(CookieContentSecurity::Private)
                .session_lifecycle(
                    PersistentSession::default()
                        .session_ttl(time::Duration::seconds(timeouts.absolute.num_seconds())),
                )
                .build();
            App::new()
                .app_data(state.clone())
                .app_data(web::forms::multipart_config())
                .app_data(web::forms::form_config())
                .configure(web::routes)
                .configure(|cfg| {
                    if development {
                        web::dev_routes(cfg);
                    }
                })
                .service(
                    // URLs carry a fingerprint of the content (templates' `asset()`).
                    actix_web::web::scope("/assets")
                        .wrap(DefaultHeaders::new().add((
                            actix_web::http::header::CACHE_CONTROL,
                            "public, max-age=31536000, immutable",
                        )))
                        .service(Files::new("", assets.clone())),
                )
                // Inner to outer: CSRF and identify need the session; error pages need
                // what identify found and the session (still open inside it).
                .wrap(from_fn(csrf::protect))
                .wrap(from_fn(identify::identify))
                .wrap(ErrorHandlers::new().default_handler(errors::render_error_page))
                .wrap(session)
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("X-Frame-Options", "DENY"))
                        .add(("Referrer-Policy", "same-origin"))
                        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY)),
                )
                .wrap(from_fn(web::head_as_get))
                .wrap(Compress::default())
                .wrap(TracingLogger::default())
        })
        .listen(listener)
        .map_err(|source| StartError::Bind {
            addr: "listener".into(),
            source,
        })?;
        let server = match workers {
            Some(n) => server.workers(n),
            None => server,
        }
        .run();
        Ok(Self {
            port,
            server,
            worker,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped (Ctrl-C or SIGTERM: actix stops taking connections and lets
    /// requests in flight finish), with the job worker alongside when configured; the
    /// worker then finishes the jobs it holds before the process exits.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let worker = self
            .worker
            .map(|w| actix_web::rt::spawn(w.run_until(stopped)));
        let served = self.server.await;
        let _ = stop.send(true);
        if let Some(worker) = worker {
            if let Err(e) = worker.await {
                tracing::error!(error = %e, "the job worker ended abnormally");
            }
        }
        served
    }
}
