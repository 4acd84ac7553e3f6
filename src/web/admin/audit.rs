//! The audit log, filtered by user, action and period.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::super::auth::CurrentTenant;
use super::super::render::Page;
use super::super::{parse_day, PageNo};
use crate::db;
use crate::db::audit::{AuditEvent, AuditFilter};
use crate::domain::UserId;
use crate::error::AppError;
use crate::services::audit::{self, changed_fields, ACTIONS};
use crate::startup::AppState;

const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, Serialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    page: Option<i64>,
}

#[derive(Serialize)]
struct Row {
    event: AuditEvent,
    action_key: String,
    changes: Vec<(String, String, String)>,
}

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    // Unreadable filters are ignored rather than refused: this is a search form.
    let (from, until) = tenant
        .0
        .zone()
        .days(parse_day(&q.from), parse_day(&q.until));
    let filter = AuditFilter {
        actor: q.actor.parse::<UserId>().ok(),
        action: ACTIONS
            .contains(&q.action.as_str())
            .then(|| q.action.clone()),
        from,
        until,
    };
    let page_no = PageNo { page: q.page }.number();
    let tid = tenant.0.tenant_id();
    let offset = (page_no - 1) * PAGE_SIZE;
    let log = db::run(&state.pool, move |conn| {
        audit::log(conn, tid, &filter, offset, PAGE_SIZE)
    })
    .await?;
    let (events, more, users) = (log.events, log.more, log.staff);
    let rows: Vec<Row> = events
        .into_iter()
        .map(|event| Row {
            action_key: format!("audit-action-{}", event.action.replace(['.', '_'], "-")),
            changes: changed_fields(event.before.as_ref(), event.after.as_ref()),
            event,
        })
        .collect();
    let actions: Vec<(String, String)> = ACTIONS
        .iter()
        .map(|a| {
            (
                a.to_string(),
                format!("audit-action-{}", a.replace(['.', '_'], "-")),
            )
        })
        .collect();
    page.insert("rows", &rows)
        .insert("users", &users)
        .insert("actions", &actions)
        .insert("page_no", &page_no)
        .insert("has_more", &more)
        .insert("query", &q);
    page.render("admin/audit.html")
}
