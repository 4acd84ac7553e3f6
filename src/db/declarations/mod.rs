//! Sell-out declarations: rows, lines, proofs and decisions, tenant-scoped.

mod lists;
pub mod rules;

pub use lists::{
    history_of_partner, list_of_participant, queue, queue_ids, same_invoice, QueueFilter, QueueRow,
};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::products::Product;
use super::schema::{
    declaration_decisions, declaration_lines, declaration_proofs, declarations, products, users,
};
use super::{first_row, Lock};
use crate::domain::{
    DecisionId, DeclarationId, PartnerId, ProductId, TenantId, TransactionId, UserId,
};

diesel::define_sql_function! {
    /// `lower(text)`, as in the invoice index.
    #[sql_name = "lower"]
    fn lower_text(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

diesel::define_sql_function! {
    fn btrim(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = declarations)]
pub struct Declaration {
    pub tenant_id: TenantId,
    pub id: DeclarationId,
    pub participant_id: UserId,
    pub partner_id: PartnerId,
    pub sale_date: NaiveDate,
    pub channel: String,
    pub invoice_ref: String,
    pub status: String,
    pub flags: Vec<Option<String>>,
    pub customer_type: Option<String>,
    pub feedback: Option<String>,
    pub source: String,
    pub points: i64,
    pub amount_minor: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Declaration {
    /// The flags' codes (array elements are never NULL: the service writes them).
    pub fn flag_codes(&self) -> Vec<&str> {
        self.flags.iter().flatten().map(String::as_str).collect()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = declarations)]
pub struct NewDeclaration<'a> {
    pub tenant_id: TenantId,
    pub participant_id: UserId,
    pub partner_id: PartnerId,
    pub sale_date: NaiveDate,
    pub channel: &'a str,
    pub invoice_ref: &'a str,
    pub flags: Vec<Option<&'a str>>,
    pub customer_type: Option<&'a str>,
    pub feedback: Option<&'a str>,
    pub source: &'a str,
    pub points: i64,
    pub amount_minor: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = declaration_lines)]
pub struct Line {
    pub tenant_id: TenantId,
    pub declaration_id: DeclarationId,
    pub line_no: i32,
    pub product_id: ProductId,
    pub quantity: i32,
    pub unit_price_minor: i64,
    pub points: i64,
    pub import_key: Option<String>,
}

/// A proof without its bytes.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = declaration_proofs)]
pub struct ProofInfo {
    pub declaration_id: DeclarationId,
    pub n: i16,
    pub content_type: String,
    pub file_name: String,
    pub size: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = declaration_proofs)]
pub struct NewProof<'a> {
    pub tenant_id: TenantId,
    pub declaration_id: DeclarationId,
    pub n: i16,
    pub content_type: &'a str,
    pub file_name: &'a str,
    pub size: i32,
    pub bytes: &'a [u8],
    pub thumbnail: Option<&'a [u8]>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = declaration_decisions)]
pub struct Decision {
    pub id: DecisionId,
    pub declaration_id: DeclarationId,
    pub status: String,
    pub decided_by: Option<UserId>,
    pub reason: Option<String>,
    pub ledger_transaction_id: Option<TransactionId>,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = declaration_decisions)]
pub struct NewDecision<'a> {
    pub tenant_id: TenantId,
    pub declaration_id: DeclarationId,
    pub status: &'a str,
    pub decided_by: Option<UserId>,
    pub reason: Option<&'a str>,
    pub ledger_transaction_id: Option<TransactionId>,
    pub decided_at: DateTime<Utc>,
}

pub fn insert(conn: &mut PgConnection, new: &NewDeclaration) -> QueryResult<Declaration> {
    diesel::insert_into(declarations::table)
        .values(new)
        .returning(Declaration::as_returning())
        .get_result(conn)
}

pub fn insert_lines(conn: &mut PgConnection, lines: &[Line]) -> QueryResult<usize> {
    diesel::insert_into(declaration_lines::table)
        .values(lines)
        .execute(conn)
}

pub fn insert_proofs(conn: &mut PgConnection, proofs: &[NewProof]) -> QueryResult<usize> {
    diesel::insert_into(declaration_proofs::table)
        .values(proofs)
        .execute(conn)
}

/// The declaration; decisions are taken on a locked row, so that two reviewers acting at
/// once decide once.
pub fn find(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: DeclarationId,
    lock: Lock,
) -> QueryResult<Declaration> {
    let query = declarations::table
        .find((tenant, id))
        .select(Declaration::as_select());
    first_row!(query, lock, conn)
}

pub fn set_status(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: DeclarationId,
    status: &str,
    now: DateTime<Utc>,
) -> QueryResult<Declaration> {
    diesel::update(declarations::table.find((tenant, id)))
        .set((
            declarations::status.eq(status),
            declarations::updated_at.eq(now),
        ))
        .returning(Declaration::as_returning())
        .get_result(conn)
}

pub fn insert_decision(conn: &mut PgConnection, new: &NewDecision) -> QueryResult<Decision> {
    diesel::insert_into(declaration_decisions::table)
        .values(new)
        .returning(Decision::as_returning())
        .get_result(conn)
}

/// The decisions on a declaration, oldest first, each with its reviewer's name (none for
/// the programme's own decisions).
pub fn decisions_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: DeclarationId,
) -> QueryResult<Vec<(Decision, Option<String>)>> {
    let reviewer = users::tenant_id
        .eq(declaration_decisions::tenant_id)
        .and(users::id.nullable().eq(declaration_decisions::decided_by));
    declaration_decisions::table
        .left_join(users::table.on(reviewer))
        .filter(declaration_decisions::tenant_id.eq(tenant))
        .filter(declaration_decisions::declaration_id.eq(id))
        .order(declaration_decisions::id)
        .select((Decision::as_select(), users::display_name.nullable()))
        .load(conn)
}

/// The latest decision of each of these declarations.
pub fn latest_decisions(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[DeclarationId],
) -> QueryResult<Vec<Decision>> {
    declaration_decisions::table
        .filter(declaration_decisions::tenant_id.eq(tenant))
        .filter(declaration_decisions::declaration_id.eq_any(ids))
        .distinct_on(declaration_decisions::declaration_id)
        .order((
            declaration_decisions::declaration_id,
            declaration_decisions::id.desc(),
        ))
        .select(Decision::as_select())
        .load(conn)
}

/// The lines of these declarations, in order.
pub fn lines_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[DeclarationId],
) -> QueryResult<Vec<Line>> {
    declaration_lines::table
        .filter(declaration_lines::tenant_id.eq(tenant))
        .filter(declaration_lines::declaration_id.eq_any(ids))
        .order((
            declaration_lines::declaration_id,
            declaration_lines::line_no,
        ))
        .select(Line::as_select())
        .load(conn)
}

/// Which of these import keys are already taken.
pub fn existing_import_keys(
    conn: &mut PgConnection,
    tenant: TenantId,
    keys: &[&str],
) -> QueryResult<Vec<String>> {
    let found: Vec<Option<String>> = declaration_lines::table
        .filter(declaration_lines::tenant_id.eq(tenant))
        .filter(declaration_lines::import_key.eq_any(keys))
        .select(declaration_lines::import_key)
        .load(conn)?;
    Ok(found.into_iter().flatten().collect())
}

pub fn proofs_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: DeclarationId,
) -> QueryResult<Vec<ProofInfo>> {
    declaration_proofs::table
        .filter(declaration_proofs::tenant_id.eq(tenant))
        .filter(declaration_proofs::declaration_id.eq(id))
        .order(declaration_proofs::n)
        .select(ProofInfo::as_select())
        .load(conn)
}

/// A proof's bytes and content type; with `thumbnail`, its JPEG thumbnail (images only).
pub fn proof_bytes(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: DeclarationId,
    n: i16,
    thumbnail: bool,
) -> QueryResult<Option<(Vec<u8>, String)>> {
    crate::db::upload_bytes!(conn, declaration_proofs, (tenant, id, n), thumbnail)
}

/// Declarations the participant submitted between `from` and `until`.
pub fn count_submitted_between(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: UserId,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<i64> {
    declarations::table
        .filter(declarations::tenant_id.eq(tenant))
        .filter(declarations::participant_id.eq(participant))
        .filter(declarations::created_at.ge(from))
        .filter(declarations::created_at.lt(until))
        .count()
        .get_result(conn)
}

/// The products of these ids (of this tenant only), by id.
pub fn products_by_ids(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[ProductId],
) -> QueryResult<std::collections::HashMap<ProductId, Product>> {
    let rows: Vec<Product> = products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::id.eq_any(ids))
        .select(Product::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|p| (p.id, p)).collect())
}

/// The products whose name is one of these (lower-cased), for the product picker.
pub fn products_by_lower_names(
    conn: &mut PgConnection,
    tenant: TenantId,
    names: &[String],
) -> QueryResult<Vec<Product>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(lower_text(products::name).eq_any(names))
        .select(Product::as_select())
        .load(conn)
}

/// The active products, by category and name, for the product picker.
pub fn active_products(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<Product>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::active.eq(true))
        .order((products::category, products::name))
        .select(Product::as_select())
        .load(conn)
}

/// Drops the tenant's queued e-mails of the templates `template_like` matches (the
/// demo's past, announced long ago).
pub fn forget_queued_emails(
    conn: &mut PgConnection,
    tenant: TenantId,
    template_like: &str,
) -> QueryResult<usize> {
    use super::schema::jobs;
    diesel::delete(
        jobs::table
            .filter(jobs::tenant_id.eq(tenant))
            .filter(jobs::kind.eq("email"))
            .filter(jobs::status.eq("queued"))
            .filter(
                jobs::payload
                    .retrieve_as_text("template")
                    .like(template_like),
            ),
    )
    .execute(conn)
}

/// Serialises, until the end of the caller's transaction, every declaration of one
/// invoice of a partner, so that the duplicate check of the second sees the first.
pub fn lock_invoice(
    conn: &mut PgConnection,
    tenant: TenantId,
    partner_id: PartnerId,
    normalized_invoice: &str,
) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind::<diesel::sql_types::Text, _>(format!(
            "declaration-invoice|{}|{partner_id}|{normalized_invoice}",
            tenant
        ))
        .execute(conn)
        .map(|_| ())
}
