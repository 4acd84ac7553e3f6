//! `relais badges backfill --tenant SLUG`: awards every badge the history already
//! earned (for a tenant that switches badges on, or a badge given points later on:
//! only badges not yet awarded are awarded, with their points and e-mail).

use chrono::Utc;

use crate::db::{tenants, DbPool};
use crate::services::badges;

pub fn backfill(pool: &DbPool, slug: &str) -> Result<(), String> {
    let mut conn = super::conn(pool)?;
    let tenant = tenants::find_by_slug(&mut conn, slug)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no tenant with slug {slug:?}"))?;
    let n =
        badges::backfill(&mut conn, tenant.tenant_id(), Utc::now()).map_err(|e| e.to_string())?;
    println!("{n} badges awarded");
    Ok(())
}
