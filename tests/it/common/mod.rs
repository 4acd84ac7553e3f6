//! Test harness: a real Postgres database per test (cloned from a migrated template),
//! the real application on port 0, and HTTP clients that keep cookies per host.
#![allow(dead_code)]

pub mod browser;
pub mod csv;
pub mod smtp;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::OnceLock;

/// How long a test client keeps an idle connection: less than the server's keep-alive
/// (actix's 5 s), so a client never sends on a connection the server is closing
/// (seen once as `IncompleteMessage` after a test waited 10 s for a webhook).
const IDLE: std::time::Duration = std::time::Duration::from_secs(2);

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use relais::config::Settings;
use relais::db::tenants::Tenant;
use relais::db::users::{User, UserChange};
use relais::db::{self, migrate, DbPool};
use relais::domain::{Locale, PartnerId, Role, TenantId, UserId};
use relais::services::accounts::{self, NewAccount};
use relais::services::regional::RegionalInput;
use relais::services::tenants::{self, NewTenantInput};
use relais::startup::Application;
use sha2::{Digest, Sha256};

pub const PASSWORD: &str = "correct-horse-battery";

fn admin_url() -> String {
    std::env::var("RELAIS_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!("RELAIS_TEST_DATABASE_URL is not set: run the tests with scripts/test")
    })
}

fn with_database(admin_url: &str, db: &str) -> String {
    let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
    format!("{base}/{db}")
}

/// A name that changes whenever a migration changes.
fn template_name() -> String {
    let mut files: Vec<_> = walk(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations"
    )));
    files.sort();
    let mut hasher = Sha256::new();
    for f in files {
        hasher.update(f.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&f).expect("read migration"));
    }
    format!("relais_tpl_{}", &hex::encode(hasher.finalize())[..12])
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).expect("read migrations dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Migrates the template database once per migration set, under an advisory lock.
fn template_database() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let admin = admin_url();
        let name = template_name();
        let mut conn = PgConnection::establish(&admin).expect("connect to the test cluster");
        diesel::sql_query("SELECT pg_advisory_lock(827341)")
            .execute(&mut conn)
            .expect("lock");
        let exists = diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
            .bind::<Text, _>(&name)
            .get_result::<Exists>(&mut conn)
            .expect("query pg_database")
            .n
            > 0;
        if !exists {
            let building = format!("{name}_building");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                .execute(&mut conn)
                .expect("drop");
            diesel::sql_query(format!("CREATE DATABASE {building}"))
                .execute(&mut conn)
                .expect("create template");
            {
                let mut tpl = PgConnection::establish(&with_database(&admin, &building))
                    .expect("connect template");
                migrate::run_pending(&mut tpl).expect("migrate template");
            }
            diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                .execute(&mut conn)
                .expect("rename");
        }
        diesel::sql_query("SELECT pg_advisory_unlock(827341)")
            .execute(&mut conn)
            .expect("unlock");
        name
    })
}

pub struct TestApp {
    pub port: u16,
    pub pool: DbPool,
    pub settings: Settings,
    pub db_name: String,
    pub database_url: String,
    /// Set by tests that make jobs fail on purpose (SMTP outages, retries).
    pub failing_jobs_expected: std::sync::atomic::AtomicBool,
}

#[derive(QueryableByName)]
struct FailedJob {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    error: String,
}

impl TestApp {
    /// This test makes jobs fail on purpose: do not fail it for that.
    pub fn expect_failing_jobs(&self) {
        self.failing_jobs_expected
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Jobs that failed at least once: a test that leaves them behind hides a bug. (A
    /// skipped e-mail, whose recipient turned it off, keeps why in `last_error`.)
    fn failed_jobs(&self) -> Vec<FailedJob> {
        let Ok(mut conn) = PgConnection::establish(&self.database_url) else {
            return vec![];
        };
        diesel::sql_query(
            "SELECT kind, coalesce(last_error, status) AS error FROM jobs
             WHERE status = 'failed' OR (last_error IS NOT NULL AND status <> 'skipped')",
        )
        .load(&mut conn)
        .unwrap_or_default()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let failed = if std::thread::panicking()
            || self
                .failing_jobs_expected
                .load(std::sync::atomic::Ordering::Relaxed)
        {
            vec![]
        } else {
            self.failed_jobs()
        };
        if let Ok(mut conn) = PgConnection::establish(&admin_url()) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.db_name
            ))
            .execute(&mut conn);
        }
        let described: Vec<String> = failed
            .iter()
            .map(|j| format!("{}: {}", j.kind, j.error))
            .collect();
        assert!(
            described.is_empty(),
            "the test left failed jobs behind: {described:#?}"
        );
    }
}

/// A fresh database cloned from the template, for tests that need no server.
pub fn fresh_database() -> (String, String) {
    let template = template_database();
    let mut suffix = [0u8; 6];
    rand::fill(&mut suffix);
    let db_name = format!("relais_test_{}", hex::encode(suffix));
    let mut conn = PgConnection::establish(&admin_url()).expect("connect to the test cluster");
    diesel::sql_query(format!("CREATE DATABASE {db_name} TEMPLATE {template}"))
        .execute(&mut conn)
        .expect("clone template");
    let url = with_database(&admin_url(), &db_name);
    (db_name, url)
}

pub fn test_settings(database_url: &str) -> Settings {
    Settings::load_from(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            ("database.url", database_url),
            ("server.port", "0"),
            ("server.host", "127.0.0.1"),
        ],
    )
    .expect("test settings")
}

/// The storage service of the test settings (a folder under `target/`).
pub fn test_storage() -> relais::services::storage::Storage {
    let settings = test_settings("postgres://unused");
    relais::services::storage::Storage::from_settings(&settings.storage, &settings.root)
        .expect("storage")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The application with some settings changed (environment, limits, transports).
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings)) -> TestApp {
    let (db_name, database_url) = fresh_database();
    let mut settings = test_settings(&database_url);
    change(&mut settings);
    let pool = db::build_pool(&settings.database).expect("pool");
    let app = Application::build(settings.clone(), pool.clone()).expect("build app");
    let port = app.port();
    settings.server.public_port = Some(port);
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp {
        port,
        pool,
        settings,
        db_name,
        database_url,
        failing_jobs_expected: std::sync::atomic::AtomicBool::new(false),
    }
}

pub type Conn = r2d2::PooledConnection<diesel::r2d2::ConnectionManager<PgConnection>>;

impl TestApp {
    pub fn conn(&self) -> Conn {
        self.pool.get().expect("test connection")
    }

    /// The storage service the app uses (media files), for seeds and checks.
    pub fn storage(&self) -> relais::services::storage::Storage {
        relais::services::storage::Storage::from_settings(
            &self.settings.storage,
            &self.settings.root,
        )
        .expect("storage")
    }

    /// `http://{host}:{port}{path}`.
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    /// A browser-like client for one host: keeps cookies, does not follow redirects.
    pub fn client(&self, host: &str) -> TestClient {
        let addr: SocketAddr = ([127, 0, 0, 1], self.port).into();
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(IDLE)
            .resolve(host, addr)
            .build()
            .expect("client");
        TestClient {
            http,
            base: self.url(host, ""),
        }
    }

    /// A client whose cookies can be read (to copy them, as a thief would).
    pub fn client_with_jar(
        &self,
        host: &str,
    ) -> (TestClient, std::sync::Arc<reqwest::cookie::Jar>) {
        let addr: SocketAddr = ([127, 0, 0, 1], self.port).into();
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(IDLE)
            .resolve(host, addr)
            .build()
            .expect("client");
        let client = TestClient {
            http,
            base: self.url(host, ""),
        };
        (client, jar)
    }

    /// A client that always sends this `Cookie` header and keeps nothing.
    pub fn client_with_cookie(&self, host: &str, cookie: &str) -> TestClient {
        let addr: SocketAddr = ([127, 0, 0, 1], self.port).into();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::COOKIE,
            reqwest::header::HeaderValue::from_str(cookie).expect("cookie header"),
        );
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(IDLE)
            .resolve(host, addr)
            .build()
            .expect("client");
        TestClient {
            http,
            base: self.url(host, ""),
        }
    }

    pub fn create_tenant(&self, slug: &str, name: &str) -> (Tenant, User) {
        self.create_tenant_in(slug, name, "UTC", "EUR")
    }

    /// A tenant working in this time zone and currency (`Asia/Jakarta`, `IDR`).
    pub fn create_tenant_in(
        &self,
        slug: &str,
        name: &str,
        time_zone: &str,
        currency: &str,
    ) -> (Tenant, User) {
        let email = format!("admin@{slug}.example");
        let input = NewTenantInput {
            slug,
            name,
            domains: &[],
            default_locale: Locale::En,
            regional: RegionalInput::new(time_zone, currency),
            admin: NewAccount {
                email: &email,
                display_name: "Admin",
                role: Role::Admin,
                password: Some(PASSWORD),
                locale: None,
            },
        };
        tenants::create_tenant(&mut self.conn(), &input).expect("create tenant")
    }

    pub fn create_user(&self, tenant: &Tenant, role: Role, email: &str, name: &str) -> User {
        let account = NewAccount {
            email,
            display_name: name,
            role,
            password: Some(PASSWORD),
            locale: None,
        };
        accounts::create_user(&mut self.conn(), tenant.tenant_id(), &account).expect("create user")
    }

    /// Makes a participant a member of a partner; the user as saved.
    pub fn join_partner(&self, tenant: TenantId, user: UserId, partner: PartnerId) -> User {
        let change = UserChange {
            partner_id: Some(Some(partner)),
            ..UserChange::default()
        };
        relais::db::users::update(&mut self.conn(), tenant, user, &change).expect("join partner")
    }

    /// The partner with this external code, created (a pharmacy in Île-de-France) if missing.
    pub fn create_partner(&self, tenant: &Tenant, code: &str) -> relais::db::partners::Partner {
        if let Some(p) =
            relais::db::partners::by_codes(&mut self.conn(), tenant.tenant_id(), &[code])
                .unwrap()
                .remove(code)
        {
            return p;
        }
        let input = relais::services::partners::PartnerInput {
            external_code: code.into(),
            name: format!("Pharmacie {code}"),
            kind: "reseller".into(),
            brand_mode: "multi".into(),
            region: "Île-de-France".into(),
            country: "FR".into(),
            tier: "Gold".into(),
            potential: "3".into(),
        };
        let actor = relais::services::audit::Actor::system("test");
        relais::services::partners::create(&mut self.conn(), tenant.tenant_id(), &actor, &input)
            .expect("create partner")
    }

    /// A job worker like the one `serve` runs, sending e-mail to `smtp_port`.
    pub fn worker(&self, smtp_port: u16) -> relais::jobs::Worker {
        let mut settings = self.settings.clone();
        settings.email.smtp_port = smtp_port;
        relais::jobs::Worker::new(settings, self.pool.clone()).expect("worker")
    }

    pub fn host(&self, tenant: &Tenant) -> String {
        format!("{}.{}", tenant.slug, self.settings.tenancy.base_domain)
    }
}

pub struct TestClient {
    pub http: reqwest::Client,
    pub base: String,
}

pub struct Page {
    pub status: reqwest::StatusCode,
    pub location: Option<String>,
    pub body: String,
}

/// Keeps every distinct HTML page a test renders in `RELAIS_SAVE_PAGES` (set by
/// `scripts/test`), where the Nu HTML checker reads them after the run. Tokens are left
/// out of the name, so the same page rendered twice is checked once.
fn save_for_the_html_checker(body: &str) {
    use std::hash::{Hash, Hasher};
    let Ok(dir) = std::env::var("RELAIS_SAVE_PAGES") else {
        return;
    };
    let token = without_hidden_inputs(body);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    token.hash(&mut h);
    let path = std::path::Path::new(&dir).join(format!("{:016x}.html", h.finish()));
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("pages directory");
        std::fs::write(&path, body).expect("save a page");
    }
}

/// The page without the values of hidden inputs (CSRF and form tokens change per render).
fn without_hidden_inputs(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find("type=\"hidden\"") {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let end = tail.find('>').unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

impl Page {
    async fn from(res: reqwest::Response) -> Page {
        let status = res.status();
        let location = res
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|v| v.to_str().expect("location").to_string());
        let is_html = res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let body = res.text().await.expect("body");
        if is_html {
            save_for_the_html_checker(&body);
        }
        Page {
            status,
            location,
            body,
        }
    }

    /// The value of the first hidden `csrf_token` field.
    pub fn csrf_token(&self) -> Option<String> {
        self.input_value("csrf_token")
    }

    /// The value of the first `<input name=…>` (a hidden token, say).
    pub fn input_value(&self, name: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let sel = scraper::Selector::parse(&format!(r#"input[name="{name}"]"#)).ok()?;
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .map(str::to_string)
    }

    /// Texts of the elements matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let sel = scraper::Selector::parse(selector).expect("selector");
        doc.select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }
}

impl TestClient {
    pub async fn get(&self, path: &str) -> Page {
        Page::from(
            self.http
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    /// The session's CSRF token, read from a page as a browser would.
    pub async fn csrf(&self) -> String {
        let page = self.get("/login").await;
        let page = match page.location {
            Some(loc) => self.get(&loc).await,
            None => page,
        };
        page.csrf_token().expect("a page with a CSRF token")
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_form_raw(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .expect("POST");
        Page::from(res).await
    }

    /// A multipart form that starts with the session's CSRF token, as the app's forms
    /// do (the CSRF check reads only the first part of an upload).
    pub async fn multipart_form(&self) -> reqwest::multipart::Form {
        let token = self.csrf().await;
        reqwest::multipart::Form::new().text("csrf_token", token)
    }

    /// Posts a multipart form built with `multipart_form`.
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Page {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .expect("POST multipart");
        Page::from(res).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.post_form(
            "/login",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }
}

pub const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];
