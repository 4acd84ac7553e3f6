//! What the integration API reads: pages in id order after a cursor (keyset pagination,
//! stable while rows are added), and rows by their external keys. Tenant-scoped.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::declarations::{Declaration, Line};
use super::partners::Partner;
use super::products::Product;
use super::schema::{declaration_lines, declarations, partners, products, users};
use super::users::User;
use crate::domain::{DeclarationId, PartnerId, ProductId, TenantId};

pub fn partners_after(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Partner>> {
    partners::table
        .filter(partners::tenant_id.eq(tenant))
        .filter(partners::id.gt(PartnerId(after)))
        .order(partners::id.asc())
        .limit(limit)
        .select(Partner::as_select())
        .load(conn)
}

pub fn partner_by_code(
    conn: &mut PgConnection,
    tenant: TenantId,
    code: &str,
) -> QueryResult<Option<Partner>> {
    partners::table
        .filter(partners::tenant_id.eq(tenant))
        .filter(partners::external_code.eq(code))
        .select(Partner::as_select())
        .first(conn)
        .optional()
}

pub fn products_after(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Product>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::id.gt(ProductId(after)))
        .order(products::id.asc())
        .limit(limit)
        .select(Product::as_select())
        .load(conn)
}

pub fn product_by_sku(
    conn: &mut PgConnection,
    tenant: TenantId,
    sku: &str,
) -> QueryResult<Option<Product>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::sku.eq(sku))
        .select(Product::as_select())
        .first(conn)
        .optional()
}

pub fn participants_after(
    conn: &mut PgConnection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::role.eq("participant"))
        .filter(users::id.gt(crate::domain::UserId(after)))
        .order(users::id.asc())
        .limit(limit)
        .select(User::as_select())
        .load(conn)
}

/// External codes of these partners.
pub fn partner_codes(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[PartnerId],
) -> QueryResult<HashMap<PartnerId, String>> {
    let rows: Vec<(PartnerId, String)> = partners::table
        .filter(partners::tenant_id.eq(tenant))
        .filter(partners::id.eq_any(ids))
        .select((partners::id, partners::external_code))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// SKUs of these products.
pub fn product_skus(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[ProductId],
) -> QueryResult<HashMap<ProductId, String>> {
    let rows: Vec<(ProductId, String)> = products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::id.eq_any(ids))
        .select((products::id, products::sku))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// E-mail addresses of these users.
pub fn emails(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[crate::domain::UserId],
) -> QueryResult<HashMap<crate::domain::UserId, String>> {
    let rows: Vec<(crate::domain::UserId, String)> = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq_any(ids))
        .select((users::id, users::email))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Declarations filtered by status and sale date, in id order after a cursor.
pub struct DeclarationFilter {
    pub status: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

pub fn declarations_after(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &DeclarationFilter,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Declaration>> {
    let mut query = declarations::table
        .filter(declarations::tenant_id.eq(tenant))
        .filter(declarations::id.gt(DeclarationId(after)))
        .into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(declarations::status.eq(status.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(declarations::sale_date.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(declarations::sale_date.le(to));
    }
    query
        .order(declarations::id.asc())
        .limit(limit)
        .select(Declaration::as_select())
        .load(conn)
}

pub fn lines_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    ids: &[DeclarationId],
) -> QueryResult<Vec<Line>> {
    declaration_lines::table
        .filter(declaration_lines::tenant_id.eq(tenant))
        .filter(declaration_lines::declaration_id.eq_any(ids))
        .order((
            declaration_lines::declaration_id.asc(),
            declaration_lines::line_no.asc(),
        ))
        .select(Line::as_select())
        .load(conn)
}
