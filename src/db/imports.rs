//! What imports remember: each tenant's column mapping per kind of file, and the files
//! waiting for their columns to be mapped.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::{import_column_mappings as mappings, import_uploads as uploads};
use crate::domain::{TenantId, UploadId, UserId};

/// The mapping chosen for one kind of file: column → folded header, as JSON.
pub fn mapping(
    conn: &mut PgConnection,
    tenant: TenantId,
    kind: &str,
) -> QueryResult<Option<serde_json::Value>> {
    mappings::table
        .find((tenant, kind))
        .select(mappings::mapping)
        .first(conn)
        .optional()
}

/// Saves (or replaces) the mapping of a kind of file.
pub fn save_mapping(
    conn: &mut PgConnection,
    tenant: TenantId,
    kind: &str,
    columns: &serde_json::Value,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(mappings::table)
        .values((
            mappings::tenant_id.eq(tenant),
            mappings::kind.eq(kind),
            mappings::mapping.eq(columns),
            mappings::updated_by.eq(by),
            mappings::updated_at.eq(now),
        ))
        .on_conflict((mappings::tenant_id, mappings::kind))
        .do_update()
        .set((
            mappings::mapping.eq(excluded(mappings::mapping)),
            mappings::updated_by.eq(excluded(mappings::updated_by)),
            mappings::updated_at.eq(excluded(mappings::updated_at)),
        ))
        .execute(conn)
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = uploads)]
pub struct Upload {
    pub id: UploadId,
    pub user_id: UserId,
    pub kind: String,
    pub file_name: String,
    pub content: Vec<u8>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = uploads)]
pub struct NewUpload<'a> {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub kind: &'a str,
    pub file_name: &'a str,
    pub content: &'a [u8],
}

/// Keeps a file until its columns are mapped; returns its id.
pub fn insert_upload(conn: &mut PgConnection, new: &NewUpload) -> QueryResult<UploadId> {
    diesel::insert_into(uploads::table)
        .values(new)
        .returning(uploads::id)
        .get_result(conn)
}

/// A file this user uploaded.
pub fn find_upload(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    id: UploadId,
) -> QueryResult<Upload> {
    uploads::table
        .find((tenant, id))
        .filter(uploads::user_id.eq(user))
        .select(Upload::as_select())
        .first(conn)
}

pub fn delete_upload(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: UploadId,
) -> QueryResult<usize> {
    diesel::delete(uploads::table.find((tenant, id))).execute(conn)
}

/// Forgets the tenant's files uploaded before `before`.
pub fn delete_uploads_before(
    conn: &mut PgConnection,
    tenant: TenantId,
    before: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(
        uploads::table
            .filter(uploads::tenant_id.eq(tenant))
            .filter(uploads::created_at.lt(before)),
    )
    .execute(conn)
}
