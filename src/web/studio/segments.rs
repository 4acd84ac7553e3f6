//! Segments: list with member counts, a form with a live count of matching partners.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use fluent_templates::fluent_bundle::FluentValue;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use super::refused;
use crate::db;
use crate::domain::SegmentId;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::segments::{self, SegmentForm, SegmentInput};
use crate::services::FieldErrors;
use crate::startup::AppState;

/// Form fields repeat (`kinds=a&kinds=b`), so they arrive as pairs.
type Pairs = Vec<(String, String)>;

pub async fn list(page: Page, tenant: CurrentTenant) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    page.show("segments", "studio/segments.html", move |conn| {
        segments::list(conn, tid)
    })
    .await
}

fn render_form(
    mut page: Page,
    id: Option<SegmentId>,
    form: &SegmentForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.insert("segment_id", &id)
        .insert("form", form)
        .insert("errors", errors);
    page.render_status("studio/segment_form.html", status)
}

async fn form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    id: Option<SegmentId>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let form = db::run(&state.pool, move |conn| segments::form(conn, tid, id, None)).await?;
    render_form(page, id, &form, &FieldErrors::new())
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
    path: web::Path<SegmentId>,
) -> Result<HttpResponse, AppError> {
    form(page, tenant, state, Some(path.into_inner())).await
}

async fn save(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    id: Option<SegmentId>,
    pairs: Pairs,
) -> Result<HttpResponse, AppError> {
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let input = SegmentInput::from_pairs(pairs);
    let outcome = db::run(&state.pool, move |conn| {
        let saved = match id {
            Some(id) => segments::update(conn, tid, &actor, id, &input),
            None => segments::create(conn, tid, &actor, &input),
        };
        match refused(saved)? {
            Ok(_) => Ok::<_, AppError>(Ok(())),
            Err(errors) => Ok(Err((errors, segments::form(conn, tid, id, Some(input))?))),
        }
    })
    .await?;
    match outcome {
        Ok(()) => {
            page.flash(if id.is_some() {
                "segments-saved"
            } else {
                "segments-created"
            })?;
            Ok(see_other("/studio/segments"))
        }
        Err((errors, form)) => render_form(page, id, &form, &errors),
    }
}

pub async fn create(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    save(page, tenant, me, state, None, form.into_inner()).await
}

pub async fn update(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<SegmentId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let id = Some(path.into_inner());
    save(page, tenant, me, state, id, form.into_inner()).await
}

/// The live count shown while the form is edited: `{"count": n, "label": "…"}`.
pub async fn count(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    query: web::Query<Pairs>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let input = SegmentInput::from_pairs(query.into_inner());
    let n = db::run(&state.pool, move |conn| {
        segments::preview_count(conn, tid, &input)
    })
    .await?;
    let count = i64::try_from(n).unwrap_or(i64::MAX);
    let label = crate::i18n::tr_args(
        page.locale,
        "segments-matching",
        &[("count", FluentValue::from(count))],
    );
    Ok(HttpResponse::Ok().json(serde_json::json!({ "count": n, "label": label })))
}
