//! Missions in the portal: the participant's missions (to do, done, expired) and a
//! mission's page, where a quiz is started and answered and a survey is submitted.

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
use crate::services::missions::{
    self as service, AnswerErrors, AnswerInput, MissionError, MissionView,
};
use crate::startup::AppState;

type Pairs = Vec<(String, String)>;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/missions", web::get().to(list))
        .route("/missions/{id}", web::get().to(show))
        .route("/missions/{id}/start", web::post().to(start))
        .route("/missions/{id}/quiz", web::post().to(submit_quiz))
        .route("/missions/{id}/survey", web::post().to(submit_survey));
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
    refusal: Option<ErrorKey>,
    /// The values sent, by field, to tick them again.
    sent: BTreeMap<String, Vec<String>>,
}

fn render(mut page: Page, view: &MissionView, p: Problems) -> Result<HttpResponse, AppError> {
    let status = if p.refusal.is_some() {
        StatusCode::CONFLICT
    } else if p.answer_errors.is_empty() {
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

/// Runs a participant's action; on a refusal or refused answers, the mission's page is
/// shown again with the reason (nothing was written).
async fn act(
    page: Page,
    state: &web::Data<AppState>,
    tenant: CurrentTenant,
    me: CurrentUser,
    id: MissionId,
    pairs: Pairs,
    f: impl FnOnce(&mut diesel::PgConnection, &User, &AnswerInput) -> Result<&'static str, MissionError>
        + Send
        + 'static,
) -> Result<HttpResponse, AppError> {
    let (tid, zone, user) = (tenant.0.tenant_id(), page.zone, me.0);
    let sent = sent_values(&pairs);
    let input = AnswerInput { pairs };
    let outcome = db::run(&state.pool, move |conn| {
        let problems = match f(conn, &user, &input) {
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
            Err(e) => return Err(e),
        };
        let view = service::view(conn, tid, &user, id, Utc::now(), zone)?;
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
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let (tid, zone, id) = (tenant.0.tenant_id(), page.zone, path.into_inner());
    act(
        page,
        &state,
        tenant,
        me,
        id,
        form.into_inner(),
        move |conn, user, input| {
            let token = value(&input.pairs, "form_token").to_string();
            service::start_quiz(conn, tid, user, id, &token, Utc::now(), zone)
                .map(|_| "missions-quiz-started")
        },
    )
    .await
}

pub async fn submit_quiz(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let (tid, id) = (tenant.0.tenant_id(), path.into_inner());
    let pairs = form.into_inner();
    let attempt: AttemptId = value(&pairs, "attempt_id")
        .parse()
        .map_err(|_| AppError::NotFound)?;
    act(
        page,
        &state,
        tenant,
        me,
        id,
        pairs,
        move |conn, user, input| {
            let outcome = service::submit_quiz(conn, tid, user, id, attempt, input, Utc::now())?;
            Ok(if outcome.timed_out {
                "missions-quiz-timed-out"
            } else if outcome.passed {
                "missions-quiz-passed"
            } else {
                "missions-quiz-failed"
            })
        },
    )
    .await
}

pub async fn submit_survey(
    page: Page,
    tenant: CurrentTenant,
    me: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<MissionId>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, AppError> {
    let (tid, zone, id) = (tenant.0.tenant_id(), page.zone, path.into_inner());
    act(
        page,
        &state,
        tenant,
        me,
        id,
        form.into_inner(),
        move |conn, user, input| {
            let token = value(&input.pairs, "form_token").to_string();
            service::submit_survey(conn, tid, user, id, &token, input, Utc::now(), zone)
                .map(|_| "missions-survey-thanks")
        },
    )
    .await
}
