//! Fulfilment, line by line, once an order is approved: processing → shipped (carrier,
//! tracking number) → delivered, or refunded before delivery (the capture reversed
//! through the ledger, the stock restored). Orders go out to a fulfilment house as a
//! CSV file; its tracking numbers come back as one, all or nothing.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::{keys, notify, RewardError};
use crate::db::api_keys::ApiKey;
use crate::db::ledger as ledger_db;
use crate::db::rewards::{self as rows, orders};
use crate::db::users::User;
use crate::db::Lock;
use crate::domain::ledger::{Cause, CauseType};
use crate::domain::rewards::{LineStatus, OrderStatus, RewardKind, Step};
use crate::domain::{OrderId, OrderLineId, Role, TenantId, UserId};
use crate::services::audit::{self, Actor, Change};
use crate::services::ledger::{self, Meta};
use crate::services::webhooks;
use crate::services::FieldErrors;

/// What a step carries: the shipment (carrier, tracking number) or a refund's reason.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub carrier: String,
    pub tracking_number: String,
    pub reason: String,
}

fn text(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.insert(field, "error-required");
    } else if v.chars().count() > max || v.chars().any(char::is_control) {
        errors.insert(field, "error-too-long");
    }
    v.to_string()
}

/// Who takes a fulfilment step: an admin (the order's page, the tracking file) or an
/// integration through an API key with the `fulfilment` scope. The audit log names
/// either (a key by its id and name); a refund's ledger movement names the admin.
#[derive(Debug, Clone, Copy)]
pub enum Fulfiller<'a> {
    Admin(&'a User),
    ApiKey(&'a ApiKey),
}

impl Fulfiller<'_> {
    /// Whether it may fulfil this tenant's orders.
    fn may(&self, tenant: TenantId) -> bool {
        match self {
            Fulfiller::Admin(u) => u.tenant_id == tenant && u.role().includes(Role::Admin),
            Fulfiller::ApiKey(k) => {
                k.tenant_id == tenant
                    && k.revoked_at.is_none()
                    && k.scopes.iter().any(|s| s == "fulfilment")
            }
        }
    }

    fn actor(&self) -> Actor {
        match self {
            Fulfiller::Admin(u) => Actor::user(u),
            Fulfiller::ApiKey(_) => Actor::system("api"),
        }
    }

    fn author(&self) -> Option<UserId> {
        match self {
            Fulfiller::Admin(u) => Some(u.id),
            Fulfiller::ApiKey(_) => None,
        }
    }

    /// The key, for the audit entry.
    fn key(&self) -> serde_json::Value {
        match self {
            Fulfiller::Admin(_) => serde_json::Value::Null,
            Fulfiller::ApiKey(k) => json!({"id": k.id, "name": k.name}),
        }
    }
}

/// Takes one step on a line of an approved order.
pub fn step(
    conn: &mut PgConnection,
    tenant: TenantId,
    admin: &User,
    line: OrderLineId,
    step: Step,
    input: &StepInput,
    now: DateTime<Utc>,
) -> Result<(), RewardError> {
    let by = Fulfiller::Admin(admin);
    if !by.may(tenant) {
        return Err(RewardError::NotFound);
    }
    let checked = checked(step, input)?;
    conn.transaction(|conn| {
        let (carrier, tracking, reason) = &checked;
        step_in(
            conn,
            tenant,
            by,
            line,
            step,
            (carrier, tracking, reason),
            now,
        )
    })
}

/// Takes one step on lines of an approved order, all or none: the `lines` named (each
/// must be the order's), or when none are named every line the step applies to (at
/// least one). Returns how many lines moved on.
#[allow(clippy::too_many_arguments)]
pub fn step_order(
    conn: &mut PgConnection,
    tenant: TenantId,
    by: Fulfiller,
    order: OrderId,
    lines: Option<&[OrderLineId]>,
    step: Step,
    input: &StepInput,
    now: DateTime<Utc>,
) -> Result<usize, RewardError> {
    if !by.may(tenant) {
        return Err(RewardError::NotFound);
    }
    let (carrier, tracking, reason) = checked(step, input)?;
    conn.transaction(|conn| {
        let found = orders::find(conn, tenant, order, Lock::Unlocked)?;
        let all = orders::lines_of(conn, tenant, &[found.id])?;
        let chosen: Vec<OrderLineId> = match lines {
            Some(ids) => {
                if ids.is_empty() || ids.iter().any(|id| !all.iter().any(|l| l.id == *id)) {
                    return Err(RewardError::field("lines", "error-order-line-unknown"));
                }
                let mut ids = ids.to_vec();
                ids.sort();
                ids.dedup();
                ids
            }
            None => {
                let mut applicable = vec![];
                for l in &all {
                    let kind = RewardKind::parse(&rows::find(conn, tenant, l.reward_id)?.kind);
                    let status = LineStatus::parse(&l.status);
                    if let (Some(kind), Some(status)) = (kind, status) {
                        if status.after(step, kind).is_some() {
                            applicable.push(l.id);
                        }
                    }
                }
                applicable
            }
        };
        if chosen.is_empty() || found.status != OrderStatus::Approved.as_str() {
            return Err(RewardError::Refused("error-line-step"));
        }
        for id in &chosen {
            step_in(
                conn,
                tenant,
                by,
                *id,
                step,
                (&carrier, &tracking, &reason),
                now,
            )?;
        }
        Ok(chosen.len())
    })
}

/// The shipment (carrier, tracking number) or the refund's reason a step needs, checked.
fn checked(step: Step, input: &StepInput) -> Result<(String, String, String), RewardError> {
    let mut errors = FieldErrors::new();
    let (carrier, tracking, reason) = match step {
        Step::Ship => (
            text(&mut errors, "carrier", &input.carrier, 80),
            text(&mut errors, "tracking_number", &input.tracking_number, 80),
            String::new(),
        ),
        Step::Refund => (
            String::new(),
            String::new(),
            text(&mut errors, "reason", &input.reason, 1000),
        ),
        Step::Deliver => Default::default(),
    };
    if !errors.is_empty() {
        return Err(RewardError::Invalid(errors));
    }
    Ok((carrier, tracking, reason))
}

fn step_in(
    conn: &mut PgConnection,
    tenant: TenantId,
    by: Fulfiller,
    id: OrderLineId,
    step: Step,
    (carrier, tracking, reason): (&str, &str, &str),
    now: DateTime<Utc>,
) -> Result<(), RewardError> {
    let line = orders::find_line(conn, tenant, id, Lock::ForUpdate)?;
    let order = orders::find(conn, tenant, line.order_id, Lock::Unlocked)?;
    let reward = rows::find(conn, tenant, line.reward_id)?;
    let kind = RewardKind::parse(&reward.kind)
        .ok_or_else(|| RewardError::Other(anyhow::anyhow!("unknown kind {}", reward.kind)))?;
    let status = LineStatus::parse(&line.status)
        .ok_or_else(|| RewardError::Other(anyhow::anyhow!("unknown status {}", line.status)))?;
    let next = match status.after(step, kind) {
        Some(next) if order.status == OrderStatus::Approved.as_str() => next,
        _ => return Err(RewardError::Refused("error-line-step")),
    };
    if step == Step::Refund {
        let hold =
            ledger_db::find_hold(conn, tenant, line.hold_id)?.ok_or(RewardError::NotFound)?;
        let capture = hold
            .resolved_by
            .ok_or_else(|| RewardError::Other(anyhow::anyhow!("line {id} not captured")))?;
        let key = keys::refund(id);
        let mut meta = Meta::new(&key, now)
            .cause(Cause {
                kind: CauseType::Redemption,
                id: Some(order.id.into()),
            })
            .reason(reason);
        if let Some(author) = by.author() {
            meta = meta.author(author);
        }
        ledger::reverse(conn, tenant, capture, &meta)?;
        rows::restore_stock(conn, tenant, line.reward_id, line.quantity)?;
    }
    let shipment = (step == Step::Ship).then_some((carrier, tracking));
    orders::set_line_status(conn, tenant, id, next.as_str(), shipment, now)?;
    let change = Change::new("order.line_updated", "order", Some(order.id.into())).after(&json!({
        "line": id, "status": next.as_str(), "carrier": carrier,
        "tracking_number": tracking, "reason": reason, "api_key": by.key(),
    }));
    audit::record(conn, tenant, &by.actor(), change)?;
    let line = orders::find_line(conn, tenant, id, Lock::Unlocked)?;
    notify::line_step(conn, tenant, &order, &line, &reward.name, reason)?;
    // The order stays approved; the event says which line moved on.
    let s = order.status.as_str();
    webhooks::events::order_status_changed(conn, tenant, &order, s, s, Some(&line), now)?;
    Ok(())
}

/// One refused line of a tracking file: its line number in the file and what is wrong.
#[derive(Debug, Clone, Serialize)]
pub struct FileProblem {
    pub line: usize,
    pub key: &'static str,
    pub value: String,
}

/// Imports tracking numbers (`line,carrier,tracking_number`, a header first): every
/// line is checked before anything is written; one bad line refuses the whole file.
pub fn import_tracking(
    conn: &mut PgConnection,
    tenant: TenantId,
    admin: &User,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<Result<usize, Vec<FileProblem>>, RewardError> {
    if admin.tenant_id != tenant || !admin.role().includes(Role::Admin) {
        return Err(RewardError::NotFound);
    }
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t,
        Err(_) => {
            return Ok(Err(vec![FileProblem {
                line: 0,
                key: "error-file-encoding",
                value: String::new(),
            }]))
        }
    };
    let delimiter = if text.lines().next().is_some_and(|h| h.contains(';')) {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(_) => vec![],
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(c_line), Some(c_carrier), Some(c_tracking)) =
        (col("line"), col("carrier"), col("tracking_number"))
    else {
        return Ok(Err(vec![FileProblem {
            line: 1,
            key: "error-tracking-header",
            value: header.join(","),
        }]));
    };
    let mut problems = Vec::new();
    let mut rows_in = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let n = i + 2;
        let Ok(record) = record else {
            problems.push(FileProblem {
                line: n,
                key: "error-file-row",
                value: String::new(),
            });
            continue;
        };
        let get = |c: usize| record.get(c).unwrap_or("").trim().to_string();
        let (line, carrier, tracking) = (get(c_line), get(c_carrier), get(c_tracking));
        let Ok(id) = line.parse::<OrderLineId>() else {
            problems.push(FileProblem {
                line: n,
                key: "error-tracking-line",
                value: line,
            });
            continue;
        };
        if carrier.is_empty() || carrier.chars().count() > 80 {
            problems.push(FileProblem {
                line: n,
                key: "error-tracking-carrier",
                value: carrier,
            });
            continue;
        }
        if tracking.is_empty() || tracking.chars().count() > 80 {
            problems.push(FileProblem {
                line: n,
                key: "error-tracking-number",
                value: tracking,
            });
            continue;
        }
        rows_in.push((n, id, carrier, tracking));
    }
    if rows_in.len() > 10_000 {
        problems.push(FileProblem {
            line: 0,
            key: "error-file-too-many-rows",
            value: "10000".into(),
        });
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    conn.transaction(|conn| {
        let mut problems = Vec::new();
        for (n, id, carrier, tracking) in &rows_in {
            let shippable = match orders::find_line(conn, tenant, *id, Lock::Unlocked).optional()? {
                Some(line) => {
                    let kind = rows::find(conn, tenant, line.reward_id)?.kind;
                    line.status == LineStatus::Processing.as_str() && kind == "physical"
                }
                None => false,
            };
            if !shippable {
                problems.push(FileProblem {
                    line: *n,
                    key: "error-tracking-not-shippable",
                    value: id.to_string(),
                });
                continue;
            }
            match step_in(
                conn,
                tenant,
                Fulfiller::Admin(admin),
                *id,
                Step::Ship,
                (carrier, tracking, ""),
                now,
            ) {
                Ok(()) => {}
                Err(RewardError::Refused(key)) => problems.push(FileProblem {
                    line: *n,
                    key,
                    value: id.to_string(),
                }),
                Err(e) => return Err(e),
            }
        }
        if problems.is_empty() {
            Ok(Ok(rows_in.len()))
        } else {
            // Nothing of the file is kept: the transaction rolls back.
            Err(Rollback(problems).into())
        }
    })
    .or_else(|e| match e {
        RewardError::Other(e) => match e.downcast::<Rollback>() {
            Ok(Rollback(p)) => Ok(Err(p)),
            Err(e) => Err(RewardError::Other(e)),
        },
        other => Err(other),
    })
}

/// Carries a refused file's problems out of the transaction it rolls back.
#[derive(Debug, thiserror::Error)]
#[error("tracking file refused")]
struct Rollback(Vec<FileProblem>);

impl From<Rollback> for RewardError {
    fn from(r: Rollback) -> Self {
        RewardError::Other(anyhow::Error::new(r))
    }
}
