//! Accounts: creating users, logging in with rate limiting, enabling and disabling.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::{is_unique_violation, passwords, FieldErrors, ServiceError};
use crate::db::login_attempts;
use crate::db::users::{self, NewUser, User};
use crate::domain::values::validate_new_password;
use crate::domain::{DisplayName, EmailAddress, Locale, Role, TenantId, UserId};

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password: Option<&'a str>,
    pub locale: Option<Locale>,
}

/// Creates a user in a tenant. The email is unique within the tenant, case-insensitively.
pub fn create_user(
    conn: &mut PgConnection,
    tenant: TenantId,
    account: &NewAccount,
) -> Result<User, ServiceError> {
    let mut errors = FieldErrors::new();
    let email = EmailAddress::parse(account.email)
        .map_err(|e| errors.insert("email", e))
        .ok();
    let name = DisplayName::parse(account.display_name)
        .map_err(|e| errors.insert("display_name", e))
        .ok();
    if let Some(pw) = account.password {
        if let Err(e) = validate_new_password(pw) {
            errors.insert("password", e);
        }
    }
    let (Some(email), Some(name)) = (email, name) else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = account.password.map(passwords::hash).transpose()?;
    let new = NewUser {
        tenant_id: tenant.0,
        email: email.as_str(),
        display_name: name.as_str(),
        role: account.role.as_str(),
        password_hash: hash.as_deref(),
        locale: account.locale.map(Locale::as_str),
        partner_id: None,
    };
    conn.transaction(|conn| users::insert(conn, &new))
        .map_err(|e| {
            if is_unique_violation(&e, "users_tenant_email_key") {
                ServiceError::field("email", "error-email-taken")
            } else {
                e.into()
            }
        })
}

#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub max_failures_per_account: i64,
    pub max_failures_per_ip: i64,
    pub window: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Wrong email, wrong password, disabled account or no password set: one message.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("too many attempts")]
    TooManyAttempts,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl From<LoginError> for crate::error::AppError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Db(e) => e.into(),
            other => crate::error::AppError::BadRequest(other.to_string()),
        }
    }
}

/// Checks a login. Too many recent failures for the account or the address refuse it
/// without checking the password. Every checked attempt is recorded.
pub fn login(
    conn: &mut PgConnection,
    tenant: TenantId,
    email_input: &str,
    password: &str,
    ip: &str,
    limits: LoginLimits,
    now: DateTime<Utc>,
) -> Result<User, LoginError> {
    let email = email_input.trim().to_lowercase();
    let since = now - limits.window;
    if login_attempts::recent_failures_for_email(conn, tenant, &email, since)?
        >= limits.max_failures_per_account
        || login_attempts::recent_failures_for_ip(conn, tenant, ip, since)?
            >= limits.max_failures_per_ip
    {
        return Err(LoginError::TooManyAttempts);
    }
    let user = users::find_by_email(conn, tenant, &email)?;
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.as_deref())
        .unwrap_or(passwords::dummy_hash());
    let password_ok = passwords::verify(password, hash);
    let accepted = match user {
        Some(u) if password_ok && u.password_hash.is_some() && !u.disabled => Some(u),
        _ => None,
    };
    login_attempts::record(conn, tenant, &email, ip, accepted.is_some(), now)?;
    accepted.ok_or(LoginError::InvalidCredentials)
}

/// Loads the user a session points at, if it still exists and is enabled.
pub fn session_user(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
) -> Result<Option<User>, ServiceError> {
    let user = users::find(conn, tenant, id).optional()?;
    Ok(user.filter(|u| !u.disabled))
}

pub fn set_disabled(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: UserId,
    disabled: bool,
) -> Result<User, ServiceError> {
    conn.transaction(|conn| {
        let before = users::find(conn, tenant, id)?;
        let after = users::set_disabled(conn, tenant, id, disabled, Utc::now())?;
        if before.disabled != disabled {
            let action = if disabled {
                "user.disabled"
            } else {
                "user.enabled"
            };
            let change = audit::Change::new(action, "user", Some(id.0))
                .before(&serde_json::json!({ "disabled": before.disabled }))
                .after(&serde_json::json!({ "disabled": disabled }));
            audit::record(conn, tenant, actor, change)?;
        }
        Ok(after)
    })
}

/// Changes a user's role (audited). Participants keep their partner; others have none.
pub fn change_role(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: UserId,
    role: Role,
) -> Result<User, ServiceError> {
    conn.transaction(|conn| {
        let before = users::find(conn, tenant, id)?;
        if before.role() == role {
            return Ok(before);
        }
        let after = users::set_role(conn, tenant, id, role, Utc::now())?;
        // Only participants belong to a partner (and earn points from its sales).
        if role != Role::Participant && after.partner_id.is_some() {
            users::set_partner(conn, tenant, id, None)?;
        }
        let change = audit::Change::new("user.role_changed", "user", Some(id.0))
            .before(&serde_json::json!({ "role": before.role }))
            .after(&serde_json::json!({ "role": after.role }));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
}

pub fn set_password(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
    password: &str,
) -> Result<(), ServiceError> {
    validate_new_password(password).map_err(|e| ServiceError::field("password", e))?;
    let hash = passwords::hash(password)?;
    conn.transaction(|conn| {
        Ok(users::set_password_hash(
            conn,
            tenant,
            id,
            &hash,
            Utc::now(),
        )?)
    })
}
