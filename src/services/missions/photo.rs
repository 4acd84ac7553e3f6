//! Photo missions: a participant sends the photos asked for (checked like declaration
//! proofs: by content, with a thumbnail), an admin approves or rejects the submission
//! with a reason, and approval completes the mission (points earned once). The
//! participant is e-mailed the decision in their language.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::play::{complete, kind_of, next_of, periods, visible};
use super::MissionError;
use crate::db::missions::media::{self as media_rows, NewPhoto, ReviewFilter, ReviewRow};
use crate::db::missions::{self as rows, Attempt};
use crate::db::users::{self as users_db, User};
use crate::db::{partners as partners_db, tenants};
use crate::domain::missions::{is_open, MissionKind, MAX_PHOTOS};
use crate::domain::{AttemptId, MediaId, MissionId, Role, TenantId, Zone};
use crate::services::audit::{self, Actor, Change};
use crate::services::catalog::Listing;
use crate::services::declarations::proofs::{self, CheckedProof, ProofUpload};
use crate::services::email::{self, EmailMessage};
use crate::services::once::{self, Claim};
use crate::services::FieldErrors;

pub const APPROVED: &str = "mission_photo_approved";
pub const REJECTED: &str = "mission_photo_rejected";

/// One submission as its participant (or a reviewer) sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Submission {
    pub attempt_id: AttemptId,
    pub submitted_at: Option<DateTime<Utc>>,
    /// `pending`, `approved` or `rejected`.
    pub status: &'static str,
    pub reason: Option<String>,
    pub photos: Vec<i16>,
}

/// The photo part of a mission's page.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoState {
    pub instructions: String,
    pub photos_required: i16,
    pub max_photos: i16,
    pub products: Vec<String>,
    pub submissions: Vec<Submission>,
    /// A completion is possible and no submission awaits review.
    pub can_submit: bool,
}

pub(super) fn status_of(a: &Attempt) -> &'static str {
    match a.passed {
        None => "pending",
        Some(true) => "approved",
        Some(false) => "rejected",
    }
}

fn submissions(
    conn: &mut PgConnection,
    tenant: TenantId,
    attempts: &[&Attempt],
) -> Result<Vec<Submission>, MissionError> {
    let ids: Vec<AttemptId> = attempts.iter().map(|a| a.id).collect();
    let counts = media_rows::photo_counts(conn, tenant, &ids)?;
    Ok(attempts
        .iter()
        .map(|a| {
            let n = counts
                .iter()
                .find(|(id, _)| *id == a.id)
                .map_or(0, |(_, n)| *n);
            Submission {
                attempt_id: a.id,
                submitted_at: a.submitted_at,
                status: status_of(a),
                reason: a.review_reason.clone(),
                photos: (1..=i16::try_from(n).unwrap_or(0)).collect(),
            }
        })
        .collect())
}

pub(super) fn state(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
    attempts: &[Attempt],
    can_complete: bool,
) -> Result<PhotoState, MissionError> {
    let rules = media_rows::photo_rules(conn, tenant, id)?.ok_or(MissionError::NotFound)?;
    let sent: Vec<&Attempt> = attempts
        .iter()
        .rev()
        .filter(|a| a.submitted_at.is_some())
        .collect();
    let pending = sent.iter().any(|a| a.passed.is_none());
    let wanted: Vec<_> = rules.product_ids.iter().flatten().copied().collect();
    let products = crate::db::products::choices(conn, tenant)?
        .into_iter()
        .filter(|(id, _)| wanted.contains(id))
        .map(|(_, name)| name)
        .collect();
    Ok(PhotoState {
        instructions: rules.instructions,
        photos_required: rules.photos_required,
        max_photos: MAX_PHOTOS,
        products,
        submissions: submissions(conn, tenant, &sent)?,
        can_submit: can_complete && !pending,
    })
}

/// Checks the photos of a submission: as many as the mission asks for (at most five),
/// images only (judged by content, decodable).
fn check_photos(
    uploads: Vec<ProofUpload>,
    required: i16,
) -> Result<Vec<CheckedProof>, MissionError> {
    let refuse = |key| MissionError::Invalid(FieldErrors::from([("photos", key)]));
    let count = uploads.len();
    if count == 0 {
        return Err(refuse("error-photos-none"));
    }
    if count > usize::try_from(MAX_PHOTOS).unwrap_or(5) {
        return Err(refuse("error-photos-too-many"));
    }
    if count < usize::try_from(required).unwrap_or(1) {
        return Err(refuse("error-photos-too-few"));
    }
    let checked = proofs::check(uploads).map_err(refuse)?;
    if checked.iter().any(|p| p.thumbnail.is_none()) {
        return Err(refuse("error-media-image-type"));
    }
    Ok(checked)
}

/// Sends the photos of a photo mission for review. Refused when the mission is closed,
/// completed as often as allowed, or a submission already awaits review; the same form
/// sent twice makes one submission.
#[allow(clippy::too_many_arguments)]
pub fn submit_photos(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    id: MissionId,
    form_token: &str,
    uploads: Vec<ProofUpload>,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<AttemptId, MissionError> {
    let required = {
        let mission = visible(conn, tenant, user, id, now)?;
        if kind_of(&mission)? != MissionKind::Photo {
            return Err(MissionError::NotFound);
        }
        media_rows::photo_rules(conn, tenant, id)?
            .ok_or(MissionError::NotFound)?
            .photos_required
    };
    // Decoding photos takes a while: before the transaction, not inside it.
    let photos = check_photos(uploads, required)?;
    conn.transaction(|conn| {
        if let Claim::Repeat(Some(first)) = once::claim::<AttemptId>(conn, tenant, form_token, now)?
        {
            return Ok(first);
        }
        let mission = visible(conn, tenant, user, id, now)?;
        rows::lock_participant(conn, tenant, id, user.id)?;
        if !is_open(mission.starts_at, mission.ends_at, now) {
            return Err(MissionError::Refused("error-mission-closed"));
        }
        let completed = periods(conn, tenant, id, user)?;
        let period = next_of(&mission, &completed, now, zone)
            .ok_or(MissionError::Refused("error-mission-already-done"))?;
        let attempts = rows::attempts_of(conn, tenant, id, user.id)?;
        if attempts
            .iter()
            .any(|a| a.submitted_at.is_some() && a.passed.is_none())
        {
            return Err(MissionError::Refused("error-photo-pending"));
        }
        let attempt = rows::insert_attempt(conn, tenant, id, user.id, &period, 0, now)?;
        media_rows::submit_for_review(conn, tenant, attempt.id, now)?;
        let rows_: Vec<NewPhoto> = photos
            .iter()
            .zip(1i16..)
            .map(|(p, n)| NewPhoto {
                tenant_id: tenant,
                attempt_id: attempt.id,
                n,
                content_type: p.content_type,
                file_name: &p.file_name,
                size: i32::try_from(p.bytes.len()).unwrap_or(i32::MAX),
                bytes: &p.bytes,
                thumbnail: p.thumbnail.as_deref(),
            })
            .collect();
        media_rows::insert_photos(conn, &rows_)?;
        once::settle(conn, tenant, form_token, attempt.id)?;
        Ok(attempt.id)
    })
}

/// A submitted photo (or its thumbnail), to the participant who sent it and to the
/// tenant's admins.
pub fn photo(
    conn: &mut PgConnection,
    tenant: TenantId,
    viewer: &User,
    attempt: AttemptId,
    n: i16,
    thumbnail: bool,
) -> Result<(Vec<u8>, String), MissionError> {
    let a = media_rows::find_attempt(conn, tenant, attempt)?;
    if a.participant_id != viewer.id && !viewer.role().includes(Role::Admin) {
        return Err(MissionError::NotFound);
    }
    media_rows::photo_bytes(conn, tenant, attempt, n, thumbnail)?.ok_or(MissionError::NotFound)
}

/// A reviewer's decision on one submission.
#[derive(Debug, Clone)]
pub enum Decision {
    Approve,
    Reject(String),
}

/// Decides a submission awaiting review. Refused when the reviewer sent it, or when it
/// was decided meanwhile; a rejection needs a reason. Approval completes the mission.
pub fn decide(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &User,
    attempt_id: AttemptId,
    decision: &Decision,
    now: DateTime<Utc>,
) -> Result<(), MissionError> {
    let reason = match decision {
        Decision::Approve => None,
        Decision::Reject(text) => {
            let text = crate::domain::network::required_text(text, 1000)
                .map_err(|k| MissionError::field("reason", k))?;
            Some(text)
        }
    };
    conn.transaction(|conn| {
        let attempt = media_rows::find_attempt(conn, tenant, attempt_id)?;
        let mission = rows::find(conn, tenant, attempt.mission_id)?;
        if kind_of(&mission)? != MissionKind::Photo {
            return Err(MissionError::NotFound);
        }
        if attempt.participant_id == reviewer.id {
            return Err(MissionError::Refused("error-review-own"));
        }
        rows::lock_participant(conn, tenant, mission.id, attempt.participant_id)?;
        let approve = reason.is_none();
        let decided = media_rows::decide(
            conn,
            tenant,
            attempt_id,
            approve,
            reason.as_deref(),
            reviewer.id,
            now,
        )?
        .ok_or(MissionError::Refused("error-review-changed"))?;
        if approve {
            complete(conn, tenant, &mission, &decided, now)?;
        }
        let change = Change::new(
            if approve {
                "mission.photo_approved"
            } else {
                "mission.photo_rejected"
            },
            "mission",
            Some(mission.id.into()),
        )
        .after(&json!({ "attempt": attempt_id, "participant": attempt.participant_id, "reason": reason }));
        audit::record(conn, tenant, &Actor::user(reviewer), change)?;
        notify(conn, tenant, &mission, &decided)?;
        Ok(())
    })
}

/// Approves each submission it can, each in its own transaction; returns how many were
/// approved and how many were skipped (decided meanwhile, the reviewer's own…).
pub fn bulk_approve(
    conn: &mut PgConnection,
    tenant: TenantId,
    reviewer: &User,
    ids: &[AttemptId],
    now: DateTime<Utc>,
) -> Result<(usize, usize), MissionError> {
    let mut approved = 0;
    for id in ids {
        match decide(conn, tenant, reviewer, *id, &Decision::Approve, now) {
            Ok(()) => approved += 1,
            Err(MissionError::Refused(_) | MissionError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok((approved, ids.len() - approved))
}

fn notify(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: &crate::db::missions::Mission,
    attempt: &Attempt,
) -> Result<(), MissionError> {
    let participant = users_db::find(conn, tenant, attempt.participant_id)?;
    if participant.disabled {
        return Ok(());
    }
    let t = tenants::find(conn, tenant)?;
    let approved = attempt.passed == Some(true);
    let message = EmailMessage {
        to: participant.email.clone(),
        to_name: participant.display_name.clone(),
        locale: participant.locale().unwrap_or_else(|| t.locale()),
        template: if approved { APPROVED } else { REJECTED }.to_string(),
        link_path: Some(format!("/missions/{}", mission.id)),
        args: json!({
            "title": mission.title,
            "points": if approved { mission.points } else { 0 },
            "reason": attempt.review_reason,
        }),
    };
    email::queue(conn, tenant, &message)?;
    Ok(())
}

/// The review queue's page: submissions with their photo numbers, and what the
/// filters offer.
#[derive(Debug, Serialize)]
pub struct ReviewQueue {
    pub listing: Listing<QueueRow>,
    pub missions: Vec<(MissionId, String)>,
    pub regions: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct QueueRow {
    #[serde(flatten)]
    pub row: ReviewRow,
    pub photos: Vec<i16>,
    pub example: Option<MediaId>,
}

/// Submissions on a page of the review queue (each shows its photos: fewer than the
/// declarations' queue).
pub const PER_PAGE: i64 = 20;

/// A page of the queue (from 1); `None` when the partner code given is not the tenant's.
pub fn review_queue(
    conn: &mut PgConnection,
    tenant: TenantId,
    (filter, partner_code): (&ReviewFilter, Option<&str>),
    page: i64,
) -> Result<Option<ReviewQueue>, MissionError> {
    let per_page = PER_PAGE;
    let Some(partner) = crate::services::partners::code_filter(conn, tenant, partner_code)? else {
        return Ok(None);
    };
    let filter = ReviewFilter {
        partner,
        ..filter.clone()
    };
    let offset = crate::services::page_offset(page, per_page);
    let (found, total) = media_rows::review_queue(conn, tenant, &filter, per_page, offset)?;
    let ids: Vec<AttemptId> = found.iter().map(|r| r.attempt_id).collect();
    let counts = media_rows::photo_counts(conn, tenant, &ids)?;
    let missions: Vec<(MissionId, String)> = rows::list(conn, tenant)?
        .into_iter()
        .filter(|m| m.kind == MissionKind::Photo.as_str())
        .map(|m| (m.id, m.title))
        .collect();
    let examples = media_rows::examples(conn, tenant)?;
    let rows = found
        .into_iter()
        .map(|row| {
            let n = counts
                .iter()
                .find(|(id, _)| *id == row.attempt_id)
                .map_or(0, |(_, n)| *n);
            QueueRow {
                photos: (1..=i16::try_from(n).unwrap_or(0)).collect(),
                example: examples.get(&row.mission_id).copied(),
                row,
            }
        })
        .collect();
    Ok(Some(ReviewQueue {
        listing: Listing::new(rows, total, page, per_page),
        missions,
        regions: partners_db::regions_and_tiers(conn, tenant)?.0,
    }))
}
