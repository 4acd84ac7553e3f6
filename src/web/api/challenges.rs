//! Challenges (scope `read`): the tenant's challenges with their rules, one by id, and
//! a participant's challenges with their score, target, attainment and rank as their
//! challenges page shows them.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::body;
use super::caller::Caller;
use super::error::{ApiError, ErrorBody};
use super::missions::path_id;
use super::network::ListQuery;
use crate::domain::ChallengeId;
use crate::services::challenges::views::Card;
use crate::services::challenges::ChallengeError;
use crate::services::integration_progress::{self as progress, ChallengeRow};
use crate::services::ServiceError;
use crate::startup::AppState;

impl From<ChallengeError> for ApiError {
    fn from(e: ChallengeError) -> Self {
        ServiceError::from(e).into()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierOut {
    /// Attainment of the target, in percent, that reaches the tier.
    pub percent: i32,
    pub points: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrizeOut {
    pub rank: i32,
    pub points: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengeOut {
    pub id: i64,
    pub title: String,
    pub description: String,
    /// draft, scheduled, active, closed or awarded.
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// When the awards are given (after the grace period).
    pub award_at: Option<DateTime<Utc>>,
    /// What is counted: units, revenue (minor units), declarations or missions.
    pub objective: String,
    /// participant or partner.
    pub scope: String,
    /// fixed, growth (on a reference period) or upload (per participant or partner).
    pub target_mode: String,
    pub target_value: i64,
    pub growth_percent: Option<i32>,
    pub reference_starts_on: Option<NaiveDate>,
    pub reference_ends_on: Option<NaiveDate>,
    /// Points multiplier in thousandths (1500 = ×1.5) while the challenge runs.
    pub multiplier: Option<i32>,
    /// result or attainment (% of target).
    pub rank_basis: String,
    /// The SKUs counted (empty: every product, or the categories).
    pub skus: Vec<String>,
    pub categories: Vec<String>,
    pub tiers: Vec<TierOut>,
    pub prizes: Vec<PrizeOut>,
    /// Participants taking part.
    pub participants: i64,
    pub published_at: Option<DateTime<Utc>>,
    pub awarded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ChallengeRow> for ChallengeOut {
    fn from(r: ChallengeRow) -> Self {
        let c = r.challenge;
        ChallengeOut {
            id: c.id.0,
            title: c.title,
            description: c.description,
            status: c.status,
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            award_at: c.award_at,
            objective: c.objective,
            scope: c.scope,
            target_mode: c.target_mode,
            target_value: c.target_value,
            growth_percent: c.growth_percent,
            reference_starts_on: c.reference_starts_on,
            reference_ends_on: c.reference_ends_on,
            multiplier: c.multiplier,
            rank_basis: c.rank_basis,
            skus: r.skus,
            categories: c.categories.into_iter().flatten().collect(),
            tiers: r
                .tiers
                .into_iter()
                .map(|t| TierOut {
                    percent: t.percent,
                    points: t.points,
                })
                .collect(),
            prizes: r
                .prizes
                .into_iter()
                .map(|(rank, points)| PrizeOut { rank, points })
                .collect(),
            participants: r.participants,
            published_at: c.published_at,
            awarded_at: c.awarded_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengePage {
    pub items: Vec<ChallengeOut>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AwardOut {
    pub rank: i32,
    pub result: i64,
    pub target: Option<i64>,
    pub tier_percent: Option<i32>,
    /// Tier and rank points together.
    pub points: i64,
    pub awarded_at: DateTime<Utc>,
}

/// One challenge as the participant's challenges page shows it. For a challenge by
/// partner, the score, target, attainment and rank are their partner's.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantChallenge {
    pub challenge_id: i64,
    pub title: String,
    pub status: String,
    /// active, upcoming or finished (in the last 60 days).
    pub phase: String,
    pub scope: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `null` until the participant has a score in it.
    pub score: Option<i64>,
    pub target: Option<i64>,
    /// Whole percent of the target.
    pub attainment_percent: Option<i64>,
    /// The highest tier reached, in percent of the target.
    pub tier_percent: Option<i32>,
    pub rank: Option<i64>,
    /// How many are ranked.
    pub ranked: Option<i64>,
    pub award: Option<AwardOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantChallenges {
    pub email: String,
    pub challenges: Vec<ParticipantChallenge>,
}

fn card(c: Card, phase: &str) -> ParticipantChallenge {
    let p = c.progress;
    let ch = c.challenge;
    ParticipantChallenge {
        challenge_id: ch.id.0,
        title: ch.title,
        status: ch.status,
        phase: phase.to_string(),
        scope: ch.scope,
        starts_at: ch.starts_at,
        ends_at: ch.ends_at,
        score: p.as_ref().map(|p| p.result),
        target: p.as_ref().and_then(|p| p.target),
        attainment_percent: p.as_ref().and_then(|p| p.target.map(|_| p.percent)),
        tier_percent: p.as_ref().and_then(|p| p.tier.as_ref().map(|t| t.percent)),
        rank: p.as_ref().and_then(|p| p.rank),
        ranked: p.as_ref().map(|p| p.of),
        award: c.award.map(|a| AwardOut {
            rank: a.rank,
            result: a.result,
            target: a.target,
            tier_percent: a.tier_percent,
            points: a.tier_points + a.rank_points,
            awarded_at: a.awarded_at,
        }),
    }
}

/// List challenges
///
/// Every challenge of the programme (drafts too), in id order, with its rules.
#[utoipa::path(get, path = "/api/v1/challenges", tag = "challenges", params(ListQuery),
    responses((status = 200, body = ChallengePage), (status = "4XX", body = ErrorBody)),
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
        progress::challenges_page(conn, tid, after, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ChallengePage {
        items: listed.items.into_iter().map(Into::into).collect(),
        next_cursor: body::cursor(listed.next_after),
    }))
}

/// Get a challenge
#[utoipa::path(get, path = "/api/v1/challenges/{id}", tag = "challenges",
    params(("id" = i64, Path, description = "Challenge id")),
    responses((status = 200, body = ChallengeOut), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn show(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let id = ChallengeId(path_id(&path)?);
    let tid = caller.tenant_id();
    let row = crate::db::run(&state.pool, move |conn| progress::challenge(conn, tid, id)).await?;
    Ok(HttpResponse::Ok().json(ChallengeOut::from(row)))
}

/// A participant's challenges
///
/// The published challenges the participant takes part in (running, coming, finished
/// in the last 60 days), with their score, target, attainment, tier and rank as their
/// challenges page shows them, and their award once given.
#[utoipa::path(get, path = "/api/v1/participants/{email}/challenges", tag = "challenges",
    params(("email" = String, Path, description = "E-mail address")),
    responses((status = 200, body = ParticipantChallenges), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["read"])))]
pub async fn of_participant(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require("read")?;
    let (tid, email) = (caller.tenant_id(), body::path_key(path.into_inner())?);
    let (who, mine) = crate::db::run(&state.pool, move |conn| {
        progress::participant_challenges(conn, tid, &email, Utc::now())
    })
    .await?;
    let mut challenges = vec![];
    for (cards, phase) in [
        (mine.active, "active"),
        (mine.upcoming, "upcoming"),
        (mine.finished, "finished"),
    ] {
        challenges.extend(cards.into_iter().map(|c| card(c, phase)));
    }
    Ok(HttpResponse::Ok().json(ParticipantChallenges {
        email: who.user.email,
        challenges,
    }))
}
