//! Storage shared by catalog-like entities (partners, products; next missions,
//! challenges, rewards): a table with `tenant_id`, `id`, a unique business key, an
//! `active` flag and `updated_at`. `catalog_table!` writes its queries once; each entity
//! module keeps only its rows, its filters and its sort orders.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::QueryResult;
use serde::Serialize;

use crate::domain::TenantId;

/// How a list is sorted: one of the entity's sort keys, ascending or descending.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sort {
    pub key: String,
    pub descending: bool,
}

impl Sort {
    /// `name` or `-name` when `name` is one of `keys`; else the first key, ascending.
    pub fn parse(input: &str, keys: &[&str]) -> Sort {
        let (descending, key) = match input.trim().strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, input.trim()),
        };
        match keys.iter().find(|k| **k == key) {
            Some(k) => Sort {
                key: (*k).to_string(),
                descending,
            },
            None => Sort {
                key: keys.first().map_or_else(String::new, |k| (*k).to_string()),
                descending: false,
            },
        }
    }
}

/// `%text%` for ILIKE, with the wildcard characters of `text` escaped.
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// What every catalog row answers.
pub trait CatalogRow {
    /// The entity's id type (`PartnerId`, `ProductId`).
    type Id: Copy
        + Eq
        + std::hash::Hash
        + std::fmt::Display
        + std::str::FromStr
        + Serialize
        + serde::de::DeserializeOwned
        + Into<i64>
        + From<i64>
        + Send
        + 'static;

    fn id(&self) -> Self::Id;
    fn active(&self) -> bool;
    /// The business key files match rows on (external code, SKU).
    fn key(&self) -> &str;
}

/// The queries of a catalog table, written by `catalog_table!`.
pub trait CatalogTable: 'static {
    type Row: CatalogRow + Clone + Serialize + Send + 'static;
    type New<'a>;
    type Changes<'a>;
    type Filter: Default + Send + 'static;

    fn find(conn: &mut PgConnection, tenant: TenantId, id: Id<Self>) -> QueryResult<Self::Row>;
    fn by_keys(
        conn: &mut PgConnection,
        tenant: TenantId,
        keys: &[&str],
    ) -> QueryResult<HashMap<String, Self::Row>>;
    fn insert(conn: &mut PgConnection, new: &Self::New<'_>) -> QueryResult<Self::Row>;
    fn insert_many(conn: &mut PgConnection, new: &[Self::New<'_>]) -> QueryResult<usize>;
    fn update(
        conn: &mut PgConnection,
        tenant: TenantId,
        id: Id<Self>,
        changes: &Self::Changes<'_>,
    ) -> QueryResult<Self::Row>;
    fn set_active(
        conn: &mut PgConnection,
        tenant: TenantId,
        id: Id<Self>,
        active: bool,
        now: DateTime<Utc>,
    ) -> QueryResult<Self::Row>;
    /// One page of the rows `filter` takes, in its order, and how many it takes in all.
    fn search(
        conn: &mut PgConnection,
        tenant: TenantId,
        filter: &Self::Filter,
        offset: i64,
        limit: i64,
    ) -> QueryResult<(Vec<Self::Row>, i64)>;
}

/// The id type of a catalog table's rows.
pub type Id<T> = <<T as CatalogTable>::Row as CatalogRow>::Id;

/// Orders a boxed query by one of `sort`'s keys (each a list of columns), ties by `$tie`;
/// the first key is the default (an empty or unknown key sorts by it, ascending).
#[macro_export]
macro_rules! sort_by {
    ($q:expr, $sort:expr, $tie:expr, {
        $first:literal => [$($fcol:expr),+]
        $(, $key:literal => [$($col:expr),+])* $(,)?
    }) => {{
        let q = $q;
        let sort: &$crate::db::catalog::Sort = $sort;
        match (sort.key.as_str(), sort.descending) {
            ($first, true) => q.order(($($fcol.desc(),)+ $tie)),
            $(
                ($key, false) => q.order(($($col.asc(),)+ $tie)),
                ($key, true) => q.order(($($col.desc(),)+ $tie)),
            )*
            _ => q.order(($($fcol.asc(),)+ $tie)),
        }
    }};
}

/// The queries of a catalog table, as module functions and as its `CatalogTable`.
/// The module provides `filtered(tenant, &Filter) -> BoxedQuery` (which may start from
/// the generated `narrowed`) and `ordered(BoxedQuery, &Filter) -> BoxedQuery`.
#[macro_export]
macro_rules! catalog_table {
    ($marker:ident, $table:ident, $row:ident, $id:ident, $new:ident, $changes:ident, $filter:ident, key = $key:ident) => {
        /// The table as a catalog (see `db::catalog`).
        pub struct $marker;

        /// The tenant's rows whose name or key contains `search`, active or not.
        fn narrowed<'a>(
            tenant: TenantId,
            search: Option<&str>,
            active: Option<bool>,
        ) -> $table::BoxedQuery<'a, diesel::pg::Pg> {
            let mut q = $table::table
                .filter($table::tenant_id.eq(tenant))
                .into_boxed();
            if let Some(text) = search {
                let pattern = $crate::db::catalog::contains_pattern(text);
                q = q.filter(
                    $table::name
                        .ilike(pattern.clone())
                        .or($table::$key.ilike(pattern)),
                );
            }
            if let Some(active) = active {
                q = q.filter($table::active.eq(active));
            }
            q
        }

        impl $crate::db::catalog::CatalogRow for $row {
            type Id = $id;

            fn id(&self) -> $id {
                self.id
            }
            fn active(&self) -> bool {
                self.active
            }
            fn key(&self) -> &str {
                &self.$key
            }
        }

        pub fn find(conn: &mut PgConnection, tenant: TenantId, id: $id) -> QueryResult<$row> {
            $table::table
                .find((tenant, id))
                .select($row::as_select())
                .first(conn)
        }

        /// The rows with these keys, by key.
        pub fn by_keys(
            conn: &mut PgConnection,
            tenant: TenantId,
            keys: &[&str],
        ) -> QueryResult<std::collections::HashMap<String, $row>> {
            let rows: Vec<$row> = $table::table
                .filter($table::tenant_id.eq(tenant))
                .filter($table::$key.eq_any(keys))
                .select($row::as_select())
                .load(conn)?;
            Ok(rows.into_iter().map(|r| (r.$key.clone(), r)).collect())
        }

        pub fn search(
            conn: &mut PgConnection,
            tenant: TenantId,
            filter: &$filter,
            offset: i64,
            limit: i64,
        ) -> QueryResult<(Vec<$row>, i64)> {
            let total = filtered(tenant, filter).count().get_result(conn)?;
            let rows = ordered(filtered(tenant, filter), filter)
                .select($row::as_select())
                .offset(offset)
                .limit(limit)
                .load(conn)?;
            Ok((rows, total))
        }

        impl $crate::db::catalog::CatalogTable for $marker {
            type Row = $row;
            type New<'a> = $new<'a>;
            type Changes<'a> = $changes<'a>;
            type Filter = $filter;

            fn find(conn: &mut PgConnection, tenant: TenantId, id: $id) -> QueryResult<$row> {
                find(conn, tenant, id)
            }

            fn by_keys(
                conn: &mut PgConnection,
                tenant: TenantId,
                keys: &[&str],
            ) -> QueryResult<std::collections::HashMap<String, $row>> {
                by_keys(conn, tenant, keys)
            }

            fn insert(conn: &mut PgConnection, new: &$new<'_>) -> QueryResult<$row> {
                diesel::insert_into($table::table)
                    .values(new)
                    .returning($row::as_returning())
                    .get_result(conn)
            }

            fn insert_many(conn: &mut PgConnection, new: &[$new<'_>]) -> QueryResult<usize> {
                diesel::insert_into($table::table).values(new).execute(conn)
            }

            fn update(
                conn: &mut PgConnection,
                tenant: TenantId,
                id: $id,
                changes: &$changes<'_>,
            ) -> QueryResult<$row> {
                diesel::update($table::table.find((tenant, id)))
                    .set(changes)
                    .returning($row::as_returning())
                    .get_result(conn)
            }

            fn set_active(
                conn: &mut PgConnection,
                tenant: TenantId,
                id: $id,
                active: bool,
                now: chrono::DateTime<chrono::Utc>,
            ) -> QueryResult<$row> {
                diesel::update($table::table.find((tenant, id)))
                    .set(($table::active.eq(active), $table::updated_at.eq(now)))
                    .returning($row::as_returning())
                    .get_result(conn)
            }

            fn search(
                conn: &mut PgConnection,
                tenant: TenantId,
                filter: &$filter,
                offset: i64,
                limit: i64,
            ) -> QueryResult<(Vec<$row>, i64)> {
                search(conn, tenant, filter, offset, limit)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_are_one_of_the_keys() {
        let keys = ["name", "code"];
        let by = |s: &str| {
            let s = Sort::parse(s, &keys);
            (s.key, s.descending)
        };
        assert_eq!(by("-code"), ("code".into(), true));
        assert_eq!(by("name"), ("name".into(), false));
        assert_eq!(by("-password; drop"), ("name".into(), false));
        assert_eq!(by(""), ("name".into(), false));
    }
}
