//! Invitations and password resets: single-use links that expire, sent by e-mail.
//! Only a hash of each token is stored; a new link revokes the older ones.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::accounts::{self, NewAccount};
use super::audit::{self, Actor, Change};
use super::email::{self, EmailMessage};
use super::once::{self, Claim};
use super::{passwords, FieldErrors, ServiceError};
use crate::db::auth_tokens;
use crate::db::partners;
use crate::db::tenants;
use crate::db::users::{self, User, UserChange};
use crate::db::Lock;
use crate::domain::values::validate_new_password;
use crate::domain::{Locale, PartnerId, Role, TenantId, UserId};

pub const INVITATION: &str = "invitation";
pub const PASSWORD_RESET: &str = "password_reset";

/// How long a password reset link works (invitations: a tenant setting, 72 h by default).
const RESET_LIFETIME_HOURS: i64 = 2;

/// At most this many reset e-mails per account and hour.
const RESETS_PER_HOUR: i64 = 3;

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// Creates a link for `user`, revoking their open links of the same purpose, and queues
/// the e-mail carrying it, all in the caller's transaction.
fn issue(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    purpose: &str,
    lifetime: Duration,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let token = new_token();
    auth_tokens::revoke_open(conn, tenant, user.user_id(), purpose, now)?;
    auth_tokens::insert(
        conn,
        tenant,
        user.user_id(),
        purpose,
        &hash(&token),
        now + lifetime,
    )?;
    let t = tenants::find(conn, tenant)?;
    let (path, template) = match purpose {
        INVITATION => (format!("/account/invitation/{token}"), "invitation"),
        _ => (format!("/account/reset/{token}"), "password_reset"),
    };
    let message = EmailMessage {
        to: user.email.clone(),
        to_name: user.display_name.clone(),
        locale: user.locale().unwrap_or_else(|| t.locale()),
        template: template.to_string(),
        link_path: Some(path),
        args: serde_json::json!({ "hours": lifetime.num_hours() }),
    };
    email::queue(conn, tenant, &message)?;
    Ok(())
}

/// Sends `user` a fresh invitation link (older links stop working). Runs in the caller's
/// transaction: imports call it for each new participant.
pub fn issue_invitation(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let user = users::find(conn, tenant, user)?;
    let lifetime = Duration::hours(tenants::invitation_ttl_hours(conn, tenant)?.into());
    issue(conn, tenant, &user, INVITATION, lifetime, Utc::now())?;
    let change =
        Change::new("user.invited", "user", Some(user.id.into())).after(&serde_json::json!({
            "email": user.email, "role": user.role,
        }));
    audit::record(conn, tenant, actor, change)?;
    Ok(())
}

pub struct InviteInput<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub locale: Option<Locale>,
    /// The external code of the partner a participant belongs to (required for them).
    pub partner_code: Option<&'a str>,
    /// The form's one-time token (`services::once`): sent twice, it invites once.
    pub form_token: &'a str,
}

/// An admin invites someone: the account is created without a password and the
/// invitation e-mail is queued in the same transaction.
pub fn invite_user(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &InviteInput,
) -> Result<User, ServiceError> {
    conn.transaction(|conn| {
        if let Claim::Repeat(first) = once::claim(conn, tenant, input.form_token, Utc::now())? {
            let id = first.ok_or(ServiceError::NotFound)?;
            return Ok(users::find(conn, tenant, UserId(id))?);
        }
        // Check everything before answering, so that every field shows its error.
        let partner = partner_of(conn, tenant, input);
        let account = NewAccount {
            email: input.email,
            display_name: input.display_name,
            role: input.role,
            password: None,
            locale: input.locale,
        };
        let created = accounts::create_user(conn, tenant, &account);
        let (partner, mut user) = match (partner, created) {
            (Ok(partner), Ok(user)) => (partner, user),
            (Err(ServiceError::Invalid(mut a)), Err(ServiceError::Invalid(b))) => {
                a.extend(b);
                return Err(ServiceError::Invalid(a));
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        if partner.is_some() {
            let change = UserChange {
                partner_id: Some(partner),
                ..UserChange::default()
            };
            user = users::update(conn, tenant, user.user_id(), &change)?;
        }
        issue_invitation(conn, tenant, user.user_id(), actor)?;
        once::settle(conn, tenant, input.form_token, user.id)?;
        Ok(user)
    })
}

/// The partner of an invited participant: required, existing and active.
fn partner_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    input: &InviteInput,
) -> Result<Option<PartnerId>, ServiceError> {
    if input.role != Role::Participant {
        return Ok(None);
    }
    let code = input.partner_code.unwrap_or_default().trim().to_uppercase();
    if code.is_empty() {
        return Err(ServiceError::field(
            "partner_code",
            "error-partner-required",
        ));
    }
    match partners::by_codes(conn, tenant, &[code.as_str()])?.remove(&code) {
        Some(p) if p.active => Ok(Some(p.id)),
        _ => Err(ServiceError::field("partner_code", "error-partner-unknown")),
    }
}

/// Re-sends an invitation (the previous link stops working).
pub fn reinvite(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    user: UserId,
) -> Result<(), ServiceError> {
    conn.transaction(|conn| issue_invitation(conn, tenant, user, actor))
}

/// "Forgot password": queues a reset link if the account exists, is enabled and has not
/// asked too often. Says nothing either way: the caller shows the same page regardless.
pub fn request_password_reset(
    conn: &mut PgConnection,
    tenant: TenantId,
    email_input: &str,
) -> Result<(), ServiceError> {
    let email = email_input.trim().to_lowercase();
    let now = Utc::now();
    conn.transaction(|conn| {
        let Some(user) = users::find_by_email(conn, tenant, &email)? else {
            return Ok(());
        };
        if user.disabled {
            return Ok(());
        }
        let recent = auth_tokens::count_since(
            conn,
            tenant,
            user.user_id(),
            PASSWORD_RESET,
            now - Duration::hours(1),
        )?;
        if recent >= RESETS_PER_HOUR {
            tracing::warn!(user_id = %user.id, "password reset rate limit reached");
            return Ok(());
        }
        issue(
            conn,
            tenant,
            &user,
            PASSWORD_RESET,
            Duration::hours(RESET_LIFETIME_HOURS),
            now,
        )
    })
}

/// Why a link does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    Unknown,
    Expired,
    Used,
}

impl LinkProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            LinkProblem::Unknown => "account-link-unknown",
            LinkProblem::Expired => "account-link-expired",
            LinkProblem::Used => "account-link-used",
        }
    }
}

fn check(
    token: Option<&auth_tokens::AuthToken>,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<(), LinkProblem> {
    match token {
        None => Err(LinkProblem::Unknown),
        Some(t) if t.purpose != purpose => Err(LinkProblem::Unknown),
        Some(t) if t.used_at.is_some() || t.revoked_at.is_some() => Err(LinkProblem::Used),
        Some(t) if t.expires_at <= now => Err(LinkProblem::Expired),
        Some(_) => Ok(()),
    }
}

/// The user a link is for, if the link still works.
pub fn check_link(
    conn: &mut PgConnection,
    tenant: TenantId,
    purpose: &str,
    token: &str,
) -> Result<Result<User, LinkProblem>, ServiceError> {
    let found = auth_tokens::find_by_hash(conn, tenant, &hash(token), Lock::Unlocked)?;
    if let Err(problem) = check(found.as_ref(), purpose, Utc::now()) {
        return Ok(Err(problem));
    }
    let user = found
        .map(|t| users::find(conn, tenant, t.user_id))
        .transpose()?;
    Ok(user.ok_or(LinkProblem::Unknown))
}

#[derive(Debug)]
pub enum UseLinkError {
    Link(LinkProblem),
    Invalid(FieldErrors),
    Failed(ServiceError),
}

impl<E: Into<ServiceError>> From<E> for UseLinkError {
    fn from(e: E) -> Self {
        UseLinkError::Failed(e.into())
    }
}

/// Sets the password through a link, once: the token row is locked, so two
/// submissions of the same link cannot both succeed.
pub fn set_password_with_link(
    conn: &mut PgConnection,
    tenant: TenantId,
    purpose: &str,
    token: &str,
    password: &str,
    confirmation: &str,
) -> Result<User, UseLinkError> {
    let mut errors = FieldErrors::new();
    if let Err(e) = validate_new_password(password) {
        errors.insert("password", e);
    } else if password != confirmation {
        errors.insert("confirmation", "account-password-mismatch");
    }
    let now = Utc::now();
    conn.transaction(|conn| {
        let found = auth_tokens::find_by_hash(conn, tenant, &hash(token), Lock::ForUpdate)?;
        check(found.as_ref(), purpose, now).map_err(UseLinkError::Link)?;
        if !errors.is_empty() {
            return Err(UseLinkError::Invalid(errors));
        }
        let Some(found) = found else {
            return Err(UseLinkError::Link(LinkProblem::Unknown));
        };
        let user = users::find(conn, tenant, found.user_id)?;
        let hashed = passwords::hash(password).map_err(ServiceError::from)?;
        let change = UserChange {
            password_hash: Some(&hashed),
            ..UserChange::ending_sessions(now)
        };
        users::update(conn, tenant, user.user_id(), &change)?;
        auth_tokens::mark_used(conn, tenant, found.id, now)?;
        let actor = Actor::user(&user);
        audit::record(
            conn,
            tenant,
            &actor,
            Change::new("user.password_set", "user", Some(user.id.into())),
        )?;
        Ok(user)
    })
}
