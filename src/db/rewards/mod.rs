//! The reward catalog: rewards (a catalog table), their images, segments, category
//! order and e-voucher codes. Orders are in `orders`.

pub mod orders;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use serde::Serialize;

use super::catalog::Sort;
use super::schema::{reward_categories, reward_codes, reward_images, reward_segments, rewards};
use crate::domain::{OrderLineId, RewardId, SegmentId, TenantId};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = rewards)]
pub struct Reward {
    pub id: RewardId,
    pub code: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub kind: String,
    pub cost_points: i64,
    /// Units left to redeem; `None`: unlimited.
    pub stock: Option<i32>,
    pub max_per_participant: Option<i32>,
    pub available_from: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = rewards)]
pub struct NewReward<'a> {
    pub tenant_id: TenantId,
    pub code: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub kind: &'a str,
    pub cost_points: i64,
    pub stock: Option<i32>,
    pub max_per_participant: Option<i32>,
    pub available_from: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
    pub active: bool,
}

/// Every editable field. `stock: None` leaves the stock alone (an e-voucher's is its
/// count of free codes); `Some(None)` makes it unlimited.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = rewards)]
pub struct RewardChanges<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub kind: &'a str,
    pub cost_points: i64,
    pub stock: Option<Option<i32>>,
    pub max_per_participant: Option<Option<i32>>,
    pub available_from: Option<Option<NaiveDate>>,
    pub available_until: Option<Option<NaiveDate>>,
    pub updated_at: DateTime<Utc>,
}

/// What the studio's reward list is filtered by and sorted by.
#[derive(Debug, Clone, Default)]
pub struct RewardFilter {
    pub search: Option<String>,
    pub category: Option<String>,
    pub kind: Option<String>,
    pub active: Option<bool>,
    pub sort: Sort,
}

/// The orders of the reward list, the default first.
pub const SORTS: &[&str] = &["category", "code", "name", "points", "stock"];

fn filtered<'a>(tenant: TenantId, f: &RewardFilter) -> rewards::BoxedQuery<'a, Pg> {
    let mut q = narrowed(tenant, f.search.as_deref(), f.active);
    if let Some(category) = &f.category {
        q = q.filter(rewards::category.eq(category.clone()));
    }
    if let Some(kind) = &f.kind {
        q = q.filter(rewards::kind.eq(kind.clone()));
    }
    q
}

fn ordered<'a>(q: rewards::BoxedQuery<'a, Pg>, f: &RewardFilter) -> rewards::BoxedQuery<'a, Pg> {
    crate::sort_by!(q, &f.sort, rewards::id, {
        "category" => [rewards::category, rewards::name],
        "code" => [rewards::code],
        "name" => [rewards::name],
        "points" => [rewards::cost_points],
        "stock" => [rewards::stock],
    })
}

crate::catalog_table!(
    Rewards,
    rewards,
    Reward,
    RewardId,
    NewReward,
    RewardChanges,
    RewardFilter,
    key = code
);

pub fn categories(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<String>> {
    rewards::table
        .filter(rewards::tenant_id.eq(tenant))
        .select(rewards::category)
        .distinct()
        .order(rewards::category)
        .load(conn)
}

/// The active rewards, for the participant's catalog (eligibility is checked by the
/// service; a tenant has hundreds of rewards, not millions).
pub fn active(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Reward>> {
    rewards::table
        .filter(rewards::tenant_id.eq(tenant))
        .filter(rewards::active.eq(true))
        .order((rewards::cost_points, rewards::id))
        .select(Reward::as_select())
        .load(conn)
}

/// Takes `quantity` units of a limited stock; false when fewer are left. An unlimited
/// reward's row is not touched (no hot row for the popular unlimited rewards).
pub fn take_stock(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: RewardId,
    quantity: i32,
) -> QueryResult<bool> {
    let limited = diesel::update(rewards::table.find((tenant, id)))
        .filter(rewards::stock.ge(quantity))
        .set(rewards::stock.eq(rewards::stock - quantity))
        .execute(conn)?;
    if limited == 1 {
        return Ok(true);
    }
    rewards::table
        .find((tenant, id))
        .select(rewards::stock.is_null())
        .first(conn)
}

/// Gives units back to a limited stock (an unlimited one stays unlimited).
pub fn restore_stock(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: RewardId,
    quantity: i32,
) -> QueryResult<()> {
    diesel::update(rewards::table.find((tenant, id)))
        .filter(rewards::stock.is_not_null())
        .set(rewards::stock.eq(rewards::stock + quantity))
        .execute(conn)?;
    Ok(())
}

/// Adds `n` units to a stock (free codes added to an e-voucher's pool).
pub fn add_stock(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: RewardId,
    n: i32,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(rewards::table.find((tenant, id)))
        .set((
            rewards::stock.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Integer>,
            >("COALESCE(stock, 0) + ")
            .bind::<diesel::sql_types::Integer, _>(n)),
            rewards::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

// Category order.

/// The tenant's category order (names, first first).
pub fn category_order(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<String>> {
    reward_categories::table
        .filter(reward_categories::tenant_id.eq(tenant))
        .order(reward_categories::position)
        .select(reward_categories::name)
        .load(conn)
}

pub fn put_category_order(
    conn: &mut PgConnection,
    tenant: TenantId,
    names: &[String],
) -> QueryResult<()> {
    diesel::delete(reward_categories::table.filter(reward_categories::tenant_id.eq(tenant)))
        .execute(conn)?;
    let rows: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (
                reward_categories::tenant_id.eq(tenant),
                reward_categories::name.eq(name),
                reward_categories::position.eq(i as i32),
            )
        })
        .collect();
    diesel::insert_into(reward_categories::table)
        .values(&rows)
        .execute(conn)?;
    Ok(())
}

// Segments.

pub fn segments_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
) -> QueryResult<Vec<SegmentId>> {
    reward_segments::table
        .filter(reward_segments::tenant_id.eq(tenant))
        .filter(reward_segments::reward_id.eq(reward))
        .order(reward_segments::segment_id)
        .select(reward_segments::segment_id)
        .load(conn)
}

/// Every (reward, segment) pair of the tenant.
pub fn all_segments(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<Vec<(RewardId, SegmentId)>> {
    reward_segments::table
        .filter(reward_segments::tenant_id.eq(tenant))
        .select((reward_segments::reward_id, reward_segments::segment_id))
        .load(conn)
}

pub fn put_segments(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
    segments: &[SegmentId],
) -> QueryResult<()> {
    diesel::delete(
        reward_segments::table
            .filter(reward_segments::tenant_id.eq(tenant))
            .filter(reward_segments::reward_id.eq(reward)),
    )
    .execute(conn)?;
    let rows: Vec<_> = segments
        .iter()
        .map(|s| {
            (
                reward_segments::tenant_id.eq(tenant),
                reward_segments::reward_id.eq(reward),
                reward_segments::segment_id.eq(*s),
            )
        })
        .collect();
    diesel::insert_into(reward_segments::table)
        .values(&rows)
        .execute(conn)?;
    Ok(())
}

// Images.

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = reward_images)]
pub struct RewardImage {
    pub reward_id: RewardId,
    pub position: i16,
    #[serde(skip)]
    pub storage_key: String,
    pub content_type: String,
    pub size: i64,
}

pub fn images_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
) -> QueryResult<Vec<RewardImage>> {
    reward_images::table
        .filter(reward_images::tenant_id.eq(tenant))
        .filter(reward_images::reward_id.eq(reward))
        .order(reward_images::position)
        .select(RewardImage::as_select())
        .load(conn)
}

/// The first image of each reward that has one.
pub fn covers(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[RewardId],
) -> QueryResult<Vec<RewardId>> {
    reward_images::table
        .filter(reward_images::tenant_id.eq(tenant))
        .filter(reward_images::reward_id.eq_any(ids))
        .filter(reward_images::position.eq(1))
        .select(reward_images::reward_id)
        .load(conn)
}

pub fn image(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
    position: i16,
) -> QueryResult<Option<RewardImage>> {
    reward_images::table
        .find((tenant, reward, position))
        .select(RewardImage::as_select())
        .first(conn)
        .optional()
}

/// Stores an image at `position`, returning the storage key it replaced.
pub fn put_image(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
    position: i16,
    (key, content_type, size): (&str, &str, i64),
) -> QueryResult<Option<String>> {
    let replaced = image(conn, tenant, reward, position)?.map(|i| i.storage_key);
    diesel::insert_into(reward_images::table)
        .values((
            reward_images::tenant_id.eq(tenant),
            reward_images::reward_id.eq(reward),
            reward_images::position.eq(position),
            reward_images::storage_key.eq(key),
            reward_images::content_type.eq(content_type),
            reward_images::size.eq(size),
        ))
        .on_conflict((
            reward_images::tenant_id,
            reward_images::reward_id,
            reward_images::position,
        ))
        .do_update()
        .set((
            reward_images::storage_key.eq(key),
            reward_images::content_type.eq(content_type),
            reward_images::size.eq(size),
        ))
        .execute(conn)?;
    Ok(replaced)
}

/// Removes an image; its storage key, to delete once committed.
pub fn remove_image(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
    position: i16,
) -> QueryResult<Option<String>> {
    diesel::delete(reward_images::table.find((tenant, reward, position)))
        .returning(reward_images::storage_key)
        .get_result(conn)
        .optional()
}

// Voucher codes.

/// Inserts codes; the unique constraint `reward_codes_code_key` refuses one already in
/// the pool (the whole import rolls back).
pub fn insert_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
    codes: &[String],
    generated: bool,
) -> QueryResult<usize> {
    let rows: Vec<_> = codes
        .iter()
        .map(|c| {
            (
                reward_codes::tenant_id.eq(tenant),
                reward_codes::reward_id.eq(reward),
                reward_codes::code.eq(c),
                reward_codes::generated.eq(generated),
            )
        })
        .collect();
    let mut n = 0;
    for chunk in rows.chunks(2000) {
        n += diesel::insert_into(reward_codes::table)
            .values(chunk)
            .execute(conn)?;
    }
    Ok(n)
}

/// Which of `codes` the pool already holds.
pub fn existing_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
    codes: &[String],
) -> QueryResult<Vec<String>> {
    reward_codes::table
        .filter(reward_codes::tenant_id.eq(tenant))
        .filter(reward_codes::reward_id.eq(reward))
        .filter(reward_codes::code.eq_any(codes))
        .select(reward_codes::code)
        .load(conn)
}

/// (free, given) codes of a reward's pool.
pub fn code_counts(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
) -> QueryResult<(i64, i64)> {
    let count = |free: bool| {
        let q = reward_codes::table
            .filter(reward_codes::tenant_id.eq(tenant))
            .filter(reward_codes::reward_id.eq(reward))
            .into_boxed();
        let q = if free {
            q.filter(reward_codes::order_line_id.is_null())
        } else {
            q.filter(reward_codes::order_line_id.is_not_null())
        };
        q.select(count_star())
    };
    Ok((count(true).first(conn)?, count(false).first(conn)?))
}

/// Gives `n` free codes of the reward to a line: each free code is taken by one line
/// only (rows locked, those another approval holds skipped). Returns the codes given.
pub fn assign_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    reward: RewardId,
    line: OrderLineId,
    n: i32,
    now: DateTime<Utc>,
) -> QueryResult<Vec<String>> {
    diesel::sql_query(
        "UPDATE reward_codes SET order_line_id = $3, assigned_at = $5 \
         WHERE tenant_id = $1 AND id IN ( \
           SELECT id FROM reward_codes \
           WHERE tenant_id = $1 AND reward_id = $2 AND order_line_id IS NULL \
           ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) \
         RETURNING code",
    )
    .bind::<diesel::sql_types::BigInt, _>(tenant)
    .bind::<diesel::sql_types::BigInt, _>(reward)
    .bind::<diesel::sql_types::BigInt, _>(line)
    .bind::<diesel::sql_types::BigInt, _>(i64::from(n))
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .load::<CodeRow>(conn)
    .map(|rows| rows.into_iter().map(|r| r.code).collect())
}

#[derive(QueryableByName)]
struct CodeRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
}

/// The codes given to these lines, by line.
pub fn codes_of_lines(
    conn: &mut PgConnection,
    tenant: TenantId,
    lines: &[OrderLineId],
) -> QueryResult<Vec<(OrderLineId, String)>> {
    reward_codes::table
        .filter(reward_codes::tenant_id.eq(tenant))
        .filter(reward_codes::order_line_id.eq_any(lines))
        .order(reward_codes::id)
        .select((
            reward_codes::order_line_id.assume_not_null(),
            reward_codes::code,
        ))
        .load(conn)
}
