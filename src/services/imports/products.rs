//! Products from CSV, matched on `sku`.

use diesel::prelude::*;

use super::csv_file::Table;
use super::{FirstSeen, ImportError, Phase, Progress, Refusal, Summary};
use crate::db::products as rows;
use crate::domain::network::{parse_flag, Sku};
use crate::domain::TenantId;
use crate::services::products::{validate, ProductInput, ValidProduct};

pub(super) fn run(
    conn: &mut PgConnection,
    tenant: TenantId,
    table: &Table,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    progress.start(Phase::Checking, table.rows.len() as u64);
    let (_, currency) = crate::db::tenants::zone_and_currency(conn, tenant)?;
    let mut refusal = Refusal::default();
    let mut seen = FirstSeen::new();
    let mut valid: Vec<(ValidProduct, Option<bool>)> = vec![];
    for record in &table.rows {
        let cell = |name| table.cell(record, name).to_string();
        let input = ProductInput {
            sku: cell("sku"),
            name: cell("name"),
            category: cell("category"),
            unit_price: cell("unit_price"),
            points_per_unit: cell("points_per_unit"),
        };
        let active = parse_flag(&cell("active"));
        if let Err(key) = active {
            refusal.cell(record.line, "active", key, &cell("active"), None);
        }
        if let Ok(key) = Sku::parse(&input.sku) {
            if let Some(first) = seen.earlier(key.as_str(), record.line) {
                let value = key.as_str();
                refusal.cell(
                    record.line,
                    "sku",
                    "error-import-duplicate",
                    value,
                    Some(first),
                );
            }
        }
        match validate(&input, currency) {
            Ok(product) => valid.push((product, active.unwrap_or(None))),
            Err(errors) => refusal.fields(table, record, errors),
        }
        progress.advance(1);
    }
    refusal.check()?;

    progress.start(Phase::Writing, valid.len() as u64);
    let skus: Vec<&str> = valid.iter().map(|(p, _)| p.sku.as_str()).collect();
    let existing = rows::by_skus(conn, tenant, &skus)?;
    let mut summary = Summary::default();
    let mut new_rows = vec![];
    for (product, active) in &valid {
        let Some(current) = existing.get(product.sku.as_str()) else {
            new_rows.push(product.new_row(tenant, active.unwrap_or(true)));
            continue;
        };
        let mut changed = false;
        if product.differs_from(current) {
            rows::update(conn, tenant, current.id, &product.changes())?;
            changed = true;
        }
        if let Some(active) = active.filter(|a| *a != current.active) {
            rows::set_active(conn, tenant, current.id, active, chrono::Utc::now())?;
            changed = true;
        }
        if changed {
            summary.updated += 1;
        } else {
            summary.unchanged += 1;
        }
        progress.advance(1);
    }
    for chunk in new_rows.chunks(1000) {
        summary.created += rows::insert_many(conn, chunk)?;
        progress.advance(chunk.len() as u64);
    }
    Ok(summary)
}
