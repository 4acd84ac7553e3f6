//! Watching a video mission. The player starts a watch, then reports the ranges it
//! played; the server marks the seconds seen (`domain::missions::mark_seen`) and counts
//! the video watched once 90 % of it has been seen *and* 90 % of its duration has gone
//! by since the start, so skipping to the end, or forged reports, complete nothing
//! sooner. Watched, the mission completes (its points earned once), or its follow-up
//! quiz opens when it has questions.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::play::{complete, kind_of, next_of, periods, visible};
use super::MissionError;
use crate::db::missions::media::{self as media_rows, Watch};
use crate::db::missions::{self as rows, Mission};
use crate::db::users::User;
use crate::domain::missions::{is_open, is_watched, mark_seen, seconds_seen, MissionKind};
use crate::domain::{MediaId, MissionId, TenantId, Zone};

/// At most this many ranges in one report (a player reports a handful).
pub const MAX_RANGES: usize = 200;

/// The video part of a mission's page.
#[derive(Debug, Clone, Serialize)]
pub struct VideoState {
    pub media: Option<MediaId>,
    pub duration_seconds: i32,
    pub seen_percent: i64,
    /// Watched towards the next completion (or the completion is done).
    pub watched: bool,
    /// The follow-up quiz must be passed after watching.
    pub has_quiz: bool,
}

fn percent(watch: Option<&Watch>, duration: i32) -> i64 {
    let seen = watch.map_or(0, |w| seconds_seen(&w.seen));
    (seen * 100)
        .checked_div(i64::from(duration))
        .unwrap_or(0)
        .min(100)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn state(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    mission: &Mission,
    media: Option<MediaId>,
    period: Option<&str>,
    has_quiz: bool,
    _now: DateTime<Utc>,
) -> Result<VideoState, MissionError> {
    let duration = media_rows::video_duration(conn, tenant, mission.id)?.unwrap_or(0);
    let watch = match period {
        Some(p) => media_rows::watch_of(conn, tenant, mission.id, user.id, p)?,
        None => None,
    };
    Ok(VideoState {
        media,
        duration_seconds: duration,
        seen_percent: if period.is_none() {
            100
        } else {
            percent(watch.as_ref(), duration)
        },
        watched: period.is_none() || watch.is_some_and(|w| w.watched_at.is_some()),
        has_quiz,
    })
}

/// What a report came to, for the player.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub seen_percent: i64,
    pub watched: bool,
    /// The mission completed with this report (no follow-up quiz).
    pub completed: bool,
    pub points_earned: i64,
    /// The follow-up quiz is open now.
    pub quiz_open: bool,
}

/// The mission, locked for this participant, with its duration and the completion a
/// watch counts towards.
fn open_video(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MissionId,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<(Mission, i32, String), MissionError> {
    let mission = visible(conn, tenant, user, id, now)?;
    if kind_of(&mission)? != MissionKind::Video {
        return Err(MissionError::NotFound);
    }
    rows::lock_participant(conn, tenant, id, user.id)?;
    if !is_open(mission.starts_at, mission.ends_at, now) {
        return Err(MissionError::Refused("error-mission-closed"));
    }
    let duration = media_rows::video_duration(conn, tenant, id)?.ok_or(MissionError::NotFound)?;
    let completed = periods(conn, tenant, id, user)?;
    let period = next_of(&mission, &completed, now, zone)
        .ok_or(MissionError::Refused("error-mission-already-done"))?;
    Ok((mission, duration, period))
}

/// Starts watching (the player's first play); a watch already started goes on.
pub fn start_watch(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MissionId,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Progress, MissionError> {
    conn.transaction(|conn| {
        let (_, duration, period) = open_video(conn, tenant, user, id, now, zone)?;
        let watch = match media_rows::watch_of(conn, tenant, id, user.id, &period)? {
            Some(w) => w,
            None => media_rows::insert_watch(conn, tenant, id, user.id, &period, now)?,
        };
        Ok(Progress {
            seen_percent: percent(Some(&watch), duration),
            watched: watch.watched_at.is_some(),
            completed: false,
            points_earned: 0,
            quiz_open: false,
        })
    })
}

/// Records the ranges `[from, to)` (seconds) the player played. Refused, with nothing
/// written, for a watch never started or a range beyond the video.
pub fn report(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MissionId,
    ranges: &[(f64, f64)],
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Progress, MissionError> {
    if ranges.len() > MAX_RANGES {
        return Err(MissionError::Refused("error-video-progress"));
    }
    conn.transaction(|conn| {
        let (mission, duration, period) = open_video(conn, tenant, user, id, now, zone)?;
        let watch = media_rows::watch_of(conn, tenant, id, user.id, &period)?
            .ok_or(MissionError::Refused("error-video-not-started"))?;
        let mut seen = watch.seen.clone();
        for (from, to) in ranges {
            mark_seen(&mut seen, duration, *from, *to).map_err(MissionError::Refused)?;
        }
        let newly =
            watch.watched_at.is_none() && is_watched(&seen, duration, watch.started_at, now);
        let watched_at = watch.watched_at.or(newly.then_some(now));
        let watch = media_rows::update_watch(conn, tenant, watch.id, &seen, watched_at)?;
        let has_quiz = !rows::questions(conn, tenant, id)?.is_empty();
        let mut progress = Progress {
            seen_percent: percent(Some(&watch), duration),
            watched: watched_at.is_some(),
            completed: false,
            points_earned: 0,
            quiz_open: newly && has_quiz,
        };
        if newly && !has_quiz {
            // The watch is the completion's attempt: submitted and passed.
            let attempt = rows::insert_attempt(conn, tenant, id, user.id, &period, 0, now)?;
            let settled = rows::settle_attempt(conn, tenant, attempt.id, None, true, false, now)?;
            complete(conn, tenant, &mission, &settled, now)?;
            progress.completed = true;
            progress.points_earned = mission.points;
        }
        Ok(progress)
    })
}
