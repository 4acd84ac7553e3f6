//! Partners: search, create, edit, deactivate. The validation is shared with the CSV
//! import, whose column names are the field names used here.

use chrono::Utc;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::audit::{self, Actor, Change};
use super::{is_unique_violation, FieldErrors, ServiceError};
use crate::db::partners::{self, NewPartner, Partner, PartnerChanges, PartnerFilter};
use crate::db::users::User;
use crate::db::{participants, segments};
use crate::domain::network::{
    optional_text, parse_potential, required_text, BrandMode, CountryCode, ExternalCode,
    PartnerKind,
};
use crate::domain::values::ErrorKey;
use crate::domain::TenantId;

pub const CODE_TAKEN: &str = "partners_tenant_code_key";

/// A partner as typed in a form or a CSV row.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PartnerInput {
    pub external_code: String,
    pub name: String,
    pub kind: String,
    pub brand_mode: String,
    pub region: String,
    pub country: String,
    pub tier: String,
    pub potential: String,
}

impl PartnerInput {
    pub fn of(p: &Partner) -> Self {
        PartnerInput {
            external_code: p.external_code.clone(),
            name: p.name.clone(),
            kind: p.kind.clone(),
            brand_mode: p.brand_mode.clone(),
            region: p.region.clone(),
            country: p.country.clone(),
            tier: p.tier.clone().unwrap_or_default(),
            potential: p.potential.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ValidPartner {
    pub external_code: ExternalCode,
    pub name: String,
    pub kind: PartnerKind,
    pub brand_mode: BrandMode,
    pub region: String,
    pub country: CountryCode,
    pub tier: Option<String>,
    pub potential: i16,
}

impl ValidPartner {
    pub fn new_row(&self, tenant: TenantId, active: bool) -> NewPartner<'_> {
        NewPartner {
            tenant_id: tenant.0,
            external_code: self.external_code.as_str(),
            name: &self.name,
            kind: self.kind.as_str(),
            brand_mode: self.brand_mode.as_str(),
            region: &self.region,
            country: self.country.as_str(),
            tier: self.tier.as_deref(),
            potential: self.potential,
            active,
        }
    }

    pub fn changes(&self) -> PartnerChanges<'_> {
        PartnerChanges {
            external_code: self.external_code.as_str(),
            name: &self.name,
            kind: self.kind.as_str(),
            brand_mode: self.brand_mode.as_str(),
            region: &self.region,
            country: self.country.as_str(),
            tier: self.tier.as_deref(),
            potential: self.potential,
            updated_at: Utc::now(),
        }
    }

    /// Whether saving this would change `p` (its active flag aside).
    pub fn differs_from(&self, p: &Partner) -> bool {
        self.external_code.as_str() != p.external_code
            || self.name != p.name
            || self.kind.as_str() != p.kind
            || self.brand_mode.as_str() != p.brand_mode
            || self.region != p.region
            || self.country.as_str() != p.country
            || self.tier != p.tier
            || self.potential != p.potential
    }
}

/// The parsed value, or `None` with the error recorded against the field.
pub fn field<T>(
    errors: &mut FieldErrors,
    name: &'static str,
    parsed: Result<T, ErrorKey>,
) -> Option<T> {
    parsed.map_err(|e| errors.insert(name, e)).ok()
}

/// Checks every field; the errors are keyed by field (= CSV column) name.
pub fn validate(input: &PartnerInput) -> Result<ValidPartner, FieldErrors> {
    let mut e = FieldErrors::new();
    let code = field(
        &mut e,
        "external_code",
        ExternalCode::parse(&input.external_code),
    );
    let name = field(&mut e, "name", required_text(&input.name, 120));
    let kind = field(&mut e, "kind", PartnerKind::parse(&input.kind));
    let brand_mode = field(&mut e, "brand_mode", BrandMode::parse(&input.brand_mode));
    let region = field(&mut e, "region", required_text(&input.region, 80));
    let country = field(&mut e, "country", CountryCode::parse(&input.country));
    let tier = field(&mut e, "tier", optional_text(&input.tier, 40));
    let potential = field(&mut e, "potential", parse_potential(&input.potential));
    match (
        code, name, kind, brand_mode, region, country, tier, potential,
    ) {
        (Some(c), Some(n), Some(k), Some(b), Some(r), Some(co), Some(t), Some(p)) => {
            Ok(ValidPartner {
                external_code: c,
                name: n,
                kind: k,
                brand_mode: b,
                region: r,
                country: co,
                tier: t,
                potential: p,
            })
        }
        _ => Err(e),
    }
}

/// What the audit log keeps of a partner.
pub fn audit_view(p: &Partner) -> serde_json::Value {
    serde_json::json!({
        "external_code": p.external_code, "name": p.name, "kind": p.kind,
        "brand_mode": p.brand_mode, "region": p.region, "country": p.country,
        "tier": p.tier, "potential": p.potential, "active": p.active,
    })
}

fn code_taken(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Db(ref db) if is_unique_violation(db, CODE_TAKEN) => {
            ServiceError::field("external_code", "error-code-taken")
        }
        other => other,
    }
}

pub fn create(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &PartnerInput,
) -> Result<Partner, ServiceError> {
    let valid = validate(input).map_err(ServiceError::Invalid)?;
    conn.transaction(|conn| {
        let partner = partners::insert(conn, &valid.new_row(tenant, true))?;
        let change = Change::new("partner.created", "partner", Some(partner.id))
            .after(&audit_view(&partner));
        audit::record(conn, tenant, actor, change)?;
        Ok(partner)
    })
    .map_err(code_taken)
}

pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: i64,
    input: &PartnerInput,
) -> Result<Partner, ServiceError> {
    conn.transaction(|conn| {
        let before = partners::find(conn, tenant, id)?;
        let valid = validate(input).map_err(ServiceError::Invalid)?;
        if !valid.differs_from(&before) {
            return Ok(before);
        }
        let after = partners::update(conn, tenant, id, &valid.changes())?;
        let change = Change::new("partner.updated", "partner", Some(id))
            .before(&audit_view(&before))
            .after(&audit_view(&after));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
    .map_err(code_taken)
}

/// Deactivates (or reactivates) a partner: it leaves segments and lists' default view,
/// its participants keep their accounts.
pub fn set_active(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    id: i64,
    active: bool,
) -> Result<Partner, ServiceError> {
    conn.transaction(|conn| {
        let before = partners::find(conn, tenant, id)?;
        if before.active == active {
            return Ok(before);
        }
        let after = partners::set_active(conn, tenant, id, active, Utc::now())?;
        let change = Change::new("partner.updated", "partner", Some(id))
            .before(&serde_json::json!({ "active": before.active }))
            .after(&serde_json::json!({ "active": active }));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
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
}

#[derive(Debug, Serialize)]
pub struct PartnerRow {
    pub partner: Partner,
    pub participants: i64,
}

/// The partners page: one page of matches, and the regions and tiers for the filters.
#[derive(Debug, Serialize)]
pub struct PartnerList {
    pub listing: Listing<PartnerRow>,
    pub regions: Vec<String>,
    pub tiers: Vec<String>,
}

pub fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &PartnerFilter,
    page: i64,
    per_page: i64,
) -> Result<PartnerList, ServiceError> {
    let page = page.max(1);
    let (rows, total) = partners::search(conn, tenant, filter, (page - 1) * per_page, per_page)?;
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let counts = partners::participant_counts(conn, tenant, &ids)?;
    let rows = rows
        .into_iter()
        .map(|partner| PartnerRow {
            participants: counts.get(&partner.id).copied().unwrap_or(0),
            partner,
        })
        .collect();
    let (regions, tiers) = partners::regions_and_tiers(conn, tenant)?;
    Ok(PartnerList {
        listing: Listing::new(rows, total, page, per_page),
        regions,
        tiers,
    })
}

/// A partner, its participants and the segments that include it.
#[derive(Debug, Serialize)]
pub struct PartnerDetails {
    pub partner: Partner,
    pub participants: Vec<User>,
    pub segments: Vec<String>,
}

pub fn details(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: i64,
) -> Result<PartnerDetails, ServiceError> {
    conn.transaction(|conn| {
        let partner = partners::find(conn, tenant, id)?;
        let participants = participants::of_partner(conn, tenant, id)?;
        let mut names = vec![];
        for segment in segments::list(conn, tenant)? {
            if super::segments::contains(conn, tenant, segment.id, id)? {
                names.push(segment.name);
            }
        }
        Ok(PartnerDetails {
            partner,
            participants,
            segments: names,
        })
    })
}

/// Regions and tiers in use: suggested while typing.
pub type Suggestions = (Vec<String>, Vec<String>);

/// The partner form's values: the partner's (defaults for a new one) and suggestions.
pub fn form_values(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Option<i64>,
) -> Result<(PartnerInput, Suggestions), ServiceError> {
    let input = match id {
        Some(id) => PartnerInput::of(&partners::find(conn, tenant, id)?),
        None => PartnerInput {
            brand_mode: BrandMode::Multi.as_str().into(),
            potential: "3".into(),
            ..PartnerInput::default()
        },
    };
    Ok((input, suggestions(conn, tenant)?))
}

/// Regions and tiers already in use, offered while typing.
pub fn suggestions(conn: &mut PgConnection, tenant: TenantId) -> Result<Suggestions, ServiceError> {
    Ok(partners::regions_and_tiers(conn, tenant)?)
}
