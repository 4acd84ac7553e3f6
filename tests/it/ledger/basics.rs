//! Each movement's effect, idempotency, reversal, the statement, verification.

use diesel::prelude::*;
use relais::domain::ledger::{Cause, CauseType, Points, TransactionKind};
use relais::services::ledger::{self, LedgerError, Meta, Period};

use super::support::{
    assert_verified, balance, count, days, earn, lots, meta, participant, t0, tenant, Db,
};

#[test]
fn holds_capture_and_release_move_points_between_available_and_held() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, None);
    let ana = participant(c, t, "ana");

    earn(c, t, ana, 100, "e1");
    let h1 = ledger::hold(c, t, ana, Points(30), &meta("h1")).unwrap();
    assert_eq!(balance(c, t, ana), (70, 30));
    let h2 = ledger::hold(c, t, ana, Points(50), &meta("h2")).unwrap();
    assert_eq!(balance(c, t, ana), (20, 80));
    assert!(matches!(
        ledger::hold(c, t, ana, Points(21), &meta("h3")),
        Err(LedgerError::InsufficientPoints)
    ));

    ledger::release(c, t, h1.hold_id(), &meta("r1")).unwrap();
    assert_eq!(balance(c, t, ana), (50, 50));
    ledger::capture(c, t, h2.hold_id(), &meta("c2")).unwrap();
    assert_eq!(balance(c, t, ana), (50, 0));
    assert_eq!(lots(c, t, ana), vec![50]);
    assert!(matches!(
        ledger::capture(c, t, h1.hold_id(), &meta("c1")),
        Err(LedgerError::HoldAlreadyResolved)
    ));
    assert!(matches!(
        ledger::release(c, t, h2.hold_id(), &meta("r2")),
        Err(LedgerError::HoldAlreadyResolved)
    ));
    assert_verified(c, t);
}

#[test]
fn a_key_replays_the_same_request_and_refuses_another() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, None);
    let ana = participant(c, t, "ana");
    let cause = Cause {
        kind: CauseType::Declaration,
        id: Some(7),
    };
    let m = meta("decl-7").cause(cause).reason("Sell-out March");

    let first = ledger::earn(c, t, ana, Points(40), &m).unwrap();
    let again = ledger::earn(c, t, ana, Points(40), &m).unwrap();
    assert!(!first.replayed);
    assert!(again.replayed);
    assert_eq!(first.transaction, again.transaction);
    assert_eq!(balance(c, t, ana), (40, 0));

    assert!(matches!(
        ledger::earn(c, t, ana, Points(41), &m),
        Err(LedgerError::IdempotencyConflict)
    ));
    assert!(matches!(
        ledger::hold(c, t, ana, Points(40), &m),
        Err(LedgerError::IdempotencyConflict)
    ));
    assert_eq!(count(c, t, "earn"), 1);

    // A refused debit leaves no trace: the same key works once points are there.
    assert!(matches!(
        ledger::hold(c, t, ana, Points(100), &meta("order-1")),
        Err(LedgerError::InsufficientPoints)
    ));
    earn(c, t, ana, 60, "decl-8");
    ledger::hold(c, t, ana, Points(100), &meta("order-1")).unwrap();
    assert_eq!(balance(c, t, ana), (0, 100));
}

#[test]
fn adjustments_need_a_reason_and_cannot_overdraw() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, None);
    let ana = participant(c, t, "ana");
    earn(c, t, ana, 50, "e1");

    assert!(matches!(
        ledger::adjust(c, t, ana, Points(10), &meta("a1").reason("  ")),
        Err(LedgerError::ReasonRequired)
    ));
    assert!(matches!(
        ledger::adjust(c, t, ana, Points(0), &meta("a1").reason("x")),
        Err(LedgerError::InvalidAmount)
    ));
    assert!(matches!(
        ledger::earn(c, t, ana, Points(1_000_000_000_001), &meta("a1")),
        Err(LedgerError::InvalidAmount)
    ));
    assert!(matches!(
        ledger::earn(c, t, ana, Points(1), &meta("")),
        Err(LedgerError::InvalidKey)
    ));
    assert!(matches!(
        ledger::adjust(c, t, ana, Points(-51), &meta("a1").reason("typo")),
        Err(LedgerError::InsufficientPoints)
    ));
    let down = ledger::adjust(c, t, ana, Points(-20), &meta("a2").reason(" typo ")).unwrap();
    assert_eq!(down.transaction.reason, "typo");
    ledger::adjust(c, t, ana, Points(5), &meta("a3").reason("goodwill")).unwrap();
    assert_eq!(balance(c, t, ana), (35, 0));
    assert_eq!(lots(c, t, ana), vec![30, 5]);
    assert_verified(c, t);
}

#[test]
fn reversals_correct_once_and_only_what_can_be_undone() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, None);
    let ana = participant(c, t, "ana");
    let first = ledger::earn(c, t, ana, Points(100), &meta("e1")).unwrap();
    let second = ledger::earn(c, t, ana, Points(40), &meta("e2")).unwrap();

    // Points taken back come from the reversed earn's own lot first.
    ledger::reverse(c, t, second.id(), &meta("rev-e2")).unwrap();
    assert_eq!(balance(c, t, ana), (100, 0));
    assert_eq!(lots(c, t, ana), vec![100, 0]);
    assert!(matches!(
        ledger::reverse(c, t, second.id(), &meta("rev-e2-again")),
        Err(LedgerError::AlreadyReversed)
    ));
    // The same reversal request replays.
    assert!(
        ledger::reverse(c, t, second.id(), &meta("rev-e2"))
            .unwrap()
            .replayed
    );

    let hold = ledger::hold(c, t, ana, Points(70), &meta("h1")).unwrap();
    assert!(matches!(
        ledger::reverse(c, t, hold.id(), &meta("rev-h1")),
        Err(LedgerError::NotReversible)
    ));
    assert!(matches!(
        ledger::reverse(c, t, first.id(), &meta("rev-e1")),
        Err(LedgerError::InsufficientPoints)
    ));
    // A captured redemption is refunded to the available balance.
    let capture = ledger::capture(c, t, hold.hold_id(), &meta("c1")).unwrap();
    let refund = ledger::reverse(c, t, capture.id(), &meta("refund-c1")).unwrap();
    assert_eq!(refund.transaction.kind, "reversal");
    assert_eq!(refund.transaction.reverses, Some(capture.transaction.id));
    assert_eq!(balance(c, t, ana), (100, 0));
    assert_verified(c, t);
}

#[test]
fn the_statement_lists_movements_with_running_balances_and_filters_by_period() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, Some(2));
    let ana = participant(c, t, "ana");
    let at = |d: i64, key: &'static str| Meta::new(key, t0() + days(d));

    ledger::earn(c, t, ana, Points(100), &at(0, "e1").reason("March")).unwrap();
    ledger::earn(c, t, ana, Points(50), &at(40, "e2")).unwrap();
    let h = ledger::hold(c, t, ana, Points(30), &at(41, "h1")).unwrap();
    ledger::capture(c, t, h.hold_id(), &at(42, "c1")).unwrap();
    ledger::adjust(c, t, ana, Points(-10), &at(43, "a1").reason("typo")).unwrap();

    let all = ledger::statement(c, t, ana, Period::default(), t0()).unwrap();
    let kinds: Vec<_> = all.lines.iter().map(|l| l.kind).collect();
    use TransactionKind::*;
    assert_eq!(kinds, vec![Earn, Earn, Hold, Capture, Adjust]);
    let running: Vec<_> = all
        .lines
        .iter()
        .map(|l| (l.available_after.0, l.held_after.0))
        .collect();
    assert_eq!(
        running,
        vec![(100, 0), (150, 0), (120, 30), (120, 0), (110, 0)]
    );
    assert_eq!(all.lines[0].reason, "March");
    assert_eq!(all.balance.available, Points(110));
    // The first lot (70 left after the capture took 30, then 10 by the adjustment)
    // expires two months after January 10th: within 90 days of t0.
    assert_eq!(all.balance.expiring_soon, Points(60));

    let period = Period {
        from: Some(t0() + days(41)),
        to: Some(t0() + days(43)),
    };
    let part = ledger::statement(c, t, ana, period, t0()).unwrap();
    assert_eq!(
        (part.opening_available, part.opening_held),
        (Points(150), Points(0))
    );
    assert_eq!(part.lines.len(), 2);
    assert_eq!(part.lines[1].available_after, Points(120));
}

#[test]
fn tenants_cannot_move_each_others_points() {
    let db = Db::new();
    let c = &mut db.conn();
    let a = tenant(c, None);
    let b = tenant(c, None);
    let ana = participant(c, a, "ana");
    earn(c, a, ana, 100, "e1");
    let h = ledger::hold(c, a, ana, Points(10), &meta("h1")).unwrap();

    assert!(matches!(
        ledger::earn(c, b, ana, Points(5), &meta("e1")),
        Err(LedgerError::NotFound)
    ));
    assert!(matches!(
        ledger::capture(c, b, h.hold_id(), &meta("c1")),
        Err(LedgerError::NotFound)
    ));
    assert!(matches!(
        ledger::reverse(c, b, h.id(), &meta("r1")),
        Err(LedgerError::NotFound)
    ));
    assert_eq!(balance(c, a, ana), (90, 10));
}

#[test]
fn verify_names_what_was_tampered_with() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, None);
    let ana = participant(c, t, "ana");
    earn(c, t, ana, 100, "e1");
    assert_verified(c, t);

    diesel::sql_query("UPDATE ledger_balances SET available = available + 5")
        .execute(c)
        .unwrap();
    diesel::sql_query("UPDATE ledger_lots SET remaining = remaining - 1")
        .execute(c)
        .unwrap();
    let report = ledger::verify(c, Some(t)).unwrap();
    let found: Vec<(&str, i64)> = report
        .violations
        .iter()
        .map(|v| (v.invariant, v.id))
        .collect();
    assert!(
        found.contains(&("cached balances equal postings", ana.0)),
        "{found:?}"
    );
    assert!(found.contains(&("lots left equal available plus held", ana.0)));
    assert!(found
        .iter()
        .any(|(inv, _)| *inv == "a lot's remaining is its amount less its uses"));

    // The ledger's own history cannot be edited.
    let edit = diesel::sql_query("UPDATE ledger_postings SET amount = amount + 1").execute(c);
    assert!(edit.is_err());
}

#[test]
fn the_verify_command_fails_with_the_offending_ids() {
    let db = Db::new();
    let c = &mut db.conn();
    let t = tenant(c, None);
    let ana = participant(c, t, "ana");
    earn(c, t, ana, 100, "e1");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_relais"))
            .args(["ledger", "verify"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RELAIS_ENV", "test")
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap()
    };
    let ok = run();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("1 transaction(s)"));

    diesel::sql_query("UPDATE ledger_balances SET held = 3")
        .execute(c)
        .unwrap();
    let bad = run();
    assert!(!bad.status.success());
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(out.contains(&format!("participant {}", ana.0)), "{out}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("violation"));
}
