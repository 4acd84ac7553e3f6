//! When a file's headers do not name every required column, the import page shows the
//! file's headers and the user says which one holds each column. The choice is kept per
//! tenant and kind of file and applied to the next files automatically; the file waits
//! in the database (a day at most) while the user chooses.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::columns::{self, Mapping, Resolved};
use super::{csv_file, import, ImportError, ImportFile, ImportKind, Refusal, Silent, Summary};
use crate::db::imports::{self as rows, NewUpload};
use crate::db::users::User;
use crate::domain::{TenantId, UploadId};
use crate::services::audit::{self, Actor, Change};
use crate::services::ServiceError;

/// How long an uploaded file waits for its columns to be mapped.
const KEPT_HOURS: i64 = 24;

/// A column of the kind, and the file's header found for it (if any).
#[derive(Debug, Serialize)]
pub struct ColumnChoice {
    pub name: &'static str,
    pub required: bool,
    pub found: Option<String>,
}

/// What the mapping form shows: the file's headers and every column of its kind.
#[derive(Debug, Serialize)]
pub struct Choice {
    pub kind: ImportKind,
    pub headers: Vec<String>,
    pub columns: Vec<ColumnChoice>,
    /// The kept file, imported again once its columns are mapped.
    pub upload: Option<UploadId>,
}

impl Choice {
    pub fn new(kind: ImportKind, headers: &[String], resolved: &Resolved) -> Self {
        let found = |name: &str| {
            let at = resolved.keys.iter().position(|k| k == name);
            at.and_then(|i| headers.get(i)).cloned()
        };
        let required = kind.required_columns().iter().map(|c| (*c, true));
        let optional = kind.optional_columns().iter().map(|c| (*c, false));
        Choice {
            kind,
            headers: headers.to_vec(),
            columns: required
                .chain(optional)
                .map(|(name, required)| ColumnChoice {
                    name,
                    required,
                    found: found(name),
                })
                .collect(),
            upload: None,
        }
    }
}

/// The tenant's mapping for a kind of file (empty when none was chosen).
pub fn saved(
    conn: &mut PgConnection,
    tenant: TenantId,
    kind: ImportKind,
) -> Result<Mapping, ServiceError> {
    let Some(json) = rows::mapping(conn, tenant, kind.as_str())? else {
        return Ok(Mapping::new());
    };
    serde_json::from_value(json)
        .map_err(|e| ServiceError::Other(anyhow::anyhow!("stored column mapping: {e}")))
}

/// A file uploaded on the import page: imported, or refused; kept when its columns
/// need mapping.
pub fn upload(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    file: &ImportFile,
) -> Result<Summary, ImportError> {
    match import(conn, tenant, &Actor::user(user), file, &Silent) {
        Err(ImportError::Refused(refusal)) if refusal.columns.is_some() => {
            let id = keep(conn, tenant, user, file)?;
            Err(ImportError::Refused(with_upload(refusal, id)))
        }
        other => other,
    }
}

fn with_upload(mut refusal: Refusal, id: UploadId) -> Refusal {
    if let Some(choice) = refusal.columns.as_mut() {
        choice.upload = Some(id);
    }
    refusal
}

fn keep(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    file: &ImportFile,
) -> QueryResult<UploadId> {
    conn.transaction(|conn| {
        let stale = Utc::now() - Duration::hours(KEPT_HOURS);
        rows::delete_uploads_before(conn, tenant, stale)?;
        let new = NewUpload {
            tenant_id: tenant,
            user_id: user.id,
            kind: file.kind.as_str(),
            file_name: file.name,
            content: file.bytes,
        };
        rows::insert_upload(conn, &new)
    })
}

/// The header chosen for each column, by column name: the header's position in the
/// file, or `""` for none. Other names are ignored.
pub type Chosen = BTreeMap<String, String>;

/// Saves the columns chosen for a kept file, then imports it with them. The choice is
/// kept even when rows are then refused: the corrected file needs no mapping again.
pub fn map_and_import(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: &User,
    upload_id: UploadId,
    chosen: &Chosen,
) -> Result<Summary, ImportError> {
    let upload = rows::find_upload(conn, tenant, user.user_id(), upload_id)?;
    let kind = ImportKind::parse(&upload.kind).ok_or(ServiceError::NotFound)?;
    let file = ImportFile {
        kind,
        name: &upload.file_name,
        bytes: &upload.content,
    };
    let headers = csv_file::read(file.bytes)
        .map(|t| t.headers)
        .unwrap_or_default();
    let mut mapping = saved(conn, tenant, kind)?;
    let mut refusal = Refusal::default();
    let mut used: BTreeMap<usize, &str> = BTreeMap::new();
    for (column, _) in columns::aliases(kind) {
        let Some(choice) = chosen.get(*column).filter(|c| !c.is_empty()) else {
            continue;
        };
        let at = choice.parse::<usize>().ok().filter(|i| *i < headers.len());
        match at {
            None => refusal.cell(1, column, "error-import-mapping-invalid", choice, None),
            Some(i) if used.insert(i, *column).is_some() => {
                refusal.cell(1, column, "error-import-header-twice", &headers[i], None)
            }
            Some(i) => {
                mapping.insert((*column).to_string(), columns::fold(&headers[i]));
            }
        }
    }
    if !refusal.errors.is_empty() {
        let resolved = columns::resolve(kind, &headers, &mapping);
        refusal.columns = Some(Choice::new(kind, &headers, &resolved));
        return Err(ImportError::Refused(with_upload(refusal, upload_id)));
    }
    let actor = Actor::user(user);
    remember(conn, tenant, &actor, kind, &mapping)?;
    match import(conn, tenant, &actor, &file, &Silent) {
        Err(ImportError::Refused(refusal)) if refusal.columns.is_some() => {
            Err(ImportError::Refused(with_upload(refusal, upload_id)))
        }
        other => {
            rows::delete_upload(conn, tenant, upload_id)?;
            other
        }
    }
}

/// Saves a kind's mapping, audited.
fn remember(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    kind: ImportKind,
    mapping: &Mapping,
) -> Result<(), ServiceError> {
    let json = serde_json::to_value(mapping).map_err(|e| ServiceError::Other(e.into()))?;
    conn.transaction(|conn| {
        rows::save_mapping(conn, tenant, kind.as_str(), &json, actor.id, Utc::now())?;
        let after = serde_json::json!({ "kind": kind.as_str(), "columns": json });
        let change = Change::new("import.columns_mapped", "import", None).after(&after);
        audit::record(conn, tenant, actor, change)?;
        Ok(())
    })
}
