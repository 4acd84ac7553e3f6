//! Products as a catalog entity (`services::catalog`): their validation, shared by the
//! form and the CSV import, whose column names are the field names used here.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::catalog::{self, field, Catalog, Listing};
use super::{FieldErrors, ServiceError};
/// The orders of the product list, the default first.
pub use crate::db::products::SORTS;
use crate::db::products::{self, NewProduct, Product, ProductChanges, ProductFilter, Products};
use crate::domain::money::{amount_input, parse_amount};
use crate::domain::network::{parse_points, required_text, Sku};
use crate::domain::Currency;
use crate::domain::TenantId;

pub const SKU_TAKEN: &str = "products_tenant_sku_key";

/// A product as typed in a form or a CSV row; the price in major units ("12.90").
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ProductInput {
    pub sku: String,
    pub name: String,
    pub category: String,
    pub unit_price: String,
    pub points_per_unit: String,
}

#[derive(Debug, Clone)]
pub struct ValidProduct {
    pub sku: Sku,
    pub name: String,
    pub category: String,
    pub unit_price_minor: i64,
    pub points_per_unit: i64,
}

/// Checks a product, its price typed in major units of the tenant's `currency`.
pub fn validate(input: &ProductInput, currency: Currency) -> Result<ValidProduct, FieldErrors> {
    let mut e = FieldErrors::new();
    let sku = field(&mut e, "sku", Sku::parse(&input.sku));
    let name = field(&mut e, "name", required_text(&input.name, 120));
    let category = field(&mut e, "category", required_text(&input.category, 60));
    let price = field(
        &mut e,
        "unit_price",
        parse_amount(&input.unit_price, currency),
    );
    let points = field(
        &mut e,
        "points_per_unit",
        parse_points(&input.points_per_unit),
    );
    match (sku, name, category, price, points) {
        (Some(sku), Some(name), Some(category), Some(price), Some(points)) => Ok(ValidProduct {
            sku,
            name,
            category,
            unit_price_minor: price,
            points_per_unit: points,
        }),
        _ => Err(e),
    }
}

impl Catalog for Products {
    type Table = Products;
    type Input = ProductInput;
    type Valid = ValidProduct;
    type ListView = ProductList;

    const SUBJECT: &'static str = "product";
    const KEY: &'static str = "sku";
    const KEY_TAKEN: (&'static str, &'static str) = (SKU_TAKEN, "error-sku-taken");
    const COLUMNS: &'static [&'static str] =
        &["sku", "name", "category", "unit_price", "points_per_unit"];

    fn validate(input: &ProductInput, currency: Currency) -> Result<ValidProduct, FieldErrors> {
        validate(input, currency)
    }

    fn key(valid: &ValidProduct) -> &str {
        valid.sku.as_str()
    }

    fn new_row(v: &ValidProduct, tenant: TenantId, active: bool) -> NewProduct<'_> {
        NewProduct {
            tenant_id: tenant,
            sku: v.sku.as_str(),
            name: &v.name,
            category: &v.category,
            unit_price_minor: v.unit_price_minor,
            points_per_unit: v.points_per_unit,
            active,
        }
    }

    fn changes(v: &ValidProduct, now: DateTime<Utc>) -> ProductChanges<'_> {
        ProductChanges {
            sku: v.sku.as_str(),
            name: &v.name,
            category: &v.category,
            unit_price_minor: v.unit_price_minor,
            points_per_unit: v.points_per_unit,
            updated_at: now,
        }
    }

    fn differs(v: &ValidProduct, p: &Product) -> bool {
        v.sku.as_str() != p.sku
            || v.name != p.name
            || v.category != p.category
            || v.unit_price_minor != p.unit_price_minor
            || v.points_per_unit != p.points_per_unit
    }

    fn input_of(p: &Product, currency: Currency) -> ProductInput {
        ProductInput {
            sku: p.sku.clone(),
            name: p.name.clone(),
            category: p.category.clone(),
            unit_price: amount_input(p.unit_price_minor, currency),
            points_per_unit: p.points_per_unit.to_string(),
        }
    }

    fn list_view(
        conn: &mut PgConnection,
        tenant: TenantId,
        filter: &ProductFilter,
        page: i64,
        per_page: i64,
    ) -> Result<ProductList, ServiceError> {
        Ok(ProductList {
            listing: catalog::list::<Products>(conn, tenant, filter, page, per_page)?,
            categories: products::categories(conn, tenant)?,
        })
    }

    fn choices(
        conn: &mut PgConnection,
        tenant: TenantId,
    ) -> Result<serde_json::Value, ServiceError> {
        Ok(serde_json::json!({ "categories": products::categories(conn, tenant)? }))
    }
}

// create, update, set_active (a deactivated product can no longer be declared) and find.
crate::catalog_services!(Products, Product, ProductInput);

/// The products page: one page of matches, and the categories for the filter.
#[derive(Debug, Serialize)]
pub struct ProductList {
    pub listing: Listing<Product>,
    pub categories: Vec<String>,
}

pub fn categories(conn: &mut PgConnection, tenant: TenantId) -> Result<Vec<String>, ServiceError> {
    Ok(products::categories(conn, tenant)?)
}
