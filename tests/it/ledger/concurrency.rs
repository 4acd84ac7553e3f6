//! Real connections on real threads, released together by a barrier, at READ COMMITTED.

use std::sync::{Arc, Barrier};
use std::thread;

use relais::domain::ledger::{HoldId, Points};
use relais::domain::{TenantId, TransactionId, UserId};
use relais::services::ledger::{self, LedgerError, Posted};

use super::support::{assert_verified, balance, count, earn, meta, participant, tenant, Db};

/// Runs `f(i, conn)` on `n` threads with their own connections, all starting at once.
fn race<T: Send + 'static>(
    db: &Db,
    n: usize,
    f: impl Fn(usize, &mut diesel::PgConnection) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let f = Arc::new(f);
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let mut conn = db.conn();
            let (f, barrier) = (f.clone(), barrier.clone());
            thread::spawn(move || {
                barrier.wait();
                f(i, &mut conn)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn setup(db: &Db, points: i64) -> (TenantId, UserId) {
    let c = &mut db.conn();
    let t = tenant(c, None);
    let ana = participant(c, t, "ana");
    earn(c, t, ana, points, "seed");
    (t, ana)
}

#[test]
fn fifty_concurrent_holds_of_ten_on_a_hundred_grant_exactly_ten() {
    let db = Db::new();
    let (t, ana) = setup(&db, 100);

    let results = race(&db, 50, move |i, c| {
        ledger::hold(c, t, ana, Points(10), &meta(&format!("order-{i}")))
    });

    let granted = results.iter().filter(|r| r.is_ok()).count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(LedgerError::InsufficientPoints)))
        .count();
    assert_eq!((granted, refused), (10, 40), "{results:?}");
    let c = &mut db.conn();
    assert_eq!(balance(c, t, ana), (0, 100));
    assert_eq!(count(c, t, "hold"), 10);
    assert_verified(c, t);
}

#[test]
fn the_same_key_sent_twenty_times_at_once_makes_one_transaction() {
    let db = Db::new();
    let (t, ana) = setup(&db, 1);

    let results: Vec<Posted> = race(&db, 20, move |_, c| {
        ledger::earn(c, t, ana, Points(25), &meta("declaration-42")).unwrap()
    });

    let ids: std::collections::BTreeSet<TransactionId> =
        results.iter().map(|p| p.transaction.id).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(results.iter().filter(|p| !p.replayed).count(), 1);
    let c = &mut db.conn();
    assert_eq!(count(c, t, "earn"), 2);
    assert_eq!(balance(c, t, ana), (26, 0));
    assert_verified(c, t);
}

#[test]
fn a_capture_raced_against_a_release_resolves_the_hold_once() {
    let db = Db::new();
    let (t, ana) = setup(&db, 200);
    let holds: Vec<HoldId> = {
        let c = &mut db.conn();
        (0..10)
            .map(|i| {
                ledger::hold(c, t, ana, Points(20), &meta(&format!("h{i}")))
                    .unwrap()
                    .hold_id()
            })
            .collect()
    };

    let mut captured = 0;
    for (i, hold) in holds.into_iter().enumerate() {
        let results = race(&db, 2, move |side, c| {
            let key = format!("resolve-{i}-{side}");
            let m = meta(&key);
            if side == 0 {
                ledger::capture(c, t, hold, &m)
            } else {
                ledger::release(c, t, hold, &m)
            }
        });
        let won = results.iter().filter(|r| r.is_ok()).count();
        let lost = results
            .iter()
            .filter(|r| matches!(r, Err(LedgerError::HoldAlreadyResolved)))
            .count();
        assert_eq!((won, lost), (1, 1), "{results:?}");
        captured += usize::from(results[0].is_ok());
    }
    let c = &mut db.conn();
    let captured = i64::try_from(captured).unwrap() * 20;
    assert_eq!(balance(c, t, ana), (200 - captured, 0));
    assert_verified(c, t);
}

#[test]
fn mixed_concurrent_movements_never_overdraw_and_stay_consistent() {
    let db = Db::new();
    let (t, ana) = setup(&db, 50);

    race(&db, 24, move |i, c| {
        let key = format!("op-{i}");
        let m = meta(&key);
        let _ = match i % 4 {
            0 => ledger::earn(c, t, ana, Points(7), &m),
            1 => ledger::adjust(c, t, ana, Points(-9), &m.reason("fix")),
            2 => ledger::hold(c, t, ana, Points(11), &m)
                .and_then(|h| ledger::capture(c, t, h.hold_id(), &meta(&format!("cap-{i}")))),
            _ => ledger::expire_due(c, t, super::support::t0())
                .map(|_| ledger::earn(c, t, ana, Points(1), &meta(&format!("bonus-{i}"))).unwrap()),
        };
    });

    let c = &mut db.conn();
    let (available, held) = balance(c, t, ana);
    assert!(available >= 0 && held == 0);
    assert_verified(c, t);
}
