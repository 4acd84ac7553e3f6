//! What a participant typed, checked field by field and line by line, with the points
//! each valid line earns.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::declarations as rows;
use crate::db::products::{self as products_db, Product};
use crate::domain::declarations::{
    line_points, parse_invoice_ref, parse_quantity, parse_sale_date, Channel, CustomerType,
    Multiplier, Rules,
};
use crate::domain::money::parse_amount;
use crate::domain::network::{optional_text, Sku};
use crate::domain::values::ErrorKey;
use crate::domain::{Currency, TenantId, UserId};
use crate::services::FieldErrors;

/// Most lines in one declaration.
pub const MAX_LINES: usize = 30;

/// One line as typed: the product (its SKU, or its name), the quantity, the unit price
/// (empty: the product's price).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LineInput {
    pub product: String,
    pub quantity: String,
    pub unit_price: String,
}

impl LineInput {
    pub fn is_blank(&self) -> bool {
        self.product.trim().is_empty()
            && self.quantity.trim().is_empty()
            && self.unit_price.trim().is_empty()
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DeclarationInput {
    pub sale_date: String,
    pub channel: String,
    pub invoice_ref: String,
    pub lines: Vec<LineInput>,
    pub customer_type: String,
    pub feedback: String,
    /// The form's one-time token (`services::once`): a form sent twice declares once.
    pub form_token: String,
}

/// Messages by field, and by field of each line (aligned with the input's lines).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeclarationErrors {
    pub fields: FieldErrors,
    pub lines: Vec<FieldErrors>,
}

impl DeclarationErrors {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.lines.iter().all(FieldErrors::is_empty)
    }
}

#[derive(Debug, Clone)]
pub struct ValidLine {
    pub product: Product,
    pub quantity: i32,
    pub unit_price_minor: i64,
    pub points: i64,
}

#[derive(Debug, Clone)]
pub struct ValidDeclaration {
    pub sale_date: NaiveDate,
    pub channel: Channel,
    pub invoice_ref: String,
    pub lines: Vec<ValidLine>,
    pub customer_type: Option<CustomerType>,
    pub feedback: Option<String>,
}

impl ValidDeclaration {
    pub fn points(&self) -> i64 {
        self.lines.iter().map(|l| l.points).sum()
    }

    pub fn amount_minor(&self) -> i64 {
        self.lines
            .iter()
            .map(|l| l.unit_price_minor.saturating_mul(i64::from(l.quantity)))
            .sum()
    }
}

/// The outcome of the checks: the declaration when everything is valid, the messages,
/// and what each line is worth so far (for the preview).
#[derive(Debug, Clone)]
pub struct Checked {
    pub valid: Option<ValidDeclaration>,
    pub errors: DeclarationErrors,
    pub lines: Vec<Option<ValidLine>>,
}

/// The multipliers of a line of `product` sold on `sale_date` by `participant`: the
/// highest that challenges grant (they never compound among themselves, see
/// `domain::challenges`), then the bonus of the participant's status tier at the time of
/// declaring, which compounds with it (a Gold ×1.25 in a ×1.5 challenge earns ×1.875).
pub fn multipliers(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: UserId,
    product: &Product,
    sale_date: NaiveDate,
) -> QueryResult<Vec<Multiplier>> {
    let challenge = crate::services::challenges::scoring::multiplier(
        conn,
        tenant,
        participant,
        product,
        sale_date,
    )?;
    let tier = crate::services::tiers::declaration_multiplier(conn, tenant, participant)?;
    Ok(challenge.into_iter().chain(tier.map(|(_, m)| m)).collect())
}

/// The product a line names: its SKU (what the picker fills in, possibly followed by
/// " — name"), or its exact name.
fn resolve_products(
    conn: &mut PgConnection,
    tenant: TenantId,
    texts: &[&str],
) -> QueryResult<Vec<Result<Product, ErrorKey>>> {
    let code = |t: &str| {
        let head = t.split(" — ").next().unwrap_or(t);
        Sku::parse(head).ok()
    };
    let skus: Vec<Sku> = texts.iter().filter_map(|t| code(t)).collect();
    let sku_refs: Vec<&str> = skus.iter().map(Sku::as_str).collect();
    let by_sku = products_db::by_skus(conn, tenant, &sku_refs)?;
    let names: Vec<String> = texts.iter().map(|t| t.trim().to_lowercase()).collect();
    let by_name = rows::products_by_lower_names(conn, tenant, &names)?;
    Ok(texts
        .iter()
        .map(|t| {
            if t.trim().is_empty() {
                return Err("error-required");
            }
            let found = code(t)
                .and_then(|c| by_sku.get(c.as_str()).cloned())
                .or_else(|| {
                    let lower = t.trim().to_lowercase();
                    by_name
                        .iter()
                        .find(|p| p.name.to_lowercase() == lower)
                        .cloned()
                });
            match found {
                Some(p) if p.active => Ok(p),
                Some(_) => Err("error-product-inactive"),
                None => Err("error-product-unknown"),
            }
        })
        .collect())
}

fn keep<T>(errors: &mut FieldErrors, name: &'static str, parsed: Result<T, ErrorKey>) -> Option<T> {
    parsed.map_err(|e| errors.insert(name, e)).ok()
}

/// Checks a declaration as of `today` (the tenant's local day) under the tenant's rules,
/// with typed prices read in the tenant's currency.
pub fn check(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: UserId,
    input: &DeclarationInput,
    rules: &Rules,
    (today, currency): (NaiveDate, Currency),
) -> QueryResult<Checked> {
    let mut errors = DeclarationErrors::default();
    // Refused before any query: every line is looked up, and the form never shows more
    // than MAX_LINES rows, so more are a crafted request.
    if input.lines.len() > MAX_LINES {
        errors.fields.insert("lines", "error-lines-too-many");
        return Ok(Checked {
            valid: None,
            errors,
            lines: vec![],
        });
    }
    let f = &mut errors.fields;
    let sale_date = keep(
        f,
        "sale_date",
        parse_sale_date(&input.sale_date, today, rules.window_days),
    );
    let channel = keep(
        f,
        "channel",
        Channel::parse(&input.channel).ok_or("error-channel-invalid"),
    );
    let invoice_ref = keep(f, "invoice_ref", parse_invoice_ref(&input.invoice_ref));
    let customer_type = match input.customer_type.trim() {
        "" => Some(None),
        t => keep(
            f,
            "customer_type",
            CustomerType::parse(t)
                .map(Some)
                .ok_or("error-customer-type-invalid"),
        ),
    };
    let feedback = keep(f, "feedback", optional_text(&input.feedback, 2000));

    let texts: Vec<&str> = input.lines.iter().map(|l| l.product.as_str()).collect();
    let products = resolve_products(conn, tenant, &texts)?;
    let mut lines = Vec::with_capacity(input.lines.len());
    for (line, product) in input.lines.iter().zip(products) {
        let mut e = FieldErrors::new();
        if line.is_blank() {
            errors.lines.push(e);
            lines.push(None);
            continue;
        }
        let product = keep(&mut e, "product", product);
        let quantity = keep(
            &mut e,
            "quantity",
            parse_quantity(&line.quantity, rules.max_quantity_per_line),
        );
        let price = match (line.unit_price.trim(), &product) {
            ("", Some(p)) => Some(p.unit_price_minor),
            ("", None) => None,
            (typed, _) => keep(&mut e, "unit_price", parse_amount(typed, currency)),
        };
        let valid = match (product, quantity, price) {
            (Some(product), Some(quantity), Some(unit_price_minor)) => {
                let date = sale_date.unwrap_or(today);
                let m = multipliers(conn, tenant, participant, &product, date)?;
                let points = line_points(product.points_per_unit, quantity, &m);
                Some(ValidLine {
                    product,
                    quantity,
                    unit_price_minor,
                    points,
                })
            }
            _ => None,
        };
        errors.lines.push(e);
        lines.push(valid);
    }
    if input.lines.iter().all(LineInput::is_blank) {
        errors.fields.insert("lines", "error-lines-required");
    }
    let valid = match (sale_date, channel, invoice_ref, customer_type, feedback) {
        (
            Some(sale_date),
            Some(channel),
            Some(invoice_ref),
            Some(customer_type),
            Some(feedback),
        ) if errors.is_empty() => Some(ValidDeclaration {
            sale_date,
            channel,
            invoice_ref,
            lines: lines.iter().flatten().cloned().collect(),
            customer_type,
            feedback,
        }),
        _ => None,
    };
    Ok(Checked {
        valid,
        errors,
        lines,
    })
}
