//! Challenges in the studio: the list, a new challenge, a challenge's page (its form,
//! the preview of who takes part, targets uploaded as CSV, publication), results and
//! their CSV file.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use chrono::Utc;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::domain::values::ErrorKey;
use crate::domain::ChallengeId;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::challenges::setup::{
    self, ChallengeForm, ChallengeInput, Editor, TargetLineError,
};
use crate::services::challenges::{views, ChallengeError};
use crate::services::FieldErrors;
use crate::startup::AppState;
use actix_multipart::form::{tempfile::TempFile, MultipartForm};

type Pairs = Vec<(String, String)>;

pub async fn list(page: Page, tenant: CurrentTenant) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    page.show("challenges", "studio/challenges.html", move |conn| {
        views::studio_list(conn, tid)
    })
    .await
}

fn render_new(
    mut page: Page,
    form: &ChallengeForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.insert("form", form).insert("errors", errors);
    page.render_status("studio/challenge_new.html", status)
}

pub async fn new_form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let input = ChallengeInput::blank(page.zone.today(Utc::now()));
    let form = db::run(&state.pool, move |conn| {
        setup::form(conn, tid, input, false)
    })
    .await?;
    render_new(page, &form, &FieldErrors::new())
}

pub async fn create(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let input = ChallengeInput::from_pairs(form.into_inner());
    let outcome = db::run(&state.pool, move |conn| {
        match setup::save(conn, tid, &actor, None, &input, Utc::now()) {
            Ok(c) => Ok(Ok(c.id)),
            Err(ChallengeError::Invalid(errors)) => {
                Ok(Err((errors, setup::form(conn, tid, input, false)?)))
            }
            Err(e) => Err(e),
        }
    })
    .await?;
    match outcome {
        Ok(id) => {
            page.flash("challenges-created")?;
            Ok(see_other(&format!("/studio/challenges/{id}")))
        }
        Err((errors, form)) => render_new(page, &form, &errors),
    }
}

#[derive(Default)]
struct Problems {
    errors: FieldErrors,
    refusal: Option<ErrorKey>,
    target_errors: Vec<TargetLineError>,
}

fn render_editor(mut page: Page, editor: &Editor, p: Problems) -> Result<HttpResponse, AppError> {
    let status = if p.refusal.is_some() {
        StatusCode::CONFLICT
    } else if p.errors.is_empty() && p.target_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.insert("e", editor)
        .insert("form", &editor.form)
        .insert("errors", &p.errors)
        .insert("refusal", &p.refusal)
        .insert("target_errors", &p.target_errors);
    page.render_status("studio/challenge.html", status)
}

pub async fn edit(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<ChallengeId>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    let editor = db::run(&state.pool, move |conn| setup::editor(conn, tid, id, None)).await?;
    render_editor(page, &editor, Problems::default())
}

/// Runs a change, then back to the challenge's page with a flash; refusals and field
/// errors show the page again with the values sent.
async fn change(
    page: Page,
    state: &web::Data<AppState>,
    tid: crate::domain::TenantId,
    id: ChallengeId,
    flash: &'static str,
    sent: Option<ChallengeInput>,
    f: impl FnOnce(&mut diesel::PgConnection) -> Result<(), ChallengeError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let outcome = db::run(&state.pool, move |conn| {
        let problems = match f(conn) {
            Ok(()) => return Ok(None),
            Err(ChallengeError::Refused(key)) => Problems {
                refusal: Some(key),
                ..Problems::default()
            },
            Err(ChallengeError::Invalid(errors)) => Problems {
                errors,
                ..Problems::default()
            },
            Err(e) => return Err(e),
        };
        let sent = if problems.errors.is_empty() {
            None
        } else {
            sent
        };
        Ok(Some((problems, setup::editor(conn, tid, id, sent)?)))
    })
    .await?;
    match outcome {
        None => {
            page.flash(flash)?;
            Ok(see_other(&format!("/studio/challenges/{id}")))
        }
        Some((problems, editor)) => render_editor(page, &editor, problems),
    }
}

pub async fn update(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ChallengeId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    let input = ChallengeInput::from_pairs(form.into_inner());
    let sent = Some(input.clone());
    change(
        page,
        &state,
        tid,
        id,
        "challenges-saved",
        sent,
        move |conn| setup::save(conn, tid, &actor, Some(id), &input, Utc::now()).map(|_| ()),
    )
    .await
}

pub async fn publish(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ChallengeId>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    change(
        page,
        &state,
        tid,
        id,
        "challenges-published",
        None,
        move |conn| setup::publish(conn, tid, &actor, id, Utc::now()).map(|_| ()),
    )
    .await
}

#[derive(MultipartForm)]
pub struct TargetsUpload {
    #[multipart(limit = "20MB")]
    file: Option<TempFile>,
}

pub async fn upload_targets(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ChallengeId>,
    MultipartForm(upload): MultipartForm<TargetsUpload>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    let bytes = match upload.file {
        Some(f) if f.size > 0 => std::fs::read(f.file.path())
            .map_err(|e| AppError::internal(anyhow::anyhow!("reading an upload: {e}")))?,
        _ => vec![],
    };
    let outcome = db::run(&state.pool, move |conn| {
        let problems = match setup::upload_targets(conn, tid, &actor, id, &bytes) {
            Ok(Ok(_)) => return Ok(None),
            Ok(Err(lines)) => Problems {
                target_errors: lines,
                ..Problems::default()
            },
            Err(ChallengeError::Refused(key)) => Problems {
                refusal: Some(key),
                ..Problems::default()
            },
            Err(e) => return Err(e),
        };
        Ok(Some((problems, setup::editor(conn, tid, id, None)?)))
    })
    .await?;
    match outcome {
        None => {
            page.flash("challenges-targets-saved")?;
            Ok(see_other(&format!("/studio/challenges/{id}#targets")))
        }
        Some((problems, editor)) => render_editor(page, &editor, problems),
    }
}

pub async fn results(
    page: Page,
    tenant: CurrentTenant,
    path: web::Path<ChallengeId>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    page.show("r", "studio/challenge_results.html", move |conn| {
        views::results(conn, tid, id)
    })
    .await
}

pub async fn results_csv(
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<ChallengeId>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    let bytes = db::run(&state.pool, move |conn| views::export_csv(conn, tid, id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"challenge-{id}-results.csv\""),
        ))
        .body(bytes))
}

#[derive(MultipartForm)]
pub struct BannerUpload {
    /// Images up to the configured limit (10 MB by default); the check says more.
    #[multipart(limit = "16MB")]
    file: Option<TempFile>,
}

/// Uploads the banner: checked as an image (by content), stored, then recorded; a
/// refusal is shown next to the field and nothing is kept.
pub async fn upload_banner(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ChallengeId>,
    MultipartForm(upload): MultipartForm<BannerUpload>,
) -> Result<HttpResponse, AppError> {
    use crate::domain::missions::MediaRole;
    use crate::services::missions::media;
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    let bytes = match upload.file {
        Some(f) if f.size > 0 => std::fs::read(f.file.path())
            .map_err(|e| AppError::internal(anyhow::anyhow!("reading an upload: {e}")))?,
        _ => vec![],
    };
    let max_image = state.settings.storage.max_image_mb << 20;
    let checked = web::block(move || media::check(MediaRole::Cover, bytes, max_image, 0))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("checking an upload: {e}")))?;
    let mut file = match checked {
        Ok(f) => f,
        Err(key) => {
            let editor =
                db::run(&state.pool, move |conn| setup::editor(conn, tid, id, None)).await?;
            let problems = Problems {
                errors: FieldErrors::from([("banner", key)]),
                ..Problems::default()
            };
            return render_editor(page, &editor, problems);
        }
    };
    let bytes = std::mem::take(&mut file.bytes);
    let key = state
        .storage
        .put(tid, file.extension, bytes)
        .await
        .map_err(AppError::internal)?;
    let stored = key.clone();
    let result = db::run(&state.pool, move |conn| {
        setup::attach_banner(conn, tid, &actor, id, &stored, &file, Utc::now())
    })
    .await;
    match result {
        Ok(replaced) => {
            if let Some(old) = replaced {
                if let Err(e) = state.storage.delete(&old).await {
                    tracing::warn!(error = %e, "could not delete a replaced banner");
                }
            }
            page.flash("challenges-banner-saved")?;
            Ok(see_other(&format!("/studio/challenges/{id}")))
        }
        Err(e) => {
            let _ = state.storage.delete(&key).await;
            Err(e.into())
        }
    }
}
