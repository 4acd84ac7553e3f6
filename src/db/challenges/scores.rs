//! Scores, contributions, leaderboards and awards of challenges. Leaderboard SQL names
//! its table and sort column from a closed list (`Board`, `RankBasis`), never from input.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Integer, Nullable, Text, Timestamptz};
use serde::Serialize;

use crate::db::schema::{challenge_awards, challenge_partner_scores, challenge_scores};
use crate::domain::challenges::{Objective, RankBasis};
use crate::domain::{ChallengeId, PartnerId, TenantId, TransactionId, UserId};

/// A participant about to take part, with their own target (participant challenges).
#[derive(Debug, Clone, Copy)]
pub struct Entrant {
    pub participant: UserId,
    pub partner: PartnerId,
    pub target: Option<i64>,
}

/// Enrols participants (those already in are left as they are) and their partners: a
/// partner's target is `partner_targets`' (partner challenges) or grows by the targets
/// of its newly enrolled participants (participant challenges). Returns how many joined.
pub fn enrol(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    entrants: &[Entrant],
    partner_targets: &BTreeMap<PartnerId, i64>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let mut added: BTreeMap<PartnerId, (i64, i32)> = BTreeMap::new();
    let mut joined = 0;
    for chunk in entrants.chunks(5000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|e| {
                (
                    challenge_scores::tenant_id.eq(tenant),
                    challenge_scores::challenge_id.eq(challenge),
                    challenge_scores::participant_id.eq(e.participant),
                    challenge_scores::partner_id.eq(e.partner),
                    challenge_scores::target.eq(e.target),
                    challenge_scores::reached_at.eq(now),
                )
            })
            .collect();
        let inserted: Vec<(PartnerId, Option<i64>)> = diesel::insert_into(challenge_scores::table)
            .values(&rows)
            .on_conflict_do_nothing()
            .returning((challenge_scores::partner_id, challenge_scores::target))
            .get_results(conn)?;
        joined += inserted.len();
        for (partner, target) in inserted {
            let entry = added.entry(partner).or_default();
            entry.0 += target.unwrap_or(0);
            entry.1 += 1;
        }
    }
    let partner_rows: Vec<(PartnerId, Option<i64>, i32)> = if partner_targets.is_empty() {
        added
            .into_iter()
            .map(|(p, (t, n))| (p, (t > 0).then_some(t), n))
            .collect()
    } else {
        added
            .into_iter()
            .map(|(p, (_, n))| (p, partner_targets.get(&p).copied(), n))
            .collect()
    };
    let from_participants = partner_targets.is_empty();
    for (partner, target, members) in partner_rows {
        // One statement per partner: a handful per publication, one at a lazy enrolment.
        diesel::sql_query(
            "INSERT INTO challenge_partner_scores (tenant_id, challenge_id, partner_id, target, reached_at, members)
             VALUES ($1, $2, $3, $4, $5, $7)
             ON CONFLICT (tenant_id, challenge_id, partner_id) DO UPDATE
                SET target = CASE WHEN $6 THEN challenge_partner_scores.target + EXCLUDED.target
                                  ELSE challenge_partner_scores.target END,
                    members = challenge_partner_scores.members + EXCLUDED.members",
        )
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(challenge)
        .bind::<BigInt, _>(partner)
        .bind::<Nullable<BigInt>, _>(target)
        .bind::<Timestamptz, _>(now)
        .bind::<Bool, _>(from_participants)
        .bind::<Integer, _>(members)
        .execute(conn)?;
    }
    Ok(joined)
}

/// A participant's score row, if they take part.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = challenge_scores)]
pub struct Score {
    pub participant_id: UserId,
    pub partner_id: PartnerId,
    pub target: Option<i64>,
    pub result: i64,
    pub reached_at: DateTime<Utc>,
    pub attainment: Option<i64>,
    pub final_rank: Option<i32>,
}

pub fn score_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    participant: UserId,
) -> QueryResult<Option<Score>> {
    challenge_scores::table
        .find((tenant, challenge, participant))
        .select(Score::as_select())
        .first(conn)
        .optional()
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = challenge_partner_scores)]
pub struct PartnerScore {
    pub partner_id: PartnerId,
    pub target: Option<i64>,
    pub result: i64,
    pub reached_at: DateTime<Utc>,
    pub attainment: Option<i64>,
}

pub fn partner_score_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    partner: PartnerId,
) -> QueryResult<Option<PartnerScore>> {
    challenge_partner_scores::table
        .find((tenant, challenge, partner))
        .select(PartnerScore::as_select())
        .first(conn)
        .optional()
}

/// Scores of several challenges for one participant (their cards).
pub fn scores_of_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: UserId,
    challenges: &[ChallengeId],
) -> QueryResult<BTreeMap<ChallengeId, Score>> {
    let rows: Vec<(ChallengeId, Score)> = challenge_scores::table
        .filter(challenge_scores::tenant_id.eq(tenant))
        .filter(challenge_scores::participant_id.eq(participant))
        .filter(challenge_scores::challenge_id.eq_any(challenges))
        .select((challenge_scores::challenge_id, Score::as_select()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Adds what one source contributes to a participant's and their partner's scores, in
/// one statement: only if the participant takes part (has a score row) and only once
/// per source. Returns whether it counted (false: not taking part, or counted before).
#[allow(clippy::too_many_arguments)]
pub fn contribute(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    source: &str,
    source_id: i64,
    participant: UserId,
    amount: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    // The participant's row, then their partner's (the same order everywhere).
    let counted: N = diesel::sql_query(
        "WITH c AS (
             INSERT INTO challenge_contributions
                 (tenant_id, challenge_id, source, source_id, participant_id, amount)
             SELECT $1, $2, $3, $4, $5, $6
             WHERE EXISTS (SELECT 1 FROM challenge_scores
                           WHERE tenant_id = $1 AND challenge_id = $2 AND participant_id = $5)
             ON CONFLICT DO NOTHING
             RETURNING participant_id
         ), u AS (
             UPDATE challenge_scores s SET result = s.result + $6, reached_at = $7
             FROM c WHERE s.tenant_id = $1 AND s.challenge_id = $2
                      AND s.participant_id = c.participant_id
             RETURNING s.partner_id
         ), p AS (
             UPDATE challenge_partner_scores ps SET result = ps.result + $6, reached_at = $7
             FROM u WHERE ps.tenant_id = $1 AND ps.challenge_id = $2 AND ps.partner_id = u.partner_id
             RETURNING 1
         )
         SELECT (SELECT count(*) FROM u) + 0 * (SELECT count(*) FROM p) AS n",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(challenge)
    .bind::<Text, _>(source)
    .bind::<BigInt, _>(source_id)
    .bind::<BigInt, _>(participant)
    .bind::<BigInt, _>(amount)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)?;
    Ok(counted.n > 0)
}

/// Takes back what a source had contributed (nothing if it had not). Returns whether
/// anything changed.
pub fn withdraw(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    source: &str,
    source_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    use crate::db::schema::challenge_contributions as c;
    let gone: Option<(UserId, i64)> = diesel::delete(
        c::table
            .filter(c::tenant_id.eq(tenant))
            .filter(c::challenge_id.eq(challenge))
            .filter(c::source.eq(source))
            .filter(c::source_id.eq(source_id)),
    )
    .returning((c::participant_id, c::amount))
    .get_result(conn)
    .optional()?;
    let Some((participant, amount)) = gone else {
        return Ok(false);
    };
    add(conn, tenant, challenge, participant, -amount, now)?;
    Ok(true)
}

/// The challenges a source has contributed to (so a reversal finds them all).
pub fn contributed_to(
    conn: &mut PgConnection,
    tenant: TenantId,
    source: &str,
    source_id: i64,
) -> QueryResult<Vec<ChallengeId>> {
    use crate::db::schema::challenge_contributions as c;
    c::table
        .filter(c::tenant_id.eq(tenant))
        .filter(c::source.eq(source))
        .filter(c::source_id.eq(source_id))
        .order(c::challenge_id)
        .select(c::challenge_id)
        .load(conn)
}

fn add(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    participant: UserId,
    amount: i64,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    // The participant's row first, then their partner's: always in this order, so two
    // approvals never wait on each other in a circle.
    let partner: PartnerId =
        diesel::update(challenge_scores::table.find((tenant, challenge, participant)))
            .set((
                challenge_scores::result.eq(challenge_scores::result + amount),
                challenge_scores::reached_at.eq(now),
            ))
            .returning(challenge_scores::partner_id)
            .get_result(conn)?;
    diesel::update(challenge_partner_scores::table.find((tenant, challenge, partner)))
        .set((
            challenge_partner_scores::result.eq(challenge_partner_scores::result + amount),
            challenge_partner_scores::reached_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Which leaderboard: participants, or partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Board {
    Participants,
    Partners,
}

impl Board {
    /// (from, id column, name, partner name)
    fn sql(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Board::Participants => (
                "challenge_scores s
                 JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.participant_id
                 JOIN partners p ON p.tenant_id = s.tenant_id AND p.id = s.partner_id",
                "participant_id",
                "u.display_name",
                "p.name",
            ),
            Board::Partners => (
                "challenge_partner_scores s
                 JOIN partners p ON p.tenant_id = s.tenant_id AND p.id = s.partner_id",
                "partner_id",
                "p.name",
                "NULL::text",
            ),
        }
    }

    fn table(self) -> &'static str {
        match self {
            Board::Participants => "challenge_scores",
            Board::Partners => "challenge_partner_scores",
        }
    }
}

/// The leaderboard's sort key: the negated value, so that the order is ascending on
/// every column of the index (see the migration).
fn key(basis: RankBasis) -> &'static str {
    match basis {
        RankBasis::Result => "(-s.result)",
        RankBasis::Attainment => "(-s.attainment)",
    }
}

fn column(basis: RankBasis) -> &'static str {
    match basis {
        RankBasis::Result => "result",
        RankBasis::Attainment => "attainment",
    }
}

/// A leaderboard row.
#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct BoardRow {
    #[diesel(sql_type = BigInt)]
    pub rank: i64,
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub partner: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub result: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub target: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub attainment: Option<i64>,
    /// Whole percent of the target (rounded down).
    #[diesel(sql_type = Nullable<BigInt>)]
    pub percent: Option<i64>,
    #[diesel(sql_type = Timestamptz)]
    pub reached_at: DateTime<Utc>,
}

fn select(board: Board) -> String {
    let (from, id, name, partner) = board.sql();
    format!(
        "SELECT s.{id} AS id, {name} AS name, {partner} AS partner, s.result, s.target,
                s.attainment, s.attainment / 100 AS percent, s.reached_at
         FROM {from} WHERE s.tenant_id = $1 AND s.challenge_id = $2"
    )
}

/// The first `limit` rows of a leaderboard.
pub fn top(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    board: Board,
    basis: RankBasis,
    limit: i64,
) -> QueryResult<Vec<BoardRow>> {
    let (_, id, _, _) = board.sql();
    let k = key(basis);
    let sql = format!(
        "SELECT row_number() OVER () AS rank, t.* FROM ({} ORDER BY {k}, s.reached_at, s.{id}
         LIMIT $3) t",
        select(board)
    );
    diesel::sql_query(sql)
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(challenge)
        .bind::<BigInt, _>(limit)
        .load(conn)
}

/// A row's key on a board: (value of the sort column, reached_at, id).
type Key = (Option<i64>, DateTime<Utc>, i64);

fn key_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    board: Board,
    basis: RankBasis,
    subject: i64,
) -> QueryResult<Option<Key>> {
    #[derive(QueryableByName)]
    struct K {
        #[diesel(sql_type = Nullable<BigInt>)]
        v: Option<i64>,
        #[diesel(sql_type = Timestamptz)]
        reached_at: DateTime<Utc>,
    }
    let (_, id, _, _) = board.sql();
    let sql = format!(
        "SELECT {col} AS v, reached_at FROM {t} WHERE tenant_id = $1 AND challenge_id = $2 AND {id} = $3",
        col = column(basis),
        t = board.table()
    );
    let k: Option<K> = diesel::sql_query(sql)
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(challenge)
        .bind::<BigInt, _>(subject)
        .get_result(conn)
        .optional()?;
    Ok(k.map(|k| (k.v, k.reached_at, subject)))
}

/// "Ranks before the key `($3, $4, $5)`" (negated value, reached at, id): a higher value,
/// or the same value reached earlier, or the same at the same instant with a smaller id.
/// One row comparison: an index range.
fn before(board: Board, basis: RankBasis) -> String {
    let (_, id, _, _) = board.sql();
    format!("({}, s.reached_at, s.{id}) < ($3, $4, $5)", key(basis))
}

/// A subject's rank on a board, with `around` rows above and below it.
pub fn standing(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    board: Board,
    basis: RankBasis,
    subject: i64,
    around: i64,
) -> QueryResult<Option<(i64, Vec<BoardRow>)>> {
    let Some((v, at, sid)) = key_of(conn, tenant, challenge, board, basis, subject)? else {
        return Ok(None);
    };
    let v = v.map(|v| -v);
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let (_, id, _, _) = board.sql();
    let cond = before(board, basis);
    let k = key(basis);
    let ahead: N = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM {} s WHERE s.tenant_id = $1 AND s.challenge_id = $2 AND {cond}",
        board.table()
    ))
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(challenge)
    .bind::<Nullable<BigInt>, _>(v)
    .bind::<Timestamptz, _>(at)
    .bind::<BigInt, _>(sid)
    .get_result(conn)?;
    let rank = ahead.n + 1;
    let above: Vec<BoardRow> = diesel::sql_query(format!(
        "SELECT 0::bigint AS rank, t.* FROM ({} AND {cond}
         ORDER BY {k} DESC, s.reached_at DESC, s.{id} DESC LIMIT $6) t",
        select(board)
    ))
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(challenge)
    .bind::<Nullable<BigInt>, _>(v)
    .bind::<Timestamptz, _>(at)
    .bind::<BigInt, _>(sid)
    .bind::<BigInt, _>(around)
    .load(conn)?;
    let from_me: Vec<BoardRow> = diesel::sql_query(format!(
        "SELECT 0::bigint AS rank, t.* FROM ({} AND ({k}, s.reached_at, s.{id}) >= ($3, $4, $5)
         ORDER BY {k}, s.reached_at, s.{id} LIMIT $6) t",
        select(board)
    ))
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(challenge)
    .bind::<Nullable<BigInt>, _>(v)
    .bind::<Timestamptz, _>(at)
    .bind::<BigInt, _>(sid)
    .bind::<BigInt, _>(around + 1)
    .load(conn)?;
    let mut rows: Vec<BoardRow> = above.into_iter().rev().collect();
    let first = rank - rows.len() as i64;
    rows.extend(from_me);
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = first + i as i64;
    }
    Ok(Some((rank, rows)))
}

/// How many take part, on a board.
pub fn count(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    board: Board,
) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    // Participants: the sum of the partners' members (a few thousand rows, not 100,000).
    let what = match board {
        Board::Participants => "COALESCE(sum(members), 0)::bigint",
        Board::Partners => "count(*)",
    };
    let n: N = diesel::sql_query(format!(
        "SELECT {what} AS n FROM challenge_partner_scores WHERE tenant_id = $1 AND challenge_id = $2"
    ))
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(challenge)
    .get_result(conn)?;
    Ok(n.n)
}

/// Every target of a board (for the preview's distribution and results).
pub fn targets(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    board: Board,
) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct T {
        #[diesel(sql_type = BigInt)]
        t: i64,
    }
    let rows: Vec<T> = diesel::sql_query(format!(
        "SELECT target AS t FROM {} WHERE tenant_id = $1 AND challenge_id = $2 AND target IS NOT NULL ORDER BY target",
        board.table()
    ))
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(challenge)
    .load(conn)?;
    Ok(rows.into_iter().map(|t| t.t).collect())
}

/// Freezes the final rank of every participant: their own rank, or their partner's.
pub fn freeze_ranks(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    board: Board,
    basis: RankBasis,
) -> QueryResult<usize> {
    let (_, id, _, _) = board.sql();
    let k = key(basis);
    let sql = format!(
        "UPDATE challenge_scores x SET final_rank = r.rk
         FROM (SELECT s.{id}, row_number() OVER (ORDER BY {k}, s.reached_at, s.{id}) AS rk
               FROM {t} s WHERE s.tenant_id = $1 AND s.challenge_id = $2) r
         WHERE x.tenant_id = $1 AND x.challenge_id = $2 AND x.{id} = r.{id}",
        t = board.table()
    );
    diesel::sql_query(sql)
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(challenge)
        .execute(conn)
}

/// A participant still to be awarded, with what their award is computed on: their own
/// result and target, or their partner's.
#[derive(Debug, Clone, QueryableByName)]
pub struct Standing {
    #[diesel(sql_type = BigInt)]
    pub participant_id: i64,
    #[diesel(sql_type = Integer)]
    pub rank: i32,
    #[diesel(sql_type = BigInt)]
    pub result: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub target: Option<i64>,
}

/// The next participants to award, by id after the last one awarded.
pub fn to_award(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    by_partner: bool,
    limit: i64,
) -> QueryResult<Vec<Standing>> {
    diesel::sql_query(
        "SELECT s.participant_id, COALESCE(s.final_rank, 0) AS rank,
                CASE WHEN $3 THEN ps.result ELSE s.result END AS result,
                CASE WHEN $3 THEN ps.target ELSE s.target END AS target
         FROM challenge_scores s
         JOIN challenge_partner_scores ps
           ON ps.tenant_id = s.tenant_id AND ps.challenge_id = s.challenge_id AND ps.partner_id = s.partner_id
         WHERE s.tenant_id = $1 AND s.challenge_id = $2
           AND s.participant_id > COALESCE((SELECT max(participant_id) FROM challenge_awards
                                            WHERE tenant_id = $1 AND challenge_id = $2), 0)
         ORDER BY s.participant_id LIMIT $4",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(challenge)
    .bind::<Bool, _>(by_partner)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

#[derive(Debug, Clone, Insertable, Queryable, Selectable, Serialize)]
#[diesel(table_name = challenge_awards)]
pub struct Award {
    pub tenant_id: TenantId,
    pub challenge_id: ChallengeId,
    pub participant_id: UserId,
    pub result: i64,
    pub target: Option<i64>,
    pub rank: i32,
    pub tier_percent: Option<i32>,
    pub tier_points: i64,
    pub rank_points: i64,
    pub ledger_transaction_id: Option<TransactionId>,
    pub awarded_at: DateTime<Utc>,
}

pub fn insert_awards(conn: &mut PgConnection, awards: &[Award]) -> QueryResult<usize> {
    diesel::insert_into(challenge_awards::table)
        .values(awards)
        .execute(conn)
}

pub fn award_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    participant: UserId,
) -> QueryResult<Option<Award>> {
    challenge_awards::table
        .find((tenant, challenge, participant))
        .select(Award::as_select())
        .first(conn)
        .optional()
}

/// Every award of a challenge with the participant's and partner's names, by rank.
pub fn awards(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
) -> QueryResult<Vec<(Award, String, String, String)>> {
    use crate::db::schema::{partners, users};
    challenge_awards::table
        .inner_join(
            challenge_scores::table.on(challenge_scores::tenant_id
                .eq(challenge_awards::tenant_id)
                .and(challenge_scores::challenge_id.eq(challenge_awards::challenge_id))
                .and(challenge_scores::participant_id.eq(challenge_awards::participant_id))),
        )
        .inner_join(
            users::table.on(users::tenant_id
                .eq(challenge_awards::tenant_id)
                .and(users::id.eq(challenge_awards::participant_id))),
        )
        .inner_join(
            partners::table.on(partners::tenant_id
                .eq(challenge_scores::tenant_id)
                .and(partners::id.eq(challenge_scores::partner_id))),
        )
        .filter(challenge_awards::tenant_id.eq(tenant))
        .filter(challenge_awards::challenge_id.eq(challenge))
        .order((challenge_awards::rank, challenge_awards::participant_id))
        .select((
            Award::as_select(),
            users::display_name,
            users::email,
            partners::name,
        ))
        .load(conn)
}

/// Results per subject (participant or partner) over approved sales in `[from, to]`
/// (dates of sale) for an objective and a product set: the reference of growth targets
/// and of the incremental sell-out on the results page.
#[allow(clippy::too_many_arguments)]
pub fn reference_results(
    conn: &mut PgConnection,
    tenant: TenantId,
    objective: Objective,
    by_partner: bool,
    products: &[i64],
    categories: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<BTreeMap<i64, i64>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = BigInt)]
        subject: i64,
        #[diesel(sql_type = BigInt)]
        amount: i64,
    }
    let subject = if by_partner {
        "partner_id"
    } else {
        "participant_id"
    };
    let sql = match objective {
        Objective::Missions => format!(
            "SELECT {s} AS subject, count(*)::bigint AS amount
             FROM mission_completions c JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.participant_id
             WHERE c.tenant_id = $1 AND u.partner_id IS NOT NULL
               AND c.completed_at >= $4::date AND c.completed_at < $5::date + 1
             GROUP BY 1",
            s = if by_partner { "u.partner_id" } else { "c.participant_id" }
        ),
        _ => {
            let amount = match objective {
                Objective::Units => "sum(l.quantity)::bigint",
                Objective::Revenue => "sum(l.quantity::bigint * l.unit_price_minor)::bigint",
                _ => "count(DISTINCT d.id)::bigint",
            };
            format!(
                "SELECT d.{subject} AS subject, {amount} AS amount
                 FROM declarations d
                 JOIN declaration_lines l ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
                 JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
                 WHERE d.tenant_id = $1 AND d.status = 'approved'
                   AND d.sale_date BETWEEN $4 AND $5
                   AND ((cardinality($2) = 0 AND cardinality($3) = 0)
                        OR l.product_id = ANY($2) OR p.category = ANY($3))
                 GROUP BY 1"
            )
        }
    };
    let rows: Vec<R> = diesel::sql_query(sql)
        .bind::<BigInt, _>(tenant)
        .bind::<Array<BigInt>, _>(products)
        .bind::<Array<Text>, _>(categories)
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.subject, r.amount)).collect())
}

/// The enabled participants of the given partners (every active partner when `None`),
/// by id: who a challenge enrols.
pub fn participants_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    partners_in: Option<&[PartnerId]>,
) -> QueryResult<Vec<(UserId, PartnerId)>> {
    use crate::db::schema::{partners, users};
    let mut q = users::table
        .inner_join(
            partners::table.on(partners::tenant_id
                .eq(users::tenant_id)
                .and(users::partner_id.eq(partners::id.nullable()))),
        )
        .filter(users::tenant_id.eq(tenant))
        .filter(users::role.eq("participant"))
        .filter(users::disabled.eq(false))
        .filter(partners::active.eq(true))
        .select((users::id, partners::id))
        .order(users::id)
        .into_boxed();
    if let Some(ids) = partners_in {
        q = q.filter(partners::id.eq_any(ids.to_vec()));
    }
    q.load(conn)
}

/// Counts, for a challenge being published, what was approved (or completed) in its
/// window before publication, for the participants it enrols: the same rule as the
/// incremental path (`services::challenges::scoring`), in three set-based statements.
#[allow(clippy::too_many_arguments)]
pub fn backfill(
    conn: &mut PgConnection,
    tenant: TenantId,
    challenge: ChallengeId,
    objective: Objective,
    products: &[i64],
    categories: &[String],
    (first_day, last_day): (NaiveDate, NaiveDate),
    (starts_at, ends_at): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let insert = match objective {
        Objective::Missions => {
            "INSERT INTO challenge_contributions (tenant_id, challenge_id, source, source_id, participant_id, amount)
             SELECT $1, $2, 'mission', c.id, c.participant_id, 1
             FROM mission_completions c
             JOIN challenge_scores s ON s.tenant_id = c.tenant_id AND s.challenge_id = $2
                                    AND s.participant_id = c.participant_id
             WHERE c.tenant_id = $1 AND c.completed_at >= $7 AND c.completed_at < $8
               AND cardinality($3) >= 0 AND cardinality($4) >= 0 AND $5::date IS NOT NULL AND $6::date IS NOT NULL
             ON CONFLICT DO NOTHING"
                .to_string()
        }
        _ => {
            let amount = match objective {
                Objective::Units => "sum(l.quantity)::bigint",
                Objective::Revenue => "sum(l.quantity::bigint * l.unit_price_minor)::bigint",
                _ => "1::bigint",
            };
            format!(
                "INSERT INTO challenge_contributions (tenant_id, challenge_id, source, source_id, participant_id, amount)
                 SELECT $1, $2, 'declaration', d.id, d.participant_id, {amount}
                 FROM declarations d
                 JOIN declaration_lines l ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
                 JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
                 JOIN challenge_scores s ON s.tenant_id = d.tenant_id AND s.challenge_id = $2
                                        AND s.participant_id = d.participant_id
                 WHERE d.tenant_id = $1 AND d.status = 'approved' AND d.sale_date BETWEEN $5 AND $6
                   AND ((cardinality($3) = 0 AND cardinality($4) = 0)
                        OR l.product_id = ANY($3) OR p.category = ANY($4))
                   AND $7::timestamptz IS NOT NULL AND $8::timestamptz IS NOT NULL
                 GROUP BY d.id, d.participant_id
                 ON CONFLICT DO NOTHING"
            )
        }
    };
    diesel::sql_query(insert)
        .bind::<BigInt, _>(tenant)
        .bind::<BigInt, _>(challenge)
        .bind::<Array<BigInt>, _>(products)
        .bind::<Array<Text>, _>(categories)
        .bind::<Date, _>(first_day)
        .bind::<Date, _>(last_day)
        .bind::<Timestamptz, _>(starts_at)
        .bind::<Timestamptz, _>(ends_at)
        .execute(conn)?;
    diesel::sql_query(
        "UPDATE challenge_scores s SET result = c.total, reached_at = $3
         FROM (SELECT participant_id, sum(amount)::bigint AS total FROM challenge_contributions
               WHERE tenant_id = $1 AND challenge_id = $2 GROUP BY 1) c
         WHERE s.tenant_id = $1 AND s.challenge_id = $2 AND s.participant_id = c.participant_id",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(challenge)
    .bind::<Timestamptz, _>(now)
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE challenge_partner_scores ps SET result = c.total, reached_at = $3
         FROM (SELECT partner_id, sum(result)::bigint AS total FROM challenge_scores
               WHERE tenant_id = $1 AND challenge_id = $2 GROUP BY 1) c
         WHERE ps.tenant_id = $1 AND ps.challenge_id = $2 AND ps.partner_id = c.partner_id",
    )
    .bind::<BigInt, _>(tenant)
    .bind::<BigInt, _>(challenge)
    .bind::<Timestamptz, _>(now)
    .execute(conn)?;
    Ok(())
}
