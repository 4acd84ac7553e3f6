//! What participants and the brand read: a participant's challenges with their progress,
//! a challenge's page with its rules and leaderboards, the studio's list, the results
//! and their CSV file. Scores are read from the score tables, never summed from sales.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::setup::multiplier_text;
use super::ChallengeError;
use crate::db::challenges::scores::{self, Award, Board, BoardRow};
use crate::db::challenges::{self as rows, Challenge};
use crate::db::declarations as declaration_rows;
use crate::db::tenants;
use crate::db::users::User;
use crate::domain::challenges::{
    next_tier, percent_of, tier_reached, ChallengeStatus, Objective, RankBasis, Scope, Tier,
};
use crate::domain::values::spreadsheet_safe;
use crate::domain::{ChallengeId, ProductId, TenantId};

/// Rows at the top of a leaderboard, and around the participant's own row.
pub const TOP: i64 = 50;
pub const AROUND: i64 = 2;

/// A participant's (or their partner's) progress in one challenge.
#[derive(Debug, Serialize)]
pub struct Progress {
    pub result: i64,
    pub target: Option<i64>,
    /// Whole percent of the target, and the same capped at 100 for the bar.
    pub percent: i64,
    pub bar: i64,
    pub tier: Option<Tier>,
    pub next_tier: Option<Tier>,
    /// What is still needed for the next tier.
    pub missing: Option<i64>,
    pub rank: Option<i64>,
    pub of: i64,
}

#[derive(Debug, Serialize)]
pub struct Card {
    pub challenge: Challenge,
    pub banner: bool,
    pub progress: Option<Progress>,
    pub days_left: i64,
    pub days_to_start: i64,
    pub multiplier: Option<String>,
    pub award: Option<Award>,
}

/// A rank already known for a board and basis (the page computed it for its board).
type KnownRank = Option<(Board, RankBasis, i64)>;

fn progress(
    conn: &mut PgConnection,
    c: &Challenge,
    user: &User,
    tiers: &[Tier],
    known: KnownRank,
) -> Result<Option<Progress>, ChallengeError> {
    let tenant = c.tenant_id;
    let Some(score) = scores::score_of(conn, tenant, c.id, user.id)? else {
        return Ok(None);
    };
    let by_partner = c.scope == Scope::Partner.as_str();
    let basis = RankBasis::parse(&c.rank_basis).unwrap_or(RankBasis::Result);
    let (result, target, board, subject) = if by_partner {
        let p = scores::partner_score_of(conn, tenant, c.id, score.partner_id)?;
        let (r, t) = p.map_or((0, None), |p| (p.result, p.target));
        (r, t, Board::Partners, score.partner_id.0)
    } else {
        (
            score.result,
            score.target,
            Board::Participants,
            score.participant_id.0,
        )
    };
    let rank = match known {
        Some((b, k, rank)) if b == board && k == basis => Some(rank),
        _ => scores::standing(conn, tenant, c.id, board, basis, subject, 0)?.map(|(r, _)| r),
    };
    let percent = target.map_or(0, |t| percent_of(result, t));
    let next = target.and_then(|t| next_tier(result, t, tiers));
    Ok(Some(Progress {
        result,
        target,
        percent,
        bar: percent.min(100),
        tier: target.and_then(|t| tier_reached(result, t, tiers)),
        missing: next.zip(target).map(|(n, t)| {
            let needed = (i128::from(n.percent) * i128::from(t) + 99) / 100;
            (needed as i64 - result).max(1)
        }),
        next_tier: next,
        rank,
        of: scores::count(conn, tenant, c.id, board)?,
    }))
}

fn days_until(now: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    let secs = (at - now).num_seconds().max(0);
    (secs + 86_399) / 86_400
}

fn card(
    conn: &mut PgConnection,
    c: Challenge,
    user: &User,
    now: DateTime<Utc>,
    known: KnownRank,
) -> Result<Card, ChallengeError> {
    let tiers = rows::tiers(conn, c.tenant_id, c.id)?;
    Ok(Card {
        banner: rows::banner(conn, c.tenant_id, c.id)?.is_some(),
        progress: progress(conn, &c, user, &tiers, known)?,
        days_left: days_until(now, c.ends_at),
        days_to_start: days_until(now, c.starts_at),
        multiplier: c.multiplier.map(multiplier_text),
        award: scores::award_of(conn, c.tenant_id, c.id, user.id)?,
        challenge: c,
    })
}

/// A participant's challenges: running, coming, and finished in the last 60 days.
#[derive(Debug, Serialize, Default)]
pub struct MyChallenges {
    pub active: Vec<Card>,
    pub upcoming: Vec<Card>,
    pub finished: Vec<Card>,
}

pub fn mine(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    now: DateTime<Utc>,
) -> Result<MyChallenges, ChallengeError> {
    let mut out = MyChallenges::default();
    for c in rows::published(conn, tenant)? {
        if c.ends_at < now - Duration::days(60) || !super::scoring::may_take_part(conn, &c, user)? {
            continue;
        }
        let card = card(conn, c, user, now, None)?;
        if now < card.challenge.starts_at {
            out.upcoming.push(card);
        } else if now < card.challenge.ends_at {
            out.active.push(card);
        } else {
            out.finished.push(card);
        }
    }
    out.finished.reverse();
    Ok(out)
}

/// A leaderboard as shown: the top rows, then the participant's neighbourhood when it
/// is below them.
#[derive(Debug, Serialize)]
pub struct Leaderboard {
    pub board: &'static str,
    pub basis: &'static str,
    /// Whether ranking by % of target makes sense on this board.
    pub has_targets: bool,
    pub top: Vec<BoardRow>,
    pub around: Vec<BoardRow>,
    pub own: Option<i64>,
    pub count: i64,
}

#[derive(Debug, Serialize)]
pub struct ChallengePage {
    pub card: Card,
    pub tiers: Vec<Tier>,
    pub prizes: Vec<(i32, i64)>,
    pub products: Vec<String>,
    pub categories: Vec<String>,
    pub grace_days: i32,
    pub board: Leaderboard,
}

/// The challenge page of a participant (404 when they may not see it).
pub fn page(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: ChallengeId,
    board: Board,
    basis: RankBasis,
    now: DateTime<Utc>,
) -> Result<ChallengePage, ChallengeError> {
    let c = rows::find(conn, tenant, id)?;
    if c.status == ChallengeStatus::Draft.as_str()
        || !super::scoring::may_take_part(conn, &c, user)?
    {
        return Err(ChallengeError::NotFound);
    }
    let by_partner = c.scope == Scope::Partner.as_str();
    let has_targets = board == Board::Partners || !by_partner;
    let basis = if has_targets {
        basis
    } else {
        RankBasis::Result
    };
    let own_subject = match board {
        Board::Participants => Some(user.id.0),
        Board::Partners => user.partner_id.map(|p| p.0),
    };
    let top = scores::top(conn, tenant, id, board, basis, TOP)?;
    let (own, mut around) = match own_subject {
        Some(s) => scores::standing(conn, tenant, id, board, basis, s, AROUND)?
            .map_or((None, vec![]), |(r, rows)| (Some(r), rows)),
        None => (None, vec![]),
    };
    around.retain(|r| r.rank > TOP);
    let products: Vec<ProductId> = c
        .product_ids
        .iter()
        .flatten()
        .map(|p| ProductId(*p))
        .collect();
    let product_names = declaration_rows::products_by_ids(conn, tenant, &products)?
        .into_values()
        .map(|p| p.name)
        .collect();
    let grace_days = tenants::find(conn, tenant)?.challenge_grace_days;
    Ok(ChallengePage {
        tiers: rows::tiers(conn, tenant, id)?,
        prizes: rows::prizes(conn, tenant, id)?,
        products: product_names,
        categories: c.categories.iter().flatten().cloned().collect(),
        grace_days,
        board: Leaderboard {
            board: match board {
                Board::Participants => "participants",
                Board::Partners => "partners",
            },
            basis: basis.as_str(),
            has_targets,
            top,
            around,
            own,
            count: scores::count(conn, tenant, id, board)?,
        },
        card: card(conn, c, user, now, own.map(|r| (board, basis, r)))?,
    })
}

/// A row of the studio's list.
#[derive(Debug, Serialize)]
pub struct StudioRow {
    pub challenge: Challenge,
    pub participants: i64,
}

pub fn studio_list(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> Result<Vec<StudioRow>, ChallengeError> {
    let mut out = vec![];
    for c in rows::list(conn, tenant)? {
        out.push(StudioRow {
            participants: scores::count(conn, tenant, c.id, Board::Participants)?,
            challenge: c,
        });
    }
    Ok(out)
}

/// The brand's results page.
#[derive(Debug, Serialize)]
pub struct Results {
    pub challenge: Challenge,
    pub participants: i64,
    /// With a result above zero.
    pub active: i64,
    /// Attainment buckets: < 50 %, 50–79, 80–99, 100–119, ≥ 120 (of targets known).
    pub distribution: [i64; 5],
    pub winners: Vec<BoardRow>,
    pub points_awarded: i64,
    pub awarded: i64,
    /// The challenge's total against the same subjects' reference period.
    pub total: i64,
    pub reference_total: i64,
    pub reference: (chrono::NaiveDate, chrono::NaiveDate),
    pub incremental: i64,
}

pub fn results(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> Result<Results, ChallengeError> {
    let c = rows::find(conn, tenant, id)?;
    let zone = tenants::find(conn, tenant)?.zone();
    let by_partner = c.scope == Scope::Partner.as_str();
    let board = if by_partner {
        Board::Partners
    } else {
        Board::Participants
    };
    let basis = RankBasis::parse(&c.rank_basis).unwrap_or(RankBasis::Result);
    #[derive(QueryableByName)]
    struct Sums {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        active: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        total: i64,
        #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::BigInt>)]
        buckets: Vec<i64>,
    }
    let table = if by_partner {
        "challenge_partner_scores"
    } else {
        "challenge_scores"
    };
    let sums: Sums = diesel::sql_query(format!(
        "SELECT count(*) FILTER (WHERE result > 0) AS active,
                COALESCE(sum(result), 0)::bigint AS total,
                ARRAY[count(*) FILTER (WHERE attainment < 5000),
                      count(*) FILTER (WHERE attainment >= 5000 AND attainment < 8000),
                      count(*) FILTER (WHERE attainment >= 8000 AND attainment < 10000),
                      count(*) FILTER (WHERE attainment >= 10000 AND attainment < 12000),
                      count(*) FILTER (WHERE attainment >= 12000)] AS buckets
         FROM {table} WHERE tenant_id = $1 AND challenge_id = $2"
    ))
    .bind::<diesel::sql_types::BigInt, _>(tenant)
    .bind::<diesel::sql_types::BigInt, _>(id)
    .get_result(conn)?;
    #[derive(QueryableByName)]
    struct Awarded {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        points: i64,
    }
    let awarded: Awarded = diesel::sql_query(
        "SELECT count(*) AS n, COALESCE(sum(tier_points + rank_points), 0)::bigint AS points
         FROM challenge_awards WHERE tenant_id = $1 AND challenge_id = $2",
    )
    .bind::<diesel::sql_types::BigInt, _>(tenant)
    .bind::<diesel::sql_types::BigInt, _>(id)
    .get_result(conn)?;
    // The reference: the growth target's, else as many days just before the start.
    let first = zone.date_of(c.starts_at);
    let last = zone.date_of(c.ends_at - Duration::seconds(1));
    let reference = match (c.reference_starts_on, c.reference_ends_on) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            let days = (last - first).num_days() + 1;
            (first - Duration::days(days), first - Duration::days(1))
        }
    };
    let objective = Objective::parse(&c.objective).unwrap_or(Objective::Units);
    let products: Vec<i64> = c.product_ids.iter().flatten().copied().collect();
    let categories: Vec<String> = c.categories.iter().flatten().cloned().collect();
    let before = scores::reference_results(
        conn,
        tenant,
        objective,
        by_partner,
        &products,
        &categories,
        reference.0,
        reference.1,
    )?;
    let subjects = subjects_of(conn, tenant, id, by_partner)?;
    let reference_total: i64 = subjects.iter().filter_map(|s| before.get(s)).sum();
    let mut distribution = [0; 5];
    for (slot, n) in distribution.iter_mut().zip(sums.buckets) {
        *slot = n;
    }
    Ok(Results {
        participants: scores::count(conn, tenant, id, Board::Participants)?,
        active: sums.active,
        distribution,
        winners: scores::top(conn, tenant, id, board, basis, 10)?,
        points_awarded: awarded.points,
        awarded: awarded.n,
        total: sums.total,
        reference_total,
        reference,
        incremental: sums.total - reference_total,
        challenge: c,
    })
}

fn subjects_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    by_partner: bool,
) -> QueryResult<Vec<i64>> {
    use crate::db::schema::{challenge_partner_scores as ps, challenge_scores as s};
    if by_partner {
        ps::table
            .filter(ps::tenant_id.eq(tenant))
            .filter(ps::challenge_id.eq(id))
            .select(ps::partner_id)
            .load::<crate::domain::PartnerId>(conn)
            .map(|v| v.into_iter().map(|p| p.0).collect())
    } else {
        s::table
            .filter(s::tenant_id.eq(tenant))
            .filter(s::challenge_id.eq(id))
            .select(s::participant_id)
            .load::<crate::domain::UserId>(conn)
            .map(|v| v.into_iter().map(|p| p.0).collect())
    }
}

/// Every participant's standing (their award once awarded) as CSV.
pub fn export_csv(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> Result<Vec<u8>, ChallengeError> {
    let c = rows::find(conn, tenant, id)?;
    let failed = |e: csv::Error| ChallengeError::Other(anyhow::anyhow!("writing the CSV: {e}"));
    let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    out.write_record([
        "rank",
        "participant",
        "email",
        "partner",
        "result",
        "target",
        "percent",
        "tier_percent",
        "tier_points",
        "rank_points",
    ])
    .map_err(failed)?;
    let awards = scores::awards(conn, tenant, id)?;
    if !awards.is_empty() {
        for (a, name, email, partner) in awards {
            out.write_record([
                a.rank.to_string(),
                spreadsheet_safe(&name),
                email,
                spreadsheet_safe(&partner),
                a.result.to_string(),
                a.target.map(|t| t.to_string()).unwrap_or_default(),
                a.target
                    .map(|t| percent_of(a.result, t).to_string())
                    .unwrap_or_default(),
                a.tier_percent.map(|t| t.to_string()).unwrap_or_default(),
                a.tier_points.to_string(),
                a.rank_points.to_string(),
            ])
            .map_err(failed)?;
        }
    } else {
        let basis = RankBasis::parse(&c.rank_basis).unwrap_or(RankBasis::Result);
        let all = scores::top(conn, tenant, id, Board::Participants, basis, i64::MAX)?;
        let emails: BTreeMap<i64, String> = crate::db::users::list(conn, tenant)?
            .into_iter()
            .map(|u| (u.id.0, u.email))
            .collect();
        for r in all {
            out.write_record([
                r.rank.to_string(),
                spreadsheet_safe(&r.name),
                emails.get(&r.id).cloned().unwrap_or_default(),
                spreadsheet_safe(r.partner.as_deref().unwrap_or("")),
                r.result.to_string(),
                r.target.map(|t| t.to_string()).unwrap_or_default(),
                r.target
                    .map(|t| percent_of(r.result, t).to_string())
                    .unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
            ])
            .map_err(failed)?;
        }
    }
    out.into_inner()
        .map_err(|e| ChallengeError::Other(anyhow::anyhow!("writing the CSV: {e}")))
}
