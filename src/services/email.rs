//! Queuing e-mails: a row in the job queue, written in the transaction of the event that
//! causes it. Nothing is sent from inside a transaction; the worker renders and sends.

use chrono::Utc;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::audit::{self, Actor};
use super::jobs::{self, Enqueue};
use super::ServiceError;
use crate::db::jobs::{self as jobs_db, Job};
use crate::domain::{JobId, Locale, TenantId};

pub const JOB_KIND: &str = "email";

/// The templates under `templates/emails/`; each has `.html` and `.txt` and a subject
/// `email-<template>-subject` in the catalog, and a category
/// (`domain::notifications::category`: essential, or one a participant may turn off).
pub const TEMPLATES: &[&str] = &[
    "invitation",
    "password_reset",
    "declaration_approved",
    "declaration_rejected",
    "points_expiring",
    "mission_photo_approved",
    "mission_photo_rejected",
    "challenge_launched",
    "challenge_ending",
    "challenge_results",
    "monthly_summary",
    "order_approved",
    "order_rejected",
    "order_shipped",
    "order_delivered",
    "order_refunded",
    "tier_changed",
    "badge_earned",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmailMessage {
    pub to: String,
    pub to_name: String,
    pub locale: Locale,
    pub template: String,
    /// A path on the tenant's site, turned into an absolute link when sending.
    pub link_path: Option<String>,
    /// Values for the template (and for the subject's translation).
    #[serde(default)]
    pub args: Value,
}

pub fn queue(
    conn: &mut PgConnection,
    tenant: TenantId,
    message: &EmailMessage,
) -> QueryResult<Option<Job>> {
    queue_keyed(conn, tenant, message, None)
}

/// Queues an e-mail that must go out at most once for `key` (e.g. one warning per
/// participant and day); returns `None` when it was already queued.
pub fn queue_once(
    conn: &mut PgConnection,
    tenant: TenantId,
    message: &EmailMessage,
    key: &str,
) -> QueryResult<Option<Job>> {
    queue_keyed(conn, tenant, message, Some(key))
}

fn queue_keyed(
    conn: &mut PgConnection,
    tenant: TenantId,
    message: &EmailMessage,
    key: Option<&str>,
) -> QueryResult<Option<Job>> {
    debug_assert!(TEMPLATES.contains(&message.template.as_str()));
    let payload = serde_json::to_value(message).unwrap_or(Value::Null);
    jobs::enqueue(
        conn,
        tenant,
        Enqueue {
            kind: JOB_KIND,
            payload,
            unique_key: key,
            run_at: Utc::now(),
        },
    )
}

/// How many more attempts an admin's retry gives a failed e-mail.
pub const MANUAL_RETRY_ATTEMPTS: i32 = 3;

/// An admin sends a failed e-mail again (other kinds of jobs are not retried by hand).
pub fn retry(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: JobId,
) -> Result<(), ServiceError> {
    conn.transaction(|conn| {
        let job = jobs_db::find(conn, tenant, id)?;
        if !jobs_db::requeue_failed(
            conn,
            tenant,
            id,
            JOB_KIND,
            MANUAL_RETRY_ATTEMPTS,
            Utc::now(),
        )? {
            return Err(ServiceError::field("job", "emails-retry-not-failed"));
        }
        let change = audit::Change::new("email.retried", "job", Some(id.into()))
            .before(&serde_json::json!({ "status": job.status, "last_error": job.last_error }))
            .after(&serde_json::json!({ "status": "queued" }));
        audit::record(conn, tenant, actor, change)?;
        Ok(())
    })
}

/// The tenant's latest e-mails (at most `limit`), optionally of one status.
pub fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<Job>, ServiceError> {
    Ok(jobs_db::list(conn, tenant, JOB_KIND, status, limit)?)
}
