//! A mission's files: cover and example images, its video. Checked by their content
//! (an image must decode, a video must be MP4 or WebM), size-limited, stored through
//! `services::storage`, and described by a `media` row. Who may fetch one follows its
//! mission: the tenant's staff, or a participant who may see the mission.

use std::io::Cursor;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::play::visible;
use super::MissionError;
use crate::db::missions::media::{self as rows, Media};
use crate::db::missions::{self as missions_db};
use crate::db::users::User;
use crate::domain::missions::{MediaRole, MissionKind, MissionStatus};
use crate::domain::values::ErrorKey;
use crate::domain::{MediaId, MissionId, Role, TenantId};
use crate::services::audit::{self, Actor, Change};
use crate::services::declarations::proofs::{self, ProofUpload};

/// A file that passed its checks, ready to store.
#[derive(Debug)]
pub struct CheckedFile {
    pub content_type: &'static str,
    pub extension: &'static str,
    pub bytes: Vec<u8>,
    pub size: i64,
    /// Videos: the duration the container states, in whole seconds (rounded up).
    pub duration_seconds: Option<i32>,
}

/// Checks an uploaded file for a role. The error is the key shown next to the field.
pub fn check(
    role: MediaRole,
    bytes: Vec<u8>,
    max_image_bytes: usize,
    max_video_bytes: usize,
) -> Result<CheckedFile, ErrorKey> {
    if bytes.is_empty() {
        return Err("error-media-missing");
    }
    match role {
        MediaRole::Cover | MediaRole::Example => check_image(bytes, max_image_bytes),
        MediaRole::Video => check_video(bytes, max_video_bytes),
    }
}

/// An image: the proofs' checks (type by content, decodable within limits).
fn check_image(bytes: Vec<u8>, max: usize) -> Result<CheckedFile, ErrorKey> {
    if bytes.len() > max {
        return Err("error-media-too-large");
    }
    let upload = ProofUpload {
        file_name: String::new(),
        bytes,
    };
    let checked = proofs::check(vec![upload])?
        .pop()
        .ok_or("error-media-missing")?;
    let extension = match checked.content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        _ => return Err("error-media-image-type"),
    };
    Ok(CheckedFile {
        content_type: checked.content_type,
        extension,
        size: i64::try_from(checked.bytes.len()).unwrap_or(i64::MAX),
        bytes: checked.bytes,
        duration_seconds: None,
    })
}

fn check_video(bytes: Vec<u8>, max: usize) -> Result<CheckedFile, ErrorKey> {
    if bytes.len() > max {
        return Err("error-media-too-large");
    }
    let (content_type, extension) = match infer::get(&bytes).map(|t| t.mime_type()) {
        Some("video/mp4") => ("video/mp4", "mp4"),
        Some("video/webm") => ("video/webm", "webm"),
        _ => return Err("error-media-video-type"),
    };
    let seconds = if extension == "mp4" {
        mp4_duration(&bytes)
    } else {
        webm_duration(&bytes)
    };
    let duration_seconds = seconds
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| s.ceil() as i32);
    Ok(CheckedFile {
        content_type,
        extension,
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        bytes,
        duration_seconds,
    })
}

fn mp4_duration(bytes: &[u8]) -> Option<f64> {
    let size = u64::try_from(bytes.len()).ok()?;
    let reader = mp4::Mp4Reader::read_header(Cursor::new(bytes), size).ok()?;
    Some(reader.duration().as_secs_f64())
}

fn webm_duration(bytes: &[u8]) -> Option<f64> {
    let file = matroska_demuxer::MatroskaFile::open(Cursor::new(bytes)).ok()?;
    let info = file.info();
    let ticks = info.duration()?;
    Some(ticks * info.timestamp_scale().get() as f64 / 1e9)
}

/// Where a stored file goes and what it replaces.
pub struct Attached {
    /// The file it replaced, to delete from storage once committed.
    pub replaced: Option<String>,
}

/// Records a stored file as the mission's `role`. A video, and its duration, change only
/// in a draft (they decide when the mission completes); covers and examples any time.
#[allow(clippy::too_many_arguments)]
pub fn attach(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: MissionId,
    role: MediaRole,
    storage_key: &str,
    file: &CheckedFile,
    entered_seconds: Option<i32>,
) -> Result<Attached, MissionError> {
    conn.transaction(|conn| {
        let mission = missions_db::find_for_update(conn, tenant, id)?;
        let kind = MissionKind::parse(&mission.kind).ok_or(MissionError::NotFound)?;
        if !kind.media_roles().contains(&role) {
            return Err(MissionError::NotFound);
        }
        if role == MediaRole::Video && mission.status != MissionStatus::Draft.as_str() {
            return Err(MissionError::Refused("error-mission-video-locked"));
        }
        let size = file.size;
        let replaced = rows::replace_media(
            conn,
            tenant,
            id,
            role.as_str(),
            storage_key,
            file.content_type,
            size,
        )?;
        if role == MediaRole::Video {
            let seconds = entered_seconds.or(file.duration_seconds);
            if seconds.is_none() {
                return Err(MissionError::field("duration", "error-media-duration"));
            }
            rows::put_video_duration(conn, tenant, id, seconds)?;
        }
        let change = Change::new("mission.media", "mission", Some(id.into())).after(&json!({
            "role": role.as_str(), "content_type": file.content_type, "size": size,
            "duration_seconds": file.duration_seconds,
        }));
        audit::record(conn, tenant, actor, change)?;
        Ok(Attached { replaced })
    })
}

/// A file, if this user may fetch it: the tenant's marketers and admins, or a
/// participant who may see its mission. Anything else is not found.
pub fn for_viewer(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MediaId,
    now: DateTime<Utc>,
) -> Result<Media, MissionError> {
    let media = rows::find_media(conn, tenant, id)?;
    if user.tenant_id != tenant {
        return Err(MissionError::NotFound);
    }
    if !user.role().includes(Role::Marketer) {
        visible(conn, tenant, user, media.mission_id, now)?;
    }
    Ok(media)
}

/// The mission's files by role, for its pages.
pub fn by_role(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
) -> Result<std::collections::BTreeMap<String, MediaId>, MissionError> {
    Ok(rows::media_of(conn, tenant, id)?
        .into_iter()
        .map(|m| (m.role, m.id))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn videos_are_judged_by_content() {
        let text = b"not a video at all, just words".to_vec();
        assert_eq!(
            check(MediaRole::Video, text, 100, 100).unwrap_err(),
            "error-media-video-type"
        );
        assert_eq!(
            check(MediaRole::Video, vec![], 100, 100).unwrap_err(),
            "error-media-missing"
        );
        assert_eq!(
            check(MediaRole::Cover, vec![1; 200], 100, 100).unwrap_err(),
            "error-media-too-large"
        );
    }

    #[test]
    fn the_demo_video_states_its_duration() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/services/demo_data/display-training.webm"
        ))
        .unwrap();
        let checked = check(MediaRole::Video, bytes, 1, 10 * 1024 * 1024).unwrap();
        assert_eq!(checked.content_type, "video/webm");
        assert_eq!(checked.duration_seconds, Some(6));
        let mp4 = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/two-seconds.mp4"
        ))
        .unwrap();
        let checked = check(MediaRole::Video, mp4, 1, 1024 * 1024).unwrap();
        assert_eq!(checked.content_type, "video/mp4");
        assert_eq!(checked.duration_seconds, Some(2));
    }
}
