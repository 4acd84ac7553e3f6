//! The demo's e-mail choices: Karim turned off the monthly summary (through the link of
//! an e-mail) and the tier and badge e-mails (on his preferences page), so his
//! preferences page shows two boxes unticked and his summaries are not sent.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::ServiceError;
use crate::db::opt_outs::{self, NewOptOut};
use crate::db::users;
use crate::domain::notifications::Category;
use crate::domain::TenantId;

const KARIM: &str = "karim.benali@parapharmacie-lumiere.example";

/// Idempotent: a second run finds the rows there and adds nothing.
pub fn seed(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    conn.transaction(|conn| {
        let Some(karim) = users::find_by_email(conn, tenant, KARIM)? else {
            return Ok(());
        };
        for (category, source) in [
            (Category::MonthlySummary, "link"),
            (Category::Achievements, "preferences"),
        ] {
            opt_outs::insert(
                conn,
                &NewOptOut {
                    tenant_id: tenant,
                    user_id: karim.id,
                    category: category.as_str(),
                    source,
                    created_at: now,
                },
            )?;
        }
        Ok(())
    })
}
