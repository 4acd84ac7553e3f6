//! Challenges, their segments, tiers, rank prizes and uploaded targets (`scores`: the
//! incremental scores, contributions, leaderboards and awards). Every query takes the
//! tenant.

pub mod scores;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{
    challenge_rank_prizes, challenge_rules, challenge_segments, challenge_tiers,
    challenge_uploaded_targets, challenges,
};
use crate::domain::challenges::Tier;
use crate::domain::{ChallengeId, SegmentId, TenantId};

/// A challenge: its row and its rules, read together.
#[derive(Debug, Clone, Serialize)]
pub struct Challenge {
    pub tenant_id: TenantId,
    pub id: ChallengeId,
    pub title: String,
    pub description: String,
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub award_at: Option<DateTime<Utc>>,
    pub objective: String,
    pub scope: String,
    pub target_mode: String,
    pub target_value: i64,
    pub growth_percent: Option<i32>,
    pub reference_starts_on: Option<NaiveDate>,
    pub reference_ends_on: Option<NaiveDate>,
    pub multiplier: Option<i32>,
    pub rank_basis: String,
    pub product_ids: Vec<Option<i64>>,
    pub categories: Vec<Option<String>>,
    pub published_at: Option<DateTime<Utc>>,
    pub frozen_at: Option<DateTime<Utc>>,
    pub awarded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = challenges)]
struct Head {
    tenant_id: TenantId,
    id: ChallengeId,
    title: String,
    description: String,
    status: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    award_at: Option<DateTime<Utc>>,
    published_at: Option<DateTime<Utc>>,
    frozen_at: Option<DateTime<Utc>>,
    awarded_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = challenge_rules, treat_none_as_null = true)]
pub struct Rules {
    pub tenant_id: TenantId,
    pub challenge_id: ChallengeId,
    pub objective: String,
    pub scope: String,
    pub target_mode: String,
    pub target_value: i64,
    pub growth_percent: Option<i32>,
    pub reference_starts_on: Option<NaiveDate>,
    pub reference_ends_on: Option<NaiveDate>,
    pub multiplier: Option<i32>,
    pub rank_basis: String,
    pub product_ids: Vec<Option<i64>>,
    pub categories: Vec<Option<String>>,
}

impl From<(Head, Rules)> for Challenge {
    fn from((h, r): (Head, Rules)) -> Self {
        Challenge {
            tenant_id: h.tenant_id,
            id: h.id,
            title: h.title,
            description: h.description,
            status: h.status,
            starts_at: h.starts_at,
            ends_at: h.ends_at,
            award_at: h.award_at,
            objective: r.objective,
            scope: r.scope,
            target_mode: r.target_mode,
            target_value: r.target_value,
            growth_percent: r.growth_percent,
            reference_starts_on: r.reference_starts_on,
            reference_ends_on: r.reference_ends_on,
            multiplier: r.multiplier,
            rank_basis: r.rank_basis,
            product_ids: r.product_ids,
            categories: r.categories,
            published_at: h.published_at,
            frozen_at: h.frozen_at,
            awarded_at: h.awarded_at,
            created_at: h.created_at,
            updated_at: h.updated_at,
        }
    }
}

/// What the studio's form sets on the challenge's row.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = challenges)]
pub struct ChallengeValues<'a> {
    pub tenant_id: TenantId,
    pub title: &'a str,
    pub description: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Challenges with their rules, of one tenant.
macro_rules! joined {
    ($tenant:expr) => {
        challenges::table
            .inner_join(
                challenge_rules::table.on(challenge_rules::tenant_id
                    .eq(challenges::tenant_id)
                    .and(challenge_rules::challenge_id.eq(challenges::id))),
            )
            .filter(challenges::tenant_id.eq($tenant))
            .select((Head::as_select(), Rules::as_select()))
    };
}

fn one(conn: &mut PgConnection, tenant: TenantId, id: ChallengeId) -> QueryResult<Challenge> {
    joined!(tenant)
        .filter(challenges::id.eq(id))
        .first::<(Head, Rules)>(conn)
        .map(Challenge::from)
}

/// Inserts a challenge and its rules (`rules.challenge_id` is set here).
pub fn insert(
    conn: &mut PgConnection,
    values: &ChallengeValues,
    mut rules: Rules,
) -> QueryResult<Challenge> {
    let id: ChallengeId = diesel::insert_into(challenges::table)
        .values(values)
        .returning(challenges::id)
        .get_result(conn)?;
    rules.challenge_id = id;
    diesel::insert_into(challenge_rules::table)
        .values(&rules)
        .execute(conn)?;
    one(conn, values.tenant_id, id)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    values: &ChallengeValues,
    mut rules: Rules,
) -> QueryResult<Challenge> {
    diesel::update(challenges::table.find((tenant, id)))
        .set(values)
        .execute(conn)?;
    rules.challenge_id = id;
    diesel::update(challenge_rules::table.find((tenant, id)))
        .set(&rules)
        .execute(conn)?;
    one(conn, tenant, id)
}

/// Texts only (what stays editable once published).
pub fn update_texts(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    title: &str,
    description: &str,
    now: DateTime<Utc>,
) -> QueryResult<Challenge> {
    diesel::update(challenges::table.find((tenant, id)))
        .set((
            challenges::title.eq(title),
            challenges::description.eq(description),
            challenges::updated_at.eq(now),
        ))
        .execute(conn)?;
    one(conn, tenant, id)
}

pub fn set_end(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    ends_at: DateTime<Utc>,
    award_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<Challenge> {
    diesel::update(challenges::table.find((tenant, id)))
        .set((
            challenges::ends_at.eq(ends_at),
            challenges::award_at.eq(award_at),
            challenges::updated_at.eq(now),
        ))
        .execute(conn)?;
    one(conn, tenant, id)
}

/// Publishes: the status the clock says, and when it will be awarded.
pub fn publish(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    status: &str,
    award_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<Challenge> {
    diesel::update(challenges::table.find((tenant, id)))
        .set((
            challenges::status.eq(status),
            challenges::award_at.eq(award_at),
            challenges::published_at.eq(now),
            challenges::updated_at.eq(now),
        ))
        .execute(conn)?;
    one(conn, tenant, id)
}

pub fn set_status(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    status: &str,
    now: DateTime<Utc>,
) -> QueryResult<Challenge> {
    diesel::update(challenges::table.find((tenant, id)))
        .set((
            challenges::status.eq(status),
            challenges::updated_at.eq(now),
        ))
        .execute(conn)?;
    one(conn, tenant, id)
}

pub fn set_frozen(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(challenges::table.find((tenant, id)))
        .set(challenges::frozen_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

pub fn set_awarded(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    now: DateTime<Utc>,
) -> QueryResult<Challenge> {
    diesel::update(challenges::table.find((tenant, id)))
        .set((
            challenges::status.eq("awarded"),
            challenges::awarded_at.eq(now),
            challenges::updated_at.eq(now),
        ))
        .execute(conn)?;
    one(conn, tenant, id)
}

pub fn find(conn: &mut PgConnection, tenant: TenantId, id: ChallengeId) -> QueryResult<Challenge> {
    one(conn, tenant, id)
}

pub fn find_for_update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> QueryResult<Challenge> {
    // Locks the challenge's row (its rules change only with it).
    challenges::table
        .find((tenant, id))
        .select(challenges::id)
        .for_update()
        .first::<ChallengeId>(conn)?;
    one(conn, tenant, id)
}

/// Every challenge of the tenant, the latest start first.
pub fn list(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Challenge>> {
    load(
        joined!(tenant)
            .order((challenges::starts_at.desc(), challenges::id.desc()))
            .limit(500)
            .load(conn),
    )
}

/// A page of the tenant's challenges in id order after `after` (the API's cursor).
pub fn list_after(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Challenge>> {
    load(
        joined!(tenant)
            .filter(challenges::id.gt(ChallengeId(after)))
            .order(challenges::id.asc())
            .limit(limit)
            .load(conn),
    )
}

/// Published challenges that may still take scores at `now` (not frozen, before their
/// award instant): the ones an approval or a completion can count for. Their rows are
/// held `FOR SHARE` until the caller's transaction ends, so that freezing and awarding
/// (which lock them `FOR UPDATE`) wait for the scores in flight, and see them.
pub fn counting(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Challenge>> {
    load(
        joined!(tenant)
            .filter(challenges::status.ne_all(["draft", "awarded"]))
            .filter(challenges::frozen_at.is_null())
            .filter(challenges::award_at.gt(now))
            .order(challenges::id)
            .for_share()
            .load(conn),
    )
}

/// A challenge, its row held `FOR SHARE` (see `counting`).
pub fn find_for_share(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> QueryResult<Challenge> {
    challenges::table
        .find((tenant, id))
        .select(challenges::id)
        .for_share()
        .first::<ChallengeId>(conn)?;
    one(conn, tenant, id)
}

/// Published challenges with a multiplier that start by `latest_start` and end after
/// `earliest_end`.
pub fn with_multiplier(
    conn: &mut PgConnection,
    tenant: TenantId,
    latest_start: DateTime<Utc>,
    earliest_end: DateTime<Utc>,
) -> QueryResult<Vec<Challenge>> {
    load(
        joined!(tenant)
            .filter(challenges::status.ne("draft"))
            .filter(challenge_rules::multiplier.is_not_null())
            .filter(challenges::starts_at.le(latest_start))
            .filter(challenges::ends_at.gt(earliest_end))
            .order(challenges::id)
            .load(conn),
    )
}

/// Published challenges a participant's page may list (not drafts).
pub fn published(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Challenge>> {
    load(
        joined!(tenant)
            .filter(challenges::status.ne("draft"))
            .order((challenges::ends_at, challenges::id))
            .limit(200)
            .load(conn),
    )
}

/// Deletes a challenge's rows of a child table (before writing the new set).
macro_rules! clear {
    ($conn:expr, $table:ident, $tenant:expr, $id:expr) => {
        diesel::delete(
            $table::table
                .filter($table::tenant_id.eq($tenant))
                .filter($table::challenge_id.eq($id)),
        )
        .execute($conn)?
    };
}

fn load(rows: QueryResult<Vec<(Head, Rules)>>) -> QueryResult<Vec<Challenge>> {
    Ok(rows?.into_iter().map(Challenge::from).collect())
}

pub fn segments_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> QueryResult<Vec<SegmentId>> {
    challenge_segments::table
        .filter(challenge_segments::tenant_id.eq(tenant))
        .filter(challenge_segments::challenge_id.eq(id))
        .order(challenge_segments::segment_id)
        .select(challenge_segments::segment_id)
        .load(conn)
}

pub fn set_segments(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    segments: &[SegmentId],
) -> QueryResult<()> {
    clear!(conn, challenge_segments, tenant, id);
    let rows: Vec<_> = segments
        .iter()
        .map(|s| {
            (
                challenge_segments::tenant_id.eq(tenant),
                challenge_segments::challenge_id.eq(id),
                challenge_segments::segment_id.eq(*s),
            )
        })
        .collect();
    diesel::insert_into(challenge_segments::table)
        .values(&rows)
        .execute(conn)
        .map(|_| ())
}

pub fn tiers(conn: &mut PgConnection, tenant: TenantId, id: ChallengeId) -> QueryResult<Vec<Tier>> {
    let rows: Vec<(i32, i64)> = challenge_tiers::table
        .filter(challenge_tiers::tenant_id.eq(tenant))
        .filter(challenge_tiers::challenge_id.eq(id))
        .order(challenge_tiers::percent)
        .select((challenge_tiers::percent, challenge_tiers::points))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(percent, points)| Tier { percent, points })
        .collect())
}

pub fn set_tiers(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    tiers: &[Tier],
) -> QueryResult<()> {
    clear!(conn, challenge_tiers, tenant, id);
    let rows: Vec<_> = tiers
        .iter()
        .map(|t| {
            (
                challenge_tiers::tenant_id.eq(tenant),
                challenge_tiers::challenge_id.eq(id),
                challenge_tiers::percent.eq(t.percent),
                challenge_tiers::points.eq(t.points),
            )
        })
        .collect();
    diesel::insert_into(challenge_tiers::table)
        .values(&rows)
        .execute(conn)
        .map(|_| ())
}

/// Rank prizes, by rank (1 first): (rank, points).
pub fn prizes(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> QueryResult<Vec<(i32, i64)>> {
    challenge_rank_prizes::table
        .filter(challenge_rank_prizes::tenant_id.eq(tenant))
        .filter(challenge_rank_prizes::challenge_id.eq(id))
        .order(challenge_rank_prizes::rank)
        .select((challenge_rank_prizes::rank, challenge_rank_prizes::points))
        .load(conn)
}

pub fn set_prizes(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    prizes: &[(i32, i64)],
) -> QueryResult<()> {
    clear!(conn, challenge_rank_prizes, tenant, id);
    let rows: Vec<_> = prizes
        .iter()
        .map(|(rank, points)| {
            (
                challenge_rank_prizes::tenant_id.eq(tenant),
                challenge_rank_prizes::challenge_id.eq(id),
                challenge_rank_prizes::rank.eq(*rank),
                challenge_rank_prizes::points.eq(*points),
            )
        })
        .collect();
    diesel::insert_into(challenge_rank_prizes::table)
        .values(&rows)
        .execute(conn)
        .map(|_| ())
}

/// Uploaded targets: (participant or partner id, target).
pub fn uploaded_targets(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> QueryResult<Vec<(i64, i64)>> {
    challenge_uploaded_targets::table
        .filter(challenge_uploaded_targets::tenant_id.eq(tenant))
        .filter(challenge_uploaded_targets::challenge_id.eq(id))
        .order(challenge_uploaded_targets::subject_id)
        .select((
            challenge_uploaded_targets::subject_id,
            challenge_uploaded_targets::target,
        ))
        .load(conn)
}

pub fn set_uploaded_targets(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    targets: &[(i64, i64)],
) -> QueryResult<()> {
    clear!(conn, challenge_uploaded_targets, tenant, id);
    for chunk in targets.chunks(5000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(subject, target)| {
                (
                    challenge_uploaded_targets::tenant_id.eq(tenant),
                    challenge_uploaded_targets::challenge_id.eq(id),
                    challenge_uploaded_targets::subject_id.eq(*subject),
                    challenge_uploaded_targets::target.eq(*target),
                )
            })
            .collect();
        diesel::insert_into(challenge_uploaded_targets::table)
            .values(&rows)
            .execute(conn)?;
    }
    Ok(())
}

/// A banner: (storage key, content type, size).
pub fn banner(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
) -> QueryResult<Option<(String, String, i64)>> {
    use super::schema::challenge_banners as b;
    b::table
        .find((tenant, id))
        .select((b::storage_key, b::content_type, b::size))
        .first(conn)
        .optional()
}

/// Which of these challenges have a banner.
pub fn with_banner(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<std::collections::BTreeSet<ChallengeId>> {
    use super::schema::challenge_banners as b;
    Ok(b::table
        .filter(b::tenant_id.eq(tenant))
        .select(b::challenge_id)
        .load::<ChallengeId>(conn)?
        .into_iter()
        .collect())
}

/// Sets the banner, returning the storage key of the one it replaces.
pub fn put_banner(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: ChallengeId,
    (storage_key, content_type, size): (&str, &str, i64),
    now: DateTime<Utc>,
) -> QueryResult<Option<String>> {
    use super::schema::challenge_banners as b;
    let old: Option<String> = diesel::delete(b::table.find((tenant, id)))
        .returning(b::storage_key)
        .get_result(conn)
        .optional()?;
    diesel::insert_into(b::table)
        .values((
            b::tenant_id.eq(tenant),
            b::challenge_id.eq(id),
            b::storage_key.eq(storage_key),
            b::content_type.eq(content_type),
            b::size.eq(size),
            b::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(old)
}
