//! What a participant receives: their choice of non-essential e-mails (a preferences page
//! and the one-click link of each e-mail), the check made when an e-mail is sent, and the
//! e-mails of events that concern many participants at once (`challenges`, `monthly`).
//!
//! Choices are checked when sending (and left out already when queuing in bulk): an
//! opt-out made after an e-mail was queued still stops it. They are not written to the
//! audit log, which is kept for configuration and admin actions: a participant's choice
//! about their own mailbox is neither, and each opt-out row keeps when it was made and
//! through which channel (the page or an e-mail's link).

pub mod challenges;
pub mod monthly;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::email::EmailMessage;
use super::ServiceError;
use crate::db::opt_outs::{self, NewOptOut};
use crate::db::users::{self, User};
use crate::domain::notifications::{category, Category, Unsubscribe};
use crate::domain::{TenantId, UserId};

/// What the worker does with a queued e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Send it; to a known participant when the e-mail may be turned off (its
    /// unsubscribe link is theirs).
    Send { recipient: Option<UserId> },
    /// Do not send it, for this reason (kept on the job, shown in the e-mail list).
    Skip(String),
}

/// Whether a queued e-mail goes out: essential ones always; the others only to a
/// participant of the tenant at that address who has not turned their category off.
pub fn delivery(
    conn: &mut PgConnection,
    tenant: TenantId,
    message: &EmailMessage,
) -> QueryResult<Delivery> {
    let category = match category(&message.template) {
        Some(c) if c.optional() => c,
        _ => return Ok(Delivery::Send { recipient: None }),
    };
    let address = message.to.trim().to_lowercase();
    let Some(user) = users::find_by_email(conn, tenant, &address)? else {
        return Ok(Delivery::Skip(format!(
            "no account of the programme has the address {address} any more"
        )));
    };
    if opt_outs::is_opted_out(conn, tenant, user.id, category.as_str())? {
        return Ok(Delivery::Skip(format!(
            "the recipient turned off {} e-mails",
            category.as_str()
        )));
    }
    Ok(Delivery::Send {
        recipient: Some(user.id),
    })
}

/// One line of the preferences page.
#[derive(Debug, Clone, Serialize)]
pub struct Preference {
    pub category: Category,
    pub name: &'static str,
    pub label_key: String,
    pub hint_key: String,
    pub on: bool,
}

pub fn preferences(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> Result<Vec<Preference>, ServiceError> {
    let off = opt_outs::of_user(conn, tenant, user)?;
    Ok(Category::optional_ones()
        .map(|c| Preference {
            category: c,
            name: c.as_str(),
            label_key: c.label_key(),
            hint_key: format!("{}-hint", c.label_key()),
            on: !off.iter().any(|o| o == c.as_str()),
        })
        .collect())
}

/// Saves the page: the categories in `wanted` are on, every other optional one off.
pub fn save_preferences(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    wanted: &[Category],
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    conn.transaction(|conn| {
        for c in Category::optional_ones() {
            if wanted.contains(&c) {
                opt_outs::delete(conn, tenant, user, c.as_str())?;
            } else {
                opt_outs::insert(
                    conn,
                    &NewOptOut {
                        tenant_id: tenant,
                        user_id: user,
                        category: c.as_str(),
                        source: "preferences",
                        created_at: now,
                    },
                )?;
            }
        }
        Ok(())
    })
}

/// Why an unsubscribe link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Malformed, or its signature does not match (changed by hand, or not ours).
    Invalid,
    /// Signed by us, for another tenant than the site it was opened on.
    OtherTenant,
    /// Signed by us, for an account that no longer exists.
    UnknownUser,
}

impl LinkRefusal {
    pub fn message_key(self) -> &'static str {
        match self {
            LinkRefusal::Invalid => "notify-link-invalid",
            LinkRefusal::OtherTenant => "notify-link-other-tenant",
            LinkRefusal::UnknownUser => "notify-link-unknown-user",
        }
    }
}

/// The participant and category of an unsubscribe link opened on `tenant`'s site.
pub fn check_link(
    conn: &mut PgConnection,
    tenant: TenantId,
    secret: &[u8],
    token: &str,
) -> Result<Result<(User, Category), LinkRefusal>, ServiceError> {
    let Some(link) = Unsubscribe::verify(secret, token) else {
        return Ok(Err(LinkRefusal::Invalid));
    };
    if link.tenant != tenant {
        return Ok(Err(LinkRefusal::OtherTenant));
    }
    match users::find(conn, tenant, link.user).optional()? {
        Some(user) => Ok(Ok((user, link.category))),
        None => Ok(Err(LinkRefusal::UnknownUser)),
    }
}

/// The one-click unsubscribe: turns the link's category off for its participant.
pub fn unsubscribe(
    conn: &mut PgConnection,
    tenant: TenantId,
    secret: &[u8],
    token: &str,
    now: DateTime<Utc>,
) -> Result<Result<Category, LinkRefusal>, ServiceError> {
    conn.transaction(|conn| {
        let (user, category) = match check_link(conn, tenant, secret, token)? {
            Ok(found) => found,
            Err(refusal) => return Ok(Err(refusal)),
        };
        opt_outs::insert(
            conn,
            &NewOptOut {
                tenant_id: tenant,
                user_id: user.id,
                category: category.as_str(),
                source: "link",
                created_at: now,
            },
        )?;
        Ok(Ok(category))
    })
}

/// What the daily job queued for one tenant.
#[derive(Debug, Default, Clone, Copy)]
pub struct DailyNotices {
    pub challenge_endings: usize,
    pub monthly_summaries: usize,
}

/// The daily job's e-mails for one tenant: challenges ending soon, and the monthly
/// summary in the first days of a month (each at most once per participant).
pub fn daily(
    conn: &mut PgConnection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<DailyNotices, ServiceError> {
    conn.transaction(|conn| {
        let t = crate::db::tenants::find(conn, tenant)?;
        Ok(DailyNotices {
            challenge_endings: challenges::ending_soon(conn, tenant, now)?,
            monthly_summaries: monthly::queue_due(conn, &t, now)?,
        })
    })
}
