//! Decisions on a declaration, each on its locked row: approve (points earned through the
//! ledger, once), reject (points reversed when it had been approved), withdraw.

use crate::db::analytics;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{earn_key, notify, reversal_key, DeclarationError};
use crate::db::declarations::{self as rows, Declaration, NewDecision};
use crate::db::users::User;
use crate::db::Lock;
use crate::domain::declarations::{Reason, Status};
use crate::domain::ledger::{Cause, CauseType, Points, TransactionId};
use crate::domain::{DeclarationId, TenantId, UserId};
use crate::services::audit::{self, Actor, Change};
use crate::services::challenges;
use crate::services::ledger::{self, Meta};
use crate::services::webhooks;

/// Who decides: a reviewer, or the tenant's auto-approval rule.
#[derive(Debug, Clone)]
pub enum Decider {
    Reviewer(Actor),
    Automatic,
}

impl Decider {
    fn actor(&self) -> Actor {
        match self {
            Decider::Reviewer(a) => a.clone(),
            Decider::Automatic => Actor::system("auto-approval"),
        }
    }

    fn user(&self) -> Option<UserId> {
        match self {
            Decider::Reviewer(a) => a.id,
            Decider::Automatic => None,
        }
    }
}

/// A decision about to be recorded.
struct Outcome<'a> {
    status: Status,
    by: Option<UserId>,
    reason: Option<&'a str>,
    ledger_transaction: Option<TransactionId>,
    at: DateTime<Utc>,
}

fn decide(
    conn: &mut PgConnection,
    tenant: TenantId,
    declaration: &Declaration,
    outcome: Outcome,
) -> Result<Declaration, DeclarationError> {
    rows::insert_decision(
        conn,
        &NewDecision {
            tenant_id: tenant,
            declaration_id: declaration.id,
            status: outcome.status.as_str(),
            decided_by: outcome.by,
            reason: outcome.reason,
            ledger_transaction_id: outcome.ledger_transaction,
            decided_at: outcome.at,
        },
    )?;
    let status = outcome.status.as_str();
    let decided = rows::set_status(conn, tenant, declaration.id, status, outcome.at)?;
    // The analytics aggregates move with the status, in this transaction.
    let was_approved = declaration.status == Status::Approved.as_str();
    match outcome.status {
        Status::Approved if !was_approved => analytics::add_sales(conn, tenant, declaration.id, 1)?,
        s if was_approved && s != Status::Approved => {
            analytics::add_sales(conn, tenant, declaration.id, -1)?
        }
        _ => {}
    }
    if outcome.by.is_some() && matches!(outcome.status, Status::Approved | Status::Rejected) {
        analytics::mark_reviewed(conn, tenant, declaration.id, outcome.at)?;
    }
    Ok(decided)
}

/// Approves a submitted declaration whose row the caller holds (locked, or inserted in
/// this transaction): earns its points, records the decision, audits, e-mails.
pub(crate) fn approve_in(
    conn: &mut PgConnection,
    tenant: TenantId,
    decider: &Decider,
    declaration: Declaration,
    now: DateTime<Utc>,
) -> Result<Declaration, DeclarationError> {
    if declaration.status != Status::Submitted.as_str() {
        return Err(DeclarationError::AlreadyDecided);
    }
    // Four eyes: an admin who also sells for a partner never approves their own sale.
    if decider.user() == Some(declaration.participant_id) {
        return Err(DeclarationError::OwnDeclaration);
    }
    // Challenges first, then the ledger: the lock order closing follows too.
    let open = challenges::scoring::open(conn, tenant, now)?;
    challenges::scoring::declaration_approved(conn, tenant, open, &declaration, now)?;
    let earned = if declaration.points > 0 {
        let key = earn_key(declaration.id);
        let mut meta = Meta::new(&key, now).cause(Cause {
            kind: CauseType::Declaration,
            id: Some(declaration.id.into()),
        });
        if let Some(user) = decider.user() {
            meta = meta.author(user);
        }
        let user = declaration.participant_id;
        Some(ledger::earn(conn, tenant, user, Points(declaration.points), &meta)?.id())
    } else {
        None
    };
    let outcome = Outcome {
        status: Status::Approved,
        by: decider.user(),
        reason: None,
        ledger_transaction: earned,
        at: now,
    };
    let approved = decide(conn, tenant, &declaration, outcome)?;
    // After the status is set: the badge rules count this approval too.
    crate::services::badges::declaration_approved(conn, tenant, declaration.participant_id, now)?;
    let change = Change::new(
        "declaration.approved",
        "declaration",
        Some(declaration.id.into()),
    )
    .before(&json!({ "status": declaration.status }))
    .after(&json!({
        "status": approved.status, "points": approved.points,
        "automatic": matches!(decider, Decider::Automatic),
    }));
    audit::record(conn, tenant, &decider.actor(), change)?;
    notify::decision(conn, tenant, &approved, None, false)?;
    let automatic = matches!(decider, Decider::Automatic);
    let previous = &declaration.status;
    webhooks::events::declaration_decided(conn, tenant, &approved, previous, automatic, None, now)?;
    Ok(approved)
}

/// The locked declaration, if it is still in the state the reviewer saw: a decision
/// taken on a page that another reviewer's decision has made stale is refused.
fn as_seen(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: DeclarationId,
    seen: Status,
) -> Result<Declaration, DeclarationError> {
    let declaration = rows::find(conn, tenant, id, Lock::ForUpdate)?;
    if declaration.status != seen.as_str() {
        return Err(DeclarationError::Changed);
    }
    Ok(declaration)
}

/// A reviewer approves a submitted declaration, as seen. Two reviewers deciding at once:
/// the second waits for the first's lock, then finds it changed.
pub fn approve(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &Actor,
    id: DeclarationId,
    seen: Status,
    now: DateTime<Utc>,
) -> Result<Declaration, DeclarationError> {
    conn.transaction(|conn| {
        let declaration = as_seen(conn, tenant, id, seen)?;
        approve_in(
            conn,
            tenant,
            &Decider::Reviewer(reviewer.clone()),
            declaration,
            now,
        )
    })
}

/// A reviewer rejects a submitted declaration, or an approved one, whose points are then
/// reversed by a correcting transaction; either as the reviewer saw it.
pub fn reject(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &Actor,
    id: DeclarationId,
    seen: Status,
    reason: &Reason,
    now: DateTime<Utc>,
) -> Result<Declaration, DeclarationError> {
    conn.transaction(|conn| {
        let declaration = as_seen(conn, tenant, id, seen)?;
        let was = Status::parse(&declaration.status);
        let reversal = match was {
            Some(Status::Submitted) => None,
            Some(Status::Approved) => {
                // Challenges first, then the ledger (lock order).
                challenges::scoring::declaration_reversed(conn, tenant, &declaration, now)?;
                reverse_points(conn, tenant, reviewer, &declaration, now)?
            }
            _ => return Err(DeclarationError::AlreadyDecided),
        };
        let stored = reason.to_stored();
        let outcome = Outcome {
            status: Status::Rejected,
            by: reviewer.id,
            reason: Some(&stored),
            ledger_transaction: reversal,
            at: now,
        };
        let rejected = decide(conn, tenant, &declaration, outcome)?;
        let action = if was == Some(Status::Approved) {
            "declaration.reversed"
        } else {
            "declaration.rejected"
        };
        let change = Change::new(action, "declaration", Some(id.into()))
            .before(&json!({ "status": declaration.status }))
            .after(&json!({ "status": rejected.status, "reason": stored }));
        audit::record(conn, tenant, reviewer, change)?;
        notify::decision(
            conn,
            tenant,
            &rejected,
            Some(reason),
            was == Some(Status::Approved),
        )?;
        let code = match reason {
            Reason::Listed(l) => Some(l.as_str()),
            Reason::Written(_) => None,
        };
        let previous = &declaration.status;
        webhooks::events::declaration_decided(conn, tenant, &rejected, previous, false, code, now)?;
        Ok(rejected)
    })
}

fn reverse_points(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &Actor,
    declaration: &Declaration,
    now: DateTime<Utc>,
) -> Result<Option<TransactionId>, DeclarationError> {
    let earned = rows::decisions_of(conn, tenant, declaration.id)?
        .into_iter()
        .rev()
        .find(|(d, _)| d.status == Status::Approved.as_str())
        .and_then(|(d, _)| d.ledger_transaction_id);
    let Some(earned) = earned else {
        return Ok(None);
    };
    let key = reversal_key(declaration.id);
    let mut meta = Meta::new(&key, now).cause(Cause {
        kind: CauseType::Declaration,
        id: Some(declaration.id.into()),
    });
    if let Some(user) = reviewer.id {
        meta = meta.author(user);
    }
    let posted = ledger::reverse(conn, tenant, earned, &meta)?;
    Ok(Some(posted.id()))
}

/// The participant withdraws their own pending declaration; anyone else's is not found.
pub fn withdraw(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: &User,
    id: DeclarationId,
    now: DateTime<Utc>,
) -> Result<Declaration, DeclarationError> {
    conn.transaction(|conn| {
        let declaration = rows::find(conn, tenant, id, Lock::ForUpdate)?;
        if declaration.participant_id != participant.id {
            return Err(DeclarationError::NotFound);
        }
        if declaration.status != Status::Submitted.as_str() {
            return Err(DeclarationError::AlreadyDecided);
        }
        let outcome = Outcome {
            status: Status::Withdrawn,
            by: Some(participant.user_id()),
            reason: None,
            ledger_transaction: None,
            at: now,
        };
        let withdrawn = decide(conn, tenant, &declaration, outcome)?;
        let change = Change::new("declaration.withdrawn", "declaration", Some(id.into()))
            .before(&json!({ "status": declaration.status }))
            .after(&json!({ "status": withdrawn.status }));
        audit::record(conn, tenant, &Actor::user(participant), change)?;
        Ok(withdrawn)
    })
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BulkOutcome {
    pub approved: usize,
    /// Decided meanwhile by someone else, flagged, or the reviewer's own: left as they
    /// were.
    pub skipped: usize,
}

/// Most declarations approved by one bulk action.
const BULK_LIMIT: usize = 500;

/// Approves the given declarations that are still submitted, unflagged and not the
/// reviewer's own (others are skipped). Each approval is its own transaction: one decided meanwhile by someone else
/// is skipped, the others stand.
pub fn bulk_approve(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &Actor,
    ids: &[DeclarationId],
    now: DateTime<Utc>,
) -> Result<BulkOutcome, DeclarationError> {
    let mut outcome = BulkOutcome::default();
    for id in ids.iter().take(BULK_LIMIT) {
        let result = conn.transaction(|conn| {
            let declaration = rows::find(conn, tenant, *id, Lock::ForUpdate)?;
            // Flagged declarations need a look each: never approved in bulk.
            if !declaration.flag_codes().is_empty() {
                return Err(DeclarationError::AlreadyDecided);
            }
            approve_in(
                conn,
                tenant,
                &Decider::Reviewer(reviewer.clone()),
                declaration,
                now,
            )
        });
        match result {
            Ok(_) => outcome.approved += 1,
            Err(DeclarationError::AlreadyDecided)
            | Err(DeclarationError::OwnDeclaration)
            | Err(DeclarationError::Db(diesel::result::Error::NotFound)) => outcome.skipped += 1,
            Err(e) => return Err(e),
        }
    }
    Ok(outcome)
}
