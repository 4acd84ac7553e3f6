//! Rewards and orders through the services, on real concurrent connections: never two
//! orders for one unit, never points spent twice, a decision taken once, a voucher code
//! given once; bad input refused with nothing written; fulfilment and refunds; the
//! ledger verifies after all of it.

use std::sync::{Arc, Barrier};

use chrono::{Duration, Utc};
use diesel::prelude::*;
use relais::db::rewards::orders;
use relais::db::schema::{
    ledger_transactions, reward_codes, reward_order_lines, reward_orders, rewards,
};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::db::Lock;
use relais::domain::ledger::Points;
use relais::domain::rewards::Step;
use relais::domain::{OrderId, RewardId, Role, TenantId};
use relais::services::audit::Actor;
use relais::services::ledger::{self, Meta};
use relais::services::rewards::catalog::{self, RewardInput};
use relais::services::rewards::fulfil::{self, StepInput};
use relais::services::rewards::redeem::{self, AddressFields, RedeemInput};
use relais::services::rewards::{review, RewardError};

use crate::common::{spawn_app, TestApp};

fn actor() -> Actor {
    Actor::system("test")
}

struct Shop {
    tenant: Tenant,
    admin: User,
    partner: relais::domain::PartnerId,
}

fn shop(app: &TestApp, slug: &str) -> Shop {
    let (tenant, admin) = app.create_tenant(slug, &format!("Shop {slug}"));
    let partner = app.create_partner(&tenant, "P-1").id;
    Shop {
        tenant,
        admin,
        partner,
    }
}

/// A participant of the shop's partner with `points` to spend.
fn participant(app: &TestApp, shop: &Shop, n: usize, points: i64) -> User {
    let tid = shop.tenant.tenant_id();
    let u = app.create_user(
        &shop.tenant,
        Role::Participant,
        &format!("p{n}@{}.example", shop.tenant.slug),
        &format!("Participant {n}"),
    );
    let u = app.join_partner(tid, u.id, shop.partner);
    if points > 0 {
        let key = format!("seed:{}", u.id);
        ledger::earn(
            &mut app.conn(),
            tid,
            u.id,
            Points(points),
            &Meta::new(&key, Utc::now()),
        )
        .unwrap();
    }
    u
}

fn reward(
    app: &TestApp,
    tid: TenantId,
    code: &str,
    edit: impl FnOnce(&mut RewardInput),
) -> RewardId {
    let mut input = RewardInput {
        code: code.into(),
        name: format!("Reward {code}"),
        category: "Gadgets".into(),
        kind: "experience".into(),
        points: "100".into(),
        ..RewardInput::default()
    };
    edit(&mut input);
    catalog::create(&mut app.conn(), tid, &actor(), &input)
        .unwrap()
        .id
}

fn order_input(quantity: &str) -> RedeemInput {
    RedeemInput {
        quantity: quantity.into(),
        ..RedeemInput::default()
    }
}

fn address() -> AddressFields {
    AddressFields {
        address_name: "Ana Lima".into(),
        address_line1: "3 rue des Lilas".into(),
        address_postcode: "75011".into(),
        address_city: "Paris".into(),
        address_country: "France".into(),
        address_phone: "+33 6 12 34 56 78".into(),
        ..AddressFields::default()
    }
}

fn balance(app: &TestApp, tid: TenantId, u: &User) -> (i64, i64) {
    let b = relais::db::ledger::balance(&mut app.conn(), tid, u.id, Lock::Unlocked)
        .unwrap()
        .unwrap();
    (b.available, b.held)
}

fn count_orders(app: &TestApp, tid: TenantId) -> i64 {
    reward_orders::table
        .filter(reward_orders::tenant_id.eq(tid))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn stock(app: &TestApp, tid: TenantId, id: RewardId) -> Option<i32> {
    rewards::table
        .find((tid, id))
        .select(rewards::stock)
        .first(&mut app.conn())
        .unwrap()
}

fn verified(app: &TestApp, tid: TenantId) {
    let v = ledger::verify(&mut app.conn(), Some(tid)).unwrap();
    assert!(v.violations.is_empty(), "{:?}", v.violations);
}

fn field_error(r: Result<impl std::fmt::Debug, RewardError>) -> (&'static str, &'static str) {
    match r {
        Err(RewardError::Invalid(errors)) => {
            let (f, k) = errors.into_iter().next().unwrap();
            (f, k)
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

/// Runs `f` on `n` threads, each with its own connection, all released at once.
fn at_once<T: Send + 'static>(
    app: &TestApp,
    n: usize,
    f: impl Fn(usize, &mut PgConnection) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let f = Arc::new(f);
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (url, barrier, f) = (app.database_url.clone(), barrier.clone(), f.clone());
            std::thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).unwrap();
                barrier.wait();
                f(i, &mut conn)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[actix_web::test]
async fn twenty_participants_racing_for_the_last_unit_get_one_order() {
    let app = spawn_app().await;
    let shop = shop(&app, "last");
    let tid = shop.tenant.tenant_id();
    let id = reward(&app, tid, "LAST-1", |r| r.stock = "1".into());
    let people: Vec<User> = (0..20).map(|n| participant(&app, &shop, n, 1000)).collect();
    let people = Arc::new(people);
    let who = people.clone();
    let results = at_once(&app, 20, move |i, conn| {
        redeem::redeem(conn, tid, &who[i], id, &order_input("1"), Utc::now())
    });
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    for r in results.into_iter().filter(|r| r.is_err()) {
        assert_eq!(field_error(r), ("quantity", "error-out-of-stock"));
    }
    assert_eq!(count_orders(&app, tid), 1);
    assert_eq!(stock(&app, tid, id), Some(0));
    let held: i64 = people.iter().map(|p| balance(&app, tid, p).1).sum();
    assert_eq!(held, 100);
    verified(&app, tid);
}

#[actix_web::test]
async fn ten_redemptions_at_once_by_one_participant_spend_only_what_is_there() {
    let app = spawn_app().await;
    let shop = shop(&app, "ten");
    let tid = shop.tenant.tenant_id();
    let id = reward(&app, tid, "TEN-1", |_| {});
    let p = participant(&app, &shop, 1, 300);
    let who = p.clone();
    let results = at_once(&app, 10, move |_, conn| {
        redeem::redeem(conn, tid, &who, id, &order_input("1"), Utc::now())
    });
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        3,
        "{results:?}"
    );
    for r in results.into_iter().filter(|r| r.is_err()) {
        assert_eq!(field_error(r), ("quantity", "error-points-insufficient"));
    }
    assert_eq!(balance(&app, tid, &p), (0, 300));
    assert_eq!(count_orders(&app, tid), 3);
    verified(&app, tid);
}

#[actix_web::test]
async fn the_same_form_sent_twice_at_once_makes_one_order() {
    let app = spawn_app().await;
    let shop = shop(&app, "twice");
    let tid = shop.tenant.tenant_id();
    let id = reward(&app, tid, "TW-1", |_| {});
    let p = participant(&app, &shop, 1, 1000);
    let token = relais::services::once::new_token();
    let who = p.clone();
    let results = at_once(&app, 2, move |_, conn| {
        let input = RedeemInput {
            form_token: token.clone(),
            ..order_input("2")
        };
        redeem::redeem(conn, tid, &who, id, &input, Utc::now()).map(|r| r.order)
    });
    let ids: Vec<OrderId> = results.into_iter().map(Result::unwrap).collect();
    assert_eq!(ids[0], ids[1]);
    assert_eq!(count_orders(&app, tid), 1);
    assert_eq!(balance(&app, tid, &p), (800, 200));
}

#[actix_web::test]
async fn approving_and_rejecting_at_once_decides_once() {
    let app = spawn_app().await;
    let shop = shop(&app, "duel");
    let tid = shop.tenant.tenant_id();
    let id = reward(&app, tid, "DUEL-1", |r| r.stock = "50".into());
    let p = participant(&app, &shop, 1, 10_000);
    let mut ids = vec![];
    for _ in 0..8 {
        ids.push(
            redeem::redeem(&mut app.conn(), tid, &p, id, &order_input("1"), Utc::now())
                .unwrap()
                .order,
        );
    }
    let admin = shop.admin.clone();
    let list = ids.clone();
    let results = at_once(&app, 2, move |i, conn| {
        list.iter()
            .map(|o| {
                if i == 0 {
                    review::approve(conn, tid, &admin, *o, Utc::now()).is_ok()
                } else {
                    review::reject(conn, tid, &admin, *o, "No longer offered", Utc::now()).is_ok()
                }
            })
            .collect::<Vec<bool>>()
    });
    let mut approved = 0;
    for k in 0..ids.len() {
        assert!(
            results[0][k] ^ results[1][k],
            "order {k}: exactly one decision wins"
        );
        if results[0][k] {
            approved += 1;
        }
        let status = orders::find(&mut app.conn(), tid, ids[k], Lock::Unlocked)
            .unwrap()
            .status;
        assert_eq!(
            status,
            if results[0][k] {
                "approved"
            } else {
                "rejected"
            }
        );
    }
    // Captured points left for good, released ones came back; stock likewise.
    assert_eq!(balance(&app, tid, &p), (10_000 - 100 * approved, 0));
    assert_eq!(stock(&app, tid, id), Some(50 - approved as i32));
    let resolutions: i64 = ledger_transactions::table
        .filter(ledger_transactions::tenant_id.eq(tid))
        .filter(ledger_transactions::kind.eq_any(["capture", "release"]))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(resolutions, ids.len() as i64);
    verified(&app, tid);
}

#[actix_web::test]
async fn a_voucher_code_goes_to_one_order_under_concurrent_approvals() {
    let app = spawn_app().await;
    let shop = shop(&app, "codes");
    let tid = shop.tenant.tenant_id();
    let id = reward(&app, tid, "VOUCH-1", |r| r.kind = "voucher".into());
    let file = "code\nAAAA-1111\nBBBB-2222\nCCCC-3333\nDDDD-4444\nEEEE-5555\nFFFF-6666\n";
    let added = catalog::import_codes(
        &mut app.conn(),
        tid,
        &actor(),
        id,
        file.as_bytes(),
        Utc::now(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(added, 6);
    assert_eq!(stock(&app, tid, id), Some(6));
    let mut ids = vec![];
    for n in 0..6 {
        let p = participant(&app, &shop, n, 500);
        ids.push(
            redeem::redeem(&mut app.conn(), tid, &p, id, &order_input("1"), Utc::now())
                .unwrap()
                .order,
        );
    }
    // The pool is spent: a seventh participant cannot order.
    let late = participant(&app, &shop, 99, 500);
    assert_eq!(
        field_error(redeem::redeem(
            &mut app.conn(),
            tid,
            &late,
            id,
            &order_input("1"),
            Utc::now()
        )),
        ("quantity", "error-out-of-stock")
    );
    let second = app.create_user(&shop.tenant, Role::Admin, "admin2@codes.example", "Second");
    let admins = Arc::new([shop.admin.clone(), second]);
    let list = ids.clone();
    let results = at_once(&app, 2, move |i, conn| {
        let mut mine: Vec<OrderId> = list.clone();
        if i == 1 {
            mine.reverse();
        }
        review::approve_many(conn, tid, &admins[i], &mine, Utc::now()).unwrap()
    });
    assert_eq!(results[0].approved + results[1].approved, 6);
    let given: Vec<(String, Option<relais::domain::OrderLineId>)> = reward_codes::table
        .filter(reward_codes::tenant_id.eq(tid))
        .select((reward_codes::code, reward_codes::order_line_id))
        .load(&mut app.conn())
        .unwrap();
    assert!(
        given.iter().all(|(_, line)| line.is_some()),
        "every code given"
    );
    let mut lines: Vec<_> = given.iter().filter_map(|(_, l)| *l).collect();
    lines.sort();
    lines.dedup();
    assert_eq!(lines.len(), 6, "six lines, one code each");
    // Each participant sees their code.
    let statuses: Vec<String> = reward_order_lines::table
        .filter(reward_order_lines::tenant_id.eq(tid))
        .select(reward_order_lines::status)
        .load(&mut app.conn())
        .unwrap();
    assert!(statuses.iter().all(|s| s == "delivered"));
    verified(&app, tid);
}

#[actix_web::test]
async fn bad_input_is_refused_with_its_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let shop = shop(&app, "bad");
    let other = shop_other(&app);
    let tid = shop.tenant.tenant_id();
    let p = participant(&app, &shop, 1, 1000);
    let id = reward(&app, tid, "BAD-1", |r| r.max_per_participant = "2".into());
    let tv = reward(&app, tid, "TV-1", |r| r.kind = "physical".into());
    let later = reward(&app, tid, "LATER-1", |r| {
        r.available_from = (Utc::now().date_naive() + Duration::days(3)).to_string()
    });
    let foreign = reward(&app, other, "FOREIGN-1", |_| {});
    let seg = relais::services::segments::create(
        &mut app.conn(),
        tid,
        &actor(),
        &relais::services::segments::SegmentInput {
            name: "Nobody".into(),
            partner_codes: String::new(),
            regions: vec!["Nowhere".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let hidden = reward(&app, tid, "HIDDEN-1", |_| {});
    catalog::set_segments(
        &mut app.conn(),
        tid,
        &actor(),
        hidden,
        &[seg.id.to_string()],
    )
    .unwrap();
    let before = count_orders(&app, tid);
    let go = |id: RewardId, input: RedeemInput| {
        redeem::redeem(&mut app.conn(), tid, &p, id, &input, Utc::now())
    };
    for (q, key) in [
        ("0", "error-quantity-positive"),
        ("-1", "error-quantity-positive"),
        ("abc", "error-quantity-invalid"),
        ("", "error-required"),
        ("3", "error-quantity-over-max"),
        ("99999", "error-quantity-too-large"),
    ] {
        assert_eq!(
            field_error(go(id, order_input(q))),
            ("quantity", key),
            "quantity {q:?}"
        );
    }
    // Two are fine, then the maximum is reached.
    go(id, order_input("2")).unwrap();
    assert_eq!(
        field_error(go(id, order_input("1"))),
        ("quantity", "error-quantity-over-max")
    );
    match go(tv, order_input("1")) {
        Err(RewardError::Invalid(e)) => {
            for f in [
                "address_name",
                "address_line1",
                "address_postcode",
                "address_city",
                "address_country",
            ] {
                assert_eq!(e.get(f), Some(&"error-required"), "{f}");
            }
            assert!(!e.contains_key("address_line2") && !e.contains_key("address_phone"));
        }
        other => panic!("{other:?}"),
    }
    let mut bad_phone = address();
    bad_phone.address_phone = "call me <maybe>".into();
    let input = RedeemInput {
        address: bad_phone,
        ..order_input("1")
    };
    assert_eq!(
        field_error(go(tv, input)),
        ("address_phone", "error-phone-invalid")
    );
    assert_eq!(
        field_error(go(later, order_input("1"))),
        ("reward", "error-reward-unavailable")
    );
    assert!(matches!(
        go(foreign, order_input("1")),
        Err(RewardError::NotFound)
    ));
    assert!(matches!(
        go(hidden, order_input("1")),
        Err(RewardError::NotFound)
    ));
    assert!(matches!(
        go(RewardId(987_654), order_input("1")),
        Err(RewardError::NotFound)
    ));
    assert_eq!(count_orders(&app, tid), before + 1);
    assert_eq!(balance(&app, tid, &p), (800, 200));
    // A good address is remembered for next time.
    let input = RedeemInput {
        address: address(),
        ..order_input("1")
    };
    go(tv, input).unwrap();
    let remembered = orders::address_of(&mut app.conn(), tid, p.id)
        .unwrap()
        .unwrap();
    assert_eq!(remembered["city"], "Paris");

    // A code file with a duplicate is refused whole, the line named.
    let vouch = reward(&app, tid, "VOUCH-2", |r| r.kind = "voucher".into());
    let problems = catalog::import_codes(
        &mut app.conn(),
        tid,
        &actor(),
        vouch,
        b"code\nKEEP-0001\nKEEP-0002\nKEEP-0001\n",
        Utc::now(),
    )
    .unwrap()
    .unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].line, problems[0].key),
        (4, "error-code-duplicate")
    );
    catalog::import_codes(
        &mut app.conn(),
        tid,
        &actor(),
        vouch,
        b"NEW-00001\n",
        Utc::now(),
    )
    .unwrap()
    .unwrap();
    let again = catalog::import_codes(
        &mut app.conn(),
        tid,
        &actor(),
        vouch,
        b"OK-000002\nNEW-00001\n",
        Utc::now(),
    )
    .unwrap()
    .unwrap_err();
    assert_eq!((again[0].line, again[0].key), (2, "error-code-in-pool"));
    let pool: i64 = reward_codes::table
        .filter(reward_codes::tenant_id.eq(tid))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(pool, 1);
    assert_eq!(stock(&app, tid, vouch), Some(1));
    // Codes only for e-vouchers; generated ones are unguessable and distinct.
    assert_eq!(
        field_error(catalog::generate_codes(
            &mut app.conn(),
            tid,
            &actor(),
            id,
            "5",
            Utc::now()
        )),
        ("codes", "error-codes-not-voucher")
    );
    assert_eq!(
        catalog::generate_codes(&mut app.conn(), tid, &actor(), vouch, "50", Utc::now()).unwrap(),
        50
    );
    assert_eq!(stock(&app, tid, vouch), Some(51));
    verified(&app, tid);
}

fn shop_other(app: &TestApp) -> TenantId {
    app.create_tenant("elsewhere", "Elsewhere").0.tenant_id()
}

#[actix_web::test]
async fn a_physical_reward_is_shipped_delivered_or_refunded_line_by_line() {
    let app = spawn_app().await;
    let shop = shop(&app, "ship");
    let tid = shop.tenant.tenant_id();
    let tv = reward(&app, tid, "TV-2", |r| {
        r.kind = "physical".into();
        r.stock = "5".into();
        r.points = "300".into();
    });
    let p = participant(&app, &shop, 1, 1000);
    let input = RedeemInput {
        address: address(),
        ..order_input("2")
    };
    let first = redeem::redeem(&mut app.conn(), tid, &p, tv, &input, Utc::now())
        .unwrap()
        .order;
    let input = RedeemInput {
        address: address(),
        ..order_input("1")
    };
    let second = redeem::redeem(&mut app.conn(), tid, &p, tv, &input, Utc::now())
        .unwrap()
        .order;
    assert_eq!(balance(&app, tid, &p), (100, 900));
    assert_eq!(stock(&app, tid, tv), Some(2));
    // Nothing ships before approval; the participant's own order is not theirs to approve.
    let line = |o: OrderId| orders::lines_of(&mut app.conn(), tid, &[o]).unwrap()[0].id;
    let (l1, l2) = (line(first), line(second));
    let ship = StepInput {
        carrier: "La Poste".into(),
        tracking_number: "6A123456789".into(),
        reason: String::new(),
    };
    assert!(matches!(
        fulfil::step(
            &mut app.conn(),
            tid,
            &shop.admin,
            l1,
            Step::Ship,
            &ship,
            Utc::now()
        ),
        Err(RewardError::Refused("error-line-step"))
    ));
    review::approve(&mut app.conn(), tid, &shop.admin, first, Utc::now()).unwrap();
    review::approve(&mut app.conn(), tid, &shop.admin, second, Utc::now()).unwrap();
    assert_eq!(balance(&app, tid, &p), (100, 0));
    assert!(matches!(
        review::approve(&mut app.conn(), tid, &shop.admin, first, Utc::now()),
        Err(RewardError::Refused("error-order-decided"))
    ));
    // Shipping needs a carrier and a tracking number.
    let missing = StepInput::default();
    match fulfil::step(
        &mut app.conn(),
        tid,
        &shop.admin,
        l1,
        Step::Ship,
        &missing,
        Utc::now(),
    ) {
        Err(RewardError::Invalid(e)) => {
            assert_eq!(e.get("carrier"), Some(&"error-required"));
            assert_eq!(e.get("tracking_number"), Some(&"error-required"));
        }
        other => panic!("{other:?}"),
    }
    fulfil::step(
        &mut app.conn(),
        tid,
        &shop.admin,
        l1,
        Step::Ship,
        &ship,
        Utc::now(),
    )
    .unwrap();
    fulfil::step(
        &mut app.conn(),
        tid,
        &shop.admin,
        l1,
        Step::Deliver,
        &StepInput::default(),
        Utc::now(),
    )
    .unwrap();
    let delivered = orders::find_line(&mut app.conn(), tid, l1, Lock::Unlocked).unwrap();
    assert_eq!(
        (
            delivered.status.as_str(),
            delivered.tracking_number.as_str()
        ),
        ("delivered", "6A123456789")
    );
    // A delivered line is final; the other is refunded: points back, stock restored.
    let refund = StepInput {
        reason: "Out of production".into(),
        ..StepInput::default()
    };
    assert!(matches!(
        fulfil::step(
            &mut app.conn(),
            tid,
            &shop.admin,
            l1,
            Step::Refund,
            &refund,
            Utc::now()
        ),
        Err(RewardError::Refused("error-line-step"))
    ));
    fulfil::step(
        &mut app.conn(),
        tid,
        &shop.admin,
        l2,
        Step::Refund,
        &refund,
        Utc::now(),
    )
    .unwrap();
    assert_eq!(balance(&app, tid, &p), (400, 0));
    assert_eq!(stock(&app, tid, tv), Some(3));
    assert!(fulfil::step(
        &mut app.conn(),
        tid,
        &shop.admin,
        l2,
        Step::Refund,
        &refund,
        Utc::now()
    )
    .is_err());
    assert_eq!(balance(&app, tid, &p), (400, 0));
    // Another tenant's admin finds nothing.
    let (_, stranger) = app.create_tenant("stranger", "Stranger");
    assert!(matches!(
        fulfil::step(
            &mut app.conn(),
            tid,
            &stranger,
            l2,
            Step::Deliver,
            &StepInput::default(),
            Utc::now()
        ),
        Err(RewardError::NotFound)
    ));
    assert!(matches!(
        review::approve(&mut app.conn(), tid, &stranger, first, Utc::now()),
        Err(RewardError::NotFound)
    ));
    verified(&app, tid);
}

#[actix_web::test]
async fn small_orders_approve_themselves_and_no_one_approves_their_own() {
    let app = spawn_app().await;
    let shop = shop(&app, "auto");
    let tid = shop.tenant.tenant_id();
    let cheap = reward(&app, tid, "CHEAP-1", |r| r.points = "50".into());
    let dear = reward(&app, tid, "DEAR-1", |r| r.points = "500".into());
    let p = participant(&app, &shop, 1, 2000);
    assert_eq!(
        field_error(review::set_auto_approve(
            &mut app.conn(),
            tid,
            &actor(),
            "-5",
            Utc::now()
        )),
        ("auto_approve_below", "error-points-invalid")
    );
    review::set_auto_approve(&mut app.conn(), tid, &actor(), "100", Utc::now()).unwrap();
    let small = redeem::redeem(
        &mut app.conn(),
        tid,
        &p,
        cheap,
        &order_input("1"),
        Utc::now(),
    )
    .unwrap();
    assert!(small.approved);
    let big = redeem::redeem(
        &mut app.conn(),
        tid,
        &p,
        dear,
        &order_input("1"),
        Utc::now(),
    )
    .unwrap();
    assert!(!big.approved);
    assert_eq!(balance(&app, tid, &p), (1450, 500));
    // The participant becomes an admin: still not the one to approve their order.
    let promoted = relais::db::users::update(
        &mut app.conn(),
        tid,
        p.id,
        &relais::db::users::UserChange {
            role: Some(Role::Admin.as_str()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(matches!(
        review::approve(&mut app.conn(), tid, &promoted, big.order, Utc::now()),
        Err(RewardError::Refused("error-order-own"))
    ));
    // The participant cancels; a cancelled order cannot be approved any more.
    redeem::cancel(&mut app.conn(), tid, &p, big.order, Utc::now()).unwrap();
    assert_eq!(balance(&app, tid, &p), (1950, 0));
    assert!(matches!(
        review::approve(&mut app.conn(), tid, &shop.admin, big.order, Utc::now()),
        Err(RewardError::Refused("error-order-decided"))
    ));
    assert!(matches!(
        redeem::cancel(&mut app.conn(), tid, &p, small.order, Utc::now()),
        Err(RewardError::Refused("error-order-decided"))
    ));
    verified(&app, tid);
}

#[actix_web::test]
async fn the_demo_has_a_catalog_with_pictures_and_orders_in_every_state() {
    let app = spawn_app().await;
    let report = relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let tid = report.tenant.tenant_id();
    let count_rewards = || -> i64 {
        rewards::table
            .filter(rewards::tenant_id.eq(tid))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(count_rewards(), 12);
    let images: i64 = relais::db::schema::reward_images::table
        .filter(relais::db::schema::reward_images::tenant_id.eq(tid))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(images, 12);
    let mut kinds: Vec<String> = rewards::table
        .filter(rewards::tenant_id.eq(tid))
        .select(rewards::kind)
        .distinct()
        .load(&mut app.conn())
        .unwrap();
    kinds.sort();
    assert_eq!(kinds, ["donation", "experience", "physical", "voucher"]);
    let mut states: Vec<String> = reward_orders::table
        .filter(reward_orders::tenant_id.eq(tid))
        .select(reward_orders::status)
        .distinct()
        .load(&mut app.conn())
        .unwrap();
    states.sort();
    assert_eq!(states, ["approved", "cancelled", "pending", "rejected"]);
    let mut lines: Vec<String> = reward_order_lines::table
        .filter(reward_order_lines::tenant_id.eq(tid))
        .select(reward_order_lines::status)
        .distinct()
        .load(&mut app.conn())
        .unwrap();
    lines.sort();
    assert_eq!(
        lines,
        [
            "cancelled",
            "delivered",
            "pending",
            "processing",
            "refunded",
            "rejected",
            "shipped"
        ]
    );
    let orders_before = count_orders(&app, tid);
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    assert_eq!(
        (count_rewards(), count_orders(&app, tid)),
        (12, orders_before)
    );
    verified(&app, tid);
}

#[actix_web::test]
async fn the_catalog_is_imported_from_a_french_file_or_refused_whole() {
    use relais::services::imports::{self, ImportError, ImportFile, ImportKind, Silent};
    let app = spawn_app().await;
    let shop = shop(&app, "import");
    let tid = shop.tenant.tenant_id();
    let import = |bytes: &str| {
        imports::import(
            &mut app.conn(),
            tid,
            &actor(),
            &ImportFile {
                kind: ImportKind::Rewards,
                name: "catalogue.csv",
                bytes: bytes.as_bytes(),
            },
            &Silent,
        )
    };
    // A bad kind and a bad cost: nothing is written, each line is said.
    let bad = "Code récompense;Récompense;Catégorie;Type;Coût;Stok\n\
               GOURDE;Gourde;Maison;physical;900;40\n\
               SPA;Journée spa;Expériences;massage;6000;\n\
               DON;Don;Dons;donation;-5;\n";
    match import(bad) {
        Err(ImportError::Refused(r)) => {
            let lines: Vec<_> = r
                .errors
                .iter()
                .map(|e| (e.line, e.column.clone()))
                .collect();
            assert_eq!(
                lines,
                vec![
                    (Some(3), Some("Type".into())),
                    (Some(4), Some("Coût".into()))
                ],
                "in the file's own words"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        rewards::table
            .filter(rewards::tenant_id.eq(tid))
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap(),
        0
    );
    let good = "Code récompense;Récompense;Catégorie;Type;Coût;Stok\n\
                GOURDE;Gourde;Maison;physical;900;40\n\
                SPA;Journée spa;Expériences;experience;6000;\n";
    let summary = import(good).unwrap();
    assert_eq!((summary.created, summary.updated), (2, 0));
    let again = import(&good.replace("900", "950")).unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 1, 1));
    let gourde = relais::db::rewards::by_keys(&mut app.conn(), tid, &["GOURDE"])
        .unwrap()
        .remove("GOURDE")
        .unwrap();
    assert_eq!((gourde.cost_points, gourde.stock), (950, Some(40)));
}
