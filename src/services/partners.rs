//! Partners as a catalog entity (`services::catalog`): their validation, shared by the
//! form and the CSV import, whose column names are the field names used here; and the
//! partner pages' own views (participants, segments, suggestions).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::catalog::{self, Catalog};
pub use super::catalog::{field, Listing};
use super::{FieldErrors, ServiceError};
use crate::db::participants;
/// The orders of the partner list, the default first.
pub use crate::db::partners::SORTS;
use crate::db::partners::{self, NewPartner, Partner, PartnerChanges, PartnerFilter, Partners};
use crate::db::users::User;
use crate::domain::network::{
    optional_text, parse_potential, required_text, BrandMode, CountryCode, ExternalCode,
    PartnerKind,
};
use crate::domain::{Currency, PartnerId, TenantId};

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

impl Catalog for Partners {
    type Table = Partners;
    type Input = PartnerInput;
    type Valid = ValidPartner;
    type ListView = PartnerList;

    const SUBJECT: &'static str = "partner";
    const KEY: &'static str = "external_code";
    const KEY_TAKEN: (&'static str, &'static str) = (CODE_TAKEN, "error-code-taken");
    const COLUMNS: &'static [&'static str] = &[
        "external_code",
        "name",
        "kind",
        "brand_mode",
        "region",
        "country",
        "tier",
        "potential",
    ];

    fn validate(input: &PartnerInput, _: Currency) -> Result<ValidPartner, FieldErrors> {
        validate(input)
    }

    fn key(valid: &ValidPartner) -> &str {
        valid.external_code.as_str()
    }

    fn new_row(v: &ValidPartner, tenant: TenantId, active: bool) -> NewPartner<'_> {
        NewPartner {
            tenant_id: tenant,
            external_code: v.external_code.as_str(),
            name: &v.name,
            kind: v.kind.as_str(),
            brand_mode: v.brand_mode.as_str(),
            region: &v.region,
            country: v.country.as_str(),
            tier: v.tier.as_deref(),
            potential: v.potential,
            active,
        }
    }

    fn changes(v: &ValidPartner, now: DateTime<Utc>) -> PartnerChanges<'_> {
        PartnerChanges {
            external_code: v.external_code.as_str(),
            name: &v.name,
            kind: v.kind.as_str(),
            brand_mode: v.brand_mode.as_str(),
            region: &v.region,
            country: v.country.as_str(),
            tier: v.tier.as_deref(),
            potential: v.potential,
            updated_at: now,
        }
    }

    fn differs(v: &ValidPartner, p: &Partner) -> bool {
        v.external_code.as_str() != p.external_code
            || v.name != p.name
            || v.kind.as_str() != p.kind
            || v.brand_mode.as_str() != p.brand_mode
            || v.region != p.region
            || v.country.as_str() != p.country
            || v.tier != p.tier
            || v.potential != p.potential
    }

    fn input_of(p: &Partner, _: Currency) -> PartnerInput {
        PartnerInput::of(p)
    }

    fn list_view(
        conn: &mut PgConnection,
        tenant: TenantId,
        filter: &PartnerFilter,
        page: i64,
        per_page: i64,
    ) -> Result<PartnerList, ServiceError> {
        list(conn, tenant, filter, page, per_page)
    }

    fn choices(
        conn: &mut PgConnection,
        tenant: TenantId,
    ) -> Result<serde_json::Value, ServiceError> {
        let (regions, tiers) = partners::regions_and_tiers(conn, tenant)?;
        let kinds: Vec<&str> = PartnerKind::ALL.iter().map(|k| k.as_str()).collect();
        let modes: Vec<&str> = BrandMode::ALL.iter().map(|m| m.as_str()).collect();
        Ok(serde_json::json!({
            "kinds": kinds, "brand_modes": modes, "regions": regions, "tiers": tiers,
        }))
    }

    fn defaults() -> PartnerInput {
        PartnerInput {
            brand_mode: BrandMode::Multi.as_str().into(),
            potential: "3".into(),
            ..PartnerInput::default()
        }
    }
}

// create, update, set_active (deactivated partners leave segments; their participants
// keep their accounts) and find.
crate::catalog_services!(Partners, Partner, PartnerInput);

#[derive(Debug, Serialize)]
pub struct PartnerRow {
    pub partner: Partner,
    pub participants: i64,
}

/// The partners page: one page of matches, and the regions and tiers for the filters.
#[derive(Debug, Serialize)]
pub struct PartnerList {
    pub listing: Listing<PartnerRow>,
    pub kinds: Vec<&'static str>,
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
    let listing = catalog::list::<Partners>(conn, tenant, filter, page, per_page)?;
    let ids: Vec<PartnerId> = listing.rows.iter().map(|p| p.id).collect();
    let counts = partners::participant_counts(conn, tenant, &ids)?;
    let (regions, tiers) = partners::regions_and_tiers(conn, tenant)?;
    Ok(PartnerList {
        listing: listing.map(|partner| PartnerRow {
            participants: counts.get(&partner.id).copied().unwrap_or(0),
            partner,
        }),
        kinds: PartnerKind::ALL.iter().map(|k| k.as_str()).collect(),
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
    id: PartnerId,
) -> Result<PartnerDetails, ServiceError> {
    conn.transaction(|conn| {
        let partner = partners::find(conn, tenant, id)?;
        let participants = participants::of_partner(conn, tenant, id)?;
        Ok(PartnerDetails {
            partner,
            participants,
            segments: super::segments::names_holding(conn, tenant, id)?,
        })
    })
}

/// What a "partner code" filter means: no code, any partner (`Some(None)`); a code of
/// the tenant's, that partner (`Some(Some(id))`); an unknown code, nothing (`None`: the
/// page says so).
pub fn code_filter(
    conn: &mut PgConnection,
    tenant: TenantId,
    code: Option<&str>,
) -> QueryResult<Option<Option<PartnerId>>> {
    let Some(code) = code else {
        return Ok(Some(None));
    };
    Ok(partners::by_codes(conn, tenant, &[code])?
        .remove(code)
        .map(|p| Some(p.id)))
}
