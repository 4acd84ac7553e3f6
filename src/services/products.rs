//! The product catalogue: search, create, edit, deactivate. The validation is shared
//! with the CSV import, whose column names are the field names used here.

use chrono::Utc;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::audit::{self, Actor, Change};
use super::partners::{field, Listing};
use super::{is_unique_violation, FieldErrors, ServiceError};
use crate::db::products::{self, NewProduct, Product, ProductChanges, ProductFilter};
use crate::db::tenants;
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

impl ProductInput {
    /// The product as its form shows it, the price in the tenant's currency.
    pub fn of(p: &Product, currency: Currency) -> Self {
        ProductInput {
            sku: p.sku.clone(),
            name: p.name.clone(),
            category: p.category.clone(),
            unit_price: amount_input(p.unit_price_minor, currency),
            points_per_unit: p.points_per_unit.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ValidProduct {
    pub sku: Sku,
    pub name: String,
    pub category: String,
    pub unit_price_minor: i64,
    pub points_per_unit: i64,
}

impl ValidProduct {
    pub fn new_row(&self, tenant: TenantId, active: bool) -> NewProduct<'_> {
        NewProduct {
            tenant_id: tenant.0,
            sku: self.sku.as_str(),
            name: &self.name,
            category: &self.category,
            unit_price_minor: self.unit_price_minor,
            points_per_unit: self.points_per_unit,
            active,
        }
    }

    pub fn changes(&self) -> ProductChanges<'_> {
        ProductChanges {
            sku: self.sku.as_str(),
            name: &self.name,
            category: &self.category,
            unit_price_minor: self.unit_price_minor,
            points_per_unit: self.points_per_unit,
            updated_at: Utc::now(),
        }
    }

    pub fn differs_from(&self, p: &Product) -> bool {
        self.sku.as_str() != p.sku
            || self.name != p.name
            || self.category != p.category
            || self.unit_price_minor != p.unit_price_minor
            || self.points_per_unit != p.points_per_unit
    }
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

pub fn audit_view(p: &Product) -> serde_json::Value {
    serde_json::json!({
        "sku": p.sku, "name": p.name, "category": p.category,
        "unit_price_minor": p.unit_price_minor, "points_per_unit": p.points_per_unit,
        "active": p.active,
    })
}

fn sku_taken(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Db(ref db) if is_unique_violation(db, SKU_TAKEN) => {
            ServiceError::field("sku", "error-sku-taken")
        }
        other => other,
    }
}

pub fn create(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &ProductInput,
) -> Result<Product, ServiceError> {
    let (_, currency) = tenants::zone_and_currency(conn, tenant)?;
    let valid = validate(input, currency).map_err(ServiceError::Invalid)?;
    conn.transaction(|conn| {
        let product = products::insert(conn, &valid.new_row(tenant, true))?;
        let change = Change::new("product.created", "product", Some(product.id))
            .after(&audit_view(&product));
        audit::record(conn, tenant, actor, change)?;
        Ok(product)
    })
    .map_err(sku_taken)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: i64,
    input: &ProductInput,
) -> Result<Product, ServiceError> {
    conn.transaction(|conn| {
        let before = products::find(conn, tenant, id)?;
        let (_, currency) = tenants::zone_and_currency(conn, tenant)?;
        let valid = validate(input, currency).map_err(ServiceError::Invalid)?;
        if !valid.differs_from(&before) {
            return Ok(before);
        }
        let after = products::update(conn, tenant, id, &valid.changes())?;
        let change = Change::new("product.updated", "product", Some(id))
            .before(&audit_view(&before))
            .after(&audit_view(&after));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
    .map_err(sku_taken)
}

/// Deactivates (or reactivates) a product: it can no longer be declared.
pub fn set_active(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: i64,
    active: bool,
) -> Result<Product, ServiceError> {
    conn.transaction(|conn| {
        let before = products::find(conn, tenant, id)?;
        if before.active == active {
            return Ok(before);
        }
        let after = products::set_active(conn, tenant, id, active, Utc::now())?;
        let change = Change::new("product.updated", "product", Some(id))
            .before(&serde_json::json!({ "active": before.active }))
            .after(&serde_json::json!({ "active": active }));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
}

pub fn find(conn: &mut PgConnection, tenant: TenantId, id: i64) -> Result<Product, ServiceError> {
    Ok(products::find(conn, tenant, id)?)
}

#[derive(Debug, Serialize)]
pub struct ProductList {
    pub listing: Listing<Product>,
    pub categories: Vec<String>,
}

pub fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &ProductFilter,
    page: i64,
    per_page: i64,
) -> Result<ProductList, ServiceError> {
    let page = page.max(1);
    let (rows, total) = products::search(conn, tenant, filter, (page - 1) * per_page, per_page)?;
    Ok(ProductList {
        listing: Listing::new(rows, total, page, per_page),
        categories: products::categories(conn, tenant)?,
    })
}

pub fn categories(conn: &mut PgConnection, tenant: TenantId) -> Result<Vec<String>, ServiceError> {
    Ok(products::categories(conn, tenant)?)
}
