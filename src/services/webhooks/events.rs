//! The events, as their causes emit them: each builds the `data` of one documented event
//! type (README, "Webhooks") from ids, statuses and points only, never personal data.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::emit;
use crate::db::challenges::scores::Award;
use crate::db::declarations::Declaration;
use crate::db::rewards::orders::{Line, Order};
use crate::domain::webhooks::EventType;
use crate::domain::{CompletionId, MissionId, TenantId, UserId};

/// A declaration was approved (by a reviewer or automatically) or rejected (`reversed`
/// when it had been approved and its points were taken back).
pub fn declaration_decided(
    conn: &mut PgConnection,
    tenant: TenantId,
    declaration: &Declaration,
    previous_status: &str,
    automatic: bool,
    reason_code: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let data = json!({
        "declaration_id": declaration.id,
        "participant_id": declaration.participant_id,
        "partner_id": declaration.partner_id,
        "status": declaration.status,
        "previous_status": previous_status,
        "reversed": previous_status == "approved",
        "automatic": automatic,
        "points": declaration.points,
        "amount_minor": declaration.amount_minor,
        "invoice_ref": declaration.invoice_ref,
        "sale_date": declaration.sale_date.to_string(),
        "reason_code": reason_code,
    });
    emit(conn, tenant, EventType::DeclarationDecided, data, now)
}

/// An order was approved, rejected or cancelled, or one of its lines moved on (shipped,
/// delivered, refunded: `line` says which).
pub fn order_status_changed(
    conn: &mut PgConnection,
    tenant: TenantId,
    order: &Order,
    status: &str,
    previous_status: &str,
    line: Option<&Line>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let line = line.map(|l| {
        json!({
            "line_id": l.id,
            "reward_id": l.reward_id,
            "quantity": l.quantity,
            "status": l.status,
            "carrier": l.carrier,
            "tracking_number": l.tracking_number,
        })
    });
    let data = json!({
        "order_id": order.id,
        "participant_id": order.user_id,
        "partner_id": order.partner_id,
        "status": status,
        "previous_status": previous_status,
        "total_points": order.total_points,
        "line": line,
    });
    emit(conn, tenant, EventType::OrderStatusChanged, data, now)
}

/// A participant (or, for a challenge by partner, a partner's member) was awarded at a
/// challenge's close.
pub fn challenge_awarded(
    conn: &mut PgConnection,
    tenant: TenantId,
    award: &Award,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let data = json!({
        "challenge_id": award.challenge_id,
        "participant_id": award.participant_id,
        "rank": award.rank,
        "result": award.result,
        "target": award.target,
        "tier_percent": award.tier_percent,
        "points": award.tier_points + award.rank_points,
    });
    emit(conn, tenant, EventType::ChallengeAwarded, data, now)
}

/// What a mission's completion carries.
pub struct Completion<'a> {
    pub mission: MissionId,
    pub kind: &'a str,
    pub participant: UserId,
    pub completion: CompletionId,
    pub period: &'a str,
    pub points: i64,
}

/// A participant completed a mission (a quiz passed, a survey answered, a video
/// watched, a photo approved).
pub fn mission_completed(
    conn: &mut PgConnection,
    tenant: TenantId,
    c: &Completion,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let data = json!({
        "mission_id": c.mission,
        "mission_kind": c.kind,
        "participant_id": c.participant,
        "completion_id": c.completion,
        "period": c.period,
        "points": c.points,
    });
    emit(conn, tenant, EventType::MissionCompleted, data, now)
}
