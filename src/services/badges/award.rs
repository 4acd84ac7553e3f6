//! Evaluating the rules inside the transaction of their cause, and awarding once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::settings::{catalog, Badge};
use super::{earn_key, EARNED_EMAIL};
use crate::db::badges::{self as rows, BadgeAward};
use crate::db::{ledger as ledger_rows, tenants, users, Lock};
use crate::domain::badges::{is_podium, longest_streak, BadgeRule, Month};
use crate::domain::ledger::{AccountKind, Cause, CauseType, Points};
use crate::domain::{MissionId, TenantId, UserId};
use crate::services::email::{self, EmailMessage};
use crate::services::ledger::{self, LedgerError, Meta};
use crate::services::missions::{is_eligible, MissionError};

/// Serialises the badge evaluations of one participant: their ledger balance row, locked
/// (created first if they never earned), the row every movement of theirs locks too.
/// Created in the ledger's own order (the programme's issuance account, then the
/// participant's accounts), so that a concurrent first earn cannot deadlock with it.
fn lock_participant(conn: &mut PgConnection, tenant: TenantId, user: UserId) -> QueryResult<()> {
    if ledger_rows::balance(conn, tenant, user, Lock::ForUpdate)?.is_none() {
        ledger_rows::programme_account(conn, tenant, AccountKind::Issuance)?;
        ledger_rows::ensure_participant(conn, tenant, user)?;
        ledger_rows::balance(conn, tenant, user, Lock::ForUpdate)?;
    }
    Ok(())
}

/// Awards `badge` to `user` unless they have it: on the insert that happened, earns its
/// points and queues its e-mail. Whether it was awarded now.
pub(super) fn award(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    badge: &Badge,
    at: DateTime<Utc>,
) -> Result<bool, LedgerError> {
    if !badge.active {
        return Ok(false);
    }
    let row = BadgeAward {
        tenant_id: tenant,
        user_id: user,
        badge: badge.rule.as_str().to_string(),
        awarded_at: at,
        points: badge.points,
        ledger_transaction_id: None,
    };
    let Some(inserted) = rows::insert_award(conn, &row)? else {
        return Ok(false);
    };
    if badge.points > 0 {
        let key = earn_key(user, badge.rule);
        let meta = Meta::new(&key, at)
            .cause(Cause {
                kind: CauseType::Badge,
                id: None,
            })
            .reason(badge.rule.as_str());
        let posted = ledger::earn(conn, tenant, user, Points(badge.points), &meta)?;
        rows::set_award_transaction(conn, &inserted, posted.id())?;
    }
    let person = users::find(conn, tenant, user)?;
    if !person.disabled {
        let t = tenants::find(conn, tenant)?;
        let message = EmailMessage {
            to: person.email.clone(),
            to_name: person.display_name.clone(),
            locale: person.locale().unwrap_or_else(|| t.locale()),
            template: EARNED_EMAIL.to_string(),
            link_path: Some("/badges".into()),
            args: json!({
                "badge": badge.key,
                "name": badge.name,
                "description": badge.description,
                "points": badge.points,
                "weeks": badge.streak_weeks,
            }),
        };
        let once = format!("badge:{user}:{}", badge.rule.as_str());
        email::queue_once(conn, tenant, &message, &once)?;
    }
    Ok(true)
}

fn find(badges: &[Badge], rule: BadgeRule) -> Option<&Badge> {
    badges.iter().find(|b| b.rule == rule && b.active)
}

/// The declaration rules (thresholds and streak) for a participant whose evaluations
/// the caller serialised.
pub(super) fn declaration_rules(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    badges: &[Badge],
    at: DateTime<Utc>,
) -> Result<Vec<BadgeRule>, LedgerError> {
    let mut awarded = vec![];
    let count = rows::approved_count(conn, tenant, user)?;
    for badge in badges.iter().filter(|b| b.active) {
        if let Some(needed) = badge.rule.declarations_needed() {
            if count >= needed && award(conn, tenant, user, badge, at)? {
                awarded.push(badge.rule);
            }
        }
    }
    if let Some(streak) = find(badges, BadgeRule::StreakWeeks) {
        let days = rows::approved_sale_dates(conn, tenant, user)?;
        let weeks = u32::try_from(streak.streak_weeks).unwrap_or(u32::MAX);
        if longest_streak(&days) >= weeks && award(conn, tenant, user, streak, at)? {
            awarded.push(streak.rule);
        }
    }
    Ok(awarded)
}

/// A declaration of `user` was approved in this transaction.
pub fn declaration_approved(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<BadgeRule>, LedgerError> {
    let badges = catalog(conn, tenant)?;
    if !badges.iter().any(|b| {
        b.active && (b.rule.declarations_needed().is_some() || b.rule == BadgeRule::StreakWeeks)
    }) {
        return Ok(vec![]);
    }
    lock_participant(conn, tenant, user)?;
    declaration_rules(conn, tenant, user, &badges, now)
}

/// Whether the participant completed every mission of `month` they may do (and there is
/// at least one).
pub(super) fn month_done(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &crate::db::users::User,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<bool, LedgerError> {
    let mut wanted = vec![];
    for mission in rows::missions_within(conn, tenant, from, to)? {
        let eligible = is_eligible(conn, tenant, mission, user).map_err(|e| match e {
            MissionError::Db(e) => LedgerError::Db(e),
            MissionError::Ledger(e) => e,
            other => LedgerError::Invariant(format!("reading a mission's eligibility: {other}")),
        })?;
        if eligible {
            wanted.push(mission);
        }
    }
    if wanted.is_empty() {
        return Ok(false);
    }
    let done = rows::completed_among(conn, tenant, user.user_id(), &wanted)?;
    Ok(wanted.iter().all(|m| done.contains(m)))
}

/// A mission of `user` was completed in this transaction.
pub fn mission_completed(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    mission: MissionId,
    now: DateTime<Utc>,
) -> Result<Vec<BadgeRule>, LedgerError> {
    let badges = catalog(conn, tenant)?;
    let Some(badge) = find(&badges, BadgeRule::MonthMissions) else {
        return Ok(vec![]);
    };
    let zone = tenants::find(conn, tenant)?.zone();
    let (starts, ends) = rows::mission_window(conn, tenant, mission)?;
    let month = Month::of(zone, starts);
    if !month.holds(zone, starts, ends) {
        return Ok(vec![]);
    }
    lock_participant(conn, tenant, user)?;
    let person = users::find(conn, tenant, user)?;
    if month_done(conn, tenant, &person, month.bounds(zone))?
        && award(conn, tenant, user, badge, now)?
    {
        return Ok(vec![badge.rule]);
    }
    Ok(vec![])
}

/// A participant's challenge award was recorded in this transaction; `badges` is the
/// tenant's `catalog`, read once per batch of awards.
pub fn challenge_awarded(
    conn: &mut PgConnection,
    tenant: TenantId,
    badges: &[Badge],
    user: UserId,
    (rank, result): (i32, i64),
    now: DateTime<Utc>,
) -> Result<bool, LedgerError> {
    if !is_podium(rank, result) {
        return Ok(false);
    }
    match find(badges, BadgeRule::ChallengePodium) {
        Some(badge) => award(conn, tenant, user, badge, now),
        None => Ok(false),
    }
}
