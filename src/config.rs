//! Typed settings: `config/default.toml`, then `config/{environment}.toml`, then
//! `RELAIS__SECTION__KEY` variables (and `DATABASE_URL`). Built once at start-up.

use std::path::Path;

use serde::Deserialize;

/// The secret shipped in `config/default.toml`; production refuses to start with it.
pub const DEFAULT_SECRET_KEY: &str =
    "relais-development-secret-key-change-me-in-production-0123456789abcdef";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Test,
    Production,
}

impl Environment {
    pub fn from_env() -> Result<Self, ConfigError> {
        match std::env::var("RELAIS_ENV").as_deref() {
            Err(_) | Ok("") | Ok("development") => Ok(Self::Development),
            Ok("test") => Ok(Self::Test),
            Ok("production") => Ok(Self::Production),
            Ok(other) => Err(ConfigError::Invalid(format!(
                "RELAIS_ENV must be development, test or production, not {other:?}"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Test => "test",
            Self::Production => "production",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    #[serde(skip, default = "default_environment")]
    pub environment: Environment,
    /// The folder holding `config/`, `templates/` and `assets/`.
    #[serde(skip)]
    pub root: std::path::PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub security: SecuritySettings,
    pub tenancy: TenancySettings,
    pub email: EmailSettings,
    pub jobs: JobSettings,
    pub storage: StorageSettings,
    #[serde(default)]
    pub api: ApiSettings,
}

/// The integration API's limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ApiSettings {
    /// Requests a key may send per minute (per application instance).
    pub requests_per_minute: u32,
    /// Requests a key may send at once above that pace.
    pub burst: u32,
}

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings {
            requests_per_minute: 6000,
            burst: 200,
        }
    }
}

fn default_environment() -> Environment {
    Environment::Development
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    /// Scheme used in printed and e-mailed links (`http` or `https`).
    pub public_scheme: String,
    /// Port shown in printed links; `None` means the listening port.
    pub public_port: Option<u16>,
    pub workers: Option<usize>,
}

#[derive(Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connection_timeout_ms: u64,
}

impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &"<redacted>")
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

#[derive(Clone, Deserialize)]
pub struct SecuritySettings {
    pub secret_key: String,
    /// Send the session cookie with `Secure` (always on in production).
    pub secure_cookies: bool,
    pub login_max_failures_per_account: i64,
    pub login_max_failures_per_ip: i64,
    pub login_window_minutes: i64,
    /// A session ends after this long without a request…
    pub session_idle_minutes: i64,
    /// …and this long after signing in, whatever happens.
    pub session_absolute_hours: i64,
}

impl std::fmt::Debug for SecuritySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecuritySettings")
            .field("secret_key", &"<redacted>")
            .field("secure_cookies", &self.secure_cookies)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct TenancySettings {
    /// Tenants are served at `{slug}.{base_domain}` unless they have a custom domain.
    pub base_domain: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailTransport {
    /// Write `.eml` files to `email.file_dir` (development).
    File,
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain SMTP (local relays and tests only).
    None,
    /// Upgrade with STARTTLS (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

#[derive(Clone, Deserialize)]
pub struct EmailSettings {
    pub transport: EmailTransport,
    pub file_dir: String,
    pub from_address: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_tls: SmtpTls,
    pub smtp_username: String,
    pub smtp_password: String,
    pub smtp_timeout_ms: u64,
}

impl std::fmt::Debug for EmailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailSettings")
            .field("transport", &self.transport)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_password", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct JobSettings {
    /// Run the job worker inside `relais serve` (else run `relais worker`).
    pub run_in_serve: bool,
    pub poll_interval_ms: u64,
    /// First retry delay; each further attempt doubles it.
    pub backoff_base_seconds: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    /// A directory (`storage.path`, relative to the working directory).
    Local,
    /// An S3-compatible bucket (a build with the `s3` feature); credentials from the
    /// usual `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` variables.
    S3,
}

/// Where media files (cover and example images, videos) are kept, and their limits.
#[derive(Debug, Clone, Deserialize)]
pub struct StorageSettings {
    pub backend: StorageBackend,
    pub path: String,
    #[serde(default)]
    pub bucket: String,
    #[serde(default)]
    pub endpoint: String,
    #[serde(default)]
    pub region: String,
    /// Largest video a marketer can upload.
    pub max_video_mb: usize,
    /// Largest cover or example image.
    pub max_image_mb: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration error: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration error: {0}")]
    Invalid(String),
}

impl Settings {
    /// Loads the settings for `RELAIS_ENV` from `config/` under `root`, then applies
    /// `overrides` (`("server.port", "0")`), used by tests.
    pub fn load_from(root: &Path, overrides: &[(&str, &str)]) -> Result<Self, ConfigError> {
        let environment = Environment::from_env()?;
        let dir = root.join("config");
        let mut builder = config::Config::builder()
            .add_source(config::File::from(dir.join("default.toml")))
            .add_source(
                config::File::from(dir.join(format!("{}.toml", environment.as_str())))
                    .required(false),
            )
            .add_source(
                config::Environment::with_prefix("RELAIS")
                    .prefix_separator("__")
                    .separator("__"),
            );
        if let Ok(url) = std::env::var("DATABASE_URL") {
            if !url.is_empty() {
                builder = builder.set_override("database.url", url)?;
            }
        }
        for (key, value) in overrides {
            builder = builder.set_override(*key, *value)?;
        }
        let mut settings: Settings = builder.build()?.try_deserialize()?;
        settings.environment = environment;
        settings.root = root.to_path_buf();
        settings.validate()?;
        Ok(settings)
    }

    /// Loads from the current directory, else from the crate's own folder.
    pub fn load() -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_default();
        if cwd.join("config/default.toml").exists() {
            Self::load_from(&cwd, &[])
        } else {
            Self::load_from(Path::new(env!("CARGO_MANIFEST_DIR")), &[])
        }
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.security.secret_key.len() < 64 {
            return Err(ConfigError::Invalid(
                "security.secret_key must be at least 64 characters".into(),
            ));
        }
        if self.environment == Environment::Production {
            if self.security.secret_key == DEFAULT_SECRET_KEY {
                return Err(ConfigError::Invalid(
                    "production refuses the default security.secret_key: set RELAIS__SECURITY__SECRET_KEY"
                        .into(),
                ));
            }
            if !self.security.secure_cookies {
                return Err(ConfigError::Invalid(
                    "production requires security.secure_cookies = true".into(),
                ));
            }
        }
        if self.database.url.is_empty() {
            return Err(ConfigError::Invalid(
                "no database: set DATABASE_URL or RELAIS__DATABASE__URL".into(),
            ));
        }
        Ok(())
    }

    /// The URL a person types to reach a tenant.
    pub fn tenant_url(&self, slug: &str, listening_port: u16) -> String {
        let port = self.server.public_port.unwrap_or(listening_port);
        let default_port = matches!(
            (self.server.public_scheme.as_str(), port),
            ("http", 80) | ("https", 443)
        );
        let host = format!("{slug}.{}", self.tenancy.base_domain);
        if default_port {
            format!("{}://{host}", self.server.public_scheme)
        } else {
            format!("{}://{host}:{port}", self.server.public_scheme)
        }
    }
}
