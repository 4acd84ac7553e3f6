//! Random sequences of movements (with replays and expiry runs as time passes), each
//! applied to the service and to the model; after every step the balances, lots and
//! statement must match the model and `verify` must find nothing. One database for the
//! whole property, a new tenant per case.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use relais::domain::ledger::{HoldId, Points, TransactionId};
use relais::domain::{TenantId, UserId};
use relais::services::ledger::{self, LedgerError, Meta, Period, Posted, EXPIRING_WINDOW};

use super::model::{Model, Outcome};
use super::support::{lots, participant, t0, tenant, Db};

const USERS: usize = 2;
const MONTHS: u32 = 3;

#[derive(Debug, Clone)]
enum Op {
    Earn(usize, i64),
    Hold(usize, i64),
    Capture(Index),
    Release(Index),
    Adjust(usize, i64),
    Reverse(Index),
    Advance(i64),
    Expire,
    Replay(Index, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..USERS, 1..150i64).prop_map(|(u, a)| Op::Earn(u, a)),
        3 => (0..USERS, 1..120i64).prop_map(|(u, a)| Op::Hold(u, a)),
        2 => any::<Index>().prop_map(Op::Capture),
        2 => any::<Index>().prop_map(Op::Release),
        2 => (0..USERS, -80..80i64)
            .prop_filter("non-zero", |(_, d)| *d != 0)
            .prop_map(|(u, d)| Op::Adjust(u, d)),
        2 => any::<Index>().prop_map(Op::Reverse),
        2 => (1..50i64).prop_map(Op::Advance),
        2 => Just(Op::Expire),
        1 => (any::<Index>(), any::<bool>()).prop_map(|(i, t)| Op::Replay(i, t)),
    ]
}

#[derive(Debug, Clone, Copy)]
enum Request {
    Earn(UserId, i64),
    Hold(UserId, i64),
    Capture(HoldId),
    Release(HoldId),
    Adjust(UserId, i64),
    Reverse(TransactionId),
}

fn send(c: &mut PgConnection, t: TenantId, req: Request, m: &Meta) -> Result<Posted, LedgerError> {
    match req {
        Request::Earn(u, a) => ledger::earn(c, t, u, Points(a), m),
        Request::Hold(u, a) => ledger::hold(c, t, u, Points(a), m),
        Request::Capture(h) => ledger::capture(c, t, h, m),
        Request::Release(h) => ledger::release(c, t, h, m),
        Request::Adjust(u, d) => ledger::adjust(c, t, u, Points(d), m),
        Request::Reverse(x) => ledger::reverse(c, t, x, m),
    }
}

fn outcome(r: &Result<Posted, LedgerError>) -> Result<Outcome, TestCaseError> {
    Ok(match r {
        Ok(_) => Outcome::Ok,
        Err(LedgerError::InsufficientPoints) => Outcome::Insufficient,
        Err(LedgerError::HoldAlreadyResolved) => Outcome::AlreadyResolved,
        Err(LedgerError::AlreadyReversed) => Outcome::AlreadyReversed,
        Err(LedgerError::NotReversible) => Outcome::NotReversible,
        Err(e) => return Err(TestCaseError::fail(format!("unexpected error {e:?}"))),
    })
}

/// One case: the service's ids of the model's transactions and holds, the requests sent.
struct Case {
    t: TenantId,
    users: Vec<UserId>,
    model: Model,
    ids: Vec<TransactionId>,
    holds: Vec<HoldId>,
    sent: Vec<(Request, String, TransactionId)>,
    keys: u32,
}

impl Case {
    fn key(&mut self) -> String {
        self.keys += 1;
        format!("k{}", self.keys)
    }

    /// Sends a new request and checks its outcome against the model's.
    fn request(
        &mut self,
        c: &mut PgConnection,
        req: Request,
        expected: Outcome,
    ) -> Result<Option<Posted>, TestCaseError> {
        let key = self.key();
        let meta = Meta::new(&key, self.model.now).reason("prop");
        let result = send(c, self.t, req, &meta);
        prop_assert_eq!(outcome(&result)?, expected, "{:?} -> {:?}", req, result);
        let posted = result.ok();
        if let Some(p) = &posted {
            self.ids.push(p.transaction.id);
            self.sent.push((req, key, p.transaction.id));
        }
        Ok(posted)
    }

    fn step(&mut self, c: &mut PgConnection, op: &Op) -> Result<(), TestCaseError> {
        match *op {
            Op::Earn(u, a) => {
                self.model.earn(u, a);
                self.request(c, Request::Earn(self.users[u], a), Outcome::Ok)?;
            }
            Op::Hold(u, a) => {
                let expected = self.model.hold(u, a).map_or_else(|e| e, |_| Outcome::Ok);
                if let Some(p) = self.request(c, Request::Hold(self.users[u], a), expected)? {
                    self.holds.push(p.hold_id());
                }
            }
            Op::Capture(i) | Op::Release(i) if !self.holds.is_empty() => {
                let capture = matches!(op, Op::Capture(_));
                let h = i.index(self.holds.len());
                let expected = self.model.resolve(h, capture);
                let req = if capture {
                    Request::Capture(self.holds[h])
                } else {
                    Request::Release(self.holds[h])
                };
                self.request(c, req, expected)?;
            }
            Op::Adjust(u, d) => {
                let expected = self.model.adjust(u, d);
                self.request(c, Request::Adjust(self.users[u], d), expected)?;
            }
            Op::Reverse(i) if !self.ids.is_empty() => {
                let x = i.index(self.ids.len());
                let expected = self.model.reverse(x);
                self.request(c, Request::Reverse(self.ids[x]), expected)?;
            }
            Op::Advance(days) => self.model.now += chrono::Duration::days(days),
            Op::Expire => {
                let made = self.model.expire();
                let run = ledger::expire_due(c, self.t, self.model.now).map_err(fail)?;
                let points: i64 = made.iter().map(|(_, x)| x).sum();
                prop_assert_eq!(
                    (run.transactions, run.points.0),
                    (made.len() as u64, points)
                );
                let last = self.ids.iter().copied().max().unwrap_or(TransactionId(0));
                let new = expires_after(c, self.t, last);
                let amounts: Vec<i64> = made.iter().map(|(_, x)| *x).collect();
                prop_assert_eq!(new.iter().map(|(_, a)| *a).collect::<Vec<_>>(), amounts);
                self.ids.extend(new.iter().map(|(id, _)| *id));
            }
            Op::Replay(i, tamper) if !self.sent.is_empty() => {
                let (req, key, id) = self.sent[i.index(self.sent.len())].clone();
                let reason = if tamper { "tampered" } else { "prop" };
                let meta = Meta::new(&key, self.model.now).reason(reason);
                match send(c, self.t, req, &meta) {
                    Ok(p) if !tamper => prop_assert!(p.replayed && p.transaction.id == id),
                    Err(LedgerError::IdempotencyConflict) if tamper => {}
                    other => prop_assert!(false, "replay of {:?}: {:?}", req, other),
                }
            }
            _ => {}
        }
        prop_assert_eq!(self.ids.len(), self.model.txns.len());
        Ok(())
    }

    fn check(&self, c: &mut PgConnection) -> Result<(), TestCaseError> {
        let now = self.model.now;
        for (i, &user) in self.users.iter().enumerate() {
            let b = ledger::balance(c, self.t, user, now).map_err(fail)?;
            let expected = (
                self.model.available[i],
                self.model.held[i],
                self.model.expiring_before(i, now + EXPIRING_WINDOW),
            );
            prop_assert_eq!((b.available.0, b.held.0, b.expiring_soon.0), expected);
            prop_assert_eq!(lots(c, self.t, user), self.model.lots_of(i));
            let s = ledger::statement(c, self.t, user, Period::default(), now).map_err(fail)?;
            if let Some(last) = s.lines.last() {
                prop_assert_eq!(
                    (last.available_after.0, last.held_after.0),
                    (expected.0, expected.1)
                );
            }
        }
        let report = ledger::verify(c, Some(self.t)).map_err(fail)?;
        prop_assert!(report.violations.is_empty(), "{:#?}", report.violations);
        Ok(())
    }
}

fn fail(e: LedgerError) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

#[derive(QueryableByName)]
struct IdAmount {
    #[diesel(sql_type = BigInt)]
    id: TransactionId,
    #[diesel(sql_type = BigInt)]
    amount: i64,
}

fn expires_after(
    c: &mut PgConnection,
    t: TenantId,
    after: TransactionId,
) -> Vec<(TransactionId, i64)> {
    diesel::sql_query(
        "SELECT id, amount FROM ledger_transactions
         WHERE tenant_id = $1 AND kind = 'expire' AND id > $2 ORDER BY id",
    )
    .bind::<BigInt, _>(t)
    .bind::<BigInt, _>(after)
    .load::<IdAmount>(c)
    .expect("expire transactions")
    .into_iter()
    .map(|r| (r.id, r.amount))
    .collect()
}

fn run_case(c: &mut PgConnection, ops: &[Op], start: DateTime<Utc>) -> Result<(), TestCaseError> {
    let t = tenant(c, Some(MONTHS));
    let users = (0..USERS)
        .map(|i| participant(c, t, &format!("u{i}")))
        .collect();
    let mut case = Case {
        t,
        users,
        model: Model::new(USERS, MONTHS, start),
        ids: vec![],
        holds: vec![],
        sent: vec![],
        keys: 0,
    };
    for op in ops {
        case.step(c, op)?;
        case.check(c)?;
    }
    Ok(())
}

#[test]
fn random_operations_match_the_model_and_keep_every_invariant() {
    let db = Db::new();
    let conn = RefCell::new(db.conn());
    let config = Config {
        cases: 32,
        max_shrink_iters: 300,
        failure_persistence: None,
        ..Config::default()
    };
    let result = TestRunner::new(config).run(&proptest::collection::vec(op(), 1..40), |ops| {
        run_case(&mut conn.borrow_mut(), &ops, t0())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
