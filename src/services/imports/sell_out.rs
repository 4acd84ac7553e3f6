//! Sell-out declarations from CSV, one row per line of an invoice: uploaded by a
//! participant (for their partner) or by the brand (naming partner and participant).
//! Each row is identified by (partner, invoice reference, line number), so a file
//! imported again adds nothing; the rows of one invoice become one declaration, checked
//! and flagged like those of the portal.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use diesel::prelude::*;

use super::csv_file::{Record, Table};
use super::{
    in_file_terms, mapping, read_checked, FirstSeen, ImportError, ImportFile, Phase, Progress,
    Refusal, Summary,
};
use crate::db::declarations as declaration_rows;
use crate::db::declarations::rules as rules_db;
use crate::db::partners;
use crate::db::products::{self, Product};
use crate::db::users::User;
use crate::db::{participants, users};
use crate::domain::declarations::{
    line_points, normalize_invoice_ref, parse_invoice_ref, parse_quantity, parse_sale_date,
    Channel, CustomerType, Rules,
};
use crate::domain::money::parse_amount;
use crate::domain::network::{ExternalCode, Sku};
use crate::domain::values::ErrorKey;
use crate::domain::Currency;
use crate::domain::{EmailAddress, PartnerId, Role, TenantId};
use crate::services::audit::{self, Actor, Change};
use crate::services::catalog::field;
use crate::services::declarations::{
    multipliers, record_declaration, DeclarationError, Record as NewRecord, ValidDeclaration,
    ValidLine, MAX_LINES,
};
use crate::services::{is_unique_violation, FieldErrors, ServiceError};

pub const REQUIRED: &[&str] = &[
    "invoice_ref",
    "line",
    "sale_date",
    "channel",
    "sku",
    "quantity",
];
pub const OPTIONAL: &[&str] = &[
    "unit_price",
    "partner_code",
    "participant_email",
    "customer_type",
];

/// Who uploads: the brand names each row's partner and participant; a participant's
/// rows are their partner's, declared by them unless they name a colleague.
pub enum Uploader<'a> {
    Brand,
    Participant(&'a User),
}

struct Row {
    line: u64,
    participant: User,
    partner: PartnerId,
    invoice_ref: String,
    line_no: i32,
    sale_date: chrono::NaiveDate,
    channel: Channel,
    customer_type: Option<CustomerType>,
    product: Product,
    quantity: i32,
    unit_price_minor: i64,
}

impl Row {
    fn import_key(&self) -> String {
        import_key(self.partner, &self.invoice_ref, self.line_no)
    }
}

/// What identifies a row: its partner, invoice and line, as they are understood (line
/// "01" is line 1; a blank partner code is the uploading participant's partner).
fn import_key(partner: PartnerId, invoice_ref: &str, line_no: i32) -> String {
    let invoice = normalize_invoice_ref(invoice_ref);
    format!("{partner}|{invoice}|{line_no}")
}

fn parse_line_no(input: &str) -> Result<i32, ErrorKey> {
    match input.trim().parse::<i32>() {
        Ok(n) if (1..=10_000).contains(&n) => Ok(n),
        _ if input.trim().is_empty() => Err("error-required"),
        _ => Err("error-import-line-invalid"),
    }
}

/// Looks up what the rows name, once.
struct Context {
    partners: HashMap<String, PartnerId>,
    products: HashMap<String, Product>,
    people: HashMap<String, User>,
    rules: Rules,
    /// The tenant's local day (sale dates are judged against it) and currency.
    today: chrono::NaiveDate,
    currency: Currency,
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn context(conn: &mut PgConnection, tenant: TenantId, table: &Table) -> QueryResult<Context> {
    let (zone, currency) = crate::db::tenants::zone_and_currency(conn, tenant)?;
    let column = |name: &str, parse: fn(&str) -> Option<String>| -> Vec<String> {
        table
            .rows
            .iter()
            .filter_map(|r| parse(table.cell(r, name)))
            .collect()
    };
    let codes = column("partner_code", |s| {
        ExternalCode::parse(s).ok().map(|c| c.as_str().into())
    });
    let skus = column("sku", |s| Sku::parse(s).ok().map(|c| c.as_str().into()));
    let emails = column("participant_email", |s| {
        EmailAddress::parse(s).ok().map(|c| c.as_str().into())
    });
    Ok(Context {
        partners: partners::by_codes(conn, tenant, &refs(&codes))?
            .into_iter()
            .map(|(code, p)| (code, p.id))
            .collect(),
        products: products::by_skus(conn, tenant, &refs(&skus))?,
        people: participants::by_emails(conn, tenant, &refs(&emails))?,
        rules: rules_db::find(conn, tenant)?,
        today: zone.today(Utc::now()),
        currency,
    })
}

/// The row's partner: the one its code names, or (left blank) the uploader's own.
fn partner_of(ctx: &Context, by: &Uploader, code: &str) -> Result<PartnerId, ErrorKey> {
    match (by, code.trim()) {
        (Uploader::Participant(me), "") => me.partner_id.ok_or("error-required"),
        (_, "") => Err("error-required"),
        (by, code) => {
            let code = ExternalCode::parse(code)?;
            let id = *ctx
                .partners
                .get(code.as_str())
                .ok_or("error-partner-code-unknown")?;
            match by {
                Uploader::Participant(me) if me.partner_id != Some(id) => {
                    Err("error-import-not-your-partner")
                }
                _ => Ok(id),
            }
        }
    }
}

/// The row's partner and participant, by who uploads.
fn who(
    ctx: &Context,
    by: &Uploader,
    code: &str,
    email: &str,
) -> Result<(PartnerId, User), (&'static str, ErrorKey)> {
    let partner = partner_of(ctx, by, code).map_err(|e| ("partner_code", e))?;
    let participant = match (by, email.trim()) {
        (Uploader::Participant(me), "") => (*me).clone(),
        (_, "") => return Err(("participant_email", "error-required")),
        (_, email) => {
            let email = EmailAddress::parse(email).map_err(|e| ("participant_email", e))?;
            let user = ctx
                .people
                .get(email.as_str())
                .ok_or(("participant_email", "error-import-participant-unknown"))?;
            if user.role() != Role::Participant || user.disabled {
                return Err(("participant_email", "error-import-not-participant"));
            }
            if user.partner_id != Some(partner) {
                return Err((
                    "participant_email",
                    "error-import-participant-other-partner",
                ));
            }
            user.clone()
        }
    };
    Ok((partner, participant))
}

fn check_row(
    ctx: &Context,
    by: &Uploader,
    table: &Table,
    record: &Record,
    refusal: &mut Refusal,
) -> Option<Row> {
    let cell = |name| table.cell(record, name);
    let today = ctx.today;
    let rules = &ctx.rules;
    let mut e = FieldErrors::new();
    let invoice_ref = field(
        &mut e,
        "invoice_ref",
        parse_invoice_ref(cell("invoice_ref")),
    );
    let line_no = field(&mut e, "line", parse_line_no(cell("line")));
    // A row's message has no room for the rule's figure: the import keys say it plainly.
    let sale_date =
        parse_sale_date(cell("sale_date"), today, rules.window_days).map_err(|k| match k {
            "error-sale-date-too-old" => "error-import-sale-date-too-old",
            other => other,
        });
    let sale_date = field(&mut e, "sale_date", sale_date);
    let channel = Channel::parse(&cell("channel").replace('-', "_")).ok_or("error-channel-invalid");
    let channel = field(&mut e, "channel", channel);
    let customer_type = match cell("customer_type") {
        "" => Ok(None),
        t => CustomerType::parse(t)
            .map(Some)
            .ok_or("error-customer-type-invalid"),
    };
    let customer_type = field(&mut e, "customer_type", customer_type);
    let product = Sku::parse(cell("sku")).and_then(|s| {
        let p = ctx
            .products
            .get(s.as_str())
            .ok_or("error-product-unknown")?;
        if p.active {
            Ok(p.clone())
        } else {
            Err("error-product-inactive")
        }
    });
    let product = field(&mut e, "sku", product);
    let quantity =
        parse_quantity(cell("quantity"), rules.max_quantity_per_line).map_err(|k| match k {
            "error-quantity-cap" => "error-import-quantity-cap",
            other => other,
        });
    let quantity = field(&mut e, "quantity", quantity);
    let price = match (cell("unit_price"), &product) {
        ("", Some(p)) => Some(p.unit_price_minor),
        ("", None) => None,
        (typed, _) => field(&mut e, "unit_price", parse_amount(typed, ctx.currency)),
    };
    let people = who(ctx, by, cell("partner_code"), cell("participant_email"));
    let people = people.map_err(|(column, key)| e.insert(column, key)).ok();
    refusal.fields(table, record, e);
    let (partner, participant) = people?;
    Some(Row {
        line: record.line,
        participant,
        partner,
        invoice_ref: invoice_ref?,
        line_no: line_no?,
        sale_date: sale_date?,
        channel: channel?,
        customer_type: customer_type?,
        product: product?,
        quantity: quantity?,
        unit_price_minor: price?,
    })
}

pub(super) fn run(
    conn: &mut PgConnection,
    tenant: TenantId,
    by: &Uploader,
    table: &Table,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    progress.start(Phase::Checking, table.rows.len() as u64);
    let ctx = context(conn, tenant, table)?;
    let mut refusal = Refusal::default();
    let mut seen = FirstSeen::new();
    let mut rows = vec![];
    for record in &table.rows {
        // Duplicates are found on what identifies a row, even on rows with other errors:
        // two rows with one import key would break its uniqueness when written.
        let cell = |name| table.cell(record, name);
        let identity = (
            partner_of(&ctx, by, cell("partner_code")),
            parse_invoice_ref(cell("invoice_ref")),
            parse_line_no(cell("line")),
        );
        if let (Ok(partner), Ok(invoice), Ok(line_no)) = identity {
            let key = import_key(partner, &invoice, line_no);
            if let Some(first) = seen.earlier(&key, record.line) {
                let line = cell("line");
                refusal.cell(
                    record.line,
                    "line",
                    "error-import-duplicate",
                    line,
                    Some(first),
                );
            }
        }
        if let Some(row) = check_row(&ctx, by, table, record, &mut refusal) {
            rows.push(row);
        }
        progress.advance(1);
    }
    // The rows of one invoice must agree on what describes the whole sale, and be no
    // more than one declaration may have.
    let mut first_of: HashMap<(PartnerId, String), (&Row, usize)> = HashMap::new();
    for row in &rows {
        let group = (row.partner, normalize_invoice_ref(&row.invoice_ref));
        let (first, count) = first_of.entry(group).or_insert((row, 0));
        *count += 1;
        let first = *first;
        if *count == MAX_LINES + 1 {
            refusal.cell(
                row.line,
                "line",
                "error-import-invoice-too-many-lines",
                &row.invoice_ref,
                Some(first.line),
            );
        }
        let differs = first.sale_date != row.sale_date
            || first.channel != row.channel
            || first.participant.id != row.participant.id;
        if differs {
            refusal.cell(
                row.line,
                "invoice_ref",
                "error-import-invoice-mismatch",
                &row.invoice_ref,
                Some(first.line),
            );
        }
    }
    refusal.check()?;

    progress.start(Phase::Writing, rows.len() as u64);
    let keys: Vec<String> = rows.iter().map(Row::import_key).collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let done: HashSet<String> = declaration_rows::existing_import_keys(conn, tenant, &key_refs)?
        .into_iter()
        .collect();
    let mut summary = Summary::default();
    let mut groups: BTreeMap<(u64, PartnerId), Vec<Row>> = BTreeMap::new();
    let mut group_of: HashMap<(PartnerId, String), (u64, PartnerId)> = HashMap::new();
    for row in rows {
        if done.contains(&row.import_key()) {
            summary.unchanged += 1;
            progress.advance(1);
            continue;
        }
        let id = *group_of
            .entry((row.partner, normalize_invoice_ref(&row.invoice_ref)))
            .or_insert((row.line, row.partner));
        groups.entry(id).or_default().push(row);
    }
    let now = Utc::now();
    for lines in groups.into_values() {
        let first = &lines[0];
        let mut valid_lines = vec![];
        for row in &lines {
            let m = multipliers(
                conn,
                tenant,
                first.participant.user_id(),
                &row.product,
                first.sale_date,
            )?;
            valid_lines.push(ValidLine {
                points: line_points(row.product.points_per_unit, row.quantity, &m),
                product: row.product.clone(),
                quantity: row.quantity,
                unit_price_minor: row.unit_price_minor,
            });
        }
        let valid = ValidDeclaration {
            sale_date: first.sale_date,
            channel: first.channel,
            invoice_ref: first.invoice_ref.clone(),
            lines: valid_lines,
            customer_type: first.customer_type,
            feedback: None,
        };
        let record = NewRecord {
            participant: &first.participant,
            partner: first.partner,
            valid: &valid,
            line_nos: lines.iter().map(|r| r.line_no).collect(),
            import_keys: lines.iter().map(Row::import_key).collect(),
            proofs: &[],
            source: "import",
            by_participant: matches!(by, Uploader::Participant(_)),
        };
        record_declaration(conn, tenant, &record, &ctx.rules, now)
            .map_err(|e| write_error(e, first))?;
        summary.created += 1;
        progress.advance(lines.len() as u64);
    }
    Ok(summary)
}

/// Why a declaration could not be written: a row error on the first line of its invoice
/// when the file is at fault, a failure otherwise. The transaction is rolled back.
fn write_error(e: DeclarationError, first: &Row) -> ImportError {
    let mut refusal = Refusal::default();
    let mut refuse = |column: &str, key: ErrorKey| {
        refusal.cell(first.line, column, key, &first.invoice_ref, None);
    };
    match e {
        DeclarationError::Invalid(errors) => {
            for (field, key) in errors.fields {
                refuse(if field == "lines" { "line" } else { field }, key);
            }
            for key in errors.lines.into_iter().flat_map(|l| l.into_values()) {
                refuse("line", key);
            }
        }
        // Another upload wrote the same lines since this one looked for them.
        DeclarationError::Db(ref db) if is_unique_violation(db, "declaration_lines_import_key") => {
            refuse("invoice_ref", "error-import-imported-meanwhile")
        }
        DeclarationError::Db(e) => return ImportError::Failed(ServiceError::Db(e)),
        other => return ImportError::Failed(ServiceError::Other(anyhow::anyhow!(other))),
    }
    match refusal.check() {
        Err(refused) => refused,
        // An invalid declaration without a message: not the file's fault.
        Ok(()) => ImportError::Failed(ServiceError::Other(anyhow::anyhow!(
            "a declaration of invoice {} was refused without a reason",
            first.invoice_ref
        ))),
    }
}

/// A participant uploads their partner's sell-out.
pub fn import_for_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: &User,
    file: &ImportFile,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    // The brand's mapping applies; only its admins choose it.
    let saved = mapping::saved(conn, tenant, file.kind)?;
    let table = read_checked(file, &saved).map_err(|e| match e {
        ImportError::Refused(mut refusal) => {
            refusal.columns = None;
            ImportError::Refused(refusal)
        }
        failed => failed,
    })?;
    let me = users::find(conn, tenant, participant.user_id())?;
    let actor = Actor::user(&me);
    conn.transaction(|conn| {
        let by = Uploader::Participant(&me);
        let mut summary =
            run(conn, tenant, &by, &table, progress).map_err(|e| in_file_terms(e, &table))?;
        summary.file = file.name.to_string();
        summary.rows = table.rows.len();
        if summary.created > 0 {
            let change = Change::new("import.sell_out", "import", None).after(&summary);
            audit::record(conn, tenant, &actor, change)?;
        }
        Ok(summary)
    })
}
