//! Missions (scope `read`): the tenant's missions as the studio lists them, one by id,
//! and a participant's missions with their state as the portal's board shows it.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::body;
use super::caller::Caller;
use super::error::{ApiError, ErrorBody};
use super::network::ListQuery;
use crate::domain::MissionId;
use crate::services::integration_progress::{self as progress, MissionRow};
use crate::services::missions::{Card, MissionError};
use crate::services::ServiceError;
use crate::startup::AppState;

impl From<MissionError> for ApiError {
    fn from(e: MissionError) -> Self {
        ServiceError::from(e).into()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MissionOut {
    pub id: i64,
    /// quiz, survey, photo or video.
    pub kind: String,
    pub title: String,
    pub description: String,
    /// Points earned by each completion.
    pub points: i64,
    /// draft, published or archived.
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// once, times (up to `max_completions`), weekly or monthly.
    pub completion_limit: String,
    pub max_completions: Option<i32>,
    /// Questions of a quiz or survey (a video's follow-up quiz; 0 for photos).
    pub questions: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<MissionRow> for MissionOut {
    fn from(r: MissionRow) -> Self {
        let m = r.mission;
        MissionOut {
            id: m.id.0,
            kind: m.kind,
            title: m.title,
            description: m.description,
            points: m.points,
            status: m.status,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            completion_limit: m.completion_limit,
            max_completions: m.max_completions,
            questions: r.questions,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MissionPage {
    pub items: Vec<MissionOut>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One mission as the participant's board shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantMission {
    pub mission_id: i64,
    pub kind: String,
    pub title: String,
    pub points: i64,
    pub ends_at: DateTime<Utc>,
    pub completion_limit: String,
    /// todo (can be done now), awaiting_review (photos sent, not yet reviewed), done,
    /// or expired.
    pub state: String,
    pub completions: i64,
    /// Points earned by those completions.
    pub points_earned: i64,
    /// Quizzes: attempts left towards the next completion.
    pub attempts_left: Option<i32>,
    /// Out of attempts without passing.
    pub failed: bool,
    /// Photo missions: the review of the last submission (pending, approved or
    /// rejected); `null` when none was sent.
    pub submission: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantMissions {
    pub email: String,
    /// The published missions this participant may see, those of their segments only.
    pub missions: Vec<ParticipantMission>,
}

fn card(c: Card, state: &str) -> ParticipantMission {
    let completions = i64::try_from(c.completions).unwrap_or(i64::MAX);
    ParticipantMission {
        mission_id: c.id.0,
        kind: c.kind,
        title: c.title,
        points: c.points,
        ends_at: c.ends_at,
        completion_limit: c.completion_limit,
        state: state.to_string(),
        completions,
        points_earned: c.points.saturating_mul(completions),
        attempts_left: c.attempts_left,
        failed: c.failed,
        submission: c.review.map(str::to_string),
    }
}

/// An id in the path: a whole number (400 naming `id` otherwise).
pub fn path_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::bad_request("id", "a whole number above 0"))
}

/// List missions
///
/// Every mission of the programme (drafts and archived ones too), in id order.
#[utoipa::path(get, path = "/api/v1/missions", tag = "missions", params(ListQuery),
    responses((status = 200, body = MissionPage), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn list(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let q: ListQuery = body::query(&req)?;
    let (after, limit) = body::page(q.cursor.as_deref(), q.limit)?;
    let tid = caller.tenant_id();
    let listed = crate::db::run(&state.pool, move |conn| {
        progress::missions_page(conn, tid, after, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(MissionPage {
        items: listed.items.into_iter().map(Into::into).collect(),
        next_cursor: body::cursor(listed.next_after),
    }))
}

/// Get a mission
#[utoipa::path(get, path = "/api/v1/missions/{id}", tag = "missions",
    params(("id" = i64, Path, description = "Mission id")),
    responses((status = 200, body = MissionOut), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn show(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let id = MissionId(path_id(&path)?);
    let tid = caller.tenant_id();
    let row = crate::db::run(&state.pool, move |conn| progress::mission(conn, tid, id)).await?;
    Ok(HttpResponse::Ok().json(MissionOut::from(row)))
}

/// A participant's missions
///
/// Each mission the participant may see, with their state as their missions page
/// shows it: completions, points earned, attempts left, the review of photos sent.
#[utoipa::path(get, path = "/api/v1/participants/{email}/missions", tag = "missions",
    params(("email" = String, Path, description = "E-mail address")),
    responses((status = 200, body = ParticipantMissions), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn of_participant(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let (tid, email) = (caller.tenant_id(), body::path_key(path.into_inner())?);
    let (who, board) = crate::db::run(&state.pool, move |conn| {
        progress::participant_missions(conn, tid, &email, Utc::now())
    })
    .await?;
    let mut missions = vec![];
    for (cards, state) in [
        (board.todo, "todo"),
        (board.awaiting, "awaiting_review"),
        (board.done, "done"),
        (board.expired, "expired"),
    ] {
        missions.extend(cards.into_iter().map(|c| card(c, state)));
    }
    Ok(HttpResponse::Ok().json(ParticipantMissions {
        email: who.user.email,
        missions,
    }))
}
