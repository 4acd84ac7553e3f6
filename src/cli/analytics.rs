//! `relais analytics-rebuild --tenant SLUG`: recomputes the analytics aggregates of a
//! tenant from its declarations and mission completions (they are kept up to date in
//! the transactions of their causes; this is the repair and migration tool).

use crate::db::{tenants, DbPool};
use crate::services::analytics;

pub fn rebuild(pool: &DbPool, slug: &str) -> Result<(), String> {
    let mut conn = super::conn(pool)?;
    let tenant = tenants::find_by_slug(&mut conn, slug)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no tenant with slug {slug:?}"))?;
    let (sales, active) =
        analytics::rebuild(&mut conn, tenant.tenant_id()).map_err(|e| e.to_string())?;
    println!("{sales} weekly sales rows, {active} weekly activity rows");
    Ok(())
}
