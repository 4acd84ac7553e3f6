//! The monthly leaderboard: points earned in a calendar month of the tenant's zone
//! (earn transactions of the ledger dated in the month and not reversed since), by
//! participant or by partner, within the participant's region or their country
//! (their partner's fields). The participant sees their own row even outside the top.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::leaderboard::{self as rows, Area, LeaderRow};
use crate::db::tenants;
use crate::db::users::User;
use crate::domain::badges::Month;
use crate::domain::TenantId;

/// Rows shown above the participant's own.
pub const TOP: i64 = 20;
/// Months offered: the current one and this many before it.
pub const PAST_MONTHS: u32 = 11;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Board {
    People,
    Partners,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Region,
    National,
}

/// What the page asks for; anything unreadable or out of range falls back to the
/// defaults (this month, people, region where there is one).
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    pub month: String,
    pub board: String,
    pub scope: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Leaderboard {
    pub month: String,
    /// The months offered, latest first.
    pub months: Vec<String>,
    pub board: Board,
    pub scope: Scope,
    /// Whether the participant's partner has a region to compare within.
    pub has_region: bool,
    pub region: String,
    pub country: String,
    pub rows: Vec<LeaderRow>,
    /// The participant's (or their partner's) row, when ranked.
    pub mine: Option<LeaderRow>,
    /// Whether `mine` is below the rows shown.
    pub mine_below: bool,
    pub total: i64,
}

fn months(now: Month) -> Vec<Month> {
    (0..=PAST_MONTHS).map(|n| now.minus(n)).collect()
}

pub fn monthly(
    conn: &mut PgConnection,
    tenant: TenantId,
    me: &User,
    wanted: &Wanted,
    now: DateTime<Utc>,
) -> QueryResult<Leaderboard> {
    let zone = tenants::find(conn, tenant)?.zone();
    let offered = months(Month::of(zone, now));
    let month = Month::parse(&wanted.month)
        .filter(|m| offered.contains(m))
        .unwrap_or(offered[0]);
    let (region, country) = match me.partner_id {
        Some(p) => rows::area_of(conn, tenant, p)?,
        None => (String::new(), String::new()),
    };
    let has_region = !region.is_empty();
    let scope = if wanted.scope == "national" || !has_region {
        Scope::National
    } else {
        Scope::Region
    };
    let board = if wanted.board == "partners" && me.partner_id.is_some() {
        Board::Partners
    } else {
        Board::People
    };
    let area = Area {
        country: me.partner_id.map(|_| country.as_str()),
        region: (scope == Scope::Region).then_some(region.as_str()),
    };
    let mine_id = match board {
        Board::People => me.id.0,
        Board::Partners => me.partner_id.map_or(0, |p| p.0),
    };
    let mut all = rows::board(
        conn,
        tenant,
        month.bounds(zone),
        board == Board::Partners,
        area,
        (TOP, mine_id),
    )?;
    let total = all.first().map_or(0, |r| r.total);
    let mine = all.iter().find(|r| r.id == mine_id).cloned();
    let mine_below = all.len() as i64 > TOP;
    if mine_below {
        all.truncate(TOP as usize);
    }
    Ok(Leaderboard {
        month: month.to_string(),
        months: offered.iter().map(Month::to_string).collect(),
        board,
        scope,
        has_region,
        region: region.clone(),
        country: country.clone(),
        rows: all,
        mine,
        mine_below,
        total,
    })
}

/// The participant's rank this month among the participants of their country (for the
/// home page): `None` before they earned anything this month.
#[derive(Debug, Clone, Serialize)]
pub struct MonthlyRank {
    pub rank: i64,
    pub points: i64,
    pub of: i64,
}

pub fn monthly_rank(
    conn: &mut PgConnection,
    tenant: TenantId,
    me: &User,
    now: DateTime<Utc>,
) -> QueryResult<Option<MonthlyRank>> {
    let wanted = Wanted {
        scope: "national".into(),
        ..Wanted::default()
    };
    let board = monthly(conn, tenant, me, &wanted, now)?;
    Ok(board.mine.map(|r| MonthlyRank {
        rank: r.rank,
        points: r.points,
        of: r.total,
    }))
}
