//! The `relais` command line. Every failure ends in one line on stderr and a non-zero
//! exit code, never a panic trace.

mod analytics;
mod api_key;
mod badges;
mod import;
mod ledger;
mod seed_scale;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use diesel::pg::PgConnection;

use crate::config::Settings;
use crate::db::{self, migrate, DbPool};
use crate::domain::{Locale, Role};
use crate::services::accounts::{self, NewAccount};
use crate::services::regional::RegionalInput;
use crate::services::{demo, passwords, tenants, ServiceError};
use crate::startup::Application;

#[derive(Parser)]
#[command(
    name = "relais",
    version,
    about = "Relais: whitelabel partner incentive and loyalty platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application.
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Run the job worker (e-mails, scheduled jobs) without serving HTTP.
    Worker,
    /// Create a tenant (a brand) with its first admin.
    CreateTenant {
        /// Subdomain label: the tenant answers at {slug}.{base_domain}.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// Custom domain(s) the tenant also answers at.
        #[arg(long = "domain")]
        domains: Vec<String>,
        /// Default language: en, fr or id.
        #[arg(long, default_value = "en")]
        locale: String,
        /// IANA time zone the brand works in (dates shown, days counted): Europe/Paris.
        #[arg(long, default_value = "UTC")]
        time_zone: String,
        /// ISO 4217 currency of its amounts: EUR, IDR, USD…
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// What one point is worth, in the currency (0.01): for the liability report.
        #[arg(long, default_value = "0")]
        point_value: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_name: String,
        /// Password of the first admin; generated and printed when omitted.
        #[arg(long, env = "RELAIS_ADMIN_PASSWORD")]
        admin_password: Option<String>,
    },
    /// Create a user in a tenant.
    CreateUser {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// participant, marketer or admin.
        #[arg(long, default_value = "participant")]
        role: String,
        /// Generated and printed when omitted.
        #[arg(long, env = "RELAIS_USER_PASSWORD")]
        password: Option<String>,
    },
    /// Create the demo tenant "Respire" (idempotent) and print its logins.
    SeedDemo,
    /// Create a tenant at the scale of a large programme, for benchmarks (see
    /// `scripts/bench pages`); refused if the tenant exists.
    SeedScale(seed_scale::SeedScaleArgs),
    /// Import partners, participants, products, sell-in, opening stock or sell-out
    /// declarations from a CSV file (see the studio's Imports page for the columns).
    /// Nothing is written unless every row is valid.
    Import {
        kind: import::KindArg,
        file: std::path::PathBuf,
        /// The tenant's slug.
        #[arg(long)]
        tenant: String,
    },
    /// Award the badges a tenant's history already earned (idempotent).
    BadgesBackfill {
        /// The tenant's slug.
        #[arg(long)]
        tenant: String,
    },
    /// Recompute a tenant's analytics aggregates from its raw rows.
    AnalyticsRebuild {
        /// The tenant's slug.
        #[arg(long)]
        tenant: String,
    },
    /// API keys of a tenant: create (the secret printed once), list, revoke.
    ApiKey {
        #[command(subcommand)]
        command: api_key::ApiKeyCommand,
    },
    /// The points ledger: verify its invariants, run expiry.
    Ledger {
        #[command(subcommand)]
        command: ledger::LedgerCommand,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("relais: {}", one_line(&message));
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    let settings = Settings::load().map_err(|e| e.to_string())?;
    crate::telemetry::init(settings.environment);
    let pool = db::build_pool(&settings.database).map_err(|e| e.to_string())?;
    match command {
        Command::Serve => serve(settings, pool),
        Command::Ledger { command } => ledger::run(&pool, command),
        Command::ApiKey { command } => api_key::run(&pool, command),
        Command::BadgesBackfill { tenant } => badges::backfill(&pool, &tenant),
        Command::AnalyticsRebuild { tenant } => analytics::rebuild(&pool, &tenant),
        Command::Import { kind, file, tenant } => import::run(&pool, kind, file, &tenant),
        Command::SeedScale(args) => seed_scale::run(&pool, args, |slug| {
            settings.tenant_url(slug, settings.server.port)
        }),
        Command::Worker => {
            let worker = crate::jobs::Worker::new(settings, pool)?;
            actix_web::rt::System::new().block_on(async move {
                let (stop, stopped) = tokio::sync::watch::channel(false);
                let running = actix_web::rt::spawn(worker.run_until(stopped));
                shutdown_signal().await;
                let _ = stop.send(true);
                running.await.map_err(|e| format!("worker: {e}"))?;
                println!("Worker stopped.");
                Ok(())
            })
        }
        Command::Migrate => {
            let applied = migrate::run_pending(&mut *conn(&pool)?)
                .map_err(|e| format!("migration failed: {e}"))?;
            if applied.is_empty() {
                println!("Database is up to date.");
            } else {
                println!(
                    "Applied {} migration(s): {}",
                    applied.len(),
                    applied.join(", ")
                );
            }
            Ok(())
        }
        Command::CreateTenant {
            slug,
            name,
            domains,
            locale,
            time_zone,
            currency,
            point_value,
            admin_email,
            admin_name,
            admin_password,
        } => {
            let locale = Locale::parse(&locale).ok_or("--locale must be en, fr or id")?;
            let generated = admin_password.is_none();
            let password = admin_password.unwrap_or_else(passwords::generate);
            let input = tenants::NewTenantInput {
                slug: &slug,
                name: &name,
                domains: &domains,
                default_locale: locale,
                regional: RegionalInput {
                    time_zone,
                    currency,
                    point_value,
                    challenge_grace_days: String::new(),
                },
                admin: NewAccount {
                    email: &admin_email,
                    display_name: &admin_name,
                    role: Role::Admin,
                    password: Some(&password),
                    locale: None,
                },
            };
            let (tenant, admin) =
                tenants::create_tenant(&mut *conn(&pool)?, &input).map_err(describe)?;
            println!(
                "Created tenant {} ({}) at {}",
                tenant.name,
                tenant.slug,
                settings.tenant_url(&tenant.slug, settings.server.port)
            );
            print_login(
                "admin",
                &admin.email,
                generated.then_some(password.as_str()),
            );
            Ok(())
        }
        Command::CreateUser {
            tenant,
            email,
            name,
            role,
            password,
        } => {
            let role = Role::parse(&role).ok_or("--role must be participant, marketer or admin")?;
            let mut conn = conn(&pool)?;
            let t = crate::db::tenants::find_by_slug(&mut conn, &tenant)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no tenant with slug {tenant:?}"))?;
            let generated = password.is_none();
            let password = password.unwrap_or_else(passwords::generate);
            let account = NewAccount {
                email: &email,
                display_name: &name,
                role,
                password: Some(&password),
                locale: None,
            };
            let user =
                accounts::create_user(&mut conn, t.tenant_id(), &account).map_err(describe)?;
            print_login(
                role.as_str(),
                &user.email,
                generated.then_some(password.as_str()),
            );
            Ok(())
        }
        Command::SeedDemo => {
            let storage =
                crate::services::storage::Storage::from_settings(&settings.storage, &settings.root)
                    .map_err(|e| e.to_string())?;
            let report = demo::seed(&mut *conn(&pool)?, &storage).map_err(describe)?;
            println!(
                "Demo tenant {} ready at {} ({} user(s) created).",
                report.tenant.name,
                settings.tenant_url(&report.tenant.slug, settings.server.port),
                report.created_users
            );
            println!("Demo logins (password: {}):", demo::DEMO_PASSWORD);
            for login in demo::DEMO_USERS {
                println!("  {:<12} {}", login.role.as_str(), login.email);
            }
            Ok(())
        }
    }
}

/// Some causes (TOML parse errors) span several lines with an ASCII-art pointer:
/// keep the words, drop the drawing.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.contains('|'))
        .collect::<Vec<_>>()
        .join(" ")
}

fn conn(
    pool: &DbPool,
) -> Result<r2d2::PooledConnection<diesel::r2d2::ConnectionManager<PgConnection>>, String> {
    pool.get()
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

fn print_login(role: &str, email: &str, generated_password: Option<&str>) {
    match generated_password {
        Some(pw) => println!("  {role}: {email} (password: {pw})"),
        None => println!("  {role}: {email}"),
    }
}

/// One line for a refused input or a failure.
fn describe(e: ServiceError) -> String {
    match e {
        ServiceError::Invalid(errors) => {
            let fields: Vec<String> = errors
                .iter()
                .map(|(field, key)| format!("{field}: {}", crate::i18n::tr(Locale::En, key)))
                .collect();
            format!("invalid input: {}", fields.join("; "))
        }
        other => other.to_string(),
    }
}

/// Ctrl-C or SIGTERM (what service managers send to stop a process).
async fn shutdown_signal() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

fn serve(settings: Settings, pool: DbPool) -> Result<(), String> {
    let mut conn = conn(&pool)?;
    let pending =
        migrate::pending(&mut conn).map_err(|e| format!("cannot read migrations: {e}"))?;
    if !pending.is_empty() {
        return Err(format!(
            "{} pending migration(s) ({}): run `relais migrate` first",
            pending.len(),
            pending.join(", ")
        ));
    }
    let tenants = crate::db::tenants::list_all(&mut conn).map_err(|e| e.to_string())?;
    drop(conn);
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let app = Application::build(settings.clone(), pool).map_err(|e| e.to_string())?;
        tracing::info!(port = app.port(), "listening");
        println!(
            "Relais is listening on {}:{}",
            settings.server.host,
            app.port()
        );
        for t in &tenants {
            println!(
                "  {:<24} {}",
                t.name,
                settings.tenant_url(&t.slug, app.port())
            );
        }
        if tenants.is_empty() {
            println!(
                "  No tenant yet: create one with `relais create-tenant` or `relais seed-demo`."
            );
        }
        app.run_until_stopped()
            .await
            .map_err(|e| format!("server stopped: {e}"))
    })
}
