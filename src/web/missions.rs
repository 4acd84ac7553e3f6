//! Missions in the portal: the participant's missions (to do, awaiting review, done,
//! expired) and a mission's page, where a quiz is started and answered, a survey is
//! submitted, photos are sent and a video is watched (its player reports progress).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;

use super::auth::{CurrentTenant, CurrentUser};
use super::render::Page;
use super::see_other;
use crate::db;
use crate::db::users::User;
use crate::domain::values::ErrorKey;
use crate::domain::{AttemptId, MissionId};
use crate::error::AppError;
use crate::i18n;
use crate::services::missions::{
    self as service, photo as photos, video, AnswerErrors, AnswerInput, MissionError, MissionView,
};
use crate::services::FieldErrors;
use actix_multipart::form::{tempfile::TempFile, text::Text, MultipartForm};
use serde::{Deserialize, Serialize};

use super::forms::{text, Clean};
use crate::startup::AppState;

type Pairs = Vec<(String, String)>;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/missions", web::get().to(list))
        .route("/missions/{id}", web::get().to(show))
        .route("/missions/{id}/start", web::post().to(start))
        .route("/missions/{id}/quiz", web::post().to(submit_quiz))
        .route("/missions/{id}/survey", web::post().to(submit_survey))
        .route("/missions/{id}/photos", web::post().to(submit_photos))
        .route("/missions/{id}/photos/{attempt}/{n}", web::get().to(photo))
        .route("/missions/{id}/watch", web::post().to(watch))
        .route("/missions/{id}/watch/start", web::post().to(watch_start));
}

pub async fn list(
    mut page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (tid, zone, user) = (tenant.0.tenant_id(), page.zone, me.0);
    let board = db::run(&state.pool, move |conn| {
        service::board(conn, tid, &user, Utc::now(), zone)
    })
    .await?;
    page.insert("board", &board);
    page.render("missions/list.html")
}

/// What a refused submission shows on the mission's page.
#[derive(Default)]
struct Problems {
    answer_errors: AnswerErrors,
    /// Errors of the photo form (next to its file field).
    field_errors: FieldErrors,
    refusal: Option<ErrorKey>,
    /// The values sent, by field, to tick them again.
    sent: BTreeMap<String, Vec<String>>,
}

fn render(mut page: Page, view: &MissionView, p: Problems) -> Result<HttpResponse, AppError> {
    let status = if p.refusal.is_some() {
        StatusCode::CONFLICT
    } else if p.answer_errors.is_empty() && p.field_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors: BTreeMap<String, ErrorKey> = p
        .answer_errors
        .iter()
        .map(|(q, k)| (format!("q{q}"), *k))
        .collect();
    page.insert("m", view)
        .insert("errors", &p.field_errors)
        .insert("answer_errors", &errors)
        .insert("refusal", &p.refusal)
        .insert("sent", &p.sent);
    page.render_status("missions/show.html", status)
}

pub async fn show(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
) -> Result<HttpResponse, AppError> {
    let (tid, zone, user, id) = (tenant.0.tenant_id(), page.zone, me.0, path.into_inner());
    let view = db::run(&state.pool, move |conn| {
        service::view(conn, tid, &user, id, Utc::now(), zone)
    })
    .await?;
    render(page, &view, Problems::default())
}

fn sent_values(pairs: &Pairs) -> BTreeMap<String, Vec<String>> {
    let mut sent: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in pairs.iter().filter(|(k, _)| k.starts_with('q')) {
        sent.entry(k.clone()).or_default().push(v.clone());
    }
    sent
}

fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// What a participant's action on a mission needs: a request's usual extractors.
pub type Portal = (Page, CurrentTenant, CurrentUser, web::Data<AppState>);

/// Who acts on which mission, with what was sent.
pub struct Acting {
    pub tenant: crate::domain::TenantId,
    pub zone: crate::domain::Zone,
    pub user: User,
    pub id: MissionId,
    pub input: AnswerInput,
}

impl Acting {
    /// A field sent with the form (`""` when absent).
    fn value(&self, name: &str) -> &str {
        value(&self.input.pairs, name)
    }
}

type Action = Box<
    dyn FnOnce(&mut diesel::PgConnection, &Acting) -> Result<&'static str, MissionError> + Send,
>;

/// Runs a participant's action; on a refusal or refused answers, the mission's page is
/// shown again with the reason (nothing was written).
async fn act(
    (page, tenant, me, state): Portal,
    id: MissionId,
    pairs: Pairs,
    f: Action,
) -> Result<HttpResponse, AppError> {
    let sent = sent_values(&pairs);
    let acting = Acting {
        tenant: tenant.0.tenant_id(),
        zone: page.zone,
        user: me.0,
        id,
        input: AnswerInput { pairs },
    };
    let outcome = db::run(&state.pool, move |conn| {
        let problems = match f(conn, &acting) {
            Ok(flash) => return Ok(Ok(flash)),
            Err(MissionError::Refused(key)) => Problems {
                refusal: Some(key),
                ..Problems::default()
            },
            Err(MissionError::Answers(errors)) => Problems {
                answer_errors: errors,
                sent,
                ..Problems::default()
            },
            Err(MissionError::Invalid(errors)) => Problems {
                field_errors: errors,
                ..Problems::default()
            },
            Err(e) => return Err(e),
        };
        let a = &acting;
        let view = service::view(conn, a.tenant, &a.user, id, Utc::now(), a.zone)?;
        Ok(Err((problems, view)))
    })
    .await?;
    match outcome {
        Ok(flash) => {
            page.flash(flash)?;
            Ok(see_other(&format!("/missions/{id}")))
        }
        Err((problems, view)) => render(page, &view, problems),
    }
}

pub async fn start(
    cx: Portal,
    path: web::Path<MissionId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let start: Action = Box::new(|conn, a| {
        let token = a.value("form_token");
        service::start_quiz(conn, a.tenant, &a.user, a.id, token, Utc::now(), a.zone)
            .map(|_| "missions-quiz-started")
    });
    act(cx, path.into_inner(), form.into_inner(), start).await
}

pub async fn submit_quiz(
    cx: Portal,
    path: web::Path<MissionId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let pairs = form.into_inner();
    let attempt: AttemptId = value(&pairs, "attempt_id")
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let submit: Action = Box::new(move |conn, a| {
        let outcome =
            service::submit_quiz(conn, a.tenant, &a.user, a.id, attempt, &a.input, Utc::now())?;
        Ok(if outcome.timed_out {
            "missions-quiz-timed-out"
        } else if outcome.passed {
            "missions-quiz-passed"
        } else {
            "missions-quiz-failed"
        })
    });
    act(cx, path.into_inner(), pairs, submit).await
}

pub async fn submit_survey(
    cx: Portal,
    path: web::Path<MissionId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let submit: Action = Box::new(|conn, a| {
        let token = a.value("form_token");
        let now = Utc::now();
        service::submit_survey(conn, a.tenant, &a.user, a.id, token, &a.input, now, a.zone)
            .map(|_| "missions-survey-thanks")
    });
    act(cx, path.into_inner(), form.into_inner(), submit).await
}

#[derive(MultipartForm)]
pub struct PhotoUpload {
    form_token: Option<Text<Clean>>,
    /// Five photos of up to 10 MB; the service says what is wrong with them.
    #[multipart(limit = "60MB")]
    photos: Vec<TempFile>,
}

/// Sends the photos of a photo mission for review.
pub async fn submit_photos(
    cx: Portal,
    path: web::Path<MissionId>,
    MultipartForm(upload): MultipartForm<PhotoUpload>,
) -> Result<HttpResponse, AppError> {
    let token = text(upload.form_token);
    let files = super::forms::uploads(upload.photos)?;
    let send: Action = Box::new(move |conn, a| {
        let now = Utc::now();
        photos::submit_photos(conn, a.tenant, &a.user, a.id, &token, files, now, a.zone)
            .map(|_| "missions-photos-sent")
    });
    act(cx, path.into_inner(), vec![], send).await
}

/// A photo of a submission (`?thumb=true`: its thumbnail), to its participant and to
/// admins.
pub async fn photo(
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(MissionId, AttemptId, i16)>,
    query: web::Query<super::declarations::own::ProofQuery>,
) -> Result<HttpResponse, AppError> {
    let (_, attempt, n) = path.into_inner();
    let (tid, user, thumb) = (tenant.0.tenant_id(), me.0, query.thumb);
    let (bytes, content_type) = db::run(&state.pool, move |conn| {
        photos::photo(conn, tid, &user, attempt, n, thumb)
    })
    .await?;
    Ok(super::media::stored_file(bytes, &content_type, "photo.pdf"))
}

/// The played ranges a video player reports, in seconds: `[[from, to], …]`.
#[derive(Debug, Deserialize)]
pub struct WatchReport {
    #[serde(default)]
    ranges: Vec<(f64, f64)>,
}

/// A JSON answer of the player's endpoints: the progress, or an error that names its
/// field and says what is wrong in the user's language.
#[derive(Serialize)]
struct WatchError {
    error: WatchErrorBody,
}

#[derive(Serialize)]
struct WatchErrorBody {
    code: &'static str,
    message: String,
    fields: Vec<FieldMessage>,
}

#[derive(Serialize)]
struct FieldMessage {
    field: &'static str,
    message: String,
}

async fn watch_reply(
    page: &Page,
    outcome: Result<video::Progress, AppError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(progress) => Ok(HttpResponse::Ok().json(progress)),
        Err(AppError::Conflict(key)) => {
            let key: &'static str = match key.as_str() {
                "error-video-not-started" => "error-video-not-started",
                "error-video-progress" => "error-video-progress",
                "error-mission-closed" => "error-mission-closed",
                "error-mission-already-done" => "error-mission-already-done",
                _ => "error-video-progress",
            };
            let message = i18n::tr(page.locale, key);
            let status = if key == "error-video-progress" {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            Ok(HttpResponse::build(status).json(WatchError {
                error: WatchErrorBody {
                    code: key,
                    fields: vec![FieldMessage {
                        field: "ranges",
                        message: message.clone(),
                    }],
                    message,
                },
            }))
        }
        Err(e) => Err(e),
    }
}

/// The player's first play: starts the watch towards the next completion.
pub async fn watch_start(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
) -> Result<HttpResponse, AppError> {
    let (tid, zone, user, id) = (tenant.0.tenant_id(), page.zone, me.0, path.into_inner());
    let outcome = db::run(&state.pool, move |conn| {
        video::start_watch(conn, tid, &user, id, Utc::now(), zone)
    })
    .await
    .map_err(AppError::from);
    watch_reply(&page, outcome).await
}

/// A progress report: the ranges played since the last one.
pub async fn watch(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (tid, zone, user, id) = (tenant.0.tenant_id(), page.zone, me.0, path.into_inner());
    // Read here rather than by an extractor, so that a malformed report is answered in
    // the same JSON shape as every other refusal.
    let Ok(WatchReport { ranges }) = serde_json::from_slice::<WatchReport>(&body) else {
        return watch_reply(
            &page,
            Err(AppError::Conflict("error-video-progress".into())),
        )
        .await;
    };
    let outcome = db::run(&state.pool, move |conn| {
        video::report(conn, tid, &user, id, &ranges, Utc::now(), zone)
    })
    .await
    .map_err(AppError::from);
    watch_reply(&page, outcome).await
}
