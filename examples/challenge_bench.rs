//! Challenges at scale, for `scripts/bench leaderboard`, `scripts/bench close` and
//! `scripts/bench approve` (benchmarks, not tests: each reports a ratio against a
//! baseline measured in the same run).
//!
//! - `leaderboard`: on the `relais seed-scale` tenant, creates and publishes (through
//!   `setup::save` and `setup::publish`, which enrol every participant) a challenge
//!   over the whole seeded year, once, then fills its scores from the approved
//!   declarations of its window (see `fill_scores`). Prints shell variables: the
//!   challenge, and the e-mail of the participant ranked in the middle of the board.
//! - `close`: publishes and fills a new challenge the same way, then times
//!   `close::advance` from closed to awarded (freeze, one earn per participant in
//!   batches of 500). Prints the awards and the time taken.
//! - `approve`: two tenants alike, one with an active challenge covering the
//!   declarations, one without; approves N submitted declarations in each through
//!   `services::declarations::approve`, alternating rounds, and prints approvals/s and
//!   the ratio.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use clap::{Parser, Subcommand};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};
use relais::db::{migrate, tenants as tenants_db};
use relais::domain::declarations::Status;
use relais::domain::{ChallengeId, DeclarationId, Locale, Role, TenantId};
use relais::services::accounts::NewAccount;
use relais::services::audit::Actor;
use relais::services::challenges::{close, setup};
use relais::services::declarations;
use relais::services::tenants::{self, NewTenantInput};

#[derive(Parser)]
struct Args {
    #[arg(long, global = true, default_value = "")]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The leaderboard challenge of the scale tenant (made once); prints shell variables.
    Leaderboard {
        #[arg(long, default_value = "scale")]
        slug: String,
    },
    /// A new challenge of every participant, closed and awarded; prints the timing.
    Close {
        #[arg(long, default_value = "scale")]
        slug: String,
    },
    /// Approvals/s with an active challenge vs none, alternating rounds.
    Approve {
        #[arg(long, default_value_t = 2000)]
        declarations: i64,
        #[arg(long, default_value_t = 3)]
        rounds: u32,
        #[arg(long, default_value_t = 8)]
        workers: usize,
    },
}

const LEADERBOARD_TITLE: &str = "Bench leaderboard";

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.database_url.is_empty() {
        bail!("--database-url is required");
    }
    let url = args.database_url;
    match args.command {
        Command::Leaderboard { slug } => leaderboard(&url, &slug),
        Command::Close { slug } => close_bench(&url, &slug),
        Command::Approve {
            declarations,
            rounds,
            workers,
        } => approve_bench(&url, declarations, rounds, workers),
    }
}

fn connect(url: &str) -> anyhow::Result<PgConnection> {
    PgConnection::establish(url).with_context(|| format!("connect to {url}"))
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Email {
    #[diesel(sql_type = Text)]
    email: String,
}

/// A challenge of units on every product, per participant, fixed target, from
/// `first` to `last` (days of sale), created and published through the services.
fn publish_challenge(
    conn: &mut PgConnection,
    tenant: TenantId,
    title: &str,
    first: NaiveDate,
    last: NaiveDate,
    target: i64,
) -> anyhow::Result<ChallengeId> {
    let now = Utc::now();
    let mut input = setup::ChallengeInput::blank(now.date_naive());
    input.title = title.to_string();
    input.starts_on = first.to_string();
    input.ends_on = last.to_string();
    input.target_value = target.to_string();
    // 1 % of the target is one unit: everyone who sold anything reaches a tier.
    for (i, (percent, points)) in [("1", "10"), ("80", "100"), ("100", "300")]
        .into_iter()
        .enumerate()
    {
        input.tier_percent[i] = percent.into();
        input.tier_points[i] = points.into();
    }
    input.prizes[0] = "1000".into();
    input.prizes[1] = "500".into();
    input.prizes[2] = "250".into();
    let actor = Actor::system("challenge-bench");
    let draft = setup::save(conn, tenant, &actor, None, &input, now)
        .map_err(|e| anyhow::anyhow!("save: {e}"))?;
    let published = setup::publish(conn, tenant, &actor, draft.id, now)
        .map_err(|e| anyhow::anyhow!("publish: {e}"))?;
    Ok(published.id)
}

/// Bench data generation only, not how scores are kept: the scores of a units
/// challenge on every product set at once from the approved declarations whose sale
/// date is in `[first, last]` (the result: units sold; reached at: the last decision),
/// then each partner's from its participants'. The services keep them incrementally,
/// one approval at a time (`scoring::declaration_approved`); replaying 800,000
/// approvals through them would take far longer than the benchmark. Contributions
/// (what a reversal takes back) are not written: nothing is reversed here.
fn fill_scores(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    first: NaiveDate,
    last: NaiveDate,
) -> anyhow::Result<usize> {
    let filled = conn.transaction(|conn| {
        let n = diesel::sql_query(
            "UPDATE challenge_scores s SET result = a.units, reached_at = a.at
             FROM (SELECT d.participant_id, sum(l.quantity)::bigint AS units,
                          max(d.updated_at) AS at
                   FROM declarations d
                   JOIN declaration_lines l
                     ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
                   WHERE d.tenant_id = $1 AND d.status = 'approved'
                     AND d.sale_date BETWEEN $3 AND $4
                   GROUP BY 1) a
             WHERE s.tenant_id = $1 AND s.challenge_id = $2
               AND s.participant_id = a.participant_id",
        )
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(challenge)
        .bind::<Date, _>(first)
        .bind::<Date, _>(last)
        .execute(conn)?;
        diesel::sql_query(
            "UPDATE challenge_partner_scores ps SET result = x.result, reached_at = x.at
             FROM (SELECT partner_id, sum(result)::bigint AS result, max(reached_at) AS at
                   FROM challenge_scores WHERE tenant_id = $1 AND challenge_id = $2
                   GROUP BY 1) x
             WHERE ps.tenant_id = $1 AND ps.challenge_id = $2 AND ps.partner_id = x.partner_id",
        )
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(challenge)
        .execute(conn)?;
        Ok::<_, diesel::result::Error>(n)
    })?;
    conn.batch_execute("VACUUM (ANALYZE) challenge_scores, challenge_partner_scores")?;
    Ok(filled)
}

/// The seeded year: from `days` ago to tomorrow (a window must end in the future to be
/// published).
fn seeded_window() -> (NaiveDate, NaiveDate) {
    let today = Utc::now().date_naive();
    (today - Duration::days(366), today + Duration::days(1))
}

fn scale_tenant(conn: &mut PgConnection, slug: &str) -> anyhow::Result<TenantId> {
    Ok(tenants_db::find_by_slug(conn, slug)?
        .with_context(|| format!("no tenant {slug:?}: run `relais seed-scale` first"))?
        .tenant_id())
}

fn enrolled(conn: &mut PgConnection, tenant: TenantId, id: ChallengeId) -> anyhow::Result<i64> {
    Ok(diesel::sql_query(
        "SELECT count(*) AS id FROM challenge_scores WHERE tenant_id = $1 AND challenge_id = $2",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(id)
    .get_result::<Id>(conn)?
    .id)
}

fn leaderboard(url: &str, slug: &str) -> anyhow::Result<()> {
    let conn = &mut connect(url)?;
    let tenant = scale_tenant(conn, slug)?;
    let existing: Option<Id> = diesel::sql_query(
        "SELECT id FROM challenges WHERE tenant_id = $1 AND title = $2 AND status = 'active'
         ORDER BY id LIMIT 1",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Text, _>(LEADERBOARD_TITLE)
    .get_result(conn)
    .optional()?;
    let id = match existing {
        Some(Id { id }) => {
            eprintln!("challenge {id} already made (reused)");
            ChallengeId(id)
        }
        None => {
            let (first, last) = seeded_window();
            let started = Instant::now();
            let id = publish_challenge(conn, tenant, LEADERBOARD_TITLE, first, last, 50)?;
            let published = started.elapsed().as_secs_f64();
            let filled = fill_scores(conn, tenant, id, first, last)?;
            eprintln!(
                "challenge {id}: published (enrolment) in {published:.1}s, {filled} scores filled in {:.1}s more",
                started.elapsed().as_secs_f64() - published
            );
            id
        }
    };
    let n = enrolled(conn, tenant, id)?;
    // The participant ranked in the middle, so that the page's neighbours query runs.
    let middle: Email = diesel::sql_query(
        "SELECT u.email FROM challenge_scores s
         JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.participant_id
         WHERE s.tenant_id = $1 AND s.challenge_id = $2
         ORDER BY s.result DESC, s.reached_at, s.participant_id OFFSET $3 LIMIT 1",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(id)
    .bind::<BigInt, _>(n / 2)
    .get_result(conn)?;
    println!(
        "TENANT={tenant} CHALLENGE={id} ENROLLED={n} MIDDLE_RANK={} MIDDLE_EMAIL={}",
        n / 2 + 1,
        middle.email
    );
    Ok(())
}

fn close_bench(url: &str, slug: &str) -> anyhow::Result<()> {
    let conn = &mut connect(url)?;
    let tenant = scale_tenant(conn, slug)?;
    let (first, last) = seeded_window();
    let title = format!("Bench close {}", Utc::now().format("%Y-%m-%d %H:%M:%S"));
    let started = Instant::now();
    let id = publish_challenge(conn, tenant, &title, first, last, 50)?;
    fill_scores(conn, tenant, id, first, last)?;
    let n = enrolled(conn, tenant, id)?;
    eprintln!(
        "challenge {id}: {n} participants enrolled and scored in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let award_at: DateTime<Utc> =
        diesel::sql_query("SELECT award_at AS at FROM challenges WHERE tenant_id = $1 AND id = $2")
            .bind::<BigInt, _>(tenant)
            .bind::<BigInt, _>(id)
            .get_result::<At>(conn)?
            .at;
    // The award instant (end + grace) is days ahead: the clock the job would see then.
    let now = award_at + Duration::seconds(1);
    let started = Instant::now();
    let done = close::advance(conn, tenant, id, now).map_err(|e| anyhow::anyhow!("{e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let earns: Id = diesel::sql_query(
        "SELECT count(*) AS id FROM challenge_awards
         WHERE tenant_id = $1 AND challenge_id = $2 AND ledger_transaction_id IS NOT NULL",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(id)
    .get_result(conn)?;
    if done.status.map(|s| s.as_str()) != Some("awarded") || done.awarded as i64 != n {
        bail!("not fully awarded: {done:?} of {n}");
    }
    println!(
        "CHALLENGE={id} AWARDED={} EARNS={} ELAPSED={seconds:.2}",
        done.awarded, earns.id
    );
    Ok(())
}

#[derive(QueryableByName)]
struct At {
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    at: DateTime<Utc>,
}

/// One of the two tenants of `approve`, with its reviewer.
struct Side {
    label: &'static str,
    tenant: TenantId,
    reviewer: Actor,
    rates: Vec<f64>,
}

const PARTNERS: i64 = 100;
const PARTICIPANTS: i64 = 1000;

fn approve_side(
    conn: &mut PgConnection,
    slug: &'static str,
    with_challenge: bool,
) -> anyhow::Result<Side> {
    migrate::run_pending(conn).map_err(|e| anyhow::anyhow!("migrate: {e}"))?;
    if tenants_db::find_by_slug(conn, slug)?.is_some() {
        bail!("tenant {slug} exists: the script drops the bench database first");
    }
    let email = format!("admin@{slug}.example");
    let (tenant, admin) = tenants::create_tenant(
        conn,
        &NewTenantInput {
            slug,
            name: slug,
            domains: &[],
            default_locale: Locale::En,
            regional: relais::services::regional::RegionalInput::new("UTC", "EUR"),
            admin: NewAccount {
                email: &email,
                display_name: "Reviewer",
                role: Role::Admin,
                password: None,
                locale: None,
            },
        },
    )?;
    let t = tenant.tenant_id();
    // The same network in both tenants: partners, products and participants.
    conn.batch_execute(&format!(
        "INSERT INTO partners (tenant_id, external_code, name, kind, brand_mode, region, country, potential)
         SELECT {t}, 'P' || i, 'Partner ' || i, 'reseller', 'multi', 'Bretagne', 'FR', 3
         FROM generate_series(1, {PARTNERS}) i;
         INSERT INTO products (tenant_id, sku, name, category, unit_price_minor, points_per_unit)
         SELECT {t}, 'SKU-' || i, 'Product ' || i, 'Soins', 1000, 5 FROM generate_series(1, 20) i;
         INSERT INTO users (tenant_id, email, display_name, role, partner_id)
         SELECT {t}, 'p' || i || '@{slug}.example', 'Participant ' || i, 'participant', p.id
         FROM generate_series(0, {PARTICIPANTS} - 1) i
         JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM partners
               WHERE tenant_id = {t}) p ON p.n = i % {PARTNERS};"
    ))?;
    if with_challenge {
        let today = Utc::now().date_naive();
        publish_challenge(
            conn,
            t,
            "Approval bench",
            today - Duration::days(60),
            today + Duration::days(30),
            100,
        )?;
    }
    Ok(Side {
        label: if with_challenge {
            "with an active challenge"
        } else {
            "without challenges"
        },
        tenant: t,
        reviewer: Actor::user(&admin),
        rates: vec![],
    })
}

/// Bench data: `n` submitted declarations of two lines (3 units each) sold in the last
/// four weeks, spread over the participants; returns their ids.
fn submit(
    conn: &mut PgConnection,
    tenant: TenantId,
    n: i64,
    tag: &str,
) -> anyhow::Result<Vec<DeclarationId>> {
    let ids: Vec<Id> = diesel::sql_query(
        "WITH u AS (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, partner_id
                    FROM users WHERE tenant_id = $1 AND role = 'participant')
         INSERT INTO declarations (tenant_id, participant_id, partner_id, sale_date, channel,
                                   invoice_ref, status, source, points, amount_minor)
         SELECT $1, u.id, u.partner_id, current_date - 1 - (g % 28)::int, 'in_store',
                $3 || '-' || g, 'submitted', 'portal', 30, 6000
         FROM generate_series(0, $2 - 1) g
         JOIN u ON u.n = (g * 7919) % (SELECT count(*) FROM u)
         RETURNING id",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(n)
    .bind::<Text, _>(tag)
    .load(conn)?;
    diesel::sql_query(
        "INSERT INTO declaration_lines (tenant_id, declaration_id, line_no, product_id,
                                        quantity, unit_price_minor, points)
         SELECT $1, d.id, l, p.id, 3, 1000, 15
         FROM declarations d CROSS JOIN generate_series(1, 2) l
         JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM products
               WHERE tenant_id = $1) p ON p.n = (d.id + l * 7) % 20
         WHERE d.tenant_id = $1 AND d.invoice_ref LIKE $2 || '-%'",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<Text, _>(tag)
    .execute(conn)?;
    conn.batch_execute("ANALYZE declarations, declaration_lines")?;
    Ok(ids.into_iter().map(|i| DeclarationId(i.id)).collect())
}

/// Approves every declaration of `ids` with `workers` connections; returns approvals/s.
fn approve_all(
    url: &str,
    side: &Side,
    ids: Vec<DeclarationId>,
    workers: usize,
) -> anyhow::Result<f64> {
    let ids = Arc::new(ids);
    let next = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(workers + 1));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let mut conn = connect(url)?;
            let (ids, next, barrier) = (ids.clone(), next.clone(), barrier.clone());
            let (tenant, reviewer) = (side.tenant, side.reviewer.clone());
            Ok(std::thread::spawn(move || -> anyhow::Result<()> {
                barrier.wait();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(id) = ids.get(i) else {
                        return Ok(());
                    };
                    declarations::approve(
                        &mut conn,
                        tenant,
                        &reviewer,
                        *id,
                        Status::Submitted,
                        Utc::now(),
                    )
                    .map_err(|e| anyhow::anyhow!("approve {id}: {e}"))?;
                }
            }))
        })
        .collect::<anyhow::Result<_>>()?;
    barrier.wait();
    let started = Instant::now();
    for h in handles {
        h.join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
    }
    Ok(ids.len() as f64 / started.elapsed().as_secs_f64())
}

fn approve_bench(url: &str, n: i64, rounds: u32, workers: usize) -> anyhow::Result<()> {
    let conn = &mut connect(url)?;
    let mut sides = [
        approve_side(conn, "approve-with", true)?,
        approve_side(conn, "approve-none", false)?,
    ];
    // Round 0 warms both up (ledger accounts made at each participant's first earn,
    // statement caches) and is not counted.
    for round in 0..=rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let side = &mut sides[i];
            let count = if round == 0 { n.min(PARTICIPANTS) } else { n };
            let ids = submit(conn, side.tenant, count, &format!("R{round}"))?;
            let rate = approve_all(url, side, ids, workers)?;
            if round == 0 {
                eprintln!("warm-up: {} {rate:.1} approvals/s", side.label);
            } else {
                eprintln!(
                    "round {round}/{rounds}: {} {rate:.1} approvals/s",
                    side.label
                );
                side.rates.push(rate);
            }
        }
    }
    let mean = |s: &Side| s.rates.iter().sum::<f64>() / s.rates.len().max(1) as f64;
    let (with, none) = (mean(&sides[0]), mean(&sides[1]));
    println!("WITH={with:.1} NONE={none:.1} RATIO={:.3}", with / none);
    Ok(())
}
