//! Reward orders and their lines.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    delivery_addresses, order_rules, partners, reward_order_lines, reward_orders, reward_wishes,
    rewards, users,
};
use crate::db::{first_row, Lock};
use crate::domain::{HoldId, OrderId, OrderLineId, PartnerId, RewardId, TenantId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = reward_orders)]
pub struct Order {
    pub id: OrderId,
    pub user_id: UserId,
    pub partner_id: Option<PartnerId>,
    pub status: String,
    pub total_points: i64,
    pub delivery_address: Option<serde_json::Value>,
    pub reason: String,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = reward_order_lines)]
pub struct Line {
    pub id: OrderLineId,
    pub order_id: OrderId,
    pub reward_id: RewardId,
    pub quantity: i32,
    pub unit_points: i64,
    pub status: String,
    pub hold_id: HoldId,
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

pub fn insert_order(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    partner: Option<PartnerId>,
    total_points: i64,
    address: Option<&serde_json::Value>,
    now: DateTime<Utc>,
) -> QueryResult<Order> {
    diesel::insert_into(reward_orders::table)
        .values((
            reward_orders::tenant_id.eq(tenant),
            reward_orders::user_id.eq(user),
            reward_orders::partner_id.eq(partner),
            reward_orders::total_points.eq(total_points),
            reward_orders::delivery_address.eq(address),
            reward_orders::created_at.eq(now),
        ))
        .returning(Order::as_returning())
        .get_result(conn)
}

pub struct NewLine {
    pub reward: RewardId,
    pub quantity: i32,
    pub unit_points: i64,
    pub hold: HoldId,
}

pub fn insert_line(
    conn: &mut PgConnection,
    tenant: TenantId,
    order: OrderId,
    line: &NewLine,
    now: DateTime<Utc>,
) -> QueryResult<Line> {
    diesel::insert_into(reward_order_lines::table)
        .values((
            reward_order_lines::tenant_id.eq(tenant),
            reward_order_lines::order_id.eq(order),
            reward_order_lines::reward_id.eq(line.reward),
            reward_order_lines::quantity.eq(line.quantity),
            reward_order_lines::unit_points.eq(line.unit_points),
            reward_order_lines::hold_id.eq(line.hold),
            reward_order_lines::updated_at.eq(now),
        ))
        .returning(Line::as_returning())
        .get_result(conn)
}

pub fn find(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: OrderId,
    lock: Lock,
) -> QueryResult<Order> {
    let q = reward_orders::table
        .find((tenant, id))
        .select(Order::as_select());
    first_row!(q, lock, conn)
}

pub fn lines_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    orders: &[OrderId],
) -> QueryResult<Vec<Line>> {
    reward_order_lines::table
        .filter(reward_order_lines::tenant_id.eq(tenant))
        .filter(reward_order_lines::order_id.eq_any(orders))
        .order(reward_order_lines::id)
        .select(Line::as_select())
        .load(conn)
}

pub fn find_line(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: OrderLineId,
    lock: Lock,
) -> QueryResult<Line> {
    let q = reward_order_lines::table
        .find((tenant, id))
        .select(Line::as_select());
    first_row!(q, lock, conn)
}

pub fn decide(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: OrderId,
    status: &str,
    reason: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(reward_orders::table.find((tenant, id)))
        .set((
            reward_orders::status.eq(status),
            reward_orders::reason.eq(reason),
            reward_orders::decided_by.eq(by),
            reward_orders::decided_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves a line to `status`, with its shipment when it is shipped or delivered.
pub fn set_line_status(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: OrderLineId,
    status: &str,
    shipment: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let target = reward_order_lines::table.find((tenant, id));
    match (status, shipment) {
        ("shipped", Some((carrier, tracking))) => diesel::update(target)
            .set((
                reward_order_lines::status.eq(status),
                reward_order_lines::carrier.eq(carrier),
                reward_order_lines::tracking_number.eq(tracking),
                reward_order_lines::shipped_at.eq(now),
                reward_order_lines::updated_at.eq(now),
            ))
            .execute(conn)?,
        ("delivered", _) => diesel::update(target)
            .set((
                reward_order_lines::status.eq(status),
                reward_order_lines::delivered_at.eq(now),
                reward_order_lines::updated_at.eq(now),
            ))
            .execute(conn)?,
        _ => diesel::update(target)
            .set((
                reward_order_lines::status.eq(status),
                reward_order_lines::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// Units of a reward a participant has ordered and not had rejected, cancelled or
/// refunded (for the per-participant maximum).
pub fn units_taken(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    reward: RewardId,
) -> QueryResult<i64> {
    reward_order_lines::table
        .inner_join(
            reward_orders::table.on(reward_orders::tenant_id
                .eq(reward_order_lines::tenant_id)
                .and(reward_orders::id.eq(reward_order_lines::order_id))),
        )
        .filter(reward_order_lines::tenant_id.eq(tenant))
        .filter(reward_orders::user_id.eq(user))
        .filter(reward_order_lines::reward_id.eq(reward))
        .filter(reward_order_lines::status.ne_all(vec!["rejected", "cancelled", "refunded"]))
        .select(diesel::dsl::sum(reward_order_lines::quantity))
        .first::<Option<i64>>(conn)
        .map(|n| n.unwrap_or(0))
}

/// A participant's orders, newest first.
pub fn of_user(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Order>> {
    reward_orders::table
        .filter(reward_orders::tenant_id.eq(tenant))
        .filter(reward_orders::user_id.eq(user))
        .order(reward_orders::id.desc())
        .offset(offset)
        .limit(limit)
        .select(Order::as_select())
        .load(conn)
}

/// What the admin queue is filtered by (`None`: any).
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<String>,
    pub reward: Option<RewardId>,
    pub partner: Option<PartnerId>,
    pub region: Option<String>,
    /// Orders with a line in this fulfilment status.
    pub line_status: Option<String>,
}

/// One row of the admin queue: an order and who placed it.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct QueueRow {
    pub order: Order,
    pub user_name: String,
    pub user_email: String,
    pub partner_name: Option<String>,
    pub region: Option<String>,
}

/// The queue's query, filtered (a macro: the boxed join's type is not worth naming).
macro_rules! queue_query {
    ($tenant:expr, $f:expr) => {{
        let (tenant, f): (TenantId, &QueueFilter) = ($tenant, $f);
        let mut q = reward_orders::table
            .inner_join(
                users::table.on(users::tenant_id
                    .eq(reward_orders::tenant_id)
                    .and(users::id.eq(reward_orders::user_id))),
            )
            .left_join(
                partners::table.on(partners::tenant_id
                    .eq(reward_orders::tenant_id)
                    .and(partners::id.nullable().eq(reward_orders::partner_id))),
            )
            .filter(reward_orders::tenant_id.eq(tenant))
            .into_boxed();
        if let Some(s) = &f.status {
            q = q.filter(reward_orders::status.eq(s.clone()));
        }
        if let Some(p) = f.partner {
            q = q.filter(reward_orders::partner_id.eq(p));
        }
        if let Some(r) = &f.region {
            q = q.filter(partners::region.eq(r.clone()));
        }
        if f.reward.is_some() || f.line_status.is_some() {
            let mut lines = reward_order_lines::table
                .filter(reward_order_lines::tenant_id.eq(tenant))
                .select(reward_order_lines::order_id)
                .into_boxed();
            if let Some(r) = f.reward {
                lines = lines.filter(reward_order_lines::reward_id.eq(r));
            }
            if let Some(s) = &f.line_status {
                lines = lines.filter(reward_order_lines::status.eq(s.clone()));
            }
            q = q.filter(reward_orders::id.eq_any(lines));
        }
        q
    }};
}

/// One page of the queue, oldest first (those waiting longest are served first), and
/// the count of all matches.
pub fn queue(
    conn: &mut PgConnection,
    tenant: TenantId,
    f: &QueueFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<QueueRow>, i64)> {
    let total = queue_query!(tenant, f).count().get_result(conn)?;
    let rows = queue_query!(tenant, f)
        .order(reward_orders::id.asc())
        .offset(offset)
        .limit(limit)
        .select((
            Order::as_select(),
            users::display_name,
            users::email,
            partners::name.nullable(),
            partners::region.nullable(),
        ))
        .load(conn)?;
    Ok((rows, total))
}

/// The queue's matches in id order after `after` (the API's cursor), without a count.
pub fn queue_after(
    conn: &mut PgConnection,
    tenant: TenantId,
    f: &QueueFilter,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<QueueRow>> {
    queue_query!(tenant, f)
        .filter(reward_orders::id.gt(OrderId(after)))
        .order(reward_orders::id.asc())
        .limit(limit)
        .select((
            Order::as_select(),
            users::display_name,
            users::email,
            partners::name.nullable(),
            partners::region.nullable(),
        ))
        .load(conn)
}

/// The rewards these lines are of: (id, name, kind, code).
pub fn reward_names(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[RewardId],
) -> QueryResult<Vec<(RewardId, String, String, String)>> {
    rewards::table
        .filter(rewards::tenant_id.eq(tenant))
        .filter(rewards::id.eq_any(ids))
        .select((rewards::id, rewards::name, rewards::kind, rewards::code))
        .load(conn)
}

/// The tenant's threshold: orders below this many points approve themselves.
pub fn auto_approve_below(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Option<i64>> {
    order_rules::table
        .find(tenant)
        .select(order_rules::auto_approve_below)
        .first::<Option<i64>>(conn)
        .optional()
        .map(Option::flatten)
}

pub fn put_auto_approve_below(
    conn: &mut PgConnection,
    tenant: TenantId,
    below: Option<i64>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(order_rules::table)
        .values((
            order_rules::tenant_id.eq(tenant),
            order_rules::auto_approve_below.eq(below),
            order_rules::updated_at.eq(now),
        ))
        .on_conflict(order_rules::tenant_id)
        .do_update()
        .set((
            order_rules::auto_approve_below.eq(below),
            order_rules::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The participant's remembered delivery address.
pub fn address_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<Option<serde_json::Value>> {
    delivery_addresses::table
        .find((tenant, user))
        .select(delivery_addresses::address)
        .first(conn)
        .optional()
}

pub fn remember_address(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    address: &serde_json::Value,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(delivery_addresses::table)
        .values((
            delivery_addresses::tenant_id.eq(tenant),
            delivery_addresses::user_id.eq(user),
            delivery_addresses::address.eq(address),
            delivery_addresses::updated_at.eq(now),
        ))
        .on_conflict((delivery_addresses::tenant_id, delivery_addresses::user_id))
        .do_update()
        .set((
            delivery_addresses::address.eq(address),
            delivery_addresses::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The rewards on a participant's wishlist.
pub fn wishes(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> QueryResult<Vec<RewardId>> {
    reward_wishes::table
        .filter(reward_wishes::tenant_id.eq(tenant))
        .filter(reward_wishes::user_id.eq(user))
        .select(reward_wishes::reward_id)
        .load(conn)
}

/// Adds a reward to the wishlist, or takes it off; whether it is on it now.
pub fn toggle_wish(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    reward: RewardId,
) -> QueryResult<bool> {
    let removed =
        diesel::delete(reward_wishes::table.find((tenant, user, reward))).execute(conn)?;
    if removed > 0 {
        return Ok(false);
    }
    diesel::insert_into(reward_wishes::table)
        .values((
            reward_wishes::tenant_id.eq(tenant),
            reward_wishes::user_id.eq(user),
            reward_wishes::reward_id.eq(reward),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(true)
}
