//! Structured logs: JSON in production, human-readable elsewhere. Each request gets a
//! span with a request id (tracing-actix-web).

use tracing_subscriber::{fmt, EnvFilter};

use crate::config::Environment;

pub fn init(environment: Environment) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // `try_init` so that tests, which build several apps in one process, do not panic.
    let _ = match environment {
        Environment::Production => builder.json().try_init(),
        _ => builder.compact().try_init(),
    };
}
