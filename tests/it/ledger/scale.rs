//! `relais seed-scale` at a small size: the ledger it generates keeps every invariant,
//! earns go on through the service afterwards (one statement each), and a second run is
//! refused.

use chrono::Utc;
use relais::domain::ledger::Points;
use relais::domain::UserId;
use relais::services::demo_scale::{self, ScaleError, ScaleOptions};
use relais::services::ledger::{self, Meta};

use super::support::{assert_verified, Db};

#[test]
fn a_small_scale_tenant_keeps_the_ledger_invariants_and_is_seeded_once() {
    let db = Db::new();
    let c = &mut db.conn();
    let options = ScaleOptions {
        slug: "mini".into(),
        partners: 12,
        participants: 60,
        products: 15,
        lines: 2_000,
        days: 60,
    };
    let report = demo_scale::seed(c, &options, &mut |_| {}).expect("seed");
    let tenant = report.tenant.tenant_id();
    let count = |table: &str| {
        report
            .counts
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(_, n)| *n)
    };
    assert_eq!(count("partners"), Some(12));
    assert_eq!(count("declaration_lines"), Some(2_000));
    assert!(count("ledger_transactions").unwrap_or(0) > 0);
    assert!(count("sell_in").unwrap_or(0) > 0);
    assert_verified(c, tenant);

    // The generated balances take further earns, in one statement or the general path.
    let user: i64 = {
        use diesel::prelude::*;
        use relais::db::schema::users;
        users::table
            .filter(users::tenant_id.eq(tenant.0))
            .filter(users::email.eq("participant@mini.example"))
            .select(users::id)
            .first(c)
            .expect("the known participant")
    };
    let meta = Meta::new("after-seed", Utc::now());
    let posted = ledger::earn(c, tenant, UserId(user), Points(25), &meta).expect("earn");
    assert!(!posted.replayed);
    let again = ledger::earn(c, tenant, UserId(user), Points(25), &meta).expect("replay");
    assert!(again.replayed);
    assert_eq!(again.transaction.id, posted.transaction.id);
    assert_verified(c, tenant);

    assert!(matches!(
        demo_scale::seed(c, &options, &mut |_| {}),
        Err(ScaleError::Exists(slug)) if slug == "mini"
    ));
}
