//! Partners from CSV, matched on `external_code`.

use diesel::prelude::*;

use super::csv_file::Table;
use super::{FirstSeen, ImportError, Phase, Progress, Refusal, Summary};
use crate::db::partners as rows;
use crate::domain::network::{parse_flag, ExternalCode};
use crate::domain::TenantId;
use crate::services::partners::{validate, PartnerInput, ValidPartner};

pub(super) fn run(
    conn: &mut PgConnection,
    tenant: TenantId,
    table: &Table,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    progress.start(Phase::Checking, table.rows.len() as u64);
    let mut refusal = Refusal::default();
    let mut seen = FirstSeen::new();
    let mut valid: Vec<(ValidPartner, Option<bool>)> = vec![];
    for record in &table.rows {
        let cell = |name| table.cell(record, name).to_string();
        let input = PartnerInput {
            external_code: cell("external_code"),
            name: cell("name"),
            kind: cell("kind"),
            brand_mode: cell("brand_mode"),
            region: cell("region"),
            country: cell("country"),
            tier: cell("tier"),
            potential: cell("potential"),
        };
        let active = parse_flag(&cell("active"));
        if let Err(key) = active {
            refusal.cell(record.line, "active", key, &cell("active"), None);
        }
        if let Ok(key) = ExternalCode::parse(&input.external_code) {
            if let Some(first) = seen.earlier(key.as_str(), record.line) {
                let value = key.as_str();
                refusal.cell(
                    record.line,
                    "external_code",
                    "error-import-duplicate",
                    value,
                    Some(first),
                );
            }
        }
        match validate(&input) {
            Ok(partner) => valid.push((partner, active.unwrap_or(None))),
            Err(errors) => refusal.fields(table, record, errors),
        }
        progress.advance(1);
    }
    refusal.check()?;

    progress.start(Phase::Writing, valid.len() as u64);
    let codes: Vec<&str> = valid
        .iter()
        .map(|(p, _)| p.external_code.as_str())
        .collect();
    let existing = rows::by_codes(conn, tenant, &codes)?;
    let mut summary = Summary::default();
    let mut new_rows = vec![];
    for (partner, active) in &valid {
        let Some(current) = existing.get(partner.external_code.as_str()) else {
            new_rows.push(partner.new_row(tenant, active.unwrap_or(true)));
            continue;
        };
        let mut changed = false;
        if partner.differs_from(current) {
            rows::update(conn, tenant, current.id, &partner.changes())?;
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
