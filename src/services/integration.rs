//! What the integration API reads and changes beyond imports (which it shares with the
//! CSV files, `services::imports::import_rows`): pages of partners, products,
//! participants and declarations after a cursor, rows by their external keys,
//! deactivation, and declaring a participant's sale through the portal's own use case.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::audit::Actor;
use super::declarations::{self, DeclarationError, DeclarationInput};
use super::ServiceError;
use crate::db::api_views::{self as views, DeclarationFilter};
use crate::db::declarations::{Declaration, Line};
use crate::db::partners::{Partner, Partners};
use crate::db::products::{Product, Products};
use crate::db::users::User;
use crate::db::Lock;
use crate::domain::{DeclarationId, Role, TenantId};

/// A page of rows and the id to continue after, when there may be more.
#[derive(Debug, Clone)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub next_after: Option<i64>,
}

fn listed<T>(items: Vec<T>, limit: i64, id: impl Fn(&T) -> i64) -> Listed<T> {
    let next_after = if items.len() as i64 == limit {
        items.last().map(id)
    } else {
        None
    };
    Listed { items, next_after }
}

pub fn partners(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> Result<Listed<Partner>, ServiceError> {
    let rows = views::partners_after(conn, tenant, after, limit)?;
    Ok(listed(rows, limit, |p| p.id.0))
}

pub fn partner(
    conn: &mut PgConnection,
    tenant: TenantId,
    code: &str,
) -> Result<Partner, ServiceError> {
    views::partner_by_code(conn, tenant, &code.trim().to_uppercase())?.ok_or(ServiceError::NotFound)
}

pub fn deactivate_partner(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    code: &str,
) -> Result<Partner, ServiceError> {
    let found = partner(conn, tenant, code)?;
    super::catalog::set_active::<Partners>(conn, tenant, actor, found.id, false)
}

pub fn products(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> Result<Listed<Product>, ServiceError> {
    let rows = views::products_after(conn, tenant, after, limit)?;
    Ok(listed(rows, limit, |p| p.id.0))
}

pub fn product(
    conn: &mut PgConnection,
    tenant: TenantId,
    sku: &str,
) -> Result<Product, ServiceError> {
    views::product_by_sku(conn, tenant, &sku.trim().to_uppercase())?.ok_or(ServiceError::NotFound)
}

pub fn deactivate_product(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    sku: &str,
) -> Result<Product, ServiceError> {
    let found = product(conn, tenant, sku)?;
    super::catalog::set_active::<Products>(conn, tenant, actor, found.id, false)
}

/// A participant and the external code of their partner.
#[derive(Debug, Clone)]
pub struct Participant {
    pub user: User,
    pub partner_code: Option<String>,
}

fn with_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    users: Vec<User>,
) -> QueryResult<Vec<Participant>> {
    let ids: Vec<_> = users.iter().filter_map(|u| u.partner_id).collect();
    let codes = views::partner_codes(conn, tenant, &ids)?;
    Ok(users
        .into_iter()
        .map(|user| Participant {
            partner_code: user.partner_id.and_then(|p| codes.get(&p).cloned()),
            user,
        })
        .collect())
}

pub fn participants(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> Result<Listed<Participant>, ServiceError> {
    let users = views::participants_after(conn, tenant, after, limit)?;
    let rows = with_codes(conn, tenant, users)?;
    Ok(listed(rows, limit, |p| p.user.id.0))
}

fn find_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
) -> QueryResult<Option<User>> {
    Ok(
        crate::db::users::find_by_email(conn, tenant, &email.trim().to_lowercase())?
            .filter(|u| u.role() == Role::Participant),
    )
}

fn participant_user(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
) -> Result<User, ServiceError> {
    find_participant(conn, tenant, email)?.ok_or(ServiceError::NotFound)
}

pub fn participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
) -> Result<Participant, ServiceError> {
    let user = participant_user(conn, tenant, email)?;
    let mut rows = with_codes(conn, tenant, vec![user])?;
    rows.pop().ok_or(ServiceError::NotFound)
}

pub fn deactivate_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    email: &str,
) -> Result<Participant, ServiceError> {
    let user = participant_user(conn, tenant, email)?;
    let user = super::accounts::set_disabled(conn, tenant, actor, user.user_id(), true)?;
    let mut rows = with_codes(conn, tenant, vec![user])?;
    rows.pop().ok_or(ServiceError::NotFound)
}

/// A declaration with the participant's e-mail, the partner's code and each line's SKU.
#[derive(Debug, Clone)]
pub struct DeclarationView {
    pub declaration: Declaration,
    pub participant_email: String,
    pub partner_code: String,
    pub lines: Vec<(Line, String)>,
}

fn views_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    rows: Vec<Declaration>,
) -> QueryResult<Vec<DeclarationView>> {
    let ids: Vec<DeclarationId> = rows.iter().map(|d| d.id).collect();
    let lines = views::lines_of(conn, tenant, &ids)?;
    let products: Vec<_> = lines.iter().map(|l| l.product_id).collect();
    let skus = views::product_skus(conn, tenant, &products)?;
    let partners: Vec<_> = rows.iter().map(|d| d.partner_id).collect();
    let codes = views::partner_codes(conn, tenant, &partners)?;
    let users: Vec<_> = rows.iter().map(|d| d.participant_id).collect();
    let emails = views::emails(conn, tenant, &users)?;
    Ok(rows
        .into_iter()
        .map(|d| DeclarationView {
            participant_email: emails.get(&d.participant_id).cloned().unwrap_or_default(),
            partner_code: codes.get(&d.partner_id).cloned().unwrap_or_default(),
            lines: lines
                .iter()
                .filter(|l| l.declaration_id == d.id)
                .map(|l| {
                    (
                        l.clone(),
                        skus.get(&l.product_id).cloned().unwrap_or_default(),
                    )
                })
                .collect(),
            declaration: d,
        })
        .collect())
}

pub fn declarations(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &DeclarationFilter,
    after: i64,
    limit: i64,
) -> Result<Listed<DeclarationView>, ServiceError> {
    let rows = views::declarations_after(conn, tenant, filter, after, limit)?;
    let rows = views_of(conn, tenant, rows)?;
    Ok(listed(rows, limit, |d| d.declaration.id.0))
}

pub fn declaration(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: DeclarationId,
) -> Result<DeclarationView, ServiceError> {
    let row = crate::db::declarations::find(conn, tenant, id, Lock::Unlocked)?;
    views_of(conn, tenant, vec![row])?
        .pop()
        .ok_or(ServiceError::NotFound)
}

/// Declares a sale for the participant with this e-mail, as the portal's form does
/// (same checks, flags and automatic approval), recorded as coming from the API.
pub fn declare(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant_email: &str,
    input: &DeclarationInput,
    now: DateTime<Utc>,
) -> Result<(DeclarationView, bool), DeclarationError> {
    let Some(user) = find_participant(conn, tenant, participant_email)?
        .filter(|u| !u.disabled && u.partner_id.is_some())
    else {
        return Err(DeclarationError::field(
            "participant_email",
            "error-api-participant-unknown",
        ));
    };
    let declared = declarations::declare_from(conn, tenant, (&user, "api"), input, vec![], now)?;
    let auto = declared.auto_approved;
    let view = views_of(conn, tenant, vec![declared.declaration])?
        .pop()
        .ok_or(DeclarationError::NotFound)?;
    Ok((view, auto))
}

/// A participant's balance and movements between two days of the tenant (either open).
pub fn statement(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
    (from, to): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    now: DateTime<Utc>,
) -> Result<(Participant, super::ledger::Statement), ServiceError> {
    let found = participant(conn, tenant, email)?;
    let (zone, _) = crate::db::tenants::zone_and_currency(conn, tenant)?;
    let (from, to) = zone.days(from, to);
    let period = super::ledger::Period { from, to };
    let statement = super::ledger::statement(conn, tenant, found.user.user_id(), period, now)?;
    Ok((found, statement))
}
