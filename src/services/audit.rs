//! The audit log: every invitation, role change, deactivation, import, theme or settings
//! change, approval and points adjustment, with who, what, when, before and after.
//! Recorded inside the transaction of the change it describes.

use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::db::audit::{self, AuditEvent, AuditFilter, NewAuditEvent};
use crate::db::users::{self, User};
use crate::domain::{TenantId, UserId};

/// Every action the log knows; each has a translation `audit-action-<action with dashes>`.
pub const ACTIONS: &[&str] = &[
    "theme.updated",
    "tenant.regional_updated",
    "user.created",
    "user.invited",
    "user.disabled",
    "user.enabled",
    "user.role_changed",
    "user.password_set",
    "user.password_changed",
    "user.anonymised",
    "partner.created",
    "partner.updated",
    "product.created",
    "product.updated",
    "segment.created",
    "segment.updated",
    "import.partners",
    "import.participants",
    "import.products",
    "email.retried",
    "points.adjusted",
    "declaration.approved",
    "declaration.rejected",
    "declaration.reversed",
    "declaration.withdrawn",
    "declaration.rules_updated",
    "import.sell_out",
    "import.sell_in",
    "import.rewards",
    "import.opening_stock",
    "import.columns_mapped",
    "mission.created",
    "mission.updated",
    "mission.status",
    "mission.question_added",
    "mission.question_deleted",
    "mission.media",
    "mission.photo_approved",
    "mission.photo_rejected",
    "challenge.created",
    "challenge.updated",
    "challenge.published",
    "challenge.status",
    "challenge.awarded",
    "challenge.targets_uploaded",
    "reward.created",
    "reward.updated",
    "reward.codes_added",
    "rewards.settings_updated",
    "order.placed",
    "order.approved",
    "order.rejected",
    "order.cancelled",
    "order.line_updated",
    "tiers.updated",
    "tier.floor_set",
    "news.created",
    "news.updated",
    "badge.updated",
    "webhook.created",
    "webhook.updated",
    "webhook.secret_rotated",
    "webhook.deleted",
    "webhook.resent",
    "api_key.created",
    "api_key.revoked",
];

/// The labels of actors that are not users (a job, the operator's command line); each
/// has a translation `audit-actor-<label>`.
pub const SYSTEM_ACTORS: &[&str] = &[
    "seed-demo",
    "auto-approval",
    "cli-import",
    "challenge-clock",
    "cli",
    "api",
];

/// Who acted: a signed-in user, or the operator / a job (no user).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<UserId>,
    pub label: String,
}

impl Actor {
    pub fn user(user: &User) -> Self {
        Actor {
            id: Some(user.user_id()),
            label: user.display_name.clone(),
        }
    }

    pub fn system(label: &str) -> Self {
        Actor {
            id: None,
            label: label.to_string(),
        }
    }
}

/// What changed: the subject and its values before and after.
pub struct Change<'a> {
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Change<'a> {
    pub fn new(action: &'a str, subject_type: &'a str, subject_id: Option<i64>) -> Self {
        debug_assert!(ACTIONS.contains(&action), "unknown audit action {action}");
        Change {
            action,
            subject_type,
            subject_id,
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, value: &impl Serialize) -> Self {
        self.before = serde_json::to_value(value).ok();
        self
    }

    pub fn after(mut self, value: &impl Serialize) -> Self {
        self.after = serde_json::to_value(value).ok();
        self
    }
}

pub fn record(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    change: Change,
) -> QueryResult<()> {
    audit::insert(
        conn,
        &NewAuditEvent {
            tenant_id: tenant,
            actor_id: actor.id,
            actor_label: &actor.label,
            action: change.action,
            subject_type: change.subject_type,
            subject_id: change.subject_id,
            before: change.before.as_ref(),
            after: change.after.as_ref(),
        },
    )
}

/// A page of the audit log and the staff its actor filter offers.
pub struct LogPage {
    pub events: Vec<AuditEvent>,
    /// Whether a next page exists.
    pub more: bool,
    /// The tenant's admins and marketers (a participant is filtered by `?actor=`).
    pub staff: Vec<User>,
}

/// The events `filter` takes, newest first, from `offset`.
pub fn log(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &AuditFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<LogPage> {
    let (events, more) = audit::list(conn, tenant, filter, offset, limit)?;
    let staff = users::staff(conn, tenant)?;
    Ok(LogPage {
        events,
        more,
        staff,
    })
}

/// The keys whose values differ between before and after, for display.
pub fn changed_fields(
    before: Option<&Value>,
    after: Option<&Value>,
) -> Vec<(String, String, String)> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    let show = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| (k.clone(), show(b.get(k)), show(a.get(k))))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn only_changed_fields_are_listed() {
        let before = json!({"name": "Acme", "primary_color": "#000000"});
        let after = json!({"name": "Acme", "primary_color": "#ffffff", "logo": "image/png"});
        let changed = super::changed_fields(Some(&before), Some(&after));
        assert_eq!(
            changed,
            vec![
                ("logo".into(), "".into(), "image/png".into()),
                ("primary_color".into(), "#000000".into(), "#ffffff".into())
            ]
        );
    }
}
