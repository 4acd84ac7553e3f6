//! What the pages show: a participant's list and declaration, the review queue and the
//! reviewer's detail with the reasons of its flags and the partner's history.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::DeclarationError;
use crate::db::declarations::{
    self as rows, Decision, Declaration, Line, ProofInfo, QueueFilter, QueueRow,
};
use crate::db::partners::{self, Partner};
use crate::db::products::Product;
use crate::db::users::{self, User};
use crate::db::{stock, Lock};
use crate::domain::declarations::{normalize_invoice_ref, Flag, Reason, Status};
use crate::domain::{DeclarationId, ProductId, TenantId};
use crate::services::page_offset;
use crate::services::partners::Listing;

#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub line: Line,
    pub sku: String,
    pub product_name: String,
    pub amount_minor: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub decision: Decision,
    pub by_name: Option<String>,
    pub reason_key: Option<String>,
    pub reason_text: Option<String>,
}

fn decision_view(decision: Decision, by_name: Option<String>) -> DecisionView {
    let reason = decision.reason.as_deref().map(Reason::from_stored);
    DecisionView {
        by_name,
        reason_key: reason.as_ref().and_then(Reason::key),
        reason_text: match reason {
            Some(Reason::Written(t)) => Some(t),
            _ => None,
        },
        decision,
    }
}

/// A declaration with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    pub declaration: Declaration,
    pub lines: Vec<LineView>,
    pub proofs: Vec<ProofInfo>,
    pub decisions: Vec<DecisionView>,
    pub latest: Option<DecisionView>,
    pub partner: Partner,
    pub participant: User,
    pub can_withdraw: bool,
}

fn detail(conn: &mut PgConnection, tenant: TenantId, d: Declaration) -> QueryResult<Detail> {
    let lines = rows::lines_of(conn, tenant, &[d.id])?;
    let ids: Vec<ProductId> = lines.iter().map(|l| l.product_id).collect();
    let products = rows::products_by_ids(conn, tenant, &ids)?;
    let lines = lines
        .into_iter()
        .map(|line| {
            let p = products.get(&line.product_id);
            LineView {
                sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
                product_name: p.map(|p| p.name.clone()).unwrap_or_default(),
                amount_minor: line.unit_price_minor.saturating_mul(line.quantity.into()),
                line,
            }
        })
        .collect();
    let decisions: Vec<DecisionView> = rows::decisions_of(conn, tenant, d.id)?
        .into_iter()
        .map(|(x, by_name)| decision_view(x, by_name))
        .collect();
    Ok(Detail {
        lines,
        proofs: rows::proofs_of(conn, tenant, d.id)?,
        latest: decisions.last().cloned(),
        decisions,
        partner: partners::find(conn, tenant, d.partner_id)?,
        participant: users::find(conn, tenant, d.participant_id)?,
        can_withdraw: d.status == Status::Submitted.as_str(),
        declaration: d,
    })
}

/// A participant's own declaration; anyone else's is not found.
pub fn detail_for_participant(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: &User,
    id: DeclarationId,
) -> Result<Detail, DeclarationError> {
    let d = rows::find(conn, tenant, id, Lock::Unlocked)?;
    if d.participant_id != participant.id {
        return Err(DeclarationError::NotFound);
    }
    Ok(detail(conn, tenant, d)?)
}

/// What a stock flag rests on, per product.
#[derive(Debug, Clone, Serialize)]
pub struct StockFigure {
    pub sku: String,
    pub product_name: String,
    pub supply: i64,
    pub approved_sold: i64,
    pub declared: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    pub code: String,
    /// Other declarations of the partner with the same invoice reference.
    pub same_invoice: Vec<(DeclarationId, String)>,
    pub stock: Vec<StockFigure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewDetail {
    pub detail: Detail,
    pub flags: Vec<FlagView>,
    pub history: Vec<QueueRow>,
}

/// A declaration as its reviewer sees it.
pub fn detail_for_reviewer(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: DeclarationId,
) -> Result<ReviewDetail, DeclarationError> {
    let d = rows::find(conn, tenant, id, Lock::Unlocked)?;
    let detail = detail(conn, tenant, d)?;
    let d = &detail.declaration;
    let mut flags = vec![];
    for code in d.flag_codes() {
        let mut view = FlagView {
            code: code.to_string(),
            same_invoice: vec![],
            stock: vec![],
        };
        match Flag::parse(code) {
            Some(Flag::DuplicateInvoice) => {
                let normalized = normalize_invoice_ref(&d.invoice_ref);
                view.same_invoice =
                    rows::same_invoice(conn, tenant, d.partner_id, &normalized, Some(d.id))?;
            }
            Some(Flag::ExceedsStock) => view.stock = stock_figures(conn, tenant, &detail)?,
            _ => {}
        }
        flags.push(view);
    }
    let history = rows::history_of_partner(conn, tenant, d.partner_id, 10)?;
    Ok(ReviewDetail {
        detail,
        flags,
        history,
    })
}

fn stock_figures(
    conn: &mut PgConnection,
    tenant: TenantId,
    detail: &Detail,
) -> QueryResult<Vec<StockFigure>> {
    let partner = detail.declaration.partner_id;
    let ids: Vec<ProductId> = detail.lines.iter().map(|l| l.line.product_id).collect();
    let supply = stock::supply(conn, tenant, partner, &ids)?;
    let sold = stock::approved_sold(conn, tenant, partner, &ids)?;
    Ok(detail
        .lines
        .iter()
        .map(|l| StockFigure {
            sku: l.sku.clone(),
            product_name: l.product_name.clone(),
            supply: supply.get(&l.line.product_id).copied().unwrap_or(0),
            approved_sold: sold.get(&l.line.product_id).copied().unwrap_or(0),
            declared: l.line.quantity.into(),
        })
        .collect())
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnRow {
    pub declaration: Declaration,
    pub decided_at: Option<DateTime<Utc>>,
    pub reason_key: Option<String>,
    pub reason_text: Option<String>,
}

pub type OwnList = Listing<OwnRow>;

/// A page of the participant's declarations, newest first, with the latest reasons.
pub fn list_own(
    conn: &mut PgConnection,
    tenant: TenantId,
    participant: &User,
    page: i64,
    per_page: i64,
) -> Result<OwnList, DeclarationError> {
    let page = page.max(1);
    let offset = page_offset(page, per_page);
    let (list, total) =
        rows::list_of_participant(conn, tenant, participant.user_id(), offset, per_page)?;
    let ids: Vec<DeclarationId> = list.iter().map(|d| d.id).collect();
    let latest: HashMap<DeclarationId, Decision> = rows::latest_decisions(conn, tenant, &ids)?
        .into_iter()
        .map(|d| (d.declaration_id, d))
        .collect();
    let rows = list
        .into_iter()
        .map(|declaration| {
            let view = latest
                .get(&declaration.id)
                .cloned()
                .map(|d| decision_view(d, None));
            OwnRow {
                decided_at: view.as_ref().map(|v| v.decision.decided_at),
                reason_key: view.as_ref().and_then(|v| v.reason_key.clone()),
                reason_text: view.and_then(|v| v.reason_text),
                declaration,
            }
        })
        .collect();
    Ok(Listing::new(rows, total, page, per_page))
}

#[derive(Debug, Serialize)]
pub struct QueuePage {
    pub listing: Listing<QueueRow>,
    pub regions: Vec<String>,
}

/// A page of the review queue; with `partner_code`, of that partner's declarations only
/// (`None` when no partner has that code).
pub fn queue(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &QueueFilter,
    partner_code: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<Option<QueuePage>, DeclarationError> {
    let Some(partner) = crate::services::partners::code_filter(conn, tenant, partner_code)? else {
        return Ok(None);
    };
    let filter = &QueueFilter {
        partner,
        ..filter.clone()
    };
    let page = page.max(1);
    let offset = page_offset(page, per_page);
    let (list, total) = rows::queue(conn, tenant, filter, offset, per_page)?;
    let (regions, _) = partners::regions_and_tiers(conn, tenant)?;
    Ok(Some(QueuePage {
        listing: Listing::new(list, total, page, per_page),
        regions,
    }))
}

/// The active products, offered by the form's product picker.
pub fn form_products(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> Result<Vec<Product>, DeclarationError> {
    Ok(rows::active_products(conn, tenant)?)
}

/// A proof's bytes (or its thumbnail's) and content type, for the declaration's
/// participant and for admins; anyone else finds nothing.
pub fn proof(
    conn: &mut PgConnection,
    tenant: TenantId,
    viewer: &User,
    id: DeclarationId,
    n: i16,
    thumbnail: bool,
) -> Result<(Vec<u8>, String), DeclarationError> {
    let declaration = rows::find(conn, tenant, id, Lock::Unlocked)?;
    let admin = viewer.role().includes(crate::domain::Role::Admin);
    if declaration.participant_id != viewer.id && !admin {
        return Err(DeclarationError::NotFound);
    }
    rows::proof_bytes(conn, tenant, id, n, thumbnail)?.ok_or(DeclarationError::NotFound)
}
