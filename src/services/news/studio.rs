//! Writing news in the studio: the list, the form, saving (audited).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::super::audit::{self, Actor, Change};
use super::super::catalog::Listing;
use super::super::{page_offset, FieldErrors, ServiceError};
use super::today;
use crate::db::news::{self as rows, NewsPost, Values};
use crate::db::segments as segment_rows;
use crate::domain::ids::NewsPostId;
use crate::domain::news::NewsInput;
use crate::domain::{SegmentId, TenantId};

/// A post in the studio's list.
#[derive(Debug, Serialize)]
pub struct StudioRow {
    pub post: NewsPost,
    /// `scheduled`, `live` or `ended` today.
    pub state: &'static str,
    pub has_image: bool,
    pub segments: Vec<String>,
}

pub fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
    page: i64,
    per_page: i64,
    now: DateTime<Utc>,
) -> Result<Listing<StudioRow>, ServiceError> {
    conn.transaction(|conn| {
        let today = today(conn, tenant, now)?;
        let (posts, total) = rows::list(conn, tenant, page_offset(page, per_page), per_page)?;
        let ids: Vec<NewsPostId> = posts.iter().map(|p| p.id).collect();
        let pairs = rows::segments_of(conn, tenant, &ids)?;
        let names: std::collections::HashMap<SegmentId, String> = segment_rows::list(conn, tenant)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let rows = posts
            .into_iter()
            .map(|post| {
                let state = if post.publish_on > today {
                    "scheduled"
                } else if post.end_on.is_some_and(|e| e < today) {
                    "ended"
                } else {
                    "live"
                };
                let segments = pairs
                    .iter()
                    .filter(|(p, _)| *p == post.id)
                    .filter_map(|(_, s)| names.get(s).cloned())
                    .collect();
                StudioRow {
                    state,
                    has_image: post.image_key.is_some(),
                    segments,
                    post,
                }
            })
            .collect();
        Ok(Listing::new(rows, total, page.max(1), per_page))
    })
}

/// A post's form: its values, and every segment (id, name, chosen).
#[derive(Debug, Serialize)]
pub struct NewsForm {
    pub post: Option<NewsPost>,
    pub has_image: bool,
    pub input: NewsInput,
    pub segments: Vec<(SegmentId, String, bool)>,
}

/// The form of post `id`, or of a new post (published today, for everyone).
pub fn form(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Option<NewsPostId>,
    now: DateTime<Utc>,
) -> Result<NewsForm, ServiceError> {
    conn.transaction(|conn| {
        let post = id.map(|id| rows::find(conn, tenant, id)).transpose()?;
        let chosen: Vec<SegmentId> = match &post {
            Some(p) => rows::segments_of(conn, tenant, &[p.id])?
                .into_iter()
                .map(|(_, s)| s)
                .collect(),
            None => vec![],
        };
        let input = match &post {
            Some(p) => NewsInput {
                title: p.title.clone(),
                body: p.body.clone(),
                publish_on: p.publish_on.to_string(),
                end_on: p.end_on.map(|d| d.to_string()).unwrap_or_default(),
            },
            None => NewsInput {
                publish_on: today(conn, tenant, now)?.to_string(),
                ..NewsInput::default()
            },
        };
        let segments = segment_rows::list(conn, tenant)?
            .into_iter()
            .map(|s| (s.id, s.name, chosen.contains(&s.id)))
            .collect();
        Ok(NewsForm {
            has_image: post.as_ref().is_some_and(|p| p.image_key.is_some()),
            post,
            input,
            segments,
        })
    })
}

/// What saving does to the image.
pub enum ImageChange {
    Keep,
    Remove,
    /// A checked, resized image already in storage, by its key.
    Set(String),
}

/// What a post's form carries, as typed.
pub struct Submitted<'a> {
    pub input: &'a NewsInput,
    /// The ticked segments' ids, as sent.
    pub segments: &'a [String],
    pub image: ImageChange,
}

/// Creates (`id` = `None`) or updates a post; the post, and the image key it no longer
/// uses (to delete once committed).
pub fn save(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: Option<NewsPostId>,
    submitted: Submitted,
    now: DateTime<Utc>,
) -> Result<(NewsPost, Option<String>), ServiceError> {
    let mut errors = FieldErrors::new();
    let valid = submitted.input.check().map_err(|problems| {
        for (field, key) in problems {
            errors.insert(field, key);
        }
    });
    let mut chosen = Vec::new();
    for s in submitted.segments {
        match s.trim().parse::<i64>() {
            Ok(n) => chosen.push(SegmentId(n)),
            Err(_) => {
                errors.insert("segments", "error-news-segment-unknown");
            }
        }
    }
    conn.transaction(|conn| {
        for s in &chosen {
            if segment_rows::find(conn, tenant, *s).optional()?.is_none() {
                errors.insert("segments", "error-news-segment-unknown");
            }
        }
        let valid = match valid {
            Ok(v) if errors.is_empty() => v,
            _ => return Err(ServiceError::Invalid(errors.clone())),
        };
        let values = Values {
            title: &valid.title,
            body: &valid.body,
            publish_on: valid.publish_on,
            end_on: valid.end_on,
        };
        let (post, action) = match id {
            Some(id) => {
                rows::find(conn, tenant, id)?;
                (
                    rows::update(conn, tenant, id, &values, now)?,
                    "news.updated",
                )
            }
            None => (
                rows::insert(conn, tenant, actor.id, &values, now)?,
                "news.created",
            ),
        };
        rows::put_segments(conn, tenant, post.id, &chosen)?;
        let unused = match &submitted.image {
            ImageChange::Keep => None,
            ImageChange::Remove => rows::set_image(conn, tenant, post.id, None)?,
            ImageChange::Set(key) => rows::set_image(conn, tenant, post.id, Some(key))?,
        };
        let change = Change::new(action, "news", Some(post.id.into())).after(&json!({
            "title": valid.title,
            "publish_on": valid.publish_on,
            "end_on": valid.end_on,
            "segments": chosen,
            "image": !matches!(submitted.image, ImageChange::Remove)
                && (post.image_key.is_some() || matches!(submitted.image, ImageChange::Set(_))),
        }));
        audit::record(conn, tenant, actor, change)?;
        let post = rows::find(conn, tenant, post.id)?;
        Ok((post, unused))
    })
}
