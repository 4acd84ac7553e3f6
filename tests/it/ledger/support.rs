//! A database per test function (dropped at the end), tenants and participants without
//! passwords (no Argon2 cost), and short-hands for the service's calls.

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use relais::domain::ledger::Points;
use relais::domain::{Locale, Role, TenantId, UserId};
use relais::services::accounts::{self, NewAccount};
use relais::services::ledger::{self, Meta};
use relais::services::tenants::{self, NewTenantInput};

use crate::common;

pub struct Db {
    name: String,
    pub url: String,
}

impl Db {
    pub fn new() -> Self {
        let (name, url) = common::fresh_database();
        Self { name, url }
    }

    pub fn conn(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect")
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let admin = std::env::var("RELAIS_TEST_DATABASE_URL").expect("admin url");
        if let Ok(mut conn) = PgConnection::establish(&admin) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A new tenant (unique slug) whose points expire after `months`, or never.
pub fn tenant(conn: &mut PgConnection, months: Option<u32>) -> TenantId {
    let slug = format!(
        "t{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    let email = format!("admin@{slug}.example");
    let input = NewTenantInput {
        slug: &slug,
        name: "Ledger test",
        domains: &[],
        default_locale: Locale::En,
        regional: relais::services::regional::RegionalInput::new("UTC", "EUR"),
        admin: NewAccount {
            email: &email,
            display_name: "Admin",
            role: Role::Admin,
            password: None,
            locale: None,
        },
    };
    let (tenant, _) = tenants::create_tenant(conn, &input).expect("create tenant");
    ledger::set_expiry_policy(conn, tenant.tenant_id(), months).expect("policy");
    tenant.tenant_id()
}

pub fn participant(conn: &mut PgConnection, tenant: TenantId, name: &str) -> UserId {
    let email = format!("{name}@example.com");
    let account = NewAccount {
        email: &email,
        display_name: name,
        role: Role::Participant,
        password: None,
        locale: None,
    };
    accounts::create_user(conn, tenant, &account)
        .expect("create user")
        .user_id()
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 10, 9, 0, 0).unwrap()
}

pub fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

pub fn meta(key: &str) -> Meta<'_> {
    Meta::new(key, t0())
}

pub fn earn(conn: &mut PgConnection, tenant: TenantId, user: UserId, points: i64, key: &str) {
    ledger::earn(conn, tenant, user, Points(points), &meta(key)).expect("earn");
}

/// (available, held) from the cached balance.
pub fn balance(conn: &mut PgConnection, tenant: TenantId, user: UserId) -> (i64, i64) {
    let b = ledger::balance(conn, tenant, user, t0()).expect("balance");
    (b.available.0, b.held.0)
}

/// Every invariant holds for this tenant.
pub fn assert_verified(conn: &mut PgConnection, tenant: TenantId) {
    let report = ledger::verify(conn, Some(tenant)).expect("verify");
    let lines: Vec<String> = report.violations.iter().map(|v| v.to_string()).collect();
    assert!(lines.is_empty(), "ledger violations: {lines:#?}");
}

#[derive(QueryableByName)]
struct Remaining {
    #[diesel(sql_type = BigInt)]
    remaining: i64,
}

/// What is left of each of the participant's lots, oldest first.
pub fn lots(conn: &mut PgConnection, tenant: TenantId, user: UserId) -> Vec<i64> {
    diesel::sql_query(
        "SELECT remaining FROM ledger_lots WHERE tenant_id = $1 AND user_id = $2 ORDER BY id",
    )
    .bind::<BigInt, _>(tenant.0)
    .bind::<BigInt, _>(user.0)
    .load::<Remaining>(conn)
    .expect("lots")
    .into_iter()
    .map(|r| r.remaining)
    .collect()
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// How many transactions of this kind the tenant has.
pub fn count(conn: &mut PgConnection, tenant: TenantId, kind: &str) -> i64 {
    diesel::sql_query(
        "SELECT count(*) AS n FROM ledger_transactions WHERE tenant_id = $1 AND kind = $2",
    )
    .bind::<BigInt, _>(tenant.0)
    .bind::<Text, _>(kind)
    .get_result::<Count>(conn)
    .expect("count")
    .n
}
