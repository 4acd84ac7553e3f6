//! The GDPR rights: a person downloads what Relais holds about them; an admin
//! anonymises a participant without breaking the ledger.
//!
//! Anonymising keeps the account row (ledger accounts, transactions, declarations and
//! orders point at it) and every number, so `relais ledger verify` still holds and the
//! brand's reports still add up; it erases what names, reaches or locates the person:
//! name and e-mail (replaced by "Anonymised participant #id" and a unique `.invalid`
//! address), phone, password, remembered and ordered delivery addresses, the free text
//! they typed (declaration feedback, mission text answers), sessions, pending sign-in
//! links, login attempts, unsent e-mails (deleted; sent ones keep only the placeholder),
//! their wishlist, and their name and e-mail in the audit log (as the actor's label and
//! as values in entries' before/after). Photos and invoice proofs are kept: they are the
//! evidence for points that stay in the ledger and show products and shelves, not the
//! person. The ledger's own rows are append-only and hold ids and amounts, not names.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::{json, Map, Value};

use super::audit::{self, Actor, Change};
use super::{FieldErrors, ServiceError};
use crate::db::gdpr;
use crate::db::users::{self, User};
use crate::domain::profile::{anonymised_email, anonymised_name};
use crate::domain::{Role, TenantId, UserId};

/// Everything Relais holds about `user`, one section per kind of row, read in one
/// repeatable-read transaction so that the sections agree with each other. Built in
/// memory: a participant's rows are thousands at most (a few megabytes of JSON).
pub fn export(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Value, ServiceError> {
    conn.build_transaction()
        .read_only()
        .repeatable_read()
        .run(|conn| {
            let u = users::find(conn, tenant, user)?;
            let mut doc = Map::new();
            doc.insert("generated_at".into(), json!(now));
            doc.insert("format".into(), json!("relais-personal-data/1"));
            for section in gdpr::SECTIONS {
                let rows = gdpr::section_rows(conn, section, tenant, user, &u.email)?;
                let value = match section.name {
                    // One row at most: the object itself (or null).
                    "account" | "partner" | "delivery_address" | "points_balance" => {
                        rows.into_iter().next().unwrap_or(Value::Null)
                    }
                    _ => Value::Array(rows),
                };
                doc.insert(section.name.into(), value);
            }
            Ok(Value::Object(doc))
        })
}

/// Most characters of an anonymisation's reason.
const REASON_MAX: usize = 500;

/// Anonymises participant `id` (admins only: the route is guarded), with a reason,
/// once confirmed; audited. Anonymising an anonymised account changes nothing.
pub fn anonymise(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: UserId,
    (reason, confirmed): (&str, bool),
    now: DateTime<Utc>,
) -> Result<User, ServiceError> {
    let reason = reason.trim();
    let mut errors = FieldErrors::new();
    if reason.is_empty() {
        errors.insert("reason", "error-required");
    } else if reason.chars().count() > REASON_MAX {
        errors.insert("reason", "error-too-long");
    } else if reason
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        errors.insert("reason", "error-text-control");
    }
    if !confirmed {
        errors.insert("confirm", "users-anonymise-confirm-required");
    }
    conn.transaction(|conn| {
        let user: User = crate::db::schema::users::table
            .find((tenant, id))
            .select(User::as_select())
            .for_update()
            .first(conn)?;
        if gdpr::extra(conn, tenant, id)?.anonymised_at.is_some() {
            return Ok(user);
        }
        if user.role() != Role::Participant {
            errors.insert("confirm", "users-anonymise-participants-only");
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let (name, email) = (anonymised_name(id.0), anonymised_email(id.0));
        gdpr::erase_account(conn, tenant, id, (&name, &email), now)?;
        let erased = gdpr::erase_traces(
            conn,
            tenant,
            id,
            (&user.email, &user.display_name),
            (&name, &email),
            now,
        )?;
        let change = Change::new("user.anonymised", "user", Some(id.into()))
            .after(&json!({ "reason": reason, "erased": erased }));
        audit::record(conn, tenant, actor, change)?;
        Ok(users::find(conn, tenant, id)?)
    })
}
