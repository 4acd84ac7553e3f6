//! One mechanism for catalog-like entities (partners, products; next missions,
//! challenges, rewards), in the spirit of Lemmy's `Crud`: an entity says how its input
//! is validated and stored (`Catalog`), and gets listing (filters, sort, pages in SQL),
//! create / update / activate with audit, CSV export here and CSV import in
//! `services::imports::catalog`, written once.

pub mod export;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::audit::{self, Actor, Change};
use super::once::{self, Claim};
use super::{is_unique_violation, page_offset, FieldErrors, ServiceError};
use crate::db::catalog::{CatalogRow, CatalogTable};
use crate::domain::values::ErrorKey;
use crate::domain::{Currency, TenantId};

/// A catalog entity: its input as typed in a form or a CSV row, how it is checked, and
/// how the checked value becomes a row.
pub trait Catalog: Sized + 'static {
    type Table: CatalogTable;
    /// Every field a string, named like the CSV columns.
    type Input: Default + Clone + Serialize + DeserializeOwned + Send + 'static;
    type Valid;
    /// The list page: a page of rows and what its filters offer.
    type ListView: Serialize + Send + 'static;

    /// Audit subject; actions are `<subject>.created` and `<subject>.updated`.
    const SUBJECT: &'static str;
    /// The input field that identifies a row in files (matched on by imports).
    const KEY: &'static str;
    /// The unique constraint on the key, and the error shown when it is taken.
    const KEY_TAKEN: (&'static str, ErrorKey);
    /// The input's fields, in the order of exported files.
    const COLUMNS: &'static [&'static str];

    /// Checks every field (amounts in the tenant's `currency`); errors are keyed by field
    /// (= CSV column) name.
    fn validate(input: &Self::Input, currency: Currency) -> Result<Self::Valid, FieldErrors>;
    /// The checked key (upper-cased code or SKU).
    fn key(valid: &Self::Valid) -> &str;
    fn new_row(
        valid: &Self::Valid,
        tenant: TenantId,
        active: bool,
    ) -> <Self::Table as CatalogTable>::New<'_>;
    fn changes(
        valid: &Self::Valid,
        now: DateTime<Utc>,
    ) -> <Self::Table as CatalogTable>::Changes<'_>;
    /// Whether saving `valid` would change `row` (its active flag aside).
    fn differs(valid: &Self::Valid, row: &Row<Self>) -> bool;
    /// The row as its form shows it (and as files and the audit log carry it).
    fn input_of(row: &Row<Self>, currency: Currency) -> Self::Input;

    fn list_view(
        conn: &mut PgConnection,
        tenant: TenantId,
        filter: &Filter<Self>,
        page: i64,
        per_page: i64,
    ) -> Result<Self::ListView, ServiceError>;

    /// What the form offers besides its values (kinds, suggestions…).
    fn choices(
        _conn: &mut PgConnection,
        _tenant: TenantId,
    ) -> Result<serde_json::Value, ServiceError> {
        Ok(serde_json::Value::Null)
    }

    /// The values of a new row's form.
    fn defaults() -> Self::Input {
        Self::Input::default()
    }
}

pub type Row<E> = <<E as Catalog>::Table as CatalogTable>::Row;

/// An entity's id type (`PartnerId`, `ProductId`).
pub type IdOf<E> = crate::db::catalog::Id<<E as Catalog>::Table>;
pub type Filter<E> = <<E as Catalog>::Table as CatalogTable>::Filter;

/// The parsed value, or `None` with the error recorded against the field.
pub fn field<T>(
    errors: &mut FieldErrors,
    name: &'static str,
    parsed: Result<T, ErrorKey>,
) -> Option<T> {
    parsed.map_err(|e| errors.insert(name, e)).ok()
}

/// What the audit log keeps of a row: its fields as typed, and whether it is active.
pub fn audit_view<E: Catalog>(row: &Row<E>, currency: Currency) -> serde_json::Value {
    let mut view = serde_json::to_value(E::input_of(row, currency)).unwrap_or_default();
    if let Some(fields) = view.as_object_mut() {
        fields.insert("active".into(), row.active().into());
    }
    view
}

/// The tenant's currency: catalog amounts are typed and shown in it.
pub fn currency_of(conn: &mut PgConnection, tenant: TenantId) -> QueryResult<Currency> {
    crate::db::tenants::zone_and_currency(conn, tenant).map(|(_, c)| c)
}

fn key_taken<E: Catalog>(e: ServiceError) -> ServiceError {
    let (constraint, key) = E::KEY_TAKEN;
    match e {
        ServiceError::Db(ref db) if is_unique_violation(db, constraint) => {
            ServiceError::field(E::KEY, key)
        }
        other => other,
    }
}

fn action<E: Catalog>(what: &str) -> String {
    format!("{}.{what}", E::SUBJECT)
}

pub fn find<E: Catalog>(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: IdOf<E>,
) -> Result<Row<E>, ServiceError> {
    Ok(E::Table::find(conn, tenant, id)?)
}

/// Creates a row. `form_token` is the form's one-time token (`services::once`): the same
/// form sent twice creates one row and answers both with it.
pub fn create<E: Catalog>(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &E::Input,
    form_token: &str,
) -> Result<Row<E>, ServiceError> {
    let currency = currency_of(conn, tenant)?;
    let valid = E::validate(input, currency).map_err(ServiceError::Invalid)?;
    conn.transaction(|conn| {
        if let Claim::Repeat(first) = once::claim::<IdOf<E>>(conn, tenant, form_token, Utc::now())?
        {
            let id = first.ok_or(ServiceError::NotFound)?;
            return Ok(E::Table::find(conn, tenant, id)?);
        }
        let row = E::Table::insert(conn, &E::new_row(&valid, tenant, true))?;
        let action = action::<E>("created");
        let change = Change::new(&action, E::SUBJECT, Some(row.id().into()))
            .after(&audit_view::<E>(&row, currency));
        audit::record(conn, tenant, actor, change)?;
        once::settle(conn, tenant, form_token, row.id())?;
        Ok(row)
    })
    .map_err(key_taken::<E>)
}

pub fn update<E: Catalog>(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: IdOf<E>,
    input: &E::Input,
) -> Result<Row<E>, ServiceError> {
    conn.transaction(|conn| {
        let before = E::Table::find(conn, tenant, id)?;
        let currency = currency_of(conn, tenant)?;
        let valid = E::validate(input, currency).map_err(ServiceError::Invalid)?;
        if !E::differs(&valid, &before) {
            return Ok(before);
        }
        let after = E::Table::update(conn, tenant, id, &E::changes(&valid, Utc::now()))?;
        let action = action::<E>("updated");
        let change = Change::new(&action, E::SUBJECT, Some(id.into()))
            .before(&audit_view::<E>(&before, currency))
            .after(&audit_view::<E>(&after, currency));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
    .map_err(key_taken::<E>)
}

/// Deactivates (or reactivates) a row; nothing is deleted.
pub fn set_active<E: Catalog>(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: IdOf<E>,
    active: bool,
) -> Result<Row<E>, ServiceError> {
    conn.transaction(|conn| {
        let before = E::Table::find(conn, tenant, id)?;
        if before.active() == active {
            return Ok(before);
        }
        let after = E::Table::set_active(conn, tenant, id, active, Utc::now())?;
        let action = action::<E>("updated");
        let change = Change::new(&action, E::SUBJECT, Some(id.into()))
            .before(&serde_json::json!({ "active": before.active() }))
            .after(&serde_json::json!({ "active": active }));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
}

/// `create`, `update`, `set_active` and `find` of one entity, as module functions.
#[macro_export]
macro_rules! catalog_services {
    ($entity:ty, $row:ty, $input:ty) => {
        pub fn create(
            conn: &mut diesel::pg::PgConnection,
            tenant: $crate::domain::TenantId,
            actor: &$crate::services::audit::Actor,
            input: &$input,
        ) -> Result<$row, $crate::services::ServiceError> {
            // Scripts and imports have no form: no one-time token.
            $crate::services::catalog::create::<$entity>(conn, tenant, actor, input, "")
        }

        pub fn update(
            conn: &mut diesel::pg::PgConnection,
            tenant: $crate::domain::TenantId,
            actor: &$crate::services::audit::Actor,
            id: $crate::services::catalog::IdOf<$entity>,
            input: &$input,
        ) -> Result<$row, $crate::services::ServiceError> {
            $crate::services::catalog::update::<$entity>(conn, tenant, actor, id, input)
        }

        /// Deactivates (or reactivates) a row; nothing is deleted.
        pub fn set_active(
            conn: &mut diesel::pg::PgConnection,
            tenant: $crate::domain::TenantId,
            actor: &$crate::services::audit::Actor,
            id: $crate::services::catalog::IdOf<$entity>,
            active: bool,
        ) -> Result<$row, $crate::services::ServiceError> {
            $crate::services::catalog::set_active::<$entity>(conn, tenant, actor, id, active)
        }

        pub fn find(
            conn: &mut diesel::pg::PgConnection,
            tenant: $crate::domain::TenantId,
            id: $crate::services::catalog::IdOf<$entity>,
        ) -> Result<$row, $crate::services::ServiceError> {
            $crate::services::catalog::find::<$entity>(conn, tenant, id)
        }
    };
}

/// A form's values: the row being edited (none for a new one), its fields as typed,
/// and what the form offers.
#[derive(Serialize)]
#[serde(bound = "")]
pub struct Form<E: Catalog> {
    pub row: Option<Row<E>>,
    pub input: E::Input,
    pub choices: serde_json::Value,
    /// The one-time token a new row's form carries (empty when editing).
    pub form_token: String,
}

/// The form of row `id`, or of a new row.
pub fn form<E: Catalog>(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Option<IdOf<E>>,
) -> Result<Form<E>, ServiceError> {
    let row = id.map(|id| E::Table::find(conn, tenant, id)).transpose()?;
    let currency = currency_of(conn, tenant)?;
    Ok(Form {
        input: row
            .as_ref()
            .map_or_else(E::defaults, |r| E::input_of(r, currency)),
        form_token: if row.is_none() {
            once::new_token()
        } else {
            String::new()
        },
        row,
        choices: E::choices(conn, tenant)?,
    })
}

/// What saving a form did: saved the row, or refused the input (the form to show again).
pub enum Saved<E: Catalog> {
    Done(Row<E>),
    Refused(FieldErrors, Form<E>),
}

/// Creates (`id` = `None`) or updates a row from its form.
pub fn save<E: Catalog>(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: Option<IdOf<E>>,
    input: E::Input,
    form_token: &str,
) -> Result<Saved<E>, ServiceError> {
    let saved = match id {
        Some(id) => update::<E>(conn, tenant, actor, id, &input),
        None => create::<E>(conn, tenant, actor, &input, form_token),
    };
    match saved {
        Ok(row) => Ok(Saved::Done(row)),
        Err(ServiceError::Invalid(errors)) => {
            let mut form = form::<E>(conn, tenant, id)?;
            form.input = input;
            // Refused input rolled the token back: the corrected form sends it again.
            if id.is_none() && !form_token.is_empty() {
                form.form_token = form_token.to_string();
            }
            Ok(Saved::Refused(errors, form))
        }
        Err(e) => Err(e),
    }
}

/// A page of a list, with what the pager needs.
#[derive(Debug, Serialize)]
pub struct Listing<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

impl<T> Listing<T> {
    pub fn new(rows: Vec<T>, total: i64, page: i64, per_page: i64) -> Self {
        let pages = ((total + per_page - 1) / per_page).max(1);
        Listing {
            rows,
            total,
            page,
            pages,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listing<U> {
        Listing {
            rows: self.rows.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            pages: self.pages,
        }
    }
}

/// Page `page` (from 1) of the rows `filter` takes, filtered, sorted and cut in SQL.
pub fn list<E: Catalog>(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &Filter<E>,
    page: i64,
    per_page: i64,
) -> Result<Listing<Row<E>>, ServiceError> {
    let page = page.max(1);
    let offset = page_offset(page, per_page);
    let (rows, total) = E::Table::search(conn, tenant, filter, offset, per_page)?;
    Ok(Listing::new(rows, total, page, per_page))
}

/// The input's fields in `COLUMNS` order.
pub fn input_values<E: Catalog>(input: &E::Input) -> Vec<String> {
    let value = serde_json::to_value(input).unwrap_or_default();
    E::COLUMNS
        .iter()
        .map(|c| match value.get(c) {
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => String::new(),
        })
        .collect()
}

/// An input from named cells (a CSV row); absent cells are empty.
pub fn input_from<E: Catalog>(cell: impl Fn(&str) -> String) -> E::Input {
    let fields: serde_json::Map<String, serde_json::Value> = E::COLUMNS
        .iter()
        .map(|c| ((*c).to_string(), cell(c).into()))
        .collect();
    serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default()
}
