//! What the integration API reads of missions and challenges: pages of them as the
//! studio lists them, one by id, and a participant's progress as their portal pages
//! show it (the missions board, the challenges page), found by e-mail.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::challenges::{views as challenge_views, ChallengeError};
use super::integration::{self, Listed, Participant};
use super::missions::{self, Board, MissionError};
use crate::db::challenges::scores::{self, Board as ScoreBoard};
use crate::db::challenges::{self as challenge_rows, Challenge};
use crate::db::missions::{self as mission_rows, Mission};
use crate::domain::challenges::Tier;
use crate::domain::{ChallengeId, MissionId, ProductId, TenantId};

fn next_after<T>(items: &[T], limit: i64, id: impl Fn(&T) -> i64) -> Option<i64> {
    if items.len() as i64 == limit {
        items.last().map(id)
    } else {
        None
    }
}

/// A mission as the studio lists it: its row and how many questions it has.
#[derive(Debug, Clone)]
pub struct MissionRow {
    pub mission: Mission,
    pub questions: i64,
}

/// A page of the tenant's missions (every status), in id order after a cursor.
pub fn missions_page(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> Result<Listed<MissionRow>, MissionError> {
    let rows = mission_rows::list_after(conn, tenant, after, limit)?;
    let counts = mission_rows::question_counts(conn, tenant)?;
    let items: Vec<MissionRow> = rows
        .into_iter()
        .map(|mission| MissionRow {
            questions: counts.get(&mission.id).copied().unwrap_or(0),
            mission,
        })
        .collect();
    let next_after = next_after(&items, limit, |m| m.mission.id.0);
    Ok(Listed { items, next_after })
}

pub fn mission(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
) -> Result<MissionRow, MissionError> {
    let mission = mission_rows::find(conn, tenant, id)?;
    let counts = mission_rows::question_counts(conn, tenant)?;
    Ok(MissionRow {
        questions: counts.get(&id).copied().unwrap_or(0),
        mission,
    })
}

/// A challenge with what the studio shows of it: tiers, rank prizes, the SKUs it counts
/// and how many take part.
#[derive(Debug, Clone)]
pub struct ChallengeRow {
    pub challenge: Challenge,
    pub tiers: Vec<Tier>,
    pub prizes: Vec<(i32, i64)>,
    pub skus: Vec<String>,
    pub participants: i64,
}

fn challenge_row(
    conn: &mut PgConnection,
    challenge: Challenge,
) -> Result<ChallengeRow, ChallengeError> {
    let (tenant, id) = (challenge.tenant_id, challenge.id);
    let products: Vec<ProductId> = challenge
        .product_ids
        .iter()
        .flatten()
        .map(|p| ProductId(*p))
        .collect();
    let mut skus: Vec<String> = crate::db::api_views::product_skus(conn, tenant, &products)?
        .into_values()
        .collect();
    skus.sort();
    Ok(ChallengeRow {
        tiers: challenge_rows::tiers(conn, tenant, id)?,
        prizes: challenge_rows::prizes(conn, tenant, id)?,
        participants: scores::count(conn, tenant, id, ScoreBoard::Participants)?,
        skus,
        challenge,
    })
}

/// A page of the tenant's challenges (every status), in id order after a cursor.
pub fn challenges_page(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> Result<Listed<ChallengeRow>, ChallengeError> {
    let rows = challenge_rows::list_after(conn, tenant, after, limit)?;
    let items = rows
        .into_iter()
        .map(|c| challenge_row(conn, c))
        .collect::<Result<Vec<_>, _>>()?;
    let next_after = next_after(&items, limit, |c| c.challenge.id.0);
    Ok(Listed { items, next_after })
}

pub fn challenge(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> Result<ChallengeRow, ChallengeError> {
    let c = challenge_rows::find(conn, tenant, id)?;
    challenge_row(conn, c)
}

/// The missions board of the participant with this e-mail, as their portal shows it.
pub fn participant_missions(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(Participant, Board), MissionError> {
    let who = integration::participant(conn, tenant, email)?;
    let (zone, _) = crate::db::tenants::zone_and_currency(conn, tenant)?;
    let board = missions::board(conn, tenant, &who.user, now, zone)?;
    Ok((who, board))
}

/// The challenges of the participant with this e-mail, as their portal shows them.
pub fn participant_challenges(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(Participant, challenge_views::MyChallenges), ChallengeError> {
    let who = integration::participant(conn, tenant, email).map_err(|e| match e {
        super::ServiceError::NotFound => ChallengeError::NotFound,
        super::ServiceError::Db(e) => e.into(),
        other => ChallengeError::Other(anyhow::anyhow!("{other}")),
    })?;
    let mine = challenge_views::mine(conn, tenant, &who.user, now)?;
    Ok((who, mine))
}
