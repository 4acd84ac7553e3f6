//! The lifecycle the clock drives, run by the job queue: a tick moves a published
//! challenge to the status its instants say (scheduled → active → closed), and at its
//! award instant (end + grace) freezes the results and awards every participant.
//!
//! Exactly once: each batch of awards runs in its own transaction under the challenge's
//! row lock, picks up after the last participant awarded (so a job that died half-way
//! resumes), writes one `challenge_awards` row per participant (primary key) and posts
//! the points with the idempotency key `challenge:{id}:award:{participant}`. Two workers
//! running the same tick take turns on the lock; the second finds nothing left to do.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{award_key, ChallengeError};
use crate::db::challenges::scores::{self, Award, Board};
use crate::db::challenges::{self as rows, Challenge};
use crate::db::{tenants, users};
use crate::domain::challenges::{phase, tier_reached, ChallengeStatus, RankBasis, Scope};
use crate::domain::ledger::{Cause, CauseType, Points};
use crate::domain::{ChallengeId, TenantId, UserId};
use crate::services::audit::{self, Actor, Change};
use crate::services::email::{self, EmailMessage};
use crate::services::ledger::{self, Meta};
use crate::services::notifications;

/// Participants awarded per transaction.
pub const AWARD_BATCH: i64 = 500;

pub const RESULTS_EMAIL: &str = "challenge_results";

/// What a tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Advance {
    pub status: Option<ChallengeStatus>,
    pub awarded: usize,
}

/// Moves the challenge as far as `now` says, awarding it when its time has come.
pub fn advance(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    now: DateTime<Utc>,
) -> Result<Advance, ChallengeError> {
    let status = conn.transaction(|conn| -> Result<Option<ChallengeStatus>, ChallengeError> {
        let c = rows::find_for_update(conn, tenant, id)?;
        let from = ChallengeStatus::parse(&c.status).unwrap_or(ChallengeStatus::Draft);
        let Some(award_at) = c.award_at else {
            return Ok(None);
        };
        if matches!(from, ChallengeStatus::Draft | ChallengeStatus::Awarded) {
            return Ok(Some(from));
        }
        let due = phase(now, c.starts_at, c.ends_at, award_at);
        // The furthest status this tick may set by itself is closed: awarded is set by
        // the last batch of awards.
        let to = if due == ChallengeStatus::Awarded {
            ChallengeStatus::Closed
        } else {
            due
        };
        if rank(to) > rank(from) {
            rows::set_status(conn, tenant, id, to.as_str(), now)?;
            let change = Change::new("challenge.status", "challenge", Some(id.into()))
                .before(&json!({ "status": c.status }))
                .after(&json!({ "status": to.as_str() }));
            audit::record(conn, tenant, &Actor::system("challenge-clock"), change)?;
            if to == ChallengeStatus::Active {
                notifications::challenges::launched(conn, &c, now)?;
            }
        }
        if due == ChallengeStatus::Awarded && c.frozen_at.is_none() {
            freeze(conn, &c, now)?;
        }
        Ok(Some(if rank(to) > rank(from) { to } else { from }))
    })?;
    let mut out = Advance { status, awarded: 0 };
    if status != Some(ChallengeStatus::Closed) {
        return Ok(out);
    }
    loop {
        match award_batch(conn, tenant, id, now)? {
            Batch::Awarded(n) => out.awarded += n,
            Batch::Finished => {
                out.status = Some(ChallengeStatus::Awarded);
                return Ok(out);
            }
            Batch::NotYet => return Ok(out),
        }
    }
}

fn rank(s: ChallengeStatus) -> u8 {
    match s {
        ChallengeStatus::Draft => 0,
        ChallengeStatus::Scheduled => 1,
        ChallengeStatus::Active => 2,
        ChallengeStatus::Closed => 3,
        ChallengeStatus::Awarded => 4,
    }
}

/// Final ranks, written once: from now on no approval or reversal changes the scores.
fn freeze(conn: &mut PgConnection, c: &Challenge, now: DateTime<Utc>) -> QueryResult<()> {
    let board = if c.scope == Scope::Partner.as_str() {
        Board::Partners
    } else {
        Board::Participants
    };
    let basis = RankBasis::parse(&c.rank_basis).unwrap_or(RankBasis::Result);
    scores::freeze_ranks(conn, c.tenant_id, c.id, board, basis)?;
    rows::set_frozen(conn, c.tenant_id, c.id, now)
}

enum Batch {
    Awarded(usize),
    Finished,
    NotYet,
}

fn award_batch(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    now: DateTime<Utc>,
) -> Result<Batch, ChallengeError> {
    conn.transaction(|conn| {
        let c = rows::find_for_update(conn, tenant, id)?;
        if c.status == ChallengeStatus::Awarded.as_str() {
            return Ok(Batch::Finished);
        }
        if c.frozen_at.is_none() {
            return Ok(Batch::NotYet);
        }
        let by_partner = c.scope == Scope::Partner.as_str();
        let next = scores::to_award(conn, tenant, id, by_partner, AWARD_BATCH)?;
        if next.is_empty() {
            rows::set_awarded(conn, tenant, id, now)?;
            let change = Change::new("challenge.awarded", "challenge", Some(id.into()))
                .after(&json!({ "status": "awarded" }));
            audit::record(conn, tenant, &Actor::system("challenge-clock"), change)?;
            return Ok(Batch::Finished);
        }
        let tiers = rows::tiers(conn, tenant, id)?;
        let prizes = rows::prizes(conn, tenant, id)?;
        let t = tenants::find(conn, tenant)?;
        let mut awards = Vec::with_capacity(next.len());
        for s in &next {
            let participant = UserId(s.participant_id);
            let tier = s
                .target
                .and_then(|target| tier_reached(s.result, target, &tiers));
            let rank_points = prizes
                .iter()
                .find(|(r, _)| *r == s.rank)
                .map_or(0, |(_, p)| *p);
            let tier_points = tier.map_or(0, |t| t.points);
            let total = tier_points + rank_points;
            let ledger_transaction_id = if total > 0 {
                let key = award_key(id, participant);
                let meta = Meta::new(&key, now)
                    .cause(Cause {
                        kind: CauseType::Challenge,
                        id: Some(id.into()),
                    })
                    .reason(&c.title);
                Some(ledger::earn(conn, tenant, participant, Points(total), &meta)?.id())
            } else {
                None
            };
            awards.push(Award {
                tenant_id: tenant,
                challenge_id: id,
                participant_id: participant,
                result: s.result,
                target: s.target,
                rank: s.rank,
                tier_percent: tier.map(|t| t.percent),
                tier_points,
                rank_points,
                ledger_transaction_id,
                awarded_at: now,
            });
        }
        scores::insert_awards(conn, &awards)?;
        let badges = crate::services::badges::catalog(conn, tenant)?;
        for a in &awards {
            let (user, standing) = (a.participant_id, (a.rank, a.result));
            crate::services::badges::challenge_awarded(conn, tenant, &badges, user, standing, now)?;
            crate::services::webhooks::events::challenge_awarded(conn, tenant, a, now)?;
        }
        let ids: Vec<UserId> = awards.iter().map(|a| a.participant_id).collect();
        let people = users::by_ids(conn, tenant, &ids)?;
        for a in &awards {
            let Some(user) = people.get(&a.participant_id).filter(|u| !u.disabled) else {
                continue;
            };
            let message = EmailMessage {
                to: user.email.clone(),
                to_name: user.display_name.clone(),
                locale: user.locale().unwrap_or_else(|| t.locale()),
                template: RESULTS_EMAIL.to_string(),
                link_path: Some(format!("/challenges/{id}")),
                args: json!({
                    "title": c.title,
                    "rank": a.rank,
                    "result": a.result,
                    "target": a.target,
                    "percent": a.target.map(|t| crate::domain::challenges::percent_of(a.result, t)),
                    "points": a.tier_points + a.rank_points,
                    "by_partner": by_partner,
                }),
            };
            email::queue(conn, tenant, &message)?;
        }
        Ok(Batch::Awarded(awards.len()))
    })
}
