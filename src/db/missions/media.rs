//! What photo and video missions add: files (`media`), photo and video rules, the photos
//! of a submission, video watches, and the queue of photo submissions to review.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::Attempt;
use crate::db::schema::{
    media, mission_attempts, mission_photo_rules, mission_photos, mission_video_rules,
    mission_video_watches, missions, partners, users,
};
use crate::domain::{
    AttemptId, MediaId, MissionId, PartnerId, ProductId, TenantId, UserId, WatchId,
};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = media)]
pub struct Media {
    pub id: MediaId,
    pub mission_id: MissionId,
    pub role: String,
    pub storage_key: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

pub fn media_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> QueryResult<Vec<Media>> {
    media::table
        .filter(media::tenant_id.eq(tenant))
        .filter(media::mission_id.eq(mission))
        .select(Media::as_select())
        .load(conn)
}

pub fn find_media(conn: &mut PgConnection, tenant: TenantId, id: MediaId) -> QueryResult<Media> {
    media::table
        .find((tenant, id))
        .select(Media::as_select())
        .first(conn)
}

/// Puts a file in the mission's `role`, returning the key of the file it replaces.
pub fn replace_media(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    role: &str,
    storage_key: &str,
    content_type: &str,
    size: i64,
) -> QueryResult<Option<String>> {
    let old: Option<String> = diesel::delete(
        media::table
            .filter(media::tenant_id.eq(tenant))
            .filter(media::mission_id.eq(mission))
            .filter(media::role.eq(role)),
    )
    .returning(media::storage_key)
    .get_result(conn)
    .optional()?;
    diesel::insert_into(media::table)
        .values((
            media::tenant_id.eq(tenant),
            media::mission_id.eq(mission),
            media::role.eq(role),
            media::storage_key.eq(storage_key),
            media::content_type.eq(content_type),
            media::size.eq(size),
        ))
        .execute(conn)?;
    Ok(old)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = mission_photo_rules)]
pub struct PhotoRules {
    pub tenant_id: TenantId,
    pub mission_id: MissionId,
    pub instructions: String,
    pub photos_required: i16,
    pub product_ids: Vec<Option<ProductId>>,
}

super::rules_table!(
    mission_photo_rules,
    PhotoRules,
    photo_rules,
    put_photo_rules
);

/// A video mission's duration, once known (read from the file or entered).
pub fn video_duration(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> QueryResult<Option<i32>> {
    Ok(mission_video_rules::table
        .find((tenant, mission))
        .select(mission_video_rules::duration_seconds)
        .first::<Option<i32>>(conn)
        .optional()?
        .flatten())
}

pub fn put_video_duration(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    seconds: Option<i32>,
) -> QueryResult<()> {
    diesel::insert_into(mission_video_rules::table)
        .values((
            mission_video_rules::tenant_id.eq(tenant),
            mission_video_rules::mission_id.eq(mission),
            mission_video_rules::duration_seconds.eq(seconds),
        ))
        .on_conflict((
            mission_video_rules::tenant_id,
            mission_video_rules::mission_id,
        ))
        .do_update()
        .set(mission_video_rules::duration_seconds.eq(seconds))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Insertable)]
#[diesel(table_name = mission_photos)]
pub struct NewPhoto<'a> {
    pub tenant_id: TenantId,
    pub attempt_id: AttemptId,
    pub n: i16,
    pub content_type: &'a str,
    pub file_name: &'a str,
    pub size: i32,
    pub bytes: &'a [u8],
    pub thumbnail: Option<&'a [u8]>,
}

pub fn insert_photos(conn: &mut PgConnection, photos: &[NewPhoto]) -> QueryResult<()> {
    diesel::insert_into(mission_photos::table)
        .values(photos)
        .execute(conn)
        .map(|_| ())
}

/// How many photos each of these submissions holds.
pub fn photo_counts(
    conn: &mut PgConnection,
    tenant: TenantId,
    attempts: &[AttemptId],
) -> QueryResult<Vec<(AttemptId, i64)>> {
    mission_photos::table
        .filter(mission_photos::tenant_id.eq(tenant))
        .filter(mission_photos::attempt_id.eq_any(attempts))
        .group_by(mission_photos::attempt_id)
        .select((mission_photos::attempt_id, diesel::dsl::count_star()))
        .load(conn)
}

/// A photo's bytes and content type; with `thumbnail`, its JPEG thumbnail.
pub fn photo_bytes(
    conn: &mut PgConnection,
    tenant: TenantId,
    attempt: AttemptId,
    n: i16,
    thumbnail: bool,
) -> QueryResult<Option<(Vec<u8>, String)>> {
    crate::db::upload_bytes!(conn, mission_photos, (tenant, attempt, n), thumbnail)
}

pub fn find_attempt(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: AttemptId,
) -> QueryResult<Attempt> {
    mission_attempts::table
        .find((tenant, id))
        .select(Attempt::as_select())
        .first(conn)
}

/// A submission sent for review: submitted, not yet decided.
pub fn submit_for_review(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: AttemptId,
    now: DateTime<Utc>,
) -> QueryResult<Attempt> {
    diesel::update(mission_attempts::table.find((tenant, id)))
        .set(mission_attempts::submitted_at.eq(now))
        .returning(Attempt::as_returning())
        .get_result(conn)
}

/// Decides a submission still awaiting review; `None` when it was decided already
/// (a concurrent reviewer got there first).
pub fn decide(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: AttemptId,
    passed: bool,
    reason: Option<&str>,
    reviewer: UserId,
    now: DateTime<Utc>,
) -> QueryResult<Option<Attempt>> {
    diesel::update(
        mission_attempts::table
            .find((tenant, id))
            .filter(mission_attempts::passed.is_null())
            .filter(mission_attempts::submitted_at.is_not_null()),
    )
    .set((
        mission_attempts::passed.eq(passed),
        mission_attempts::review_reason.eq(reason),
        mission_attempts::reviewed_by.eq(reviewer),
        mission_attempts::reviewed_at.eq(now),
    ))
    .returning(Attempt::as_returning())
    .get_result(conn)
    .optional()
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = mission_video_watches)]
pub struct Watch {
    pub id: WatchId,
    pub mission_id: MissionId,
    pub participant_id: UserId,
    pub period: String,
    pub started_at: DateTime<Utc>,
    pub seen: Vec<u8>,
    pub watched_at: Option<DateTime<Utc>>,
}

pub fn watch_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    participant: UserId,
    period: &str,
) -> QueryResult<Option<Watch>> {
    mission_video_watches::table
        .filter(mission_video_watches::tenant_id.eq(tenant))
        .filter(mission_video_watches::mission_id.eq(mission))
        .filter(mission_video_watches::participant_id.eq(participant))
        .filter(mission_video_watches::period.eq(period))
        .select(Watch::as_select())
        .first(conn)
        .optional()
}

pub fn insert_watch(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    participant: UserId,
    period: &str,
    now: DateTime<Utc>,
) -> QueryResult<Watch> {
    diesel::insert_into(mission_video_watches::table)
        .values((
            mission_video_watches::tenant_id.eq(tenant),
            mission_video_watches::mission_id.eq(mission),
            mission_video_watches::participant_id.eq(participant),
            mission_video_watches::period.eq(period),
            mission_video_watches::started_at.eq(now),
        ))
        .returning(Watch::as_returning())
        .get_result(conn)
}

pub fn update_watch(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: WatchId,
    seen: &[u8],
    watched_at: Option<DateTime<Utc>>,
) -> QueryResult<Watch> {
    diesel::update(mission_video_watches::table.find((tenant, id)))
        .set((
            mission_video_watches::seen.eq(seen),
            mission_video_watches::watched_at.eq(watched_at),
        ))
        .returning(Watch::as_returning())
        .get_result(conn)
}

/// What the photo review queue filters on; every field optional.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub mission: Option<MissionId>,
    pub partner: Option<PartnerId>,
    pub region: Option<String>,
    /// `pending`, `approved`, `rejected`; none is pending.
    pub status: Option<String>,
}

/// A photo submission in the queue, with who sent it.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct ReviewRow {
    pub attempt_id: AttemptId,
    pub mission_id: MissionId,
    pub mission_title: String,
    pub participant_id: UserId,
    pub participant_name: String,
    pub partner_id: Option<PartnerId>,
    pub partner_name: Option<String>,
    pub region: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub passed: Option<bool>,
    pub review_reason: Option<String>,
}

/// Photo submissions matching the filter, oldest first for pending ones, newest first
/// for decided ones; `limit` rows from `offset`, and the total.
pub fn review_queue(
    conn: &mut PgConnection,
    tenant: TenantId,
    f: &ReviewFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ReviewRow>, i64)> {
    let filtered = || {
        let mut q = mission_attempts::table
            .inner_join(
                missions::table.on(missions::tenant_id
                    .eq(mission_attempts::tenant_id)
                    .and(missions::id.eq(mission_attempts::mission_id))),
            )
            .inner_join(
                users::table.on(users::tenant_id
                    .eq(mission_attempts::tenant_id)
                    .and(users::id.eq(mission_attempts::participant_id))),
            )
            .left_join(
                partners::table.on(partners::tenant_id
                    .eq(users::tenant_id)
                    .nullable()
                    .and(partners::id.nullable().eq(users::partner_id))),
            )
            .filter(mission_attempts::tenant_id.eq(tenant))
            .filter(missions::kind.eq("photo"))
            .filter(mission_attempts::submitted_at.is_not_null())
            .into_boxed();
        q = match f.status.as_deref() {
            Some("approved") => q.filter(mission_attempts::passed.eq(true)),
            Some("rejected") => q.filter(mission_attempts::passed.eq(false)),
            _ => q.filter(mission_attempts::passed.is_null()),
        };
        if let Some(m) = f.mission {
            q = q.filter(mission_attempts::mission_id.eq(m));
        }
        if let Some(p) = f.partner {
            q = q.filter(users::partner_id.eq(p));
        }
        if let Some(r) = &f.region {
            q = q.filter(partners::region.eq(r.clone()));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let mut q = filtered().select((
        mission_attempts::id,
        mission_attempts::mission_id,
        missions::title,
        mission_attempts::participant_id,
        users::display_name,
        users::partner_id,
        partners::name.nullable(),
        partners::region.nullable(),
        mission_attempts::submitted_at,
        mission_attempts::passed,
        mission_attempts::review_reason,
    ));
    q = if f.status.is_none() || f.status.as_deref() == Some("pending") {
        q.order((
            mission_attempts::submitted_at.asc(),
            mission_attempts::id.asc(),
        ))
    } else {
        q.order((
            mission_attempts::reviewed_at.desc(),
            mission_attempts::id.desc(),
        ))
    };
    let rows = q.limit(limit).offset(offset).load(conn)?;
    Ok((rows, total))
}

/// Each mission's cover image.
pub fn covers(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<std::collections::BTreeMap<MissionId, MediaId>> {
    in_role(conn, tenant, "cover")
}

/// Each photo mission's example photo.
pub fn examples(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> QueryResult<std::collections::BTreeMap<MissionId, MediaId>> {
    in_role(conn, tenant, "example")
}

fn in_role(
    conn: &mut PgConnection,
    tenant: TenantId,
    role: &str,
) -> QueryResult<std::collections::BTreeMap<MissionId, MediaId>> {
    Ok(media::table
        .filter(media::tenant_id.eq(tenant))
        .filter(media::role.eq(role))
        .select((media::mission_id, media::id))
        .load::<(MissionId, MediaId)>(conn)?
        .into_iter()
        .collect())
}
