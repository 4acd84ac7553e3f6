//! A simple in-memory ledger: what the service should do, written the obvious way.

use chrono::{DateTime, Months, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Insufficient,
    AlreadyResolved,
    AlreadyReversed,
    NotReversible,
}

#[derive(Debug, Clone)]
pub struct Lot {
    pub user: usize,
    pub remaining: i64,
    pub expires: DateTime<Utc>,
    /// The model transaction that created it.
    pub txn: usize,
}

#[derive(Debug, Clone)]
pub struct Txn {
    pub user: usize,
    /// What the transaction did to the participant's available + held points.
    pub net: i64,
    pub reversible: bool,
    pub reversed: bool,
}

#[derive(Debug, Clone)]
pub struct Hold {
    pub user: usize,
    pub amount: i64,
    pub pending: bool,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub months: u32,
    pub now: DateTime<Utc>,
    pub available: Vec<i64>,
    pub held: Vec<i64>,
    pub lots: Vec<Lot>,
    pub txns: Vec<Txn>,
    pub holds: Vec<Hold>,
}

impl Model {
    pub fn new(users: usize, months: u32, now: DateTime<Utc>) -> Self {
        Self {
            months,
            now,
            available: vec![0; users],
            held: vec![0; users],
            lots: vec![],
            txns: vec![],
            holds: vec![],
        }
    }

    fn push_txn(&mut self, user: usize, net: i64, reversible: bool) -> usize {
        self.txns.push(Txn {
            user,
            net,
            reversible,
            reversed: false,
        });
        self.txns.len() - 1
    }

    fn credit(&mut self, user: usize, amount: i64, txn: usize) {
        self.available[user] += amount;
        let expires = self.now + Months::new(self.months);
        self.lots.push(Lot {
            user,
            remaining: amount,
            expires,
            txn,
        });
    }

    /// Takes `amount` from the user's lots, soonest expiry first, `preferred` first.
    fn consume(&mut self, user: usize, mut amount: i64, preferred: Option<usize>) {
        let mut order: Vec<usize> = (0..self.lots.len())
            .filter(|&i| self.lots[i].user == user && self.lots[i].remaining > 0)
            .collect();
        order.sort_by_key(|&i| (self.lots[i].expires, i));
        if let Some(p) = preferred.filter(|p| order.contains(p)) {
            order.retain(|&i| i != p);
            order.insert(0, p);
        }
        for i in order {
            let take = self.lots[i].remaining.min(amount);
            self.lots[i].remaining -= take;
            amount -= take;
        }
        assert_eq!(amount, 0, "model lots short");
    }

    pub fn earn(&mut self, user: usize, amount: i64) -> usize {
        let t = self.push_txn(user, amount, true);
        self.credit(user, amount, t);
        t
    }

    pub fn hold(&mut self, user: usize, amount: i64) -> Result<usize, Outcome> {
        if self.available[user] < amount {
            return Err(Outcome::Insufficient);
        }
        self.available[user] -= amount;
        self.held[user] += amount;
        self.push_txn(user, 0, false);
        self.holds.push(Hold {
            user,
            amount,
            pending: true,
        });
        Ok(self.holds.len() - 1)
    }

    pub fn resolve(&mut self, hold: usize, capture: bool) -> Outcome {
        let h = self.holds[hold].clone();
        if !h.pending {
            return Outcome::AlreadyResolved;
        }
        self.holds[hold].pending = false;
        self.held[h.user] -= h.amount;
        if capture {
            self.consume(h.user, h.amount, None);
            self.push_txn(h.user, -h.amount, true);
        } else {
            self.available[h.user] += h.amount;
            self.push_txn(h.user, 0, false);
        }
        Outcome::Ok
    }

    pub fn adjust(&mut self, user: usize, delta: i64) -> Outcome {
        if delta > 0 {
            let t = self.push_txn(user, delta, true);
            self.credit(user, delta, t);
        } else {
            if self.available[user] < -delta {
                return Outcome::Insufficient;
            }
            self.available[user] += delta;
            self.consume(user, -delta, None);
            self.push_txn(user, delta, true);
        }
        Outcome::Ok
    }

    pub fn reverse(&mut self, txn: usize) -> Outcome {
        let t = self.txns[txn].clone();
        if !t.reversible {
            return Outcome::NotReversible;
        }
        if t.reversed {
            return Outcome::AlreadyReversed;
        }
        let net = -t.net;
        if net > 0 {
            let r = self.push_txn(t.user, net, false);
            self.credit(t.user, net, r);
        } else {
            if self.available[t.user] < -net {
                return Outcome::Insufficient;
            }
            self.available[t.user] += net;
            let own = self.lots.iter().position(|l| l.txn == txn);
            self.consume(t.user, -net, own);
            self.push_txn(t.user, net, false);
        }
        self.txns[txn].reversed = true;
        Outcome::Ok
    }

    /// Expires due lots in creation order, sparing held points; returns the expire
    /// transactions made, as (model transaction, points).
    pub fn expire(&mut self) -> Vec<(usize, i64)> {
        let mut made = vec![];
        for i in 0..self.lots.len() {
            let lot = self.lots[i].clone();
            if lot.remaining == 0 || lot.expires > self.now {
                continue;
            }
            let x = lot.remaining.min(self.available[lot.user]);
            if x > 0 {
                self.available[lot.user] -= x;
                self.lots[i].remaining -= x;
                made.push((self.push_txn(lot.user, -x, true), x));
            }
        }
        made
    }

    pub fn lots_of(&self, user: usize) -> Vec<i64> {
        self.lots
            .iter()
            .filter(|l| l.user == user)
            .map(|l| l.remaining)
            .collect()
    }

    pub fn expiring_before(&self, user: usize, until: DateTime<Utc>) -> i64 {
        self.lots
            .iter()
            .filter(|l| l.user == user && l.expires <= until)
            .map(|l| l.remaining)
            .sum()
    }
}
