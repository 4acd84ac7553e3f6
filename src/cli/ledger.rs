//! `relais ledger …`: the operator's checks and runs on the points ledger.

use chrono::Utc;
use clap::Subcommand;

use crate::db::{tenants, DbPool};
use crate::services::ledger;

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Check every invariant of the ledger; exit non-zero listing the offending ids.
    Verify {
        /// Only this tenant (by slug); all tenants when omitted.
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Expire the points that are due now (the daily job does the same).
    Expire {
        /// Only this tenant (by slug); all tenants when omitted.
        #[arg(long)]
        tenant: Option<String>,
    },
}

pub fn run(pool: &DbPool, command: LedgerCommand) -> Result<(), String> {
    let mut conn = super::conn(pool)?;
    match command {
        LedgerCommand::Verify { tenant } => {
            let tenant = match tenant {
                Some(slug) => Some(find_tenant(&mut conn, &slug)?.tenant_id()),
                None => None,
            };
            let report = ledger::verify(&mut conn, tenant).map_err(|e| e.to_string())?;
            if report.violations.is_empty() {
                println!(
                    "Ledger verified: {} transaction(s), every invariant holds.",
                    report.transactions_checked
                );
                return Ok(());
            }
            for v in &report.violations {
                println!("{v}");
            }
            Err(format!(
                "ledger verification failed: {} violation(s) in {} transaction(s)",
                report.violations.len(),
                report.transactions_checked
            ))
        }
        LedgerCommand::Expire { tenant } => {
            let targets = match tenant {
                Some(slug) => vec![find_tenant(&mut conn, &slug)?],
                None => tenants::list_all(&mut conn).map_err(|e| e.to_string())?,
            };
            let now = Utc::now();
            for t in targets {
                let run = ledger::expire_due(&mut conn, t.tenant_id(), now)
                    .map_err(|e| format!("{}: {e}", t.slug))?;
                println!(
                    "{}: expired {} point(s) in {} transaction(s)",
                    t.slug, run.points, run.transactions
                );
            }
            Ok(())
        }
    }
}

fn find_tenant(conn: &mut diesel::pg::PgConnection, slug: &str) -> Result<tenants::Tenant, String> {
    tenants::find_by_slug(conn, slug)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no tenant with slug {slug:?}"))
}
