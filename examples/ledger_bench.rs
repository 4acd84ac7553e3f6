//! Earn throughput through the ledger service, for `scripts/bench ledger` (a benchmark,
//! not a test: it reports a ratio against pgbench run on the same cluster).
//!
//! `ledger_bench setup` prepares a tenant with contiguous participants and prints the
//! shell variables the pgbench script needs; `ledger_bench run` earns with N workers
//! for S seconds and prints `tps=…`; `ledger_bench once` earns once between two marker
//! statements, so that a statement log shows exactly what one earn sends.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::Utc;
use clap::{Parser, Subcommand};
use diesel::prelude::*;
use relais::db::ledger as ledger_db;
use relais::db::{migrate, tenants as tenants_db, users};
use relais::domain::ledger::{AccountKind, Cause, CauseType, Points};
use relais::domain::{Locale, Role, TenantId, UserId};
use relais::services::accounts::{self, NewAccount};
use relais::services::ledger::{self, Meta};
use relais::services::tenants::{self, NewTenantInput};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, create the bench tenant and its participants; print shell variables.
    Setup {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 800)]
        users: usize,
    },
    /// Earn once through the service, between `SELECT 'earn begins'` and
    /// `SELECT 'earn ends'`.
    Once {
        #[arg(long)]
        database_url: String,
    },
    /// Earn through the service with `workers` threads for `seconds`; print `tps=…`.
    Run {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 8)]
        workers: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
    },
}

const SLUG: &str = "ledger-bench";

fn main() -> anyhow::Result<()> {
    match Args::parse().command {
        Command::Setup {
            database_url,
            users,
        } => setup(&database_url, users),
        Command::Run {
            database_url,
            workers,
            seconds,
        } => run(&database_url, workers, Duration::from_secs(seconds)),
        Command::Once { database_url } => once(&database_url),
    }
}

fn connect(url: &str) -> anyhow::Result<PgConnection> {
    PgConnection::establish(url).with_context(|| format!("connect to {url}"))
}

/// The bench tenant and its participants' ids, ascending.
fn participants(conn: &mut PgConnection) -> anyhow::Result<(TenantId, Vec<UserId>)> {
    let tenant = tenants_db::find_by_slug(conn, SLUG)?.context("run `setup` first")?;
    let mut ids: Vec<UserId> = users::list(conn, tenant.tenant_id())?
        .into_iter()
        .filter(|u| u.role() == Role::Participant)
        .map(|u| u.user_id())
        .collect();
    ids.sort();
    Ok((tenant.tenant_id(), ids))
}

fn setup(url: &str, wanted: usize) -> anyhow::Result<()> {
    let conn = &mut connect(url)?;
    migrate::run_pending(conn).map_err(|e| anyhow::anyhow!("migrate: {e}"))?;
    if tenants_db::find_by_slug(conn, SLUG)?.is_none() {
        let input = NewTenantInput {
            slug: SLUG,
            name: "Ledger bench",
            domains: &[],
            default_locale: Locale::En,
            regional: relais::services::regional::RegionalInput::new("UTC", "EUR"),
            admin: NewAccount {
                email: "admin@bench.example",
                display_name: "Admin",
                role: Role::Admin,
                password: None,
                locale: None,
            },
        };
        tenants::create_tenant(conn, &input)?;
    }
    let (tenant, existing) = participants(conn)?;
    ledger::set_expiry_policy(conn, tenant, Some(12))?;
    // Created in one transaction, so that their ids are contiguous (pgbench picks one
    // at random between the first and the last).
    conn.transaction(|conn| {
        for i in existing.len()..wanted {
            let email = format!("p{i}@bench.example");
            let account = NewAccount {
                email: &email,
                display_name: "Participant",
                role: Role::Participant,
                password: None,
                locale: None,
            };
            accounts::create_user(conn, tenant, &account)?;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    let (tenant, ids) = participants(conn)?;
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
        bail!("no participant");
    };
    if last.0 - first.0 + 1 != ids.len() as i64 {
        bail!("participant ids are not contiguous: drop the relais_bench database");
    }
    // One earn each creates their accounts and balance rows (replayed on a second setup).
    for user in &ids {
        let key = format!("seed-{user}");
        ledger::earn(conn, tenant, *user, Points(1), &Meta::new(&key, Utc::now()))?;
    }
    let issuance = ledger_db::programme_account(conn, tenant, AccountKind::Issuance)?;
    println!(
        "TENANT={tenant} FIRST_UID={first} NUSERS={} ISSUANCE={issuance}",
        ids.len()
    );
    Ok(())
}

fn once(url: &str) -> anyhow::Result<()> {
    let conn = &mut connect(url)?;
    let (tenant, ids) = participants(conn)?;
    let user = *ids.first().context("no participant: run `setup` first")?;
    let key = format!("once-{}", Utc::now().timestamp_micros());
    let cause = Cause {
        kind: CauseType::Declaration,
        id: None,
    };
    // Warm the connection's statement cache, as a long-running worker's is.
    let warm = format!("{key}-warm-up");
    ledger::earn(
        conn,
        tenant,
        user,
        Points(10),
        &Meta::new(&warm, Utc::now()).cause(cause),
    )?;
    diesel::sql_query("SELECT 'earn begins'").execute(conn)?;
    ledger::earn(
        conn,
        tenant,
        user,
        Points(10),
        &Meta::new(&key, Utc::now()).cause(cause),
    )?;
    diesel::sql_query("SELECT 'earn ends'").execute(conn)?;
    Ok(())
}

fn run(url: &str, workers: usize, duration: Duration) -> anyhow::Result<()> {
    let (tenant, ids) = participants(&mut connect(url)?)?;
    if ids.is_empty() {
        bail!("no participant: run `setup` first");
    }
    let ids = Arc::new(ids);
    let barrier = Arc::new(Barrier::new(workers + 1));
    let run_id = Utc::now().timestamp_micros();
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let mut conn = connect(url)?;
            let (ids, barrier) = (ids.clone(), barrier.clone());
            Ok(std::thread::spawn(move || -> anyhow::Result<u64> {
                let mut rng = 0x9e37_79b9_7f4a_7c15_u64 ^ (w as u64 + 1);
                barrier.wait();
                let deadline = Instant::now() + duration;
                let mut done = 0;
                while Instant::now() < deadline {
                    // xorshift: a uniformly random participant, as pgbench's random().
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    let user = ids[(rng % ids.len() as u64) as usize];
                    let key = format!("bench-{run_id}-{w}-{done}");
                    let cause = Cause {
                        kind: CauseType::Declaration,
                        id: None,
                    };
                    let meta = Meta::new(&key, Utc::now()).cause(cause);
                    ledger::earn(&mut conn, tenant, user, Points(10), &meta)?;
                    done += 1;
                }
                Ok(done)
            }))
        })
        .collect::<anyhow::Result<_>>()?;
    barrier.wait();
    let started = Instant::now();
    let mut total = 0;
    for h in handles {
        total += h
            .join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!("tps={:.1}", total as f64 / elapsed);
    Ok(())
}
