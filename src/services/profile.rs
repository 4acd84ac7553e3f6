//! A signed-in user's own profile: name, phone, language, delivery address, password.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::audit::{self, Actor, Change};
use super::{passwords, FieldErrors, ServiceError};
use crate::db::gdpr;
use crate::db::rewards::orders as order_rows;
use crate::db::users::{self, User, UserChange};
use crate::domain::profile::{parse_name, parse_phone};
use crate::domain::rewards::AddressInput;
use crate::domain::values::validate_new_password;
use crate::domain::{Locale, TenantId, UserId};

/// What the profile page shows.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub display_name: String,
    pub email: String,
    pub phone: String,
    pub locale: String,
    pub address: AddressInput,
    pub has_address: bool,
}

pub fn view(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    default_locale: Locale,
) -> Result<ProfileView, ServiceError> {
    conn.transaction(|conn| {
        let u = users::find(conn, tenant, user)?;
        let extra = gdpr::extra(conn, tenant, user)?;
        let stored = order_rows::address_of(conn, tenant, user)?;
        let address: Option<AddressInput> = stored.and_then(|v| serde_json::from_value(v).ok());
        Ok(ProfileView {
            locale: u.locale().unwrap_or(default_locale).as_str().to_string(),
            display_name: u.display_name,
            email: u.email,
            phone: extra.phone.unwrap_or_default(),
            has_address: address.is_some(),
            address: address.unwrap_or_default(),
        })
    })
}

/// The details form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DetailsInput {
    pub display_name: String,
    pub phone: String,
    pub locale: String,
}

/// Saves name, phone and language; the language chosen.
pub fn save_details(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    input: &DetailsInput,
    now: DateTime<Utc>,
) -> Result<Locale, ServiceError> {
    let mut errors = FieldErrors::new();
    let name = parse_name(&input.display_name).map_err(|e| errors.insert("display_name", e));
    let phone = parse_phone(&input.phone).map_err(|e| errors.insert("phone", e));
    let locale = Locale::parse(&input.locale).ok_or_else(|| {
        errors.insert("locale", "error-locale-invalid");
    });
    let (Ok(name), Ok(phone), Ok(locale)) = (name, phone, locale) else {
        return Err(ServiceError::Invalid(errors));
    };
    conn.transaction(|conn| {
        gdpr::set_details(
            conn,
            tenant,
            user,
            (&name, phone.as_deref(), locale.as_str()),
            now,
        )?;
        Ok(locale)
    })
}

/// Saves the delivery address reward orders start from (checked as orders check it).
pub fn save_address(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    input: &AddressInput,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let address = input
        .check()
        .map_err(|problems| ServiceError::Invalid(problems.into_iter().collect()))?;
    let value = serde_json::to_value(&address).map_err(anyhow::Error::from)?;
    conn.transaction(|conn| {
        Ok(order_rows::remember_address(
            conn, tenant, user, &value, now,
        )?)
    })
}

/// The password form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PasswordInput {
    pub current_password: String,
    pub password: String,
    pub confirmation: String,
}

/// What is wrong with the new password, before the current one is checked (slow).
pub fn check_new_password(input: &PasswordInput) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if input.current_password.is_empty() {
        errors.insert("current_password", "error-required");
    }
    if let Err(e) = validate_new_password(&input.password) {
        errors.insert("password", e);
    } else if input.password != input.confirmation {
        errors.insert("confirmation", "account-password-mismatch");
    }
    errors
}

/// Sets the new password of `user` (whose current password the caller verified against
/// `verified_hash`), ending every session opened before `now`; audited. Refused if the
/// password changed meanwhile (another tab): the current password is asked again.
pub fn change_password(
    conn: &mut PgConnection,
    user: &User,
    verified_hash: &str,
    input: &PasswordInput,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let errors = check_new_password(input);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let (tenant, id) = (user.tenant(), user.user_id());
    conn.transaction(|conn| {
        let stored: Option<String> = crate::db::schema::users::table
            .find((tenant, id))
            .select(crate::db::schema::users::password_hash)
            .for_update()
            .first(conn)?;
        if stored.as_deref() != Some(verified_hash) {
            return Err(ServiceError::field(
                "current_password",
                "profile-password-wrong",
            ));
        }
        let hashed = passwords::hash(&input.password)?;
        let change = UserChange {
            password_hash: Some(&hashed),
            ..UserChange::ending_sessions(now)
        };
        users::update(conn, tenant, id, &change)?;
        audit::record(
            conn,
            tenant,
            &Actor::user(user),
            Change::new("user.password_changed", "user", Some(id.into())),
        )?;
        Ok(())
    })
}
