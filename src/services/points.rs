//! Points use cases around the ledger: manual adjustments (audited), the daily run that
//! expires due points, warns participants 30 days ahead and recomputes status tiers, and
//! its scheduling.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::audit::{self, Actor, Change};
use super::email::{self, EmailMessage};
use super::jobs::{self, Enqueue};
use super::ledger::{self, LedgerError, Meta, Posted};
use super::{FieldErrors, ServiceError};
use crate::db;
use crate::db::ledger::admin::{self, BalanceOrder, ParticipantBalance, PartnerBalance};
use crate::domain::ledger::{Cause, CauseType, Points};
use crate::domain::{Role, TenantId, UserId};

pub const DAILY_JOB: &str = "daily";
/// Participants are warned this many days before their points expire.
pub const WARNING_DAYS: i64 = 30;

impl From<LedgerError> for ServiceError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Db(e) => ServiceError::Db(e),
            LedgerError::NotFound => ServiceError::NotFound,
            LedgerError::InsufficientPoints => {
                ServiceError::field("amount", "error-points-insufficient")
            }
            LedgerError::ReasonRequired => ServiceError::field("reason", "error-required"),
            LedgerError::InvalidAmount => ServiceError::field("amount", "error-points-nonzero"),
            // The form was sent again with other values (Back, edit, resend): ask for a fresh form.
            LedgerError::IdempotencyConflict | LedgerError::InvalidKey => {
                ServiceError::field("participant", "error-points-resubmitted")
            }
            other => ServiceError::Other(anyhow::anyhow!(other)),
        }
    }
}

/// The back-office's points page: one page of participants with their balances, the
/// partners whose participants hold the most, and the programme's liability.
pub struct BalancesPage {
    pub rows: Vec<ParticipantBalance>,
    /// Whether a next page exists.
    pub more: bool,
    pub partners: Vec<PartnerBalance>,
    pub liability: ledger::Liability,
}

/// How many partners the points page lists.
const TOP_PARTNERS: i64 = 20;

/// Participants (and partners) whose name, e-mail or code contains `search`.
pub fn balances(
    conn: &mut PgConnection,
    tenant: TenantId,
    search: &str,
    order: BalanceOrder,
    offset: i64,
    limit: i64,
) -> Result<BalancesPage, ServiceError> {
    let (rows, more) = admin::participant_balances(conn, tenant, search, order, offset, limit)?;
    let partners = admin::partner_balances(conn, tenant, search, TOP_PARTNERS)?;
    let liability = ledger::liability(conn, tenant)?;
    Ok(BalancesPage {
        rows,
        more,
        partners,
        liability,
    })
}

pub struct Adjustment<'a> {
    pub participant: UserId,
    pub amount: &'a str,
    pub reason: &'a str,
    /// From the form, so that submitting it twice adjusts once.
    pub idempotency_key: &'a str,
}

/// An admin adds or removes points, with a mandatory reason; recorded in the audit log.
pub fn adjust(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &Adjustment,
) -> Result<Posted, ServiceError> {
    let mut errors = FieldErrors::new();
    let amount = match input
        .amount
        .trim()
        .replace([' ', '\u{202f}'], "")
        .parse::<i64>()
    {
        Ok(0) => {
            errors.insert("amount", "error-points-nonzero");
            None
        }
        Ok(n) if n.unsigned_abs() <= 10_000_000 => Some(n),
        Ok(_) => {
            errors.insert("amount", "error-too-long");
            None
        }
        Err(_) => {
            errors.insert("amount", "error-points-integer");
            None
        }
    };
    let reason = input.reason.trim();
    if reason.is_empty() {
        errors.insert("reason", "error-required");
    } else if reason.chars().count() > 300 {
        errors.insert("reason", "error-too-long");
    }
    conn.transaction(|conn| {
        let participant = db::users::find(conn, tenant, input.participant).optional()?;
        match &participant {
            Some(u) if u.role() == Role::Participant => {}
            _ => {
                errors.insert("participant", "error-participant-unknown");
            }
        }
        let (Some(amount), Some(participant)) = (amount, participant) else {
            return Err(ServiceError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let key = format!("adjust:{}", input.idempotency_key);
        let mut meta = Meta::new(&key, Utc::now())
            .cause(Cause {
                kind: CauseType::Manual,
                id: None,
            })
            .reason(reason);
        if let Some(author) = actor.id {
            meta = meta.author(author);
        }
        let posted = ledger::adjust(conn, tenant, participant.user_id(), Points(amount), &meta)?;
        if !posted.replayed {
            let change = Change::new("points.adjusted", "user", Some(participant.id.into())).after(
                &serde_json::json!({
                    "points": amount, "reason": reason, "transaction": posted.transaction.id,
                }),
            );
            audit::record(conn, tenant, actor, change)?;
        }
        Ok(posted)
    })
}

#[derive(Debug, Default, Clone, Copy)]
pub struct DailyRun {
    pub expired_points: i64,
    pub warnings_queued: usize,
    /// Participants whose status tier changed (points left a rolling window, a new year).
    pub tiers_changed: usize,
    pub notices: super::notifications::DailyNotices,
}

/// The day's points work for one tenant: expire what is due, then warn each participant
/// whose points expire in 30 days (one e-mail per participant and day, ever); then the
/// day's notices (challenges ending soon, the monthly summary).
pub fn run_daily(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<DailyRun, ServiceError> {
    let expired = ledger::expire_due(conn, tenant, now)?;
    crate::services::api_keys::forget_responses(conn, tenant, now)?;
    let mut warnings = 0;
    conn.transaction(|conn| {
        let t = db::tenants::find(conn, tenant)?;
        // Lots expire at the start of a local day: warn about those of the local day
        // 30 days from today, in the tenant's zone.
        let zone = t.zone();
        let day = zone.today(now) + Duration::days(WARNING_DAYS);
        let (from, until) = zone.days(Some(day), Some(day));
        let (Some(from), Some(until)) = (from, until) else {
            return Ok(());
        };
        for due in db::ledger::admin::expiring_between(conn, tenant, from, until)? {
            let user = db::users::find(conn, tenant, due.user_id)?;
            if user.disabled {
                continue;
            }
            let message = EmailMessage {
                to: user.email.clone(),
                to_name: user.display_name.clone(),
                locale: user.locale().unwrap_or_else(|| t.locale()),
                template: "points_expiring".into(),
                link_path: Some("/points".into()),
                args: serde_json::json!({ "points": due.points, "date": day.to_string() }),
            };
            let key = format!("points-expiring:{}:{}", user.id, day);
            if email::queue_once(conn, tenant, &message, &key)?.is_some() {
                warnings += 1;
            }
        }
        Ok::<_, ServiceError>(())
    })?;
    let tiers_changed = super::tiers::run_daily(conn, tenant, now)?;
    let notices = super::notifications::daily(conn, tenant, now)?;
    Ok(DailyRun {
        expired_points: expired.points.0,
        warnings_queued: warnings,
        tiers_changed,
        notices,
    })
}

/// Queues today's daily job for every tenant (once per tenant and local day, whatever
/// the number of workers or how often they ask): soon after midnight in each tenant's
/// zone, when that day's lots have just expired.
pub fn schedule_daily(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    conn.transaction(|conn| {
        let mut queued = 0;
        for t in db::tenants::list_all(conn)? {
            let key = format!("daily:{}", t.zone().today(now));
            let job = Enqueue {
                kind: DAILY_JOB,
                payload: serde_json::json!({}),
                unique_key: Some(&key),
                run_at: now,
            };
            if jobs::enqueue(conn, t.tenant_id(), job)?.is_some() {
                queued += 1;
            }
        }
        Ok(queued)
    })
}
