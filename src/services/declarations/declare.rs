//! Declaring a sale: checked, stored with its proofs, flagged where it needs a person's
//! review, and approved at once when the tenant allows it and nothing was flagged.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::proofs::{self, CheckedProof, ProofUpload};
use super::review::{self, Decider};
use super::validate::{self, DeclarationErrors, DeclarationInput, ValidDeclaration};
use super::DeclarationError;
use crate::db::declarations::{self as rows, Declaration, Line, NewDeclaration, NewProof};
use crate::db::users::User;
use crate::db::{declarations::rules as rules_db, stock, tenants, Lock};
use crate::domain::declarations::Status;
use crate::domain::declarations::{flags, normalize_invoice_ref, CheckInput, Rules, StockCheck};
use crate::domain::{PartnerId, ProductId, TenantId};
use crate::services::once::{self, Claim};

/// A stored declaration, and whether it was approved at once.
#[derive(Debug, Clone)]
pub struct Declared {
    pub declaration: Declaration,
    pub auto_approved: bool,
}

/// What the form shows before submitting: each line's unit price and points, the total.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Preview {
    /// The product each line names, when it names one.
    pub line_products: Vec<Option<String>>,
    pub line_prices: Vec<Option<i64>>,
    pub line_points: Vec<Option<i64>>,
    pub total_points: i64,
    pub total_amount_minor: i64,
    pub errors: DeclarationErrors,
    /// The participant's status tier and its multiplier ("1.25"), included in the points.
    pub tier_bonus: Option<(String, String)>,
}

fn partner_of(participant: &User) -> Result<PartnerId, DeclarationError> {
    participant.partner_id.ok_or(DeclarationError::NoPartner)
}

/// The points the declaration would earn, line by line, without storing anything.
pub fn preview(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: &User,
    input: &DeclarationInput,
    now: DateTime<Utc>,
) -> Result<Preview, DeclarationError> {
    partner_of(participant)?;
    let rules = rules_db::find(conn, tenant)?;
    let (zone, currency) = tenants::zone_and_currency(conn, tenant)?;
    let checked = validate::check(
        conn,
        tenant,
        participant.user_id(),
        input,
        &rules,
        (zone.today(now), currency),
    )?;
    let lines = &checked.lines;
    Ok(Preview {
        line_products: lines
            .iter()
            .map(|l| l.as_ref().map(|l| l.product.name.clone()))
            .collect(),
        line_prices: lines
            .iter()
            .map(|l| l.as_ref().map(|l| l.unit_price_minor))
            .collect(),
        line_points: lines.iter().map(|l| l.as_ref().map(|l| l.points)).collect(),
        total_points: lines.iter().flatten().map(|l| l.points).sum(),
        total_amount_minor: lines
            .iter()
            .flatten()
            .map(|l| l.unit_price_minor.saturating_mul(l.quantity.into()))
            .sum(),
        errors: checked.errors,
        tier_bonus: crate::services::tiers::declaration_multiplier(
            conn,
            tenant,
            participant.user_id(),
        )?
        .map(|(name, m)| (name, crate::domain::tiers::multiplier_text(m.0 as i32))),
    })
}

/// A participant declares a sale of their partner, with up to five proofs.
pub fn declare(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: &User,
    input: &DeclarationInput,
    uploads: Vec<ProofUpload>,
    now: DateTime<Utc>,
) -> Result<Declared, DeclarationError> {
    declare_from(conn, tenant, (participant, "portal"), input, uploads, now)
}

/// `declare`, from a `source` other than the portal (the integration API: `"api"`).
pub fn declare_from(
    conn: &mut PgConnection,
    tenant: TenantId,
    (participant, source): (&User, &'static str),
    input: &DeclarationInput,
    uploads: Vec<ProofUpload>,
    now: DateTime<Utc>,
) -> Result<Declared, DeclarationError> {
    let partner = partner_of(participant)?;
    // Decoding images is slow: done before the transaction opens.
    let checked_proofs = proofs::check(uploads);
    conn.transaction(|conn| {
        if let Claim::Repeat(first) = once::claim(conn, tenant, &input.form_token, now)? {
            // Sent twice: the first declaration stands, shown again.
            let id = first.ok_or(DeclarationError::NotFound)?;
            let declaration = rows::find(conn, tenant, id, Lock::Unlocked)?;
            let auto_approved = declaration.status == Status::Approved.as_str();
            return Ok(Declared {
                declaration,
                auto_approved,
            });
        }
        let rules = rules_db::find(conn, tenant)?;
        let (zone, currency) = tenants::zone_and_currency(conn, tenant)?;
        let checked = validate::check(
            conn,
            tenant,
            participant.user_id(),
            input,
            &rules,
            (zone.today(now), currency),
        )?;
        let mut errors = checked.errors;
        if let Err(key) = &checked_proofs {
            errors.fields.insert("proofs", key);
        }
        let (Some(valid), Ok(proofs)) = (checked.valid, &checked_proofs) else {
            return Err(DeclarationError::Invalid(Box::new(errors)));
        };
        let line_nos = (1..=valid.lines.len() as i32).collect();
        let record = Record {
            participant,
            partner,
            valid: &valid,
            line_nos,
            import_keys: vec![],
            proofs,
            source,
            by_participant: true,
        };
        let declared = record_declaration(conn, tenant, &record, &rules, now)?;
        once::settle(conn, tenant, &input.form_token, declared.declaration.id)?;
        Ok(declared)
    })
}

/// A declaration ready to be stored (from the portal or a CSV import).
pub(crate) struct Record<'a> {
    pub participant: &'a User,
    pub partner: PartnerId,
    pub valid: &'a ValidDeclaration,
    /// The number of each line (1, 2, … in the portal; the file's line numbers in imports).
    pub line_nos: Vec<i32>,
    /// Each line's import key (empty outside imports).
    pub import_keys: Vec<String>,
    pub proofs: &'a [CheckedProof],
    pub source: &'static str,
    /// Declared by a participant (in the portal, or in a file they uploaded): counts
    /// towards their daily limit. The brand's uploads are many sales at once by design.
    pub by_participant: bool,
}

/// Stores a checked declaration in the caller's transaction: flags it, and approves it
/// at once when the rules allow and nothing was flagged.
pub(crate) fn record_declaration(
    conn: &mut PgConnection,
    tenant: TenantId,
    record: &Record,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<Declared, DeclarationError> {
    let valid = record.valid;
    // Two copies of one invoice sent at once: the second waits here for the first to
    // commit, then its duplicate check finds it.
    rows::lock_invoice(
        conn,
        tenant,
        record.partner,
        &normalize_invoice_ref(&valid.invoice_ref),
    )?;
    let found = check_flags(conn, tenant, record, rules, now)?;
    crate::db::analytics::mark_active(conn, tenant, record.participant.id, now)?;
    let codes: Vec<Option<&str>> = found.iter().map(|f| Some(f.as_str())).collect();
    let declaration = rows::insert(
        conn,
        &NewDeclaration {
            tenant_id: tenant,
            participant_id: record.participant.id,
            partner_id: record.partner,
            sale_date: valid.sale_date,
            channel: valid.channel.as_str(),
            invoice_ref: &valid.invoice_ref,
            flags: codes,
            customer_type: valid.customer_type.map(|c| c.as_str()),
            feedback: valid.feedback.as_deref(),
            source: record.source,
            points: valid.points(),
            amount_minor: valid.amount_minor(),
            created_at: now,
            updated_at: now,
        },
    )?;
    let lines: Vec<Line> = valid
        .lines
        .iter()
        .zip(&record.line_nos)
        .enumerate()
        .map(|(i, (l, line_no))| Line {
            tenant_id: tenant,
            declaration_id: declaration.id,
            line_no: *line_no,
            product_id: l.product.id,
            quantity: l.quantity,
            unit_price_minor: l.unit_price_minor,
            points: l.points,
            import_key: record.import_keys.get(i).cloned(),
        })
        .collect();
    rows::insert_lines(conn, &lines)?;
    let new_proofs: Vec<NewProof> = record
        .proofs
        .iter()
        .zip(1i16..)
        .map(|(p, n)| NewProof {
            tenant_id: tenant,
            declaration_id: declaration.id,
            n,
            content_type: p.content_type,
            file_name: &p.file_name,
            size: i32::try_from(p.bytes.len()).unwrap_or(i32::MAX),
            bytes: &p.bytes,
            thumbnail: p.thumbnail.as_deref(),
        })
        .collect();
    if !new_proofs.is_empty() {
        rows::insert_proofs(conn, &new_proofs)?;
    }
    if rules.auto_approve && found.is_empty() {
        let approved = review::approve_in(conn, tenant, &Decider::Automatic, declaration, now)?;
        return Ok(Declared {
            declaration: approved,
            auto_approved: true,
        });
    }
    Ok(Declared {
        declaration,
        auto_approved: false,
    })
}

fn check_flags(
    conn: &mut PgConnection,
    tenant: TenantId,
    record: &Record,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<Vec<crate::domain::declarations::Flag>, DeclarationError> {
    let valid = record.valid;
    let partner = record.partner;
    let normalized = normalize_invoice_ref(&valid.invoice_ref);
    let same_invoice = !rows::same_invoice(conn, tenant, partner, &normalized, None)?.is_empty();
    let mut declared: BTreeMap<ProductId, i64> = BTreeMap::new();
    for l in &valid.lines {
        *declared.entry(l.product.id).or_default() += i64::from(l.quantity);
    }
    let products: Vec<ProductId> = declared.keys().copied().collect();
    let stock_checks = if stock::has_supply_data(conn, tenant, partner)? {
        let supply = stock::supply(conn, tenant, partner, &products)?;
        let sold = stock::approved_sold(conn, tenant, partner, &products)?;
        declared
            .iter()
            .map(|(product, qty)| StockCheck {
                known_supply: Some(supply.get(product).copied().unwrap_or(0)),
                approved_sold: sold.get(product).copied().unwrap_or(0),
                declared: *qty,
            })
            .collect()
    } else {
        vec![]
    };
    // "A day" is the tenant's: 23:30 in Jakarta counts on that Jakarta day.
    let (zone, _) = tenants::zone_and_currency(conn, tenant)?;
    let (start, end) = zone.day_of(now);
    let today =
        rows::count_submitted_between(conn, tenant, record.participant.user_id(), start, end)?;
    let input = CheckInput {
        same_invoice_declared: same_invoice,
        stock: stock_checks,
        points: valid.points(),
        declarations_today: if record.by_participant { today + 1 } else { 0 },
    };
    Ok(flags(&input, rules))
}
