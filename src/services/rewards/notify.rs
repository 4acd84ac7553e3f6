//! The participant's e-mails about their order, queued in the transaction of the step
//! they announce: approved (with any voucher codes), rejected, and each line shipped,
//! delivered or refunded.

use diesel::prelude::*;
use serde_json::json;

use crate::db::rewards::orders::{self, Line, Order};
use crate::db::{tenants, users};
use crate::domain::TenantId;
use crate::services::email::{self, EmailMessage};

pub const APPROVED: &str = "order_approved";
pub const REJECTED: &str = "order_rejected";
pub const SHIPPED: &str = "order_shipped";
pub const DELIVERED: &str = "order_delivered";
pub const REFUNDED: &str = "order_refunded";

fn send(
    conn: &mut PgConnection,
    tenant: TenantId,
    order: &Order,
    template: &str,
    args: serde_json::Value,
) -> QueryResult<()> {
    let participant = users::find(conn, tenant, order.user_id)?;
    if participant.disabled {
        return Ok(());
    }
    let t = tenants::find(conn, tenant)?;
    let message = EmailMessage {
        to: participant.email.clone(),
        to_name: participant.display_name.clone(),
        locale: participant.locale().unwrap_or_else(|| t.locale()),
        template: template.to_string(),
        link_path: Some(format!("/orders/{}", order.id)),
        args,
    };
    email::queue(conn, tenant, &message)?;
    Ok(())
}

/// The rewards of an order's lines, by name ("2 × Headphones").
fn summary(
    conn: &mut PgConnection,
    tenant: TenantId,
    order: &Order,
) -> QueryResult<Vec<serde_json::Value>> {
    let lines = orders::lines_of(conn, tenant, &[order.id])?;
    let ids: Vec<_> = lines.iter().map(|l| l.reward_id).collect();
    let names = orders::reward_names(conn, tenant, &ids)?;
    Ok(lines
        .iter()
        .map(|l| {
            let name = names
                .iter()
                .find(|n| n.0 == l.reward_id)
                .map_or("", |n| n.1.as_str());
            json!({ "name": name, "quantity": l.quantity })
        })
        .collect())
}

pub fn approved(
    conn: &mut PgConnection,
    tenant: TenantId,
    order: &Order,
    codes: &[String],
) -> QueryResult<()> {
    let lines = summary(conn, tenant, order)?;
    send(
        conn,
        tenant,
        order,
        APPROVED,
        json!({
            "order": order.id, "points": order.total_points, "lines": lines, "codes": codes,
        }),
    )
}

pub fn rejected(
    conn: &mut PgConnection,
    tenant: TenantId,
    order: &Order,
    reason: &str,
) -> QueryResult<()> {
    let lines = summary(conn, tenant, order)?;
    send(
        conn,
        tenant,
        order,
        REJECTED,
        json!({
            "order": order.id, "points": order.total_points, "lines": lines, "reason": reason,
        }),
    )
}

/// A line moved on: shipped, delivered or refunded (other statuses send nothing).
pub fn line_step(
    conn: &mut PgConnection,
    tenant: TenantId,
    order: &Order,
    line: &Line,
    reward: &str,
    reason: &str,
) -> QueryResult<()> {
    let template = match line.status.as_str() {
        "shipped" => SHIPPED,
        "delivered" => DELIVERED,
        "refunded" => REFUNDED,
        _ => return Ok(()),
    };
    send(
        conn,
        tenant,
        order,
        template,
        json!({
            "order": order.id, "reward": reward, "quantity": line.quantity,
            "points": line.unit_points * i64::from(line.quantity),
            "carrier": line.carrier, "tracking_number": line.tracking_number, "reason": reason,
        }),
    )
}
