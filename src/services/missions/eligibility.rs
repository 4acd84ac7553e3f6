//! Who may see a mission: the participants of the partners in any of its segments, or
//! every participant when it names none.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;

use super::MissionError;
use crate::db::missions as rows;
use crate::db::users::User;
use crate::domain::{MissionId, PartnerId, Role, SegmentId, TenantId};
use crate::services::segments;

/// Whether this user may see and do the mission (a participant, enabled, of a partner
/// in one of its segments when it has any).
pub fn is_eligible(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    user: &User,
) -> Result<bool, MissionError> {
    if user.tenant_id != tenant || user.role() != Role::Participant || user.disabled {
        return Ok(false);
    }
    let wanted = rows::segments_of(conn, tenant, mission)?;
    if wanted.is_empty() {
        return Ok(true);
    }
    let Some(partner) = user.partner_id else {
        return Ok(false);
    };
    for segment in wanted {
        if segments::contains(conn, tenant, segment, partner)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The segments that hold a partner, among `wanted` (each checked once).
pub fn segments_holding(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner: Option<PartnerId>,
    wanted: &BTreeSet<SegmentId>,
) -> Result<BTreeSet<SegmentId>, MissionError> {
    let mut out = BTreeSet::new();
    if let Some(partner) = partner {
        for segment in wanted {
            if segments::contains(conn, tenant, *segment, partner)? {
                out.insert(*segment);
            }
        }
    }
    Ok(out)
}

/// Each mission's segments.
pub fn segments_by_mission(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> Result<BTreeMap<MissionId, BTreeSet<SegmentId>>, MissionError> {
    let mut out: BTreeMap<MissionId, BTreeSet<SegmentId>> = BTreeMap::new();
    for (mission, segment) in rows::all_segments(conn, tenant)? {
        out.entry(mission).or_default().insert(segment);
    }
    Ok(out)
}
