//! Expiry: soonest-expiring lots are spent first, partial lots expire what is left,
//! held points are spared, and a run repeated (or raced) expires nothing twice.

use std::sync::{Arc, Barrier};

use chrono::{DateTime, Datelike, Months, Utc};
use relais::domain::ledger::Points;
use relais::services::ledger::{self, ExpiryRun, Meta};

use super::support::{assert_verified, balance, count, days, lots, participant, t0, tenant, Db};

fn month(n: u32) -> DateTime<Utc> {
    t0().checked_add_months(Months::new(n)).unwrap()
}

#[test]
fn spending_takes_the_oldest_lots_first_and_expiry_takes_what_is_left() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, Some(12));
    let ana = participant(c, t, "ana");
    ledger::earn(c, t, ana, Points(100), &Meta::new("e1", t0())).unwrap();
    ledger::earn(c, t, ana, Points(50), &Meta::new("e2", month(1))).unwrap();
    ledger::earn(c, t, ana, Points(30), &Meta::new("e3", month(2))).unwrap();

    let h = ledger::hold(c, t, ana, Points(120), &Meta::new("h", month(3))).unwrap();
    ledger::capture(c, t, h.hold_id(), &Meta::new("c", month(3))).unwrap();
    assert_eq!(lots(c, t, ana), vec![0, 30, 30]);

    // The first lot is spent; the second expires with its 30 left; the third not yet.
    let run = ledger::expire_due(c, t, month(13) + days(1)).unwrap();
    assert_eq!(
        run,
        ExpiryRun {
            transactions: 1,
            points: Points(30)
        }
    );
    assert_eq!(lots(c, t, ana), vec![0, 0, 30]);
    assert_eq!(balance(c, t, ana), (30, 0));

    // Running again expires nothing more.
    let again = ledger::expire_due(c, t, month(13) + days(1)).unwrap();
    assert_eq!(again, ExpiryRun::default());

    let later = ledger::expire_due(c, t, month(15)).unwrap();
    assert_eq!(later.points, Points(30));
    assert_eq!(balance(c, t, ana), (0, 0));
    assert_eq!(count(c, t, "expire"), 2);
    assert_verified(c, t);
}

#[test]
fn held_points_are_spared_until_released() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, Some(1));
    let ana = participant(c, t, "ana");
    ledger::earn(c, t, ana, Points(100), &Meta::new("e1", t0())).unwrap();
    let h = ledger::hold(c, t, ana, Points(80), &Meta::new("h", t0())).unwrap();

    let first = ledger::expire_due(c, t, month(2)).unwrap();
    assert_eq!(first.points, Points(20));
    assert_eq!(balance(c, t, ana), (0, 80));

    ledger::release(c, t, h.hold_id(), &Meta::new("r", month(2))).unwrap();
    let second = ledger::expire_due(c, t, month(2)).unwrap();
    assert_eq!(second.points, Points(80));
    assert_eq!(balance(c, t, ana), (0, 0));
    assert_eq!(lots(c, t, ana), vec![0]);
    assert_verified(c, t);
}

#[test]
fn expiry_run_twice_at_once_expires_once() {
    let db = Db::new();
    let (t, users) = {
        let c = &mut db.conn();
        let t = tenant(c, Some(6));
        let users: Vec<_> = (0..5)
            .map(|i| participant(c, t, &format!("p{i}")))
            .collect();
        for (i, u) in users.iter().enumerate() {
            for j in 0..3 {
                let key = format!("e{i}-{j}");
                let at = t0() + days(j);
                ledger::earn(c, t, *u, Points(10), &Meta::new(&key, at)).unwrap();
            }
        }
        (t, users)
    };

    let barrier = Arc::new(Barrier::new(4));
    let runs: Vec<ExpiryRun> = (0..4)
        .map(|_| {
            let (mut c, barrier) = (db.conn(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                ledger::expire_due(&mut c, t, month(7)).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();

    let total: i64 = runs.iter().map(|r| r.points.0).sum();
    assert_eq!(total, 150);
    let c = &mut db.conn();
    assert_eq!(count(c, t, "expire"), 15);
    for u in users {
        assert_eq!(balance(c, t, u), (0, 0));
    }
    assert_verified(c, t);
}

#[test]
fn without_a_policy_points_never_expire_and_the_balance_warns_ahead() {
    let db = Db::new();
    let c = &mut db.conn();
    let forever = tenant(c, None);
    let ana = participant(c, forever, "ana");
    ledger::earn(c, forever, ana, Points(10), &Meta::new("e", t0())).unwrap();
    assert_eq!(
        ledger::expire_due(c, forever, month(600)).unwrap(),
        ExpiryRun::default()
    );

    let t = tenant(c, Some(6));
    let bob = participant(c, t, "bob");
    ledger::earn(c, t, bob, Points(10), &Meta::new("e1", t0())).unwrap();
    ledger::earn(c, t, bob, Points(20), &Meta::new("e2", month(3))).unwrap();
    let soon = |c: &mut diesel::PgConnection, now| {
        ledger::balance(c, t, bob, now).unwrap().expiring_soon.0
    };
    assert_eq!(soon(c, t0()), 0);
    assert_eq!(soon(c, month(4)), 10);
    assert_eq!(soon(c, month(7)), 30);
}

#[test]
fn the_liability_sums_participants_and_groups_expiry_by_month() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, Some(2));
    let ana = participant(c, t, "ana");
    let bob = participant(c, t, "bob");
    ledger::earn(c, t, ana, Points(100), &Meta::new("e1", t0())).unwrap();
    ledger::earn(c, t, bob, Points(40), &Meta::new("e2", t0() + days(5))).unwrap();
    ledger::earn(c, t, bob, Points(25), &Meta::new("e3", month(1))).unwrap();
    ledger::hold(c, t, ana, Points(30), &Meta::new("h", month(1))).unwrap();

    let l = ledger::liability(c, t).unwrap();
    assert_eq!((l.available, l.held), (Points(135), Points(30)));
    let march = month(2).date_naive().with_day(1).unwrap();
    let april = month(3).date_naive().with_day(1).unwrap();
    assert_eq!(
        l.expiring_by_month,
        vec![(march, Points(140)), (april, Points(25))]
    );
}
