//! Missions in the studio: the list, a new mission, a mission's page (its form, its
//! questions, the next question's form, status buttons), results and their CSV file.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::super::auth::{CurrentTenant, CurrentUser};
use super::super::render::Page;
use super::super::see_other;
use crate::db;
use crate::domain::missions::{MediaRole, MissionStatus};
use crate::domain::values::ErrorKey;
use crate::domain::{MissionId, QuestionId};
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::missions::media;
use crate::services::missions::{
    self as service, Editor, MissionError, MissionForm, MissionInput, QuestionInput,
};
use crate::services::FieldErrors;
use crate::startup::AppState;
use actix_multipart::form::{tempfile::TempFile, text::Text, MultipartForm};

use super::super::forms::{text, Clean};

/// Form fields repeat (`segments=1&segments=2`, `option=…`), so they arrive as pairs.
type Pairs = Vec<(String, String)>;

pub async fn list(page: Page, tenant: CurrentTenant) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    page.show("missions", "studio/missions.html", move |conn| {
        service::list(conn, tid)
    })
    .await
}

fn render_new(
    mut page: Page,
    form: &MissionForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.insert("form", form).insert("errors", errors);
    page.render_status("studio/mission_new.html", status)
}

pub async fn new_form(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let input = MissionInput::blank(page.zone.today(Utc::now()));
    let form = db::run(&state.pool, move |conn| {
        service::form(conn, tid, input, false)
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
    let (tid, actor, zone) = (tenant.0.tenant_id(), Actor::user(&me.0), page.zone);
    let input = MissionInput::from_pairs(form.into_inner());
    let outcome = db::run(&state.pool, move |conn| {
        match service::save(conn, tid, &actor, zone, None, &input, Utc::now()) {
            Ok(m) => Ok(Ok(m.id)),
            Err(MissionError::Invalid(errors)) => {
                Ok(Err((errors, service::form(conn, tid, input, false)?)))
            }
            Err(e) => Err(e),
        }
    })
    .await?;
    match outcome {
        Ok(id) => {
            page.flash("missions-created")?;
            Ok(see_other(&format!("/studio/missions/{id}")))
        }
        Err((errors, form)) => render_new(page, &form, &errors),
    }
}

/// What the mission page shows besides the editor: errors of the mission form or of
/// the question form, or a refusal of the whole request.
#[derive(Default)]
struct Problems {
    errors: FieldErrors,
    question_errors: FieldErrors,
    /// Errors of a file upload, by role (`cover`, `example`, `video`, `duration`).
    media_errors: FieldErrors,
    refusal: Option<ErrorKey>,
}

fn render_editor(
    mut page: Page,
    editor: &Editor,
    problems: Problems,
) -> Result<HttpResponse, AppError> {
    let status = if problems.refusal.is_some() {
        StatusCode::CONFLICT
    } else if problems.errors.is_empty()
        && problems.question_errors.is_empty()
        && problems.media_errors.is_empty()
    {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (video_mb, image_mb) = (
        page.settings().storage.max_video_mb,
        page.settings().storage.max_image_mb,
    );
    page.insert("e", editor)
        .insert("video_mb", &video_mb)
        .insert("image_mb", &image_mb)
        .insert("form", &editor.form)
        .insert("errors", &problems.errors)
        .insert("question_errors", &problems.question_errors)
        .insert("media_errors", &problems.media_errors)
        .insert("refusal", &problems.refusal);
    page.render_status("studio/mission.html", status)
}

pub async fn edit(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
) -> Result<HttpResponse, AppError> {
    let (tid, zone, id) = (tenant.0.tenant_id(), page.zone, path.into_inner());
    let editor = db::run(&state.pool, move |conn| {
        service::editor(conn, tid, zone, id, None, None)
    })
    .await?;
    render_editor(page, &editor, Problems::default())
}

pub async fn update(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, zone, id) = (
        tenant.0.tenant_id(),
        Actor::user(&me.0),
        page.zone,
        path.into_inner(),
    );
    let input = MissionInput::from_pairs(form.into_inner());
    let sent = Sent::Mission(Box::new(input.clone()));
    change(
        page,
        &state,
        tid,
        id,
        ("missions-saved", ""),
        sent,
        move |conn| {
            service::save(conn, tid, &actor, zone, Some(id), &input, Utc::now()).map(|_| ())
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

/// The form a change came from, shown again with its errors when refused.
enum Sent {
    Nothing,
    Mission(Box<MissionInput>),
    Question(QuestionInput),
}

/// Runs a change of the mission's page, then goes back to it (at `anchor`) with a flash;
/// a refusal, or the errors of the form sent, show the page again (nothing was written).
async fn change(
    page: Page,
    state: &web::Data<AppState>,
    tid: crate::domain::TenantId,
    id: MissionId,
    (flash, anchor): (&'static str, &'static str),
    sent: Sent,
    f: impl FnOnce(&mut diesel::PgConnection) -> Result<(), MissionError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let zone = page.zone;
    let outcome = db::run(&state.pool, move |conn| {
        let problems = match (f(conn), &sent) {
            (Ok(()), _) => return Ok(None),
            (Err(MissionError::Refused(key)), _) => Problems {
                refusal: Some(key),
                ..Problems::default()
            },
            (Err(MissionError::Invalid(errors)), Sent::Mission(_)) => Problems {
                errors,
                ..Problems::default()
            },
            (Err(MissionError::Invalid(errors)), Sent::Question(_)) => Problems {
                question_errors: errors,
                ..Problems::default()
            },
            (Err(e), _) => return Err(e),
        };
        let (mission, question) = match sent {
            Sent::Mission(m) => (Some(*m), None),
            Sent::Question(q) => (None, Some(q)),
            Sent::Nothing => (None, None),
        };
        let editor = service::editor(conn, tid, zone, id, mission, question)?;
        Ok(Some((problems, editor)))
    })
    .await?;
    match outcome {
        None => {
            page.flash(flash)?;
            Ok(see_other(&format!("/studio/missions/{id}{anchor}")))
        }
        Some((problems, editor)) => render_editor(page, &editor, problems),
    }
}

pub async fn set_status(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    let to = MissionStatus::parse(&form.status)
        .ok_or_else(|| AppError::BadRequest("unknown status".into()))?;
    change(
        page,
        &state,
        tid,
        id,
        ("missions-status-changed", ""),
        Sent::Nothing,
        move |conn| service::set_status(conn, tid, &actor, id, to, Utc::now()).map(|_| ()),
    )
    .await
}

pub async fn add_question(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor, id) = (tenant.0.tenant_id(), Actor::user(&me.0), path.into_inner());
    let input = QuestionInput::from_pairs(form.into_inner());
    let sent = Sent::Question(input.clone());
    let flash = ("missions-question-added", "#questions");
    change(page, &state, tid, id, flash, sent, move |conn| {
        service::add_question(conn, tid, &actor, id, &input, Utc::now()).map(|_| ())
    })
    .await
}

pub async fn delete_question(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(MissionId, QuestionId)>,
) -> Result<HttpResponse, AppError> {
    let (tid, actor) = (tenant.0.tenant_id(), Actor::user(&me.0));
    let (id, question) = path.into_inner();
    change(
        page,
        &state,
        tid,
        id,
        ("missions-question-deleted", ""),
        Sent::Nothing,
        move |conn| service::delete_question(conn, tid, &actor, id, question),
    )
    .await
}

#[derive(Deserialize)]
pub struct MoveForm {
    direction: String,
}

pub async fn move_question(
    page: Page,
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<(MissionId, QuestionId)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let tid = tenant.0.tenant_id();
    let (id, question) = path.into_inner();
    let up = form.direction == "up";
    change(
        page,
        &state,
        tid,
        id,
        ("missions-question-moved", ""),
        Sent::Nothing,
        move |conn| service::move_question(conn, tid, id, question, up),
    )
    .await
}

pub async fn results(
    page: Page,
    tenant: CurrentTenant,
    path: web::Path<MissionId>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    page.show("r", "studio/mission_results.html", move |conn| {
        service::results(conn, tid, id)
    })
    .await
}

pub async fn results_csv(
    tenant: CurrentTenant,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
) -> Result<HttpResponse, AppError> {
    let (tid, zone, id) = (tenant.0.tenant_id(), tenant.0.zone(), path.into_inner());
    let bytes = db::run(&state.pool, move |conn| {
        service::export_csv(conn, tid, id, zone)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"mission-{id}-results.csv\""),
        ))
        .body(bytes))
}

#[derive(MultipartForm)]
pub struct MediaUpload {
    duration_seconds: Option<Text<Clean>>,
    /// Videos up to the configured limit (50 MB by default); the check says more.
    #[multipart(limit = "64MB")]
    file: Option<TempFile>,
}

/// Uploads a cover image, an example image or a video: checked, stored, then recorded;
/// a refusal is shown next to the upload's field and nothing is kept.
pub async fn upload_media(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(MissionId, String)>,
    MultipartForm(upload): MultipartForm<MediaUpload>,
) -> Result<HttpResponse, AppError> {
    let (id, role) = path.into_inner();
    let role = MediaRole::parse(&role).ok_or(AppError::NotFound)?;
    let (tid, actor, zone) = (tenant.0.tenant_id(), Actor::user(&me.0), page.zone);
    let pool = state.pool.clone();
    let refuse = |page, field: &'static str, key| async move {
        let editor = db::run(&pool, move |conn| {
            service::editor(conn, tid, zone, id, None, None)
        })
        .await?;
        let problems = Problems {
            media_errors: FieldErrors::from([(field, key)]),
            ..Problems::default()
        };
        render_editor(page, &editor, problems)
    };
    let entered = text(upload.duration_seconds);
    let entered = match entered.trim() {
        "" => None,
        t => match t.parse::<i32>() {
            Ok(n) if (1..=14_400).contains(&n) => Some(n),
            _ => return refuse(page, "duration", "error-media-duration").await,
        },
    };
    let bytes = match upload.file {
        Some(f) if f.size > 0 => std::fs::read(f.file.path())
            .map_err(|e| AppError::internal(anyhow::anyhow!("reading an upload: {e}")))?,
        _ => vec![],
    };
    let limits = &state.settings.storage;
    let (max_image, max_video) = (limits.max_image_mb << 20, limits.max_video_mb << 20);
    let checked = web::block(move || media::check(role, bytes, max_image, max_video))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("checking an upload: {e}")))?;
    let mut file = match checked {
        Ok(f) => f,
        Err(key) => return refuse(page, role.as_str(), key).await,
    };
    let bytes = std::mem::take(&mut file.bytes);
    let key = state
        .storage
        .put(tid, file.extension, bytes)
        .await
        .map_err(AppError::internal)?;
    let stored = key.clone();
    let result = db::run(&state.pool, move |conn| {
        match media::attach(conn, tid, &actor, id, role, &stored, &file, entered) {
            Ok(attached) => Ok(Ok(attached.replaced)),
            Err(MissionError::Refused(k)) => Ok(Err(("video", k))),
            Err(MissionError::Invalid(e)) => Ok(Err((
                "duration",
                e.get("duration").copied().unwrap_or("error-media-duration"),
            ))),
            Err(e) => Err(e),
        }
    })
    .await;
    match result {
        Ok(Ok(replaced)) => {
            if let Some(old) = replaced {
                // The row is gone; a file left behind would only cost space.
                if let Err(e) = state.storage.delete(&old).await {
                    tracing::warn!(error = %e, "could not delete a replaced media file");
                }
            }
            page.flash("missions-media-saved")?;
            Ok(see_other(&format!("/studio/missions/{id}#media")))
        }
        other => {
            let _ = state.storage.delete(&key).await;
            match other {
                Ok(Err((field, k))) => refuse(page, field, k).await,
                Err(e) => Err(e.into()),
                Ok(Ok(_)) => Err(AppError::NotFound),
            }
        }
    }
}
