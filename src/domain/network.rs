//! The partner network and the product catalogue: validated values and the segment rule.
//! Parsers take what a person typed (in a form or a CSV cell) and return the value or the
//! translation key of what is wrong with it.

use serde::{Deserialize, Serialize};

use super::values::ErrorKey;

/// How a partner sells the brand's products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartnerKind {
    Distributor,
    Reseller,
    Franchisee,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 3] = [Self::Distributor, Self::Reseller, Self::Franchisee];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Distributor => "distributor",
            Self::Reseller => "reseller",
            Self::Franchisee => "franchisee",
        }
    }

    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        let s = input.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err("error-required");
        }
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or("error-kind-invalid")
    }
}

/// Whether a partner sells only this brand in its category, or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BrandMode {
    Mono,
    Multi,
}

impl BrandMode {
    pub const ALL: [BrandMode; 2] = [Self::Mono, Self::Multi];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mono => "mono",
            Self::Multi => "multi",
        }
    }

    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        match input.trim().to_ascii_lowercase().as_str() {
            "" => Err("error-required"),
            "mono" | "mono-brand" | "monobrand" => Ok(Self::Mono),
            "multi" | "multi-brand" | "multibrand" => Ok(Self::Multi),
            _ => Err("error-brand-mode-invalid"),
        }
    }
}

/// An identifier from the brand's systems (ERP customer code, SKU): upper-cased,
/// letters, digits and `. _ / -`, at most 40 characters.
fn parse_code(input: &str, invalid: ErrorKey) -> Result<String, ErrorKey> {
    let code = input.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err("error-required");
    }
    let ok = code.len() <= 40
        && code.starts_with(|c: char| c.is_ascii_alphanumeric())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-'));
    if ok {
        Ok(code)
    } else {
        Err(invalid)
    }
}

/// A partner's code in the brand's ERP, e.g. `PH-75-0012`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExternalCode(String);

impl ExternalCode {
    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        parse_code(input, "error-code-invalid").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A product's stock-keeping unit, unique per tenant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sku(String);

impl Sku {
    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        parse_code(input, "error-sku-invalid").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Officially assigned ISO 3166-1 alpha-2 codes.
const ISO_COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK \
DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW \
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB \
LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC \
NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC \
SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// An ISO 3166-1 alpha-2 country code, upper-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        let c = input.trim().to_ascii_uppercase();
        if c.is_empty() {
            Err("error-required")
        } else if c.len() == 2 && ISO_COUNTRIES.split(' ').any(|k| k == c) {
            Ok(Self(c))
        } else {
            Err("error-country-invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The brand's estimate of a partner's potential, 1 (low) to 5 (high).
pub fn parse_potential(input: &str) -> Result<i16, ErrorKey> {
    let s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    match s.parse::<i16>() {
        Ok(n) if (1..=5).contains(&n) => Ok(n),
        _ => Err("error-potential-invalid"),
    }
}

/// A unit price typed in euros or another two-decimal currency ("12.90", "12,90",
/// "1 234,5", "7") → cents, at most 10 million. Prefer `money::parse_amount` with the
/// tenant's currency.
pub fn parse_price_minor(input: &str) -> Result<i64, ErrorKey> {
    super::money::parse_amount(input, super::Currency::EUR).and_then(|v| {
        (v <= 1_000_000_000)
            .then_some(v)
            .ok_or("error-price-invalid")
    })
}

/// Points earned per unit sold: a whole number, 0 to one million.
pub fn parse_points(input: &str) -> Result<i64, ErrorKey> {
    let s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    match s.parse::<i64>() {
        Ok(n) if n < 0 => Err("error-points-negative"),
        Ok(n) if n <= 1_000_000 => Ok(n),
        _ => Err("error-points-invalid"),
    }
}

/// A yes/no cell: empty means "not given".
pub fn parse_flag(input: &str) -> Result<Option<bool>, ErrorKey> {
    match input.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "1" | "y" | "yes" | "true" | "oui" | "o" | "vrai" | "ya" => Ok(Some(true)),
        "0" | "n" | "no" | "false" | "non" | "faux" | "tidak" => Ok(Some(false)),
        _ => Err("error-flag-invalid"),
    }
}

/// Required free text, trimmed, at most `max` characters.
pub fn required_text(input: &str, max: usize) -> Result<String, ErrorKey> {
    match optional_text(input, max)? {
        Some(t) => Ok(t),
        None => Err("error-required"),
    }
}

/// Optional free text, trimmed; empty means none.
pub fn optional_text(input: &str, max: usize) -> Result<Option<String>, ErrorKey> {
    let t = input.trim();
    if t.is_empty() {
        Ok(None)
    } else if t.chars().count() > max {
        Err("error-too-long")
    } else {
        Ok(Some(t.to_string()))
    }
}

/// Which partners a segment takes by rule: each non-empty list must contain the
/// partner's value (an empty list accepts any). A rule with no list matches no one, so
/// that a segment made only of explicit members stays exactly that.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SegmentRule {
    pub kinds: Vec<String>,
    pub regions: Vec<String>,
    pub tiers: Vec<String>,
}

impl SegmentRule {
    pub fn has_criteria(&self) -> bool {
        !(self.kinds.is_empty() && self.regions.is_empty() && self.tiers.is_empty())
    }

    pub fn matches(&self, kind: &str, region: &str, tier: Option<&str>) -> bool {
        let accepts = |list: &[String], value: Option<&str>| {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|x| x == v))
        };
        self.has_criteria()
            && accepts(&self.kinds, Some(kind))
            && accepts(&self.regions, Some(region))
            && accepts(&self.tiers, tier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_upper_cased_and_restricted() {
        assert_eq!(
            ExternalCode::parse(" ph-75-0012 ").unwrap().as_str(),
            "PH-75-0012"
        );
        assert_eq!(ExternalCode::parse(""), Err("error-required"));
        assert_eq!(ExternalCode::parse("PH 75"), Err("error-code-invalid"));
        assert_eq!(Sku::parse("-X"), Err("error-sku-invalid"));
        assert_eq!(Sku::parse(&"A".repeat(41)), Err("error-sku-invalid"));
    }

    #[test]
    fn countries_are_iso_codes() {
        assert_eq!(ISO_COUNTRIES.split(' ').count(), 249);
        assert_eq!(CountryCode::parse("fr").unwrap().as_str(), "FR");
        assert_eq!(CountryCode::parse("XX"), Err("error-country-invalid"));
        assert_eq!(CountryCode::parse("FRA"), Err("error-country-invalid"));
    }

    #[test]
    fn prices_read_both_decimal_marks() {
        assert_eq!(parse_price_minor("12.90"), Ok(1290));
        assert_eq!(parse_price_minor("12,9"), Ok(1290));
        assert_eq!(parse_price_minor("1 234,50"), Ok(123_450));
        assert_eq!(parse_price_minor("1,234.50"), Ok(123_450));
        assert_eq!(parse_price_minor("7"), Ok(700));
        assert_eq!(parse_price_minor("0"), Ok(0));
        assert_eq!(parse_price_minor("-1.00"), Err("error-price-negative"));
        assert_eq!(parse_price_minor("1.234"), Err("error-price-invalid"));
        assert_eq!(parse_price_minor("12 €"), Err("error-price-invalid"));
        assert_eq!(parse_price_minor(""), Err("error-required"));
    }

    #[test]
    fn points_potential_and_flags() {
        assert_eq!(parse_points("15"), Ok(15));
        assert_eq!(parse_points("-2"), Err("error-points-negative"));
        assert_eq!(parse_points("1.5"), Err("error-points-invalid"));
        assert_eq!(parse_potential("5"), Ok(5));
        assert_eq!(parse_potential("6"), Err("error-potential-invalid"));
        assert_eq!(parse_flag("Oui"), Ok(Some(true)));
        assert_eq!(parse_flag(""), Ok(None));
        assert_eq!(parse_flag("maybe"), Err("error-flag-invalid"));
        assert_eq!(PartnerKind::parse("Reseller"), Ok(PartnerKind::Reseller));
        assert_eq!(PartnerKind::parse("shop"), Err("error-kind-invalid"));
        assert_eq!(BrandMode::parse("multi-brand"), Ok(BrandMode::Multi));
    }

    #[test]
    fn a_rule_needs_every_non_empty_list_and_at_least_one() {
        let rule = SegmentRule {
            kinds: vec!["reseller".into()],
            regions: vec![],
            tiers: vec!["Gold".into(), "Silver".into()],
        };
        assert!(rule.matches("reseller", "Bretagne", Some("Gold")));
        assert!(!rule.matches("reseller", "Bretagne", None));
        assert!(!rule.matches("distributor", "Bretagne", Some("Gold")));
        assert!(!SegmentRule::default().matches("reseller", "Bretagne", Some("Gold")));
    }
}
