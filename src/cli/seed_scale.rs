//! `relais seed-scale`: the benchmark tenant, with progress and timings.

use std::time::Instant;

use clap::Args;

use crate::db::DbPool;
use crate::services::demo_scale::{self, ScaleOptions, SCALE_PASSWORD};

#[derive(Args)]
pub struct SeedScaleArgs {
    /// Slug of the tenant to create (refused if it exists).
    #[arg(long, default_value = "scale")]
    slug: String,
    #[arg(long, default_value_t = 2_000)]
    partners: u32,
    /// Participants, spread evenly over the partners.
    #[arg(long, default_value_t = 20_000)]
    participants: u32,
    #[arg(long, default_value_t = 60)]
    products: u32,
    /// Declaration lines (one to four per declaration, 2.5 on average).
    #[arg(long, default_value_t = 2_000_000)]
    lines: u64,
    /// Days of history, ending today.
    #[arg(long, default_value_t = 365)]
    days: u32,
}

pub fn run(
    pool: &DbPool,
    args: SeedScaleArgs,
    base_url: impl Fn(&str) -> String,
) -> Result<(), String> {
    let mut conn = super::conn(pool)?;
    let options = ScaleOptions {
        slug: args.slug,
        partners: args.partners,
        participants: args.participants,
        products: args.products,
        lines: args.lines,
        days: args.days,
    };
    let start = Instant::now();
    let mut progress = |step: &str| {
        println!("[{:>7.1}s] {step}", start.elapsed().as_secs_f64());
    };
    let report = demo_scale::seed(&mut conn, &options, &mut progress).map_err(|e| e.to_string())?;
    println!(
        "[{:>7.1}s] done: tenant {} at {}",
        start.elapsed().as_secs_f64(),
        report.tenant.slug,
        base_url(&report.tenant.slug)
    );
    for (table, n) in &report.counts {
        println!("  {table:<22} {n:>10}");
    }
    println!("Logins (password: {SCALE_PASSWORD}):");
    for (role, email) in &report.logins {
        println!("  {:<12} {email}", role.as_str());
    }
    Ok(())
}
