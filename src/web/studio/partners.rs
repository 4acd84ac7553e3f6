//! Partners: list with search and filters, page with participants, forms, deactivation.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use super::super::PageNo;
use super::{active_filter, given, pager_base, refused, ActiveForm, PAGE_SIZE};
use crate::db;
use crate::db::partners::PartnerFilter;
use crate::domain::network::{BrandMode, PartnerKind};
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::partners::{self, PartnerInput, Suggestions};
use crate::services::FieldErrors;
use crate::startup::AppState;

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct PartnerQuery {
    q: String,
    kind: String,
    region: String,
    tier: String,
    active: String,
}

fn kinds() -> Vec<&'static str> {
    PartnerKind::ALL.iter().map(|k| k.as_str()).collect()
}

fn brand_modes() -> Vec<&'static str> {
    BrandMode::ALL.iter().map(|m| m.as_str()).collect()
}

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<PartnerQuery>,
    page_no: web::Query<PageNo>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let filter = PartnerFilter {
        search: given(&q.q),
        kind: given(&q.kind),
        region: given(&q.region),
        tier: given(&q.tier),
        active: active_filter(&q.active),
    };
    let (tid, n) = (tenant.0.tenant_id(), page_no.number());
    let list = db::run(&state.pool, move |conn| {
        partners::list(conn, tid, &filter, n, PAGE_SIZE)
    })
    .await?;
    page.insert("list", &list)
        .insert("kinds", &kinds())
        .insert("pager_base", &pager_base(&q))
        .insert("query", &q);
    page.render("studio/partners.html")
}

pub async fn show(
    mut page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    let details = db::run(&state.pool, move |conn| partners::details(conn, tid, id)).await?;
    page.insert("details", &details);
    page.render("studio/partner.html")
}

/// Renders the partner form (new when `id` is `None`).
fn render_form(
    mut page: Page,
    id: Option<i64>,
    form: &PartnerInput,
    errors: &FieldErrors,
    (regions, tiers): Suggestions,
) -> Result<HttpResponse, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.insert("partner_id", &id)
        .insert("form", form)
        .insert("errors", errors)
        .insert("kinds", &kinds())
        .insert("brand_modes", &brand_modes())
        .insert("regions", &regions)
        .insert("tiers", &tiers);
    page.render_status("studio/partner_form.html", status)
}

async fn form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    id: Option<i64>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let (form, suggestions) = db::run(&state.pool, move |conn| {
        partners::form_values(conn, tid, id)
    })
    .await?;
    render_form(page, id, &form, &FieldErrors::new(), suggestions)
}

pub async fn new_form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    form(page, tenant, state, None).await
}

pub async fn edit_form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    form(page, tenant, state, Some(path.into_inner())).await
}

/// Creates (`id` = `None`) or updates a partner; refused input comes back with the
/// form's suggestions so it can be shown again.
async fn save(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    id: Option<i64>,
    form: PartnerInput,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, input) = (tenant.0.tenant_id(), Actor::user(&me.0), form.clone());
    let outcome = db::run(&state.pool, move |conn| {
        let saved = match id {
            Some(id) => partners::update(conn, tid, &actor, id, &input),
            None => partners::create(conn, tid, &actor, &input),
        };
        match refused(saved)? {
            Ok(p) => Ok::<_, AppError>(Ok(p)),
            Err(errors) => Ok(Err((errors, partners::suggestions(conn, tid)?))),
        }
    })
    .await?;
    match outcome {
        Ok(partner) => {
            page.flash(if id.is_some() {
                "partners-saved"
            } else {
                "partners-created"
            })?;
            Ok(see_other(&format!("/studio/partners/{}", partner.id)))
        }
        Err((errors, suggestions)) => render_form(page, id, &form, &errors, suggestions),
    }
}

pub async fn create(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<PartnerInput>,
) -> Result<HttpResponse, AppError> {
    save(page, tenant, me, state, None, form.into_inner()).await
}

pub async fn update(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<PartnerInput>,
) -> Result<HttpResponse, AppError> {
    let id = Some(path.into_inner());
    save(page, tenant, me, state, id, form.into_inner()).await
}

pub async fn set_active(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, id, active) = (tenant.0.tenant_id(), path.into_inner(), form.active);
    let actor = Actor::user(&me.0);
    db::run(&state.pool, move |conn| {
        partners::set_active(conn, tid, &actor, id, active)
    })
    .await?;
    page.flash(if active {
        "partners-reactivated"
    } else {
        "partners-deactivated"
    })?;
    Ok(see_other(&format!("/studio/partners/{id}")))
}
