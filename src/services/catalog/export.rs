//! A catalog's rows as a CSV file whose columns are the import's: a file exported,
//! edited in a spreadsheet and imported again updates the same rows.

use diesel::prelude::*;

use super::{input_values, Catalog, Filter};
use crate::db::catalog::{CatalogRow, CatalogTable};
use crate::domain::values::spreadsheet_safe;
use crate::domain::TenantId;
use crate::services::ServiceError;

/// Rows read per query while exporting.
const CHUNK: i64 = 1000;

/// Every row `filter` takes, in its order (UTF-8, comma-separated, a header line).
pub fn to_csv<E: Catalog>(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &Filter<E>,
) -> Result<Vec<u8>, ServiceError> {
    let mut out = csv::Writer::from_writer(vec![]);
    let failed = |e: csv::Error| ServiceError::Other(anyhow::anyhow!("writing the CSV: {e}"));
    let header = E::COLUMNS.iter().copied().chain(["active"]);
    out.write_record(header).map_err(failed)?;
    let currency = super::currency_of(conn, tenant)?;
    let mut offset = 0;
    loop {
        let (rows, _) = E::Table::search(conn, tenant, filter, offset, CHUNK)?;
        for row in &rows {
            let values = input_values::<E>(&E::input_of(row, currency));
            // Cells are typed by people: shown by a spreadsheet, never run as formulas.
            let mut record: Vec<String> = values.iter().map(|v| spreadsheet_safe(v)).collect();
            record.push(if row.active() { "yes" } else { "no" }.to_string());
            out.write_record(&record).map_err(failed)?;
        }
        if (rows.len() as i64) < CHUNK {
            break;
        }
        offset += CHUNK;
    }
    out.into_inner()
        .map_err(|e| ServiceError::Other(anyhow::anyhow!("writing the CSV: {e}")))
}
