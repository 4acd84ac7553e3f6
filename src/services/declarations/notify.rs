//! The participant's e-mail about a decision, queued in the decision's transaction.

use diesel::prelude::*;
use serde_json::json;

use crate::db::declarations::Declaration;
use crate::db::{tenants, users};
use crate::domain::declarations::{Reason, Status};
use crate::domain::TenantId;
use crate::services::email::{self, EmailMessage};

pub const APPROVED: &str = "declaration_approved";
pub const REJECTED: &str = "declaration_rejected";

/// Queues "approved" or "rejected" (with the reason; `reversed` when points were taken
/// back) for the declaration's participant, in their language.
pub fn decision(
    conn: &mut PgConnection,
    tenant: TenantId,
    declaration: &Declaration,
    reason: Option<&Reason>,
    reversed: bool,
) -> QueryResult<()> {
    let template = match Status::parse(&declaration.status) {
        Some(Status::Approved) => APPROVED,
        Some(Status::Rejected) => REJECTED,
        _ => return Ok(()),
    };
    let participant = users::find(conn, tenant, declaration.participant_id)?;
    if participant.disabled {
        return Ok(());
    }
    let t = tenants::find(conn, tenant)?;
    let (reason_key, reason_text) = match reason {
        Some(r @ Reason::Listed(_)) => (r.key(), None),
        Some(Reason::Written(text)) => (None, Some(text.clone())),
        None => (None, None),
    };
    let message = EmailMessage {
        to: participant.email.clone(),
        to_name: participant.display_name.clone(),
        locale: participant.locale().unwrap_or_else(|| t.locale()),
        template: template.to_string(),
        link_path: Some(format!("/declarations/{}", declaration.id)),
        args: json!({
            "id": declaration.id,
            "invoice_ref": declaration.invoice_ref,
            "sale_date": declaration.sale_date.to_string(),
            "points": declaration.points,
            "reason_key": reason_key,
            "reason_text": reason_text,
            "reversed": reversed,
        }),
    };
    email::queue(conn, tenant, &message)?;
    Ok(())
}
