//! Sell-in (what the brand sold to each partner) and opening stock from CSV. Sell-in rows
//! are identified by a key made of their values (or of the ERP's own reference), so the
//! same file imported twice adds nothing; opening stock is set per partner and product.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::csv_file::{Record, Table};
use super::{FirstSeen, ImportError, Phase, Progress, Refusal, Summary};
use crate::db::partners::{self, Partner};
use crate::db::products::{self, Product};
use crate::db::stock::{self, NewSellIn};
use crate::domain::declarations::{parse_date, within_years};
use crate::domain::network::{ExternalCode, Sku};
use crate::domain::values::ErrorKey;
use crate::domain::Currency;
use crate::domain::TenantId;
use crate::domain::{money, PartnerId, ProductId};

pub const SELL_IN_REQUIRED: &[&str] = &["partner_code", "sku", "date", "quantity", "amount"];
pub const OPENING_REQUIRED: &[&str] = &["partner_code", "sku", "quantity"];

/// The partners and products the rows name, looked up once.
struct Names {
    partners: HashMap<String, Partner>,
    products: HashMap<String, Product>,
}

impl Names {
    fn load(conn: &mut PgConnection, tenant: TenantId, table: &Table) -> QueryResult<Self> {
        let codes: Vec<String> = table
            .rows
            .iter()
            .filter_map(|r| ExternalCode::parse(table.cell(r, "partner_code")).ok())
            .map(|c| c.as_str().to_string())
            .collect();
        let skus: Vec<String> = table
            .rows
            .iter()
            .filter_map(|r| Sku::parse(table.cell(r, "sku")).ok())
            .map(|c| c.as_str().to_string())
            .collect();
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        let skus: Vec<&str> = skus.iter().map(String::as_str).collect();
        Ok(Names {
            partners: partners::by_codes(conn, tenant, &codes)?,
            products: products::by_skus(conn, tenant, &skus)?,
        })
    }

    /// The row's partner and product ids, or the errors against their columns.
    fn resolve(
        &self,
        table: &Table,
        record: &Record,
        refusal: &mut Refusal,
    ) -> Option<(PartnerId, ProductId)> {
        let code = table.cell(record, "partner_code");
        let partner = match ExternalCode::parse(code) {
            Ok(c) => self
                .partners
                .get(c.as_str())
                .map(|p| p.id)
                .ok_or("error-partner-code-unknown"),
            Err(e) => Err(e),
        };
        let sku = table.cell(record, "sku");
        let product = match Sku::parse(sku) {
            Ok(s) => self
                .products
                .get(s.as_str())
                .map(|p| p.id)
                .ok_or("error-import-sku-unknown"),
            Err(e) => Err(e),
        };
        if let Err(key) = partner {
            refusal.cell(record.line, "partner_code", key, code, None);
        }
        if let Err(key) = product {
            refusal.cell(record.line, "sku", key, sku, None);
        }
        Some((partner.ok()?, product.ok()?))
    }
}

/// A whole number of units, not zero (negative: a return).
fn parse_units(input: &str, allow_negative: bool) -> Result<i32, ErrorKey> {
    let s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    match s.parse::<i32>() {
        Ok(0) if allow_negative => Err("error-import-quantity-invalid"),
        Ok(n) if n < 0 && !allow_negative => Err("error-import-quantity-invalid"),
        Ok(n) => Ok(n),
        Err(_) => Err("error-import-quantity-invalid"),
    }
}

/// An amount in major units of the tenant's currency, negative for a credit note.
fn parse_amount(input: &str, currency: Currency) -> Result<i64, ErrorKey> {
    match input.trim().strip_prefix('-') {
        Some(rest) => money::parse_amount(rest, currency).map(|v| -v),
        None => money::parse_amount(input, currency),
    }
}

fn import_key(parts: &[&str], occurrence: u32) -> String {
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update([0x1f]);
    }
    hasher.update(occurrence.to_le_bytes());
    format!("sell-in:{}", hex::encode(hasher.finalize()))
}

struct SellInRow {
    partner: PartnerId,
    product: ProductId,
    date: NaiveDate,
    quantity: i32,
    amount_minor: i64,
    key: String,
}

pub(super) fn run_sell_in(
    conn: &mut PgConnection,
    tenant: TenantId,
    table: &Table,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    progress.start(Phase::Checking, table.rows.len() as u64);
    let names = Names::load(conn, tenant, table)?;
    let (zone, currency) = crate::db::tenants::zone_and_currency(conn, tenant)?;
    let today = zone.today(Utc::now());
    let mut refusal = Refusal::default();
    let mut occurrences: HashMap<String, u32> = HashMap::new();
    let mut rows = vec![];
    for record in &table.rows {
        let ids = names.resolve(table, record, &mut refusal);
        let cell = |name| table.cell(record, name);
        let date = parse_date(cell("date")).and_then(|d| {
            if !within_years(d) {
                Err("error-date-out-of-range")
            } else if d > today {
                Err("error-sale-date-future")
            } else {
                Ok(d)
            }
        });
        let quantity = parse_units(cell("quantity"), true);
        let amount = parse_amount(cell("amount"), currency);
        for (column, result) in [
            ("date", date.err()),
            ("quantity", quantity.err()),
            ("amount", amount.err()),
        ] {
            if let Some(key) = result {
                refusal.cell(record.line, column, key, cell(column), None);
            }
        }
        if let (Some((partner, product)), Ok(date), Ok(quantity), Ok(amount_minor)) =
            (ids, date, quantity, amount)
        {
            let reference = cell("reference");
            let (p, s) = (partner.to_string(), product.to_string());
            let (d, q, a) = (
                date.to_string(),
                quantity.to_string(),
                amount_minor.to_string(),
            );
            // The ERP's reference identifies the row when there is one; otherwise its
            // values do, the n-th identical row of a file being the n-th delivery.
            let parts: Vec<&str> = if reference.is_empty() {
                vec!["values", &p, &s, &d, &q, &a]
            } else {
                vec!["reference", &p, reference, &s]
            };
            let n = occurrences.entry(parts.join("\u{1f}")).or_insert(0);
            *n += 1;
            rows.push(SellInRow {
                partner,
                product,
                date,
                quantity,
                amount_minor,
                key: import_key(&parts, *n),
            });
        }
        progress.advance(1);
    }
    refusal.check()?;
    progress.start(Phase::Writing, rows.len() as u64);
    let mut summary = Summary::default();
    for chunk in rows.chunks(1000) {
        let new: Vec<NewSellIn> = chunk
            .iter()
            .map(|r| NewSellIn {
                tenant_id: tenant,
                partner_id: r.partner,
                product_id: r.product,
                sold_on: r.date,
                quantity: r.quantity,
                amount_minor: r.amount_minor,
                import_key: &r.key,
            })
            .collect();
        summary.created += stock::insert_sell_in(conn, &new)?;
        progress.advance(chunk.len() as u64);
    }
    summary.unchanged = rows.len() - summary.created;
    Ok(summary)
}

pub(super) fn run_opening(
    conn: &mut PgConnection,
    tenant: TenantId,
    table: &Table,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    progress.start(Phase::Checking, table.rows.len() as u64);
    let names = Names::load(conn, tenant, table)?;
    let mut refusal = Refusal::default();
    let mut seen = FirstSeen::new();
    let mut rows = vec![];
    for record in &table.rows {
        let ids = names.resolve(table, record, &mut refusal);
        let raw = table.cell(record, "quantity");
        let quantity = parse_units(raw, false);
        if let Err(key) = quantity {
            refusal.cell(record.line, "quantity", key, raw, None);
        }
        if let (Some(ids), Ok(quantity)) = (ids, quantity) {
            let key = format!("{}|{}", ids.0, ids.1);
            if let Some(first) = seen.earlier(&key, record.line) {
                let sku = table.cell(record, "sku");
                refusal.cell(
                    record.line,
                    "sku",
                    "error-import-duplicate",
                    sku,
                    Some(first),
                );
            }
            rows.push((ids, quantity));
        }
        progress.advance(1);
    }
    refusal.check()?;
    progress.start(Phase::Writing, rows.len() as u64);
    let partner_ids: Vec<PartnerId> = rows.iter().map(|((p, _), _)| *p).collect();
    let current = stock::opening_of_partners(conn, tenant, &partner_ids)?;
    let mut summary = Summary::default();
    for (ids, quantity) in rows {
        match current.get(&ids) {
            Some(q) if *q == quantity => summary.unchanged += 1,
            found => {
                stock::set_opening(conn, tenant, ids, quantity, Utc::now())?;
                if found.is_some() {
                    summary.updated += 1;
                } else {
                    summary.created += 1;
                }
            }
        }
        progress.advance(1);
    }
    Ok(summary)
}
