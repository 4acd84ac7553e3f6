//! Catalog entities (partners, products…) from CSV, matched on their key: new keys are
//! created, known ones updated; an `active` column (yes/no) may switch rows on or off.

use chrono::Utc;
use diesel::prelude::*;

use super::csv_file::Table;
use super::{FirstSeen, ImportError, Phase, Progress, Refusal, Summary};
use crate::db::catalog::{CatalogRow, CatalogTable};
use crate::domain::network::parse_flag;
use crate::domain::TenantId;
use crate::services::catalog::{input_from, Catalog};

pub(super) fn run<E: Catalog>(
    conn: &mut PgConnection,
    tenant: TenantId,
    table: &Table,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    progress.start(Phase::Checking, table.rows.len() as u64);
    let currency = crate::services::catalog::currency_of(conn, tenant)?;
    let mut refusal = Refusal::default();
    let mut seen = FirstSeen::new();
    let mut valid: Vec<(E::Valid, Option<bool>)> = vec![];
    for record in &table.rows {
        let cell = |name: &str| table.cell(record, name).to_string();
        let active = parse_flag(&cell("active"));
        if let Err(key) = active {
            refusal.cell(record.line, "active", key, &cell("active"), None);
        }
        match E::validate(&input_from::<E>(cell), currency) {
            Ok(v) => {
                if let Some(first) = seen.earlier(E::key(&v), record.line) {
                    let line = record.line;
                    refusal.cell(
                        line,
                        E::KEY,
                        "error-import-duplicate",
                        E::key(&v),
                        Some(first),
                    );
                }
                valid.push((v, active.unwrap_or(None)));
            }
            Err(errors) => refusal.fields(table, record, errors),
        }
        progress.advance(1);
    }
    refusal.check()?;

    progress.start(Phase::Writing, valid.len() as u64);
    let keys: Vec<&str> = valid.iter().map(|(v, _)| E::key(v)).collect();
    let existing = E::Table::by_keys(conn, tenant, &keys)?;
    let mut summary = Summary::default();
    let mut new_rows = vec![];
    let now = Utc::now();
    for (v, active) in &valid {
        let Some(current) = existing.get(E::key(v)) else {
            new_rows.push(E::new_row(v, tenant, active.unwrap_or(true)));
            continue;
        };
        let mut changed = false;
        if E::differs(v, current) {
            E::Table::update(conn, tenant, current.id(), &E::changes(v, now))?;
            changed = true;
        }
        if let Some(active) = active.filter(|a| *a != current.active()) {
            E::Table::set_active(conn, tenant, current.id(), active, now)?;
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
        summary.created += E::Table::insert_many(conn, chunk)?;
        progress.advance(chunk.len() as u64);
    }
    Ok(summary)
}
