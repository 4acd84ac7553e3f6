//! One-time form tokens: a form that creates something carries a random token, and its
//! use case claims it first thing in its transaction. A second submission of the same
//! form (a double click, a retried request, the same page in two tabs) waits for the
//! first to commit, finds the token claimed and gets the first one's record instead of
//! making another. A submission refused by validation rolls back, token included, so
//! the corrected form can be sent again with it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::form_submissions as rows;
use crate::domain::TenantId;

/// `I` is the id type of what the form creates (the column holds any kind of id).
pub enum Claim<I> {
    /// This submission is the first: go ahead, then `settle` with what was created.
    First,
    /// The form was sent before; this is what it created (if that was recorded).
    Repeat(Option<I>),
}

/// A token as forms send it: 16 to 64 letters and digits; anything else (or none: API
/// calls, scripts) goes without the protection.
fn usable(token: &str) -> bool {
    (16..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric())
}

pub fn claim<I: From<i64>>(
    conn: &mut PgConnection,
    tenant: TenantId,
    token: &str,
    now: DateTime<Utc>,
) -> QueryResult<Claim<I>> {
    if !usable(token) || rows::claim(conn, tenant, token, now)? {
        return Ok(Claim::First);
    }
    Ok(Claim::Repeat(
        rows::subject(conn, tenant, token)?.map(I::from),
    ))
}

pub fn settle(
    conn: &mut PgConnection,
    tenant: TenantId,
    token: &str,
    subject_id: impl Into<i64>,
) -> QueryResult<()> {
    if usable(token) {
        rows::settle(conn, tenant, token, subject_id.into())?;
    }
    Ok(())
}

/// A new token for a form.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// Forgets tokens older than two days (a form left open longer gets no protection
/// against a double submit, nothing worse).
pub fn housekeeping(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    rows::delete_before(conn, now - chrono::Duration::days(2))
}
