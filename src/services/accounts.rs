//! Accounts: creating users, logging in with rate limiting, enabling and disabling.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::{is_unique_violation, passwords, FieldErrors, ServiceError};
use crate::db::users::{self, NewUser, User, UserChange};
use crate::db::{login_attempts, login_throttle};
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
        tenant_id: tenant,
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

/// Who is trying to log in, and from where.
pub struct LoginRequest<'a> {
    pub email: &'a str,
    pub ip: &'a str,
    /// A browser that signed in to this account before (OWASP "device cookie"): it is
    /// limited on its own, so that strangers failing on the account cannot lock it out.
    pub trusted_device: Option<&'a str>,
}

/// A login whose attempt has been counted, waiting for its password check (done outside
/// the database connection: hashing is slow).
pub struct PendingLogin {
    tenant: TenantId,
    email: String,
    ip: String,
    user: Option<User>,
    /// The stored hash, or a dummy one so that unknown emails take as long.
    pub hash: String,
    account_key: String,
    ip_key: Option<String>,
}

/// Counts the attempt against the account (or the trusted device) and the address,
/// atomically, and refuses it without checking the password when either is over its
/// limit. The address limit spans every tenant.
pub fn begin_login(
    conn: &mut PgConnection,
    tenant: TenantId,
    request: &LoginRequest,
    limits: LoginLimits,
    now: DateTime<Utc>,
) -> Result<PendingLogin, LoginError> {
    let email = request.email.trim().to_lowercase();
    let (account_key, ip_key) = match request.trusted_device {
        Some(device) => (format!("device:{device}"), None),
        None => (
            format!("account:{tenant}:{email}"),
            Some(format!("ip:{}", request.ip)),
        ),
    };
    let mut over = false;
    if let Some(ip_key) = &ip_key {
        over |=
            login_throttle::reserve(conn, ip_key, now, limits.window)? > limits.max_failures_per_ip;
    }
    over |= login_throttle::reserve(conn, &account_key, now, limits.window)?
        > limits.max_failures_per_account;
    if over {
        return Err(LoginError::TooManyAttempts);
    }
    let user = users::find_by_email(conn, tenant, &email)?;
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| passwords::dummy_hash().to_string());
    Ok(PendingLogin {
        tenant,
        email,
        ip: request.ip.to_string(),
        user,
        hash,
        account_key,
        ip_key,
    })
}

/// Settles a counted attempt once its password was checked: records it, and on success
/// gives back the attempt's slots and forgets the account's failures.
pub fn finish_login(
    conn: &mut PgConnection,
    pending: PendingLogin,
    password_ok: bool,
    now: DateTime<Utc>,
) -> Result<User, LoginError> {
    let accepted = match pending.user {
        Some(u) if password_ok && u.password_hash.is_some() && !u.disabled => Some(u),
        _ => None,
    };
    conn.transaction(|conn| {
        login_attempts::record(
            conn,
            pending.tenant,
            &pending.email,
            &pending.ip,
            accepted.is_some(),
            now,
        )?;
        if accepted.is_some() {
            login_throttle::clear(conn, &pending.account_key)?;
            if let Some(ip_key) = &pending.ip_key {
                login_throttle::release(conn, ip_key)?;
            }
        }
        Ok::<_, diesel::result::Error>(())
    })?;
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
    if disabled && actor.id == Some(id) {
        // Locking oneself out of the back office is never what an admin meant.
        return Err(ServiceError::field("disabled", "users-cannot-disable-self"));
    }
    conn.transaction(|conn| {
        let before = users::find(conn, tenant, id)?;
        let change = UserChange {
            disabled: Some(disabled),
            ..UserChange::ending_sessions(Utc::now())
        };
        let after = users::update(conn, tenant, id, &change)?;
        if before.disabled != disabled {
            let action = if disabled {
                "user.disabled"
            } else {
                "user.enabled"
            };
            let change = audit::Change::new(action, "user", Some(id.into()))
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
    if actor.id == Some(id) {
        // An admin demoting themselves could leave the programme without an admin.
        return Err(ServiceError::field("role", "users-cannot-change-own-role"));
    }
    conn.transaction(|conn| {
        let before = users::find(conn, tenant, id)?;
        if before.role() == role {
            return Ok(before);
        }
        let change = UserChange {
            role: Some(role.as_str()),
            // Only participants belong to a partner (and earn points from its sales).
            partner_id: (role != Role::Participant).then_some(None),
            ..UserChange::ending_sessions(Utc::now())
        };
        let after = users::update(conn, tenant, id, &change)?;
        let change = audit::Change::new("user.role_changed", "user", Some(id.into()))
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
        let change = UserChange {
            password_hash: Some(&hash),
            ..UserChange::ending_sessions(Utc::now())
        };
        users::update(conn, tenant, id, &change)?;
        Ok(())
    })
}

/// Forgets expired sessions and login counters whose window ended. Idempotent: any
/// worker may run it at any time.
pub fn housekeeping(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    login_window: Duration,
) -> Result<(usize, usize), ServiceError> {
    let sessions = crate::db::sessions::delete_expired(conn, now)?;
    let counters = login_throttle::delete_stale(conn, now, login_window)?;
    super::once::housekeeping(conn, now)?;
    Ok((sessions, counters))
}

/// A page of the tenant's users, searched by name or e-mail.
pub fn search_users(
    conn: &mut PgConnection,
    tenant: TenantId,
    search: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<(Vec<User>, i64), ServiceError> {
    let offset = super::page_offset(page, per_page);
    Ok(users::search(conn, tenant, search, offset, per_page)?)
}

/// One user of the tenant (another tenant's is not found).
pub fn find_user(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UserId,
) -> Result<User, ServiceError> {
    Ok(users::find(conn, tenant, id)?)
}

/// The language a user reads, kept for every page and e-mail.
pub fn set_locale(
    conn: &mut PgConnection,
    user: &User,
    locale: Locale,
) -> Result<(), ServiceError> {
    let change = UserChange {
        locale: Some(locale.as_str()),
        ..UserChange::default()
    };
    users::update(conn, user.tenant(), user.user_id(), &change)?;
    Ok(())
}
