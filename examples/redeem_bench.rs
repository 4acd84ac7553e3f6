//! Redemptions of one popular reward, for `scripts/bench redeem` (a benchmark, not a
//! test: it reports a ratio against pgbench running the same SQL on the same cluster).
//!
//! `redeem_bench setup` prepares a tenant with contiguous participants holding plenty of
//! points, a reward with a limited stock for the service (`REWARD`) and one with a stock
//! pgbench cannot exhaust (`PG_REWARD`), and prints the shell variables the pgbench
//! script needs. `redeem_bench run` redeems the service's reward with N workers, each
//! taking participants in turn, until every worker has been refused for lack of stock;
//! it prints the redemptions per second and the orders made (which must equal the
//! stock).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::Utc;
use clap::{Parser, Subcommand};
use diesel::prelude::*;
use relais::db::schema::{reward_order_lines, rewards};
use relais::db::{migrate, tenants as tenants_db, users};
use relais::domain::ledger::Points;
use relais::domain::{Locale, RewardId, Role, TenantId};
use relais::services::accounts::{self, NewAccount};
use relais::services::audit::Actor;
use relais::services::ledger::{self, Meta};
use relais::services::rewards::catalog::{self, RewardInput};
use relais::services::rewards::redeem::{self, RedeemInput};
use relais::services::rewards::RewardError;
use relais::services::tenants::{self, NewTenantInput};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, create the tenant, participants and rewards; print shell variables.
    Setup {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 800)]
        users: usize,
        #[arg(long, default_value_t = 5000)]
        stock: i64,
    },
    /// Redeem the limited reward with `workers` threads until its stock is gone.
    Run {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 16)]
        workers: usize,
    },
}

const SLUG: &str = "redeem-bench";

fn main() -> anyhow::Result<()> {
    match Args::parse().command {
        Command::Setup {
            database_url,
            users,
            stock,
        } => setup(&database_url, users, stock),
        Command::Run {
            database_url,
            workers,
        } => run(&database_url, workers),
    }
}

fn connect(url: &str) -> anyhow::Result<PgConnection> {
    PgConnection::establish(url).with_context(|| format!("connect to {url}"))
}

fn setup(url: &str, wanted: usize, stock: i64) -> anyhow::Result<()> {
    let conn = &mut connect(url)?;
    migrate::run_pending(conn).map_err(|e| anyhow::anyhow!("migrate: {e}"))?;
    if tenants_db::find_by_slug(conn, SLUG)?.is_some() {
        bail!("the bench database already has a tenant: drop it first");
    }
    let input = NewTenantInput {
        slug: SLUG,
        name: "Redeem bench",
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
    let (tenant, _) = tenants::create_tenant(conn, &input)?;
    let tenant = tenant.tenant_id();
    // In one transaction, so that their ids are contiguous (pgbench picks one at random).
    conn.transaction(|conn| {
        for i in 0..wanted {
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
    let ids = participants(conn, tenant)?;
    for user in &ids {
        let key = format!("seed-{user}");
        ledger::earn(
            conn,
            tenant,
            *user,
            Points(10_000_000),
            &Meta::new(&key, Utc::now()),
        )?;
    }
    let actor = Actor::system("seed-demo");
    let reward = |code: &str, stock: i64| RewardInput {
        code: code.into(),
        name: format!("Popular {code}"),
        category: "Bench".into(),
        // No address to check: the statements of every kind but a physical good's.
        kind: "experience".into(),
        points: "10".into(),
        stock: stock.to_string(),
        ..RewardInput::default()
    };
    let service = catalog::create(conn, tenant, &actor, &reward("SERVICE", stock))?;
    let baseline = catalog::create(conn, tenant, &actor, &reward("PGBENCH", 1_000_000))?;
    let (first, last) = (ids[0], ids[ids.len() - 1]);
    if last.0 - first.0 + 1 != ids.len() as i64 {
        bail!("participant ids are not contiguous");
    }
    println!(
        "TENANT={tenant} FIRST_UID={first} NUSERS={} REWARD={} PG_REWARD={} STOCK={stock}",
        ids.len(),
        service.id,
        baseline.id
    );
    Ok(())
}

fn participants(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> anyhow::Result<Vec<relais::domain::UserId>> {
    let mut ids: Vec<_> = users::list(conn, tenant)?
        .into_iter()
        .filter(|u| u.role() == Role::Participant)
        .map(|u| u.user_id())
        .collect();
    ids.sort();
    if ids.is_empty() {
        bail!("no participant");
    }
    Ok(ids)
}

fn run(url: &str, workers: usize) -> anyhow::Result<()> {
    let conn = &mut connect(url)?;
    let tenant = tenants_db::find_by_slug(conn, SLUG)?
        .context("run `setup` first")?
        .tenant_id();
    let reward: RewardId = rewards::table
        .filter(rewards::tenant_id.eq(tenant))
        .filter(rewards::code.eq("SERVICE"))
        .select(rewards::id)
        .first(conn)?;
    let people: Vec<_> = users::list(conn, tenant)?
        .into_iter()
        .filter(|u| u.role() == Role::Participant)
        .collect();
    let people = Arc::new(people);
    let next = Arc::new(AtomicU64::new(0));
    let barrier = Arc::new(Barrier::new(workers + 1));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let mut conn = connect(url)?;
            let (people, next, barrier) = (people.clone(), next.clone(), barrier.clone());
            Ok(std::thread::spawn(move || -> anyhow::Result<(u64, u64)> {
                barrier.wait();
                let (mut made, mut refused) = (0, 0);
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let user = &people[n % people.len()];
                    let input = RedeemInput {
                        quantity: "1".into(),
                        ..RedeemInput::default()
                    };
                    match redeem::redeem(&mut conn, tenant, user, reward, &input, Utc::now()) {
                        Ok(_) => made += 1,
                        Err(RewardError::Invalid(e))
                            if e.get("quantity") == Some(&"error-out-of-stock") =>
                        {
                            refused += 1;
                            return Ok((made, refused));
                        }
                        Err(e) => return Err(anyhow::anyhow!("redeem: {e}")),
                    }
                }
            }))
        })
        .collect::<anyhow::Result<_>>()?;
    barrier.wait();
    let started = Instant::now();
    let mut made = 0;
    for h in handles {
        made += h
            .join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??
            .0;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let orders: i64 = reward_order_lines::table
        .filter(reward_order_lines::tenant_id.eq(tenant))
        .filter(reward_order_lines::reward_id.eq(reward))
        .count()
        .get_result(conn)?;
    let left: Option<i32> = rewards::table
        .find((tenant, reward))
        .select(rewards::stock)
        .first(conn)?;
    println!(
        "RATE={:.1} MADE={made} ORDERS={orders} LEFT={} ELAPSED={elapsed:.1}",
        made as f64 / elapsed,
        left.unwrap_or(-1)
    );
    Ok(())
}
