//! CSV imports of partners, participants, products, sell-in, opening stock and sell-out.
//! Columns are found by their names in English, French or Indonesian, else by the
//! tenant's mapping (`columns`, `mapping`). The whole file is checked first; nothing is
//! written unless every row is valid; then one transaction creates what is new and
//! updates what exists (matched on external code, email or SKU), so importing the same
//! file again changes nothing.

mod aliases;
mod catalog;
pub mod columns;
pub mod csv_file;
pub mod mapping;
mod participants;
mod sell_in;
pub mod sell_out;

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor, Change};
use super::{FieldErrors, ServiceError};
use crate::db::partners::Partners;
use crate::db::products::Products;
use crate::db::rewards::Rewards;
use crate::domain::values::ErrorKey;
use crate::domain::TenantId;
use columns::Mapping;
use csv_file::{Record, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    Partners,
    Participants,
    Products,
    #[serde(rename = "sell_in")]
    SellIn,
    #[serde(rename = "opening_stock")]
    OpeningStock,
    #[serde(rename = "sell_out")]
    SellOut,
    Rewards,
}

impl ImportKind {
    pub const ALL: [ImportKind; 7] = [
        Self::Partners,
        Self::Participants,
        Self::Products,
        Self::SellIn,
        Self::OpeningStock,
        Self::SellOut,
        Self::Rewards,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Partners => "partners",
            Self::Participants => "participants",
            Self::Products => "products",
            Self::SellIn => "sell_in",
            Self::OpeningStock => "opening_stock",
            Self::SellOut => "sell_out",
            Self::Rewards => "rewards",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Kinds only an admin may import: participants (accounts created, invited and moved
    /// between partners) and sell-out (declarations that may be approved into points).
    pub fn admin_only(self) -> bool {
        matches!(self, Self::Participants | Self::SellOut)
    }

    /// Columns every file of this kind must have (in any order).
    pub fn required_columns(self) -> &'static [&'static str] {
        match self {
            Self::Partners => &[
                "external_code",
                "name",
                "kind",
                "brand_mode",
                "region",
                "country",
                "potential",
            ],
            Self::Participants => &["email", "name", "partner_code"],
            Self::Products => &["sku", "name", "category", "unit_price", "points_per_unit"],
            Self::SellIn => sell_in::SELL_IN_REQUIRED,
            Self::OpeningStock => sell_in::OPENING_REQUIRED,
            Self::SellOut => sell_out::REQUIRED,
            Self::Rewards => &["code", "name", "category", "kind", "points"],
        }
    }

    /// Columns that may be left out or left empty.
    pub fn optional_columns(self) -> &'static [&'static str] {
        match self {
            Self::Partners => &["tier", "active"],
            Self::Participants => &["locale"],
            Self::Products => &["active"],
            Self::SellIn => &["reference"],
            Self::OpeningStock => &[],
            Self::SellOut => sell_out::OPTIONAL,
            Self::Rewards => &[
                "description",
                "stock",
                "max_per_participant",
                "available_from",
                "available_until",
                "active",
            ],
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            Self::Partners => "import.partners",
            Self::Participants => "import.participants",
            Self::Products => "import.products",
            Self::SellIn => "import.sell_in",
            Self::OpeningStock => "import.opening_stock",
            Self::SellOut => "import.sell_out",
            Self::Rewards => "import.rewards",
        }
    }
}

/// What is wrong with a row (or with the file, when `column` is `None`).
#[derive(Debug, Clone, Serialize)]
pub struct RowError {
    pub line: Option<u64>,
    pub column: Option<String>,
    /// Translation key; the message may use `value` and `other_line`.
    pub key: ErrorKey,
    pub value: String,
    pub other_line: Option<u64>,
}

/// Why a file was refused; only the first `MAX_SHOWN` errors are kept.
#[derive(Debug, Default, Serialize)]
pub struct Refusal {
    pub errors: Vec<RowError>,
    pub more: usize,
    /// When required columns were not found: the file's columns, to map them.
    pub columns: Option<mapping::Choice>,
    /// The kind of file refused.
    pub kind: Option<ImportKind>,
}

const MAX_SHOWN: usize = 1000;

impl Refusal {
    fn push(&mut self, e: RowError) {
        if self.errors.len() < MAX_SHOWN {
            self.errors.push(e);
        } else {
            self.more += 1;
        }
    }

    /// Names each error's column as the file does (`code_externe` rather than
    /// `external_code`).
    fn in_file_terms(mut self, table: &Table) -> Self {
        for e in &mut self.errors {
            if let Some(column) = &e.column {
                e.column = Some(table.header(column).to_string());
            }
        }
        self
    }

    /// Adds the field errors of the row at `line`, with the offending values.
    fn fields(&mut self, table: &Table, record: &Record, errors: FieldErrors) {
        for (column, key) in errors {
            self.cell(record.line, column, key, table.cell(record, column), None);
        }
    }

    fn cell(&mut self, line: u64, column: &str, key: ErrorKey, value: &str, other: Option<u64>) {
        self.push(RowError {
            line: Some(line),
            column: Some(column.to_string()),
            key,
            value: value.to_string(),
            other_line: other,
        });
    }

    /// `Err` when anything was wrong: then nothing may be written.
    fn check(self) -> Result<(), ImportError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ImportError::Refused(self))
        }
    }
}

/// Remembers the first line of each key, to report duplicates inside a file.
struct FirstSeen(HashMap<String, u64>);

impl FirstSeen {
    fn new() -> Self {
        FirstSeen(HashMap::new())
    }

    /// The earlier line with this key, if any.
    fn earlier(&mut self, key: &str, line: u64) -> Option<u64> {
        match self.0.get(key) {
            Some(first) => Some(*first),
            None => {
                self.0.insert(key.to_string(), line);
                None
            }
        }
    }
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub kind: Option<ImportKind>,
    pub file: String,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// New participants sent an invitation.
    pub invited: usize,
}

#[derive(Debug)]
pub enum ImportError {
    Refused(Refusal),
    Failed(ServiceError),
}

impl<E: Into<ServiceError>> From<E> for ImportError {
    fn from(e: E) -> Self {
        ImportError::Failed(e.into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Checking,
    Writing,
}

/// Told how far an import has got (the command line draws a progress bar).
pub trait Progress {
    fn start(&self, _phase: Phase, _total: u64) {}
    fn advance(&self, _n: u64) {}
}

/// No progress reporting.
pub struct Silent;

impl Progress for Silent {}

pub struct ImportFile<'a> {
    pub kind: ImportKind,
    /// The file's name, for the audit log.
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Checks the whole file, then writes it in one transaction, or refuses it whole.
pub fn import(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    file: &ImportFile,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    import_table(conn, tenant, actor, file, progress).map_err(|e| match e {
        ImportError::Refused(mut refusal) => {
            refusal.kind = Some(file.kind);
            ImportError::Refused(refusal)
        }
        failed => failed,
    })
}

fn import_table(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    file: &ImportFile,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    let saved = mapping::saved(conn, tenant, file.kind)?;
    let table = read_checked(file, &saved)?;
    write_table(
        conn,
        tenant,
        actor,
        (file.kind, file.name),
        &table,
        progress,
    )
}

/// Rows sent through the integration API, in the import's own columns: checked and
/// written exactly as a file of `kind` would be (errors name a row by its index).
pub fn import_rows(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    kind: ImportKind,
    columns: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<Summary, ImportError> {
    let table = Table::from_rows(columns, rows);
    write_table(conn, tenant, actor, (kind, "api"), &table, &Silent)
}

fn write_table(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    (kind, name): (ImportKind, &str),
    table: &Table,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    let file = ImportFile {
        kind,
        name,
        bytes: &[],
    };
    conn.transaction(|conn| {
        let mut summary = match file.kind {
            ImportKind::Partners => catalog::run::<Partners>(conn, tenant, table, progress),
            ImportKind::Participants => participants::run(conn, tenant, actor, table, progress),
            ImportKind::Products => catalog::run::<Products>(conn, tenant, table, progress),
            ImportKind::Rewards => catalog::run::<Rewards>(conn, tenant, table, progress),
            ImportKind::SellIn => sell_in::run_sell_in(conn, tenant, table, progress),
            ImportKind::OpeningStock => sell_in::run_opening(conn, tenant, table, progress),
            ImportKind::SellOut => {
                let by = sell_out::Uploader::Brand;
                sell_out::run(conn, tenant, &by, table, progress)
            }
        }
        .map_err(|e| in_file_terms(e, table))?;
        summary.kind = Some(file.kind);
        summary.file = file.name.to_string();
        summary.rows = table.rows.len();
        if summary.created + summary.updated > 0 {
            let change = Change::new(file.kind.audit_action(), "import", None).after(&summary);
            audit::record(conn, tenant, actor, change)?;
        }
        Ok(summary)
    })
}

fn in_file_terms(e: ImportError, table: &Table) -> ImportError {
    match e {
        ImportError::Refused(refusal) => ImportError::Refused(refusal.in_file_terms(table)),
        failed => failed,
    }
}

/// The file's table with its columns found, or why it cannot be imported. When required
/// columns are missing, the refusal offers the file's headers to map them.
fn read_checked(file: &ImportFile, saved: &Mapping) -> Result<Table, ImportError> {
    let mut table = csv_file::read(file.bytes).map_err(|errors| {
        let mut refusal = Refusal::default();
        errors.into_iter().for_each(|e| refusal.push(e));
        ImportError::Refused(refusal)
    })?;
    let resolved = columns::resolve(file.kind, &table.headers, saved);
    let mut refusal = Refusal::default();
    for (column, header) in &resolved.twice {
        refusal.cell(1, column, "error-import-duplicate-column", header, None);
    }
    for column in &resolved.missing {
        refusal.cell(1, column, "error-import-missing-column", column, None);
    }
    if !resolved.missing.is_empty() {
        refusal.columns = Some(mapping::Choice::new(file.kind, &table.headers, &resolved));
    }
    refusal.check()?;
    table.keys = resolved.keys;
    Ok(table)
}
