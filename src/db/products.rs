//! The product catalogue of a tenant.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use serde::Serialize;

use super::catalog::Sort;
use super::schema::products;
use crate::domain::{ProductId, TenantId};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: ProductId,
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
    pub tenant_id: TenantId,
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

/// What the product list is filtered by (`None` means any) and sorted by.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub search: Option<String>,
    pub category: Option<String>,
    pub active: Option<bool>,
    pub sort: Sort,
}

/// The orders of the product list, the default first.
pub const SORTS: &[&str] = &["category", "sku", "name", "price", "points"];

fn filtered<'a>(tenant: TenantId, f: &ProductFilter) -> products::BoxedQuery<'a, Pg> {
    let mut q = narrowed(tenant, f.search.as_deref(), f.active);
    if let Some(category) = &f.category {
        q = q.filter(products::category.eq(category.clone()));
    }
    q
}

fn ordered<'a>(q: products::BoxedQuery<'a, Pg>, f: &ProductFilter) -> products::BoxedQuery<'a, Pg> {
    crate::sort_by!(q, &f.sort, products::id, {
        "category" => [products::category, products::name],
        "sku" => [products::sku],
        "name" => [products::name],
        "price" => [products::unit_price_minor],
        "points" => [products::points_per_unit],
    })
}

crate::catalog_table!(
    Products,
    products,
    Product,
    ProductId,
    NewProduct,
    ProductChanges,
    ProductFilter,
    key = sku
);

pub use self::by_keys as by_skus;

pub fn categories(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<String>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .select(products::category)
        .distinct()
        .order(products::category)
        .load(conn)
}

/// Active products as (id, "name (SKU)"), by name: what a form offers to choose from.
pub fn choices(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Vec<(ProductId, String)>> {
    products::table
        .filter(products::tenant_id.eq(tenant))
        .filter(products::active.eq(true))
        .order((products::name, products::id))
        .select((products::id, products::name, products::sku))
        .load::<(ProductId, String, String)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(id, name, sku)| (id, format!("{name} ({sku})")))
                .collect()
        })
}
