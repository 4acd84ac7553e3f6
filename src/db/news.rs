//! News posts and their segments.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{news_posts, news_segments};
use crate::domain::ids::NewsPostId;
use crate::domain::{SegmentId, TenantId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = news_posts)]
pub struct NewsPost {
    pub id: NewsPostId,
    pub title: String,
    pub body: String,
    pub publish_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    /// Never shown: pages ask `/news/{id}/image`.
    #[serde(skip)]
    pub image_key: Option<String>,
    pub author_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A post's values as saved (the image is set apart, once stored).
pub struct Values<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub publish_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
}

pub fn insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    author: Option<UserId>,
    v: &Values,
    now: DateTime<Utc>,
) -> QueryResult<NewsPost> {
    diesel::insert_into(news_posts::table)
        .values((
            news_posts::tenant_id.eq(tenant),
            news_posts::title.eq(v.title),
            news_posts::body.eq(v.body),
            news_posts::publish_on.eq(v.publish_on),
            news_posts::end_on.eq(v.end_on),
            news_posts::author_id.eq(author),
            news_posts::created_at.eq(now),
            news_posts::updated_at.eq(now),
        ))
        .returning(NewsPost::as_returning())
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: NewsPostId,
    v: &Values,
    now: DateTime<Utc>,
) -> QueryResult<NewsPost> {
    diesel::update(news_posts::table.find((tenant, id)))
        .set((
            news_posts::title.eq(v.title),
            news_posts::body.eq(v.body),
            news_posts::publish_on.eq(v.publish_on),
            news_posts::end_on.eq(v.end_on),
            news_posts::updated_at.eq(now),
        ))
        .returning(NewsPost::as_returning())
        .get_result(conn)
}

/// Sets (or clears) the image; the key it replaced, to delete once committed.
pub fn set_image(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: NewsPostId,
    key: Option<&str>,
) -> QueryResult<Option<String>> {
    let old: Option<String> = news_posts::table
        .find((tenant, id))
        .select(news_posts::image_key)
        .for_update()
        .first(conn)?;
    diesel::update(news_posts::table.find((tenant, id)))
        .set(news_posts::image_key.eq(key))
        .execute(conn)?;
    Ok(old.filter(|o| Some(o.as_str()) != key))
}

pub fn find(conn: &mut PgConnection, tenant: TenantId, id: NewsPostId) -> QueryResult<NewsPost> {
    news_posts::table
        .find((tenant, id))
        .select(NewsPost::as_select())
        .first(conn)
}

/// A page of every post (newest publication first) and how many there are.
pub fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<NewsPost>, i64)> {
    let total = news_posts::table
        .filter(news_posts::tenant_id.eq(tenant))
        .count()
        .get_result(conn)?;
    let rows = news_posts::table
        .filter(news_posts::tenant_id.eq(tenant))
        .order((news_posts::publish_on.desc(), news_posts::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(NewsPost::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The posts shown on `today`, newest first, at most `limit`.
pub fn live(
    conn: &mut PgConnection,
    tenant: TenantId,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<NewsPost>> {
    news_posts::table
        .filter(news_posts::tenant_id.eq(tenant))
        .filter(news_posts::publish_on.le(today))
        .filter(
            news_posts::end_on
                .is_null()
                .or(news_posts::end_on.ge(today)),
        )
        .order((news_posts::publish_on.desc(), news_posts::id.desc()))
        .limit(limit)
        .select(NewsPost::as_select())
        .load(conn)
}

/// The (post, segment) pairs of these posts.
pub fn segments_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    posts: &[NewsPostId],
) -> QueryResult<Vec<(NewsPostId, SegmentId)>> {
    news_segments::table
        .filter(news_segments::tenant_id.eq(tenant))
        .filter(news_segments::post_id.eq_any(posts))
        .select((news_segments::post_id, news_segments::segment_id))
        .load(conn)
}

pub fn put_segments(
    conn: &mut PgConnection,
    tenant: TenantId,
    post: NewsPostId,
    segments: &[SegmentId],
) -> QueryResult<()> {
    diesel::delete(
        news_segments::table
            .filter(news_segments::tenant_id.eq(tenant))
            .filter(news_segments::post_id.eq(post)),
    )
    .execute(conn)?;
    let rows: Vec<_> = segments
        .iter()
        .map(|s| {
            (
                news_segments::tenant_id.eq(tenant),
                news_segments::post_id.eq(post),
                news_segments::segment_id.eq(*s),
            )
        })
        .collect();
    diesel::insert_into(news_segments::table)
        .values(&rows)
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}
