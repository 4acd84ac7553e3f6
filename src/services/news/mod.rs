//! News: short posts by the brand (title, plain text, an optional image), shown from
//! their publication day to their end day (the tenant's time zone) to the participants
//! of their segments (no segment: everyone). Staff see every live post.
//!
//! Not a `Catalog` entity: a post has no code to import it by, and nothing to
//! deactivate (an end day withdraws it), so the generic list/CSV machinery would bring
//! nothing but empty columns.

pub mod studio;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::segments;
use super::ServiceError;
use crate::db::news::{self as rows, NewsPost};
use crate::db::users::User;
use crate::domain::ids::NewsPostId;
use crate::domain::news::{is_live, paragraphs};
use crate::domain::{Role, SegmentId, TenantId};

/// Most live posts read at once: a brand publishes a few posts a week and ends them,
/// so the live ones are dozens; this bounds the work whatever happens.
const LIVE_MAX: i64 = 200;

/// A post as a participant sees it.
#[derive(Debug, Clone, Serialize)]
pub struct NewsCard {
    pub id: NewsPostId,
    pub title: String,
    /// The first paragraph, cut at 200 characters.
    pub excerpt: String,
    /// Paragraphs, each a list of lines (plain text: the template escapes it).
    pub paragraphs: Vec<Vec<String>>,
    pub publish_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    pub has_image: bool,
}

impl From<&NewsPost> for NewsCard {
    fn from(p: &NewsPost) -> Self {
        let paragraphs = paragraphs(&p.body);
        let first = paragraphs.first().map(|l| l.join(" ")).unwrap_or_default();
        let excerpt = if first.chars().count() > 200 {
            let cut: String = first.chars().take(199).collect();
            format!("{}…", cut.trim_end())
        } else {
            first
        };
        NewsCard {
            id: p.id,
            title: p.title.clone(),
            excerpt,
            paragraphs,
            publish_on: p.publish_on,
            end_on: p.end_on,
            has_image: p.image_key.is_some(),
        }
    }
}

fn today(conn: &mut PgConnection, tenant: TenantId, now: DateTime<Utc>) -> QueryResult<NaiveDate> {
    Ok(crate::db::tenants::zone_and_currency(conn, tenant)?
        .0
        .today(now))
}

/// Keeps the posts this user may read: staff read all; a participant those without
/// segments and those of a segment holding their partner.
fn eligible(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    posts: Vec<NewsPost>,
) -> Result<Vec<NewsPost>, ServiceError> {
    if user.role() != Role::Participant {
        return Ok(posts);
    }
    let ids: Vec<NewsPostId> = posts.iter().map(|p| p.id).collect();
    let mut wanted: BTreeMap<NewsPostId, Vec<SegmentId>> = BTreeMap::new();
    for (post, segment) in rows::segments_of(conn, tenant, &ids)? {
        wanted.entry(post).or_default().push(segment);
    }
    let mut holding = BTreeSet::new();
    if let Some(partner) = user.partner_id {
        let all: BTreeSet<SegmentId> = wanted.values().flatten().copied().collect();
        for segment in all {
            if segments::contains(conn, tenant, segment, partner)? {
                holding.insert(segment);
            }
        }
    }
    Ok(posts
        .into_iter()
        .filter(|p| {
            wanted
                .get(&p.id)
                .is_none_or(|s| s.iter().any(|s| holding.contains(s)))
        })
        .collect())
}

/// The latest posts `user` may read at `now`, newest first, at most `limit` (for the
/// home page and `/news`).
pub fn for_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<NewsCard>, ServiceError> {
    conn.transaction(|conn| {
        let today = today(conn, tenant, now)?;
        let live = rows::live(conn, tenant, today, LIVE_MAX)?;
        Ok(eligible(conn, tenant, user, live)?
            .iter()
            .take(limit)
            .map(NewsCard::from)
            .collect())
    })
}

/// One post, if `user` may read it at `now`; else not found (another tenant's, not
/// yet published, ended, outside their segments): nothing leaks.
fn readable(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: NewsPostId,
    now: DateTime<Utc>,
) -> Result<NewsPost, ServiceError> {
    let post = rows::find(conn, tenant, id).optional()?;
    let today = today(conn, tenant, now)?;
    // Staff also preview what is scheduled or ended.
    let staff = user.role() != Role::Participant;
    let post = post
        .filter(|p| staff || is_live(p.publish_on, p.end_on, today))
        .ok_or(ServiceError::NotFound)?;
    eligible(conn, tenant, user, vec![post])?
        .pop()
        .ok_or(ServiceError::NotFound)
}

pub fn show(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: NewsPostId,
    now: DateTime<Utc>,
) -> Result<NewsCard, ServiceError> {
    conn.transaction(|conn| readable(conn, tenant, user, id, now).map(|p| NewsCard::from(&p)))
}

/// The storage key of a readable post's image.
pub fn image(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: NewsPostId,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    conn.transaction(|conn| {
        readable(conn, tenant, user, id, now)?
            .image_key
            .ok_or(ServiceError::NotFound)
    })
}
