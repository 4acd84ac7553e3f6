//! What the reward and order pages show: the participant's catalog, a reward, their
//! orders (with the voucher codes given to them, and only to them), the admin queue and
//! an order as admins see it (without codes), and the fulfilment file.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::redeem::{self, AddressFields};
use super::RewardError;
use crate::db::ledger as ledger_db;
use crate::db::rewards::orders::{self, Line, Order, QueueFilter, QueueRow};
use crate::db::rewards::{self as rows, Reward};
use crate::db::users::User;
use crate::db::{partners, tenants, users, Lock};
use crate::domain::rewards::{missing, AddressInput, RewardKind};
use crate::domain::{OrderId, PartnerId, RewardId, Role, SegmentId, TenantId};
use crate::services::page_offset;
use crate::services::tiers::{self, TierView};

/// The participant's catalog query.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CatalogQuery {
    pub category: String,
    pub q: String,
    /// "1": only what the balance affords.
    pub within: String,
    /// "points" (cheapest first, the default) or "-points".
    pub sort: String,
    /// "1": only the wishlist.
    pub wished: String,
}

#[derive(Debug, Serialize)]
pub struct Card {
    pub reward: Reward,
    /// The status tier the reward requires, when the participant is below it.
    pub locked: Option<TierView>,
    pub missing: i64,
    pub has_image: bool,
    pub wished: bool,
}

#[derive(Debug, Serialize)]
pub struct CatalogView {
    pub balance: i64,
    /// Categories in the tenant's order, with how many rewards each offers.
    pub categories: Vec<(String, usize)>,
    pub cards: Vec<Card>,
    pub query: CatalogQuery,
}

/// The rewards this participant may redeem today.
fn offered(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Vec<Reward>, RewardError> {
    if user.role() != Role::Participant || user.disabled {
        return Ok(vec![]);
    }
    let today = tenants::zone_and_currency(conn, tenant)?.0.today(now);
    let mut by_reward: BTreeMap<RewardId, Vec<SegmentId>> = BTreeMap::new();
    for (r, s) in rows::all_segments(conn, tenant)? {
        by_reward.entry(r).or_default().push(s);
    }
    let wanted: BTreeSet<SegmentId> = by_reward.values().flatten().copied().collect();
    let holding = redeem::segments_holding(conn, tenant, user, &wanted)?;
    Ok(rows::active(conn, tenant)?
        .into_iter()
        .filter(|r| {
            crate::domain::rewards::in_window(r.available_from, r.available_until, today)
                && by_reward
                    .get(&r.id)
                    .is_none_or(|segs| segs.iter().any(|s| holding.contains(s)))
        })
        .collect())
}

/// One reward, if this participant may redeem it today (else not found): its own row
/// and segments only, not the whole catalog (each card's image asks).
fn offered_one(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: RewardId,
    now: DateTime<Utc>,
) -> Result<Reward, RewardError> {
    let reward = rows::find(conn, tenant, id)?;
    let segments = rows::segments_of(conn, tenant, id)?;
    let today = tenants::zone_and_currency(conn, tenant)?.0.today(now);
    if !redeem::may_redeem(conn, tenant, user, &reward, &segments, today)? {
        return Err(RewardError::NotFound);
    }
    Ok(reward)
}

fn available(conn: &mut PgConnection, tenant: TenantId, user: &User) -> Result<i64, RewardError> {
    Ok(ledger_db::balance(conn, tenant, user.id, Lock::Unlocked)?.map_or(0, |b| b.available))
}

pub fn catalog(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    query: CatalogQuery,
    now: DateTime<Utc>,
) -> Result<CatalogView, RewardError> {
    let all = offered(conn, tenant, user, now)?;
    let balance = available(conn, tenant, user)?;
    let order = rows::category_order(conn, tenant)?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in &all {
        *counts.entry(r.category.clone()).or_default() += 1;
    }
    let rank = |c: &str| order.iter().position(|o| o == c).unwrap_or(usize::MAX);
    let mut categories: Vec<(String, usize)> = counts.into_iter().collect();
    categories.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.0.cmp(&b.0)));
    let wishes: BTreeSet<RewardId> = orders::wishes(conn, tenant, user.id)?.into_iter().collect();
    let needle = query.q.trim().to_lowercase();
    let mut chosen: Vec<Reward> = all
        .into_iter()
        .filter(|r| query.category.is_empty() || r.category == query.category)
        .filter(|r| {
            needle.is_empty()
                || r.name.to_lowercase().contains(&needle)
                || r.description.to_lowercase().contains(&needle)
        })
        .filter(|r| query.within != "1" || r.cost_points <= balance)
        .filter(|r| query.wished != "1" || wishes.contains(&r.id))
        .collect();
    if query.sort == "-points" {
        chosen.sort_by(|a, b| b.cost_points.cmp(&a.cost_points).then(a.id.cmp(&b.id)));
    } else {
        chosen.sort_by(|a, b| a.cost_points.cmp(&b.cost_points).then(a.id.cmp(&b.id)));
    }
    let ids: Vec<RewardId> = chosen.iter().map(|r| r.id).collect();
    let covers: BTreeSet<RewardId> = rows::covers(conn, tenant, &ids)?.into_iter().collect();
    let mut locks = tiers::reward_locks(conn, tenant, user.id)?;
    let cards = chosen
        .into_iter()
        .map(|r| Card {
            locked: locks.remove(&r.id),
            missing: missing(r.cost_points, balance),
            has_image: covers.contains(&r.id),
            wished: wishes.contains(&r.id),
            reward: r,
        })
        .collect();
    Ok(CatalogView {
        balance,
        categories,
        cards,
        query,
    })
}

/// A few rewards within reach, for the home page: the dearest ones the balance already
/// affords, then the next one to aim for (the cheapest not yet affordable). Rewards out
/// of stock or locked to a higher status are left out.
pub fn within_reach(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    now: DateTime<Utc>,
    count: usize,
) -> Result<Vec<Card>, RewardError> {
    let balance = available(conn, tenant, user)?;
    let locks = tiers::reward_locks(conn, tenant, user.id)?;
    let mut all: Vec<Reward> = offered(conn, tenant, user, now)?
        .into_iter()
        .filter(|r| r.stock.is_none_or(|s| s > 0) && !locks.contains_key(&r.id))
        .collect();
    all.sort_by(|a, b| a.cost_points.cmp(&b.cost_points).then(a.id.cmp(&b.id)));
    let split = all.partition_point(|r| r.cost_points <= balance);
    let goal = all.get(split).cloned();
    let affordable = count.saturating_sub(usize::from(goal.is_some()));
    let mut chosen: Vec<Reward> = all[..split]
        .iter()
        .rev()
        .take(affordable)
        .cloned()
        .collect();
    chosen.extend(goal);
    let ids: Vec<RewardId> = chosen.iter().map(|r| r.id).collect();
    let covers: BTreeSet<RewardId> = rows::covers(conn, tenant, &ids)?.into_iter().collect();
    let wishes: BTreeSet<RewardId> = orders::wishes(conn, tenant, user.id)?.into_iter().collect();
    Ok(chosen
        .into_iter()
        .map(|r| Card {
            locked: None,
            missing: missing(r.cost_points, balance),
            has_image: covers.contains(&r.id),
            wished: wishes.contains(&r.id),
            reward: r,
        })
        .collect())
}

/// A reward's page for a participant.
#[derive(Debug, Serialize)]
pub struct RewardView {
    pub reward: Reward,
    /// The status tier the reward requires, when the participant is below it.
    pub locked: Option<TierView>,
    pub images: Vec<i16>,
    pub balance: i64,
    pub missing: i64,
    pub wished: bool,
    pub ships: bool,
    /// Units the participant may still order (the maximum less what they ordered).
    pub left_for_me: Option<i64>,
    /// The remembered delivery address, as the form's fields.
    pub address: AddressFields,
}

pub fn reward(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: RewardId,
    now: DateTime<Utc>,
) -> Result<RewardView, RewardError> {
    let reward = offered_one(conn, tenant, user, id, now)?;
    let balance = available(conn, tenant, user)?;
    let left_for_me = match reward.max_per_participant {
        Some(max) => {
            Some((i64::from(max) - orders::units_taken(conn, tenant, user.id, id)?).max(0))
        }
        None => None,
    };
    let address = orders::address_of(conn, tenant, user.id)?
        .and_then(|v| serde_json::from_value::<AddressInput>(v).ok())
        .unwrap_or_default();
    Ok(RewardView {
        locked: tiers::reward_lock(conn, tenant, user.id, id)?,
        images: rows::images_of(conn, tenant, id)?
            .iter()
            .map(|i| i.position)
            .collect(),
        balance,
        missing: missing(reward.cost_points, balance),
        wished: orders::wishes(conn, tenant, user.id)?.contains(&id),
        ships: RewardKind::parse(&reward.kind).is_some_and(RewardKind::ships),
        left_for_me,
        address: AddressFields::of(&address),
        reward,
    })
}

/// Adds a reward to the participant's wishlist or takes it off; whether it is on it.
pub fn toggle_wish(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: RewardId,
    now: DateTime<Utc>,
) -> Result<bool, RewardError> {
    conn.transaction(|conn| {
        offered_one(conn, tenant, user, id, now)?;
        Ok(orders::toggle_wish(conn, tenant, user.id, id)?)
    })
}

/// An image's storage key and type, for whom may see the reward: the tenant's staff,
/// or a participant to whom it is offered.
pub fn image(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: RewardId,
    position: i16,
    now: DateTime<Utc>,
) -> Result<(String, String), RewardError> {
    let staff = user.tenant_id == tenant && user.role().includes(Role::Marketer);
    if !staff {
        offered_one(conn, tenant, user, id, now)?;
    }
    let found = rows::image(conn, tenant, id, position)?.ok_or(RewardError::NotFound)?;
    Ok((found.storage_key, found.content_type))
}

/// A line as pages show it.
#[derive(Debug, Serialize)]
pub struct LineView {
    pub line: Line,
    pub reward_name: String,
    pub reward_kind: String,
    pub reward_code: String,
    /// The voucher codes given to the line: filled only for its participant.
    pub codes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OrderView {
    pub order: Order,
    pub lines: Vec<LineView>,
}

/// Orders with their lines; the codes only when `with_codes` (the participant's own).
pub(super) fn with_lines(
    conn: &mut PgConnection,
    tenant: TenantId,
    list: Vec<Order>,
    with_codes: bool,
) -> Result<Vec<OrderView>, RewardError> {
    let ids: Vec<OrderId> = list.iter().map(|o| o.id).collect();
    let lines = orders::lines_of(conn, tenant, &ids)?;
    let reward_ids: Vec<RewardId> = lines.iter().map(|l| l.reward_id).collect();
    let names: HashMap<RewardId, (String, String, String)> =
        orders::reward_names(conn, tenant, &reward_ids)?
            .into_iter()
            .map(|(id, name, kind, code)| (id, (name, kind, code)))
            .collect();
    let mut codes: HashMap<_, Vec<String>> = HashMap::new();
    if with_codes {
        let line_ids: Vec<_> = lines.iter().map(|l| l.id).collect();
        for (line, code) in rows::codes_of_lines(conn, tenant, &line_ids)? {
            codes.entry(line).or_default().push(code);
        }
    }
    let mut by_order: HashMap<OrderId, Vec<LineView>> = HashMap::new();
    for line in lines {
        let (name, kind, code) = names.get(&line.reward_id).cloned().unwrap_or_default();
        by_order.entry(line.order_id).or_default().push(LineView {
            codes: codes.remove(&line.id).unwrap_or_default(),
            reward_name: name,
            reward_kind: kind,
            reward_code: code,
            line,
        });
    }
    Ok(list
        .into_iter()
        .map(|order| OrderView {
            lines: by_order.remove(&order.id).unwrap_or_default(),
            order,
        })
        .collect())
}

pub const ORDERS_PER_PAGE: i64 = 20;

/// The participant's orders, newest first: a page, and the first order of the next page
/// when there is one (so that the page knows whether to offer "next").
pub fn my_orders(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    page: i64,
) -> Result<Vec<OrderView>, RewardError> {
    let list = orders::of_user(
        conn,
        tenant,
        user.id,
        page_offset(page, ORDERS_PER_PAGE),
        ORDERS_PER_PAGE + 1,
    )?;
    with_lines(conn, tenant, list, true)
}

/// One of the participant's orders (another's is not found).
pub fn my_order(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: OrderId,
) -> Result<OrderView, RewardError> {
    let order = orders::find(conn, tenant, id, Lock::Unlocked)?;
    if order.user_id != user.id {
        return Err(RewardError::NotFound);
    }
    with_lines(conn, tenant, vec![order], true)?
        .pop()
        .ok_or(RewardError::NotFound)
}

/// The admin queue's filters as the query string sends them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct QueueQuery {
    /// An order status; empty: pending (the queue's purpose); "all": any.
    pub status: String,
    pub reward: String,
    pub partner: String,
    pub region: String,
    /// Orders with a line in this fulfilment status.
    pub line: String,
    pub page: i64,
}

impl QueueQuery {
    pub fn filter(&self) -> QueueFilter {
        let given = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        QueueFilter {
            status: match self.status.trim() {
                "" => Some("pending".into()),
                "all" => None,
                s => Some(s.to_string()),
            },
            reward: self.reward.trim().parse().ok(),
            partner: self.partner.trim().parse().ok(),
            region: given(&self.region),
            line_status: given(&self.line),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct QueueEntry {
    pub row: QueueRow,
    pub lines: Vec<LineView>,
}

#[derive(Debug, Serialize)]
pub struct QueueView {
    pub entries: Vec<QueueEntry>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub rewards: Vec<(RewardId, String)>,
    pub partners: Vec<(PartnerId, String)>,
    pub regions: Vec<String>,
    pub query: QueueQuery,
}

pub const QUEUE_PER_PAGE: i64 = 50;

pub fn queue(
    conn: &mut PgConnection,
    tenant: TenantId,
    query: QueueQuery,
) -> Result<QueueView, RewardError> {
    let page = query.page.max(1);
    let (found, total) = orders::queue(
        conn,
        tenant,
        &query.filter(),
        page_offset(page, QUEUE_PER_PAGE),
        QUEUE_PER_PAGE,
    )?;
    let list: Vec<Order> = found.iter().map(|r| r.order.clone()).collect();
    let mut views = with_lines(conn, tenant, list, false)?.into_iter();
    let entries = found
        .into_iter()
        .map(|row| QueueEntry {
            lines: views.next().map(|v| v.lines).unwrap_or_default(),
            row,
        })
        .collect();
    let rewards = rows::search(conn, tenant, &rows::RewardFilter::default(), 0, 1000)?
        .0
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let partners = partners::search(conn, tenant, &partners::PartnerFilter::default(), 0, 2000)?
        .0
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(QueueView {
        entries,
        total,
        page,
        pages: ((total + QUEUE_PER_PAGE - 1) / QUEUE_PER_PAGE).max(1),
        rewards,
        partners,
        regions: partners::regions_and_tiers(conn, tenant)?.0,
        query,
    })
}

/// An order as admins see it: who placed it, where it goes, its lines (without codes).
#[derive(Debug, Serialize)]
pub struct AdminOrder {
    pub view: OrderView,
    pub participant: User,
    pub partner: Option<String>,
}

pub fn admin_order(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: OrderId,
) -> Result<AdminOrder, RewardError> {
    let order = orders::find(conn, tenant, id, Lock::Unlocked)?;
    let participant = users::find(conn, tenant, order.user_id)?;
    let partner = match order.partner_id {
        Some(p) => Some(partners::find(conn, tenant, p)?.name),
        None => None,
    };
    let view = with_lines(conn, tenant, vec![order], false)?
        .pop()
        .ok_or(RewardError::NotFound)?;
    Ok(AdminOrder {
        view,
        participant,
        partner,
    })
}

/// The columns of the fulfilment file.
pub const EXPORT_COLUMNS: &[&str] = &[
    "order",
    "line",
    "ordered_at",
    "reward_code",
    "reward",
    "quantity",
    "participant",
    "email",
    "partner",
    "name",
    "line1",
    "line2",
    "postcode",
    "city",
    "country",
    "phone",
    "status",
    "carrier",
    "tracking_number",
];

/// The lines of the queue's matching orders as a CSV file for a fulfilment house (no
/// voucher codes), `line` being the column its tracking file sends back.
pub fn export_csv(
    conn: &mut PgConnection,
    tenant: TenantId,
    query: QueueQuery,
) -> Result<Vec<u8>, RewardError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| RewardError::Other(e.into());
    out.write_record(EXPORT_COLUMNS).map_err(csv_err)?;
    let filter = query.filter();
    let mut offset = 0;
    loop {
        let (found, _) = orders::queue(conn, tenant, &filter, offset, 1000)?;
        if found.is_empty() {
            break;
        }
        offset += found.len() as i64;
        let list: Vec<Order> = found.iter().map(|r| r.order.clone()).collect();
        for (row, view) in found.iter().zip(with_lines(conn, tenant, list, false)?) {
            let a: AddressInput = row
                .order
                .delivery_address
                .clone()
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default();
            for l in &view.lines {
                if let Some(wanted) = &filter.line_status {
                    if &l.line.status != wanted {
                        continue;
                    }
                }
                out.write_record([
                    row.order.id.to_string(),
                    l.line.id.to_string(),
                    row.order.created_at.to_rfc3339(),
                    l.reward_code.clone(),
                    l.reward_name.clone(),
                    l.line.quantity.to_string(),
                    row.user_name.clone(),
                    row.user_email.clone(),
                    row.partner_name.clone().unwrap_or_default(),
                    a.name.clone(),
                    a.line1.clone(),
                    a.line2.clone(),
                    a.postcode.clone(),
                    a.city.clone(),
                    a.country.clone(),
                    a.phone.clone(),
                    l.line.status.clone(),
                    l.line.carrier.clone(),
                    l.line.tracking_number.clone(),
                ])
                .map_err(csv_err)?;
            }
        }
    }
    out.into_inner()
        .map_err(|e| RewardError::Other(anyhow::anyhow!("{e}")))
}
