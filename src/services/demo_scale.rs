//! `relais seed-scale`: a tenant the size of a large programme (by default 2,000
//! partners, 20,000 participants, 2,000,000 declaration lines over a year, a year of
//! sell-in, the ledger history of every approval), for benchmarks. The bulk is generated
//! in SQL (`db::seed_scale`) inside one transaction: a failure leaves nothing behind.
//! Every user has the same password, hashed once.

use diesel::prelude::*;

use super::accounts::NewAccount;
use super::tenants::{self as tenant_service, NewTenantInput};
use super::{ledger, passwords, ServiceError};
use crate::db::seed_scale;
use crate::db::tenants::{self, Tenant};
use crate::domain::{Locale, Role};

pub const SCALE_PASSWORD: &str = "scale-demo-2026";

#[derive(Debug, Clone)]
pub struct ScaleOptions {
    pub slug: String,
    pub partners: u32,
    pub participants: u32,
    pub products: u32,
    /// Declaration lines; declarations have one to four lines (2.5 on average).
    pub lines: u64,
    /// Days of history, ending today.
    pub days: u32,
}

impl Default for ScaleOptions {
    fn default() -> Self {
        Self {
            slug: "scale".into(),
            partners: 2_000,
            participants: 20_000,
            products: 60,
            lines: 2_000_000,
            days: 365,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScaleError {
    #[error(
        "a tenant with slug {0:?} already exists: choose another --slug, or drop the database"
    )]
    Exists(String),
    #[error("{0}")]
    Sizes(&'static str),
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl From<super::ledger::LedgerError> for ScaleError {
    fn from(e: super::ledger::LedgerError) -> Self {
        ScaleError::Service(e.into())
    }
}

pub struct ScaleReport {
    pub tenant: Tenant,
    /// Rows made per table.
    pub counts: Vec<(&'static str, i64)>,
    /// One login per role: (role, email); the password is `SCALE_PASSWORD`.
    pub logins: Vec<(Role, String)>,
}

fn check(o: &ScaleOptions) -> Result<(), ScaleError> {
    if !(1..=99_999).contains(&o.partners) {
        return Err(ScaleError::Sizes("--partners: 1 to 99,999"));
    }
    if !(1..=999_999).contains(&o.participants) {
        return Err(ScaleError::Sizes("--participants: 1 to 999,999"));
    }
    if !(1..=9_999).contains(&o.products) {
        return Err(ScaleError::Sizes("--products: 1 to 9,999"));
    }
    if !(10..=50_000_000).contains(&o.lines) {
        return Err(ScaleError::Sizes("--lines: 10 to 50,000,000"));
    }
    if !(14..=3_650).contains(&o.days) {
        return Err(ScaleError::Sizes("--days: 14 to 3,650"));
    }
    Ok(())
}

/// Creates the tenant and its data; refuses if the slug is taken. `progress` is called
/// with the name of each step before it runs.
pub fn seed(
    conn: &mut PgConnection,
    options: &ScaleOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<ScaleReport, ScaleError> {
    check(options)?;
    if tenants::find_by_slug(conn, &options.slug)?.is_some() {
        return Err(ScaleError::Exists(options.slug.clone()));
    }
    let domain = format!("{}.example", options.slug);
    let admin_email = format!("admin@{domain}");
    progress("password hash (once, for every user)");
    let hash = passwords::hash(SCALE_PASSWORD).map_err(ServiceError::Other)?;
    let declarations = options.lines * 2 / 5;
    let tenant = conn.transaction(|conn| {
        let (tenant, admin) = tenant_service::create_tenant(
            conn,
            &NewTenantInput {
                slug: &options.slug,
                name: "Scale",
                domains: &[],
                default_locale: Locale::Fr,
                regional: super::regional::RegionalInput {
                    point_value: "0.01".into(),
                    ..super::regional::RegionalInput::new("Europe/Paris", "EUR")
                },
                admin: NewAccount {
                    email: &admin_email,
                    display_name: "Alice Admin",
                    role: Role::Admin,
                    password: None,
                    locale: None,
                },
            },
        )?;
        ledger::set_expiry_policy(conn, tenant.tenant_id(), Some(12))?;
        let params = [
            ("tenant", tenant.id.to_string()),
            ("partners", options.partners.to_string()),
            ("participants", options.participants.to_string()),
            ("products", options.products.to_string()),
            ("declarations", declarations.max(1).to_string()),
            ("days", options.days.to_string()),
            ("admin", admin.id.to_string()),
            ("hash", hash.clone()),
            ("domain", domain.clone()),
        ];
        for (name, value) in &params {
            seed_scale::set_param(conn, name, value)?;
        }
        for (label, sql) in seed_scale::STEPS {
            progress(label);
            seed_scale::run_step(conn, sql)?;
        }
        progress("commit");
        Ok::<_, ScaleError>(tenant)
    })?;
    progress("VACUUM (ANALYZE)");
    seed_scale::vacuum_analyze(conn)?;
    let mut counts = vec![];
    for table in seed_scale::TABLES {
        counts.push((*table, seed_scale::count(conn, table, tenant.id)?));
    }
    let logins = vec![
        (Role::Admin, admin_email),
        (Role::Marketer, format!("marketer@{domain}")),
        (Role::Participant, format!("participant@{domain}")),
    ];
    Ok(ScaleReport {
        tenant,
        counts,
        logins,
    })
}
