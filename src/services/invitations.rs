//! Invitations and password resets: single-use, expiring links sent by email.

use diesel::prelude::*;

use super::audit::Actor;
use super::ServiceError;
use crate::domain::{TenantId, UserId};

/// Issues a fresh invitation link to an existing user who has no password yet (or who
/// needs a new link) and queues the invitation email, in the caller's transaction.
/// Older links of the user stop working.
pub fn issue_invitation(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    actor: &Actor,
) -> Result<(), ServiceError> {
    // Filled in by the email/invitation work: token row + outbox email + audit.
    let _ = (conn, tenant, user, actor);
    Ok(())
}
