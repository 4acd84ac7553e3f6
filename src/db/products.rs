//! The product catalogue of a tenant.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use serde::Serialize;

use super::partners::contains_pattern;
use super::schema::products;
use crate::domain::TenantId;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub category: String,
    pub unit_price_minor: i64,
    pub points_per_unit: i64,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = products)]
pub struct NewProduct<'a> {
    pub tenant_id: i64,
    pub sku: &'a str,
    pub name: &'a str,
    pub category: &'a str,
    pub unit_price_minor: i64,
    pub points_per_unit: i64,
    pub active: bool,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = products)]
pub struct ProductChanges<'a> {
    pub sku: &'a str,
    pub name: &'a str,
    pub category: &'a str,
    pub unit_price_minor: i64,
    pub points_per_unit: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub search: Option<String>,
    pub category: Option<String>,
    pub active: Option<bool>,
}

fn filtered<'a>(tenant: TenantId, f: &ProductFilter) -> products::BoxedQuery<'a, Pg> {
    let mut q = products::table
        .filter(products::tenant_id.eq(tenant.0))
        .into_boxed();
    if let Some(text) = &f.search {
        let pattern = contains_pattern(text);
        q = q.filter(
            products::name
                .ilike(pattern.clone())
                .or(products::sku.ilike(pattern)),
        );
    }
    if let Some(category) = &f.category {
        q = q.filter(products::category.eq(category.clone()));
    }
    if let Some(active) = f.active {
        q = q.filter(products::active.eq(active));
    }
    q
}

/// One page of products by category and name, and how many match in all.
pub fn search(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &ProductFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Product>, i64)> {
    let total = filtered(tenant, filter).count().get_result(conn)?;
    let rows = filtered(tenant, filter)
        .select(Product::as_select())
        .order((products::category, products::name, products::id))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

pub fn find(conn: &mut PgConnection, tenant: TenantId, id: i64) -> QueryResult<Product> {
    products::table
        .find((tenant.0, id))
        .select(Product::as_select())
        .first(conn)
}

/// The products with these SKUs, by SKU.
pub fn by_skus(
    conn: &mut PgConnection,
    tenant: TenantId,
    skus: &[&str],
) -> QueryResult<HashMap<String, Product>> {
    let rows: Vec<Product> = products::table
        .filter(products::tenant_id.eq(tenant.0))
        .filter(products::sku.eq_any(skus))
        .select(Product::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|p| (p.sku.clone(), p)).collect())
}

pub fn categories(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<String>> {
    products::table
        .filter(products::tenant_id.eq(tenant.0))
        .select(products::category)
        .distinct()
        .order(products::category)
        .load(conn)
}

pub fn insert(conn: &mut PgConnection, new: &NewProduct) -> QueryResult<Product> {
    diesel::insert_into(products::table)
        .values(new)
        .returning(Product::as_returning())
        .get_result(conn)
}

pub fn insert_many(conn: &mut PgConnection, new: &[NewProduct]) -> QueryResult<usize> {
    diesel::insert_into(products::table)
        .values(new)
        .execute(conn)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: i64,
    changes: &ProductChanges,
) -> QueryResult<Product> {
    diesel::update(products::table.find((tenant.0, id)))
        .set(changes)
        .returning(Product::as_returning())
        .get_result(conn)
}

pub fn set_active(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: i64,
    active: bool,
    now: DateTime<Utc>,
) -> QueryResult<Product> {
    diesel::update(products::table.find((tenant.0, id)))
        .set((products::active.eq(active), products::updated_at.eq(now)))
        .returning(Product::as_returning())
        .get_result(conn)
}
