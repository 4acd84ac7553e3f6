//! A tenant's regional settings: the time zone its days are counted in, the currency its
//! amounts are in, and what one point is worth in that currency. Set when the tenant is
//! created, changed by its admins (audited).

use chrono::Utc;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::audit::{self, Actor, Change};
use super::{FieldErrors, ServiceError};
use crate::db::tenants::{self, RegionalChanges, Tenant};
use crate::domain::money::{amount_input, parse_amount};
use crate::domain::{Currency, TenantId, Zone};

/// The settings as typed (a form, the command line): zone name, currency code, and the
/// value of one point in major units of the currency ("0.01", "10").
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RegionalInput {
    pub time_zone: String,
    pub currency: String,
    pub point_value: String,
    /// Days after a challenge's end during which approvals still count (blank: 7).
    pub challenge_grace_days: String,
}

impl RegionalInput {
    /// A zone and a currency, points worth nothing yet.
    pub fn new(time_zone: &str, currency: &str) -> Self {
        RegionalInput {
            time_zone: time_zone.into(),
            currency: currency.into(),
            point_value: "0".into(),
            challenge_grace_days: DEFAULT_GRACE_DAYS.to_string(),
        }
    }

    pub fn of(t: &Tenant) -> Self {
        RegionalInput {
            time_zone: t.time_zone.clone(),
            currency: t.currency.clone(),
            point_value: amount_input(t.point_value_minor, t.currency()),
            challenge_grace_days: t.challenge_grace_days.to_string(),
        }
    }
}

/// Valid regional settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regional {
    pub zone: Zone,
    pub currency: Currency,
    pub point_value_minor: i64,
    pub challenge_grace_days: i32,
}

const DEFAULT_GRACE_DAYS: i32 = 7;

/// The largest value of one point, in major units: far above any programme.
const MAX_POINT_VALUE_MAJOR: i64 = 1_000_000;

pub fn validate(input: &RegionalInput) -> Result<Regional, FieldErrors> {
    let mut errors = FieldErrors::new();
    let zone = Zone::parse(&input.time_zone)
        .map_err(|e| errors.insert("time_zone", e))
        .ok();
    let currency = Currency::parse(&input.currency)
        .map_err(|e| errors.insert("currency", e))
        .ok();
    // The value is read in the chosen currency's decimals ("0.01" EUR, "10" IDR).
    let value = currency.and_then(|c| {
        let typed = if input.point_value.trim().is_empty() {
            "0"
        } else {
            input.point_value.as_str()
        };
        parse_amount(typed, c)
            .and_then(|v| {
                (v <= MAX_POINT_VALUE_MAJOR * c.scale())
                    .then_some(v)
                    .ok_or("error-point-value-invalid")
            })
            .map_err(|e| {
                let key = match e {
                    "error-price-negative" => "error-point-value-negative",
                    _ => "error-point-value-invalid",
                };
                errors.insert("point_value", key)
            })
            .ok()
    });
    let grace = match input.challenge_grace_days.trim() {
        "" => Some(DEFAULT_GRACE_DAYS),
        t => t
            .parse::<i32>()
            .ok()
            .filter(|d| (0..=60).contains(d))
            .or_else(|| {
                errors.insert("challenge_grace_days", "error-grace-days");
                None
            }),
    };
    match (zone, currency, value, grace) {
        (Some(zone), Some(currency), Some(point_value_minor), Some(challenge_grace_days)) => {
            Ok(Regional {
                zone,
                currency,
                point_value_minor,
                challenge_grace_days,
            })
        }
        _ => Err(errors),
    }
}

/// The audited view of the settings.
#[derive(Serialize)]
struct RegionalAudit<'a> {
    time_zone: &'a str,
    currency: &'a str,
    point_value_minor: i64,
    challenge_grace_days: i32,
}

impl<'a> RegionalAudit<'a> {
    fn of(t: &'a Tenant) -> Self {
        RegionalAudit {
            time_zone: &t.time_zone,
            currency: &t.currency,
            point_value_minor: t.point_value_minor,
            challenge_grace_days: t.challenge_grace_days,
        }
    }
}

/// Refuses a zone that chrono-tz knows but this Postgres does not (a zone newer than its
/// time zone database), since reports group days with Postgres.
pub(crate) fn check_zone_in_database(
    conn: &mut PgConnection,
    regional: &Regional,
) -> Result<(), ServiceError> {
    if tenants::postgres_knows_zone(conn, regional.zone.name())? {
        Ok(())
    } else {
        Err(ServiceError::field("time_zone", "error-time-zone-unknown"))
    }
}

pub fn settings(conn: &mut PgConnection, tenant: TenantId) -> Result<Tenant, ServiceError> {
    Ok(tenants::find(conn, tenant)?)
}

/// An admin changes the zone, the currency or the point value; audited with before and
/// after. Amounts already stored are not converted: they are read in the new currency.
pub fn update(
    conn: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    input: &RegionalInput,
) -> Result<Tenant, ServiceError> {
    let valid = validate(input).map_err(ServiceError::Invalid)?;
    conn.transaction(|conn| {
        check_zone_in_database(conn, &valid)?;
        let before = tenants::find(conn, tenant)?;
        let changes = RegionalChanges {
            time_zone: valid.zone.name(),
            currency: valid.currency.code,
            point_value_minor: valid.point_value_minor,
            challenge_grace_days: valid.challenge_grace_days,
            updated_at: Utc::now(),
        };
        if (
            before.time_zone.as_str(),
            before.currency.as_str(),
            before.point_value_minor,
            before.challenge_grace_days,
        ) == (
            changes.time_zone,
            changes.currency,
            changes.point_value_minor,
            changes.challenge_grace_days,
        ) {
            return Ok(before);
        }
        let after = tenants::update_regional(conn, tenant, &changes)?;
        let change = Change::new("tenant.regional_updated", "tenant", Some(tenant.into()))
            .before(&RegionalAudit::of(&before))
            .after(&RegionalAudit::of(&after));
        audit::record(conn, tenant, actor, change)?;
        Ok(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(tz: &str, cur: &str, value: &str) -> RegionalInput {
        RegionalInput {
            time_zone: tz.into(),
            currency: cur.into(),
            point_value: value.into(),
            challenge_grace_days: String::new(),
        }
    }

    #[test]
    fn settings_are_read_in_the_currency_decimals() {
        let r = validate(&input("Europe/Paris", "EUR", "0.05")).unwrap();
        assert_eq!(
            (r.zone.name(), r.currency.code, r.point_value_minor),
            ("Europe/Paris", "EUR", 5)
        );
        let r = validate(&input("Asia/Jakarta", "idr", "1.000")).unwrap();
        assert_eq!((r.currency.code, r.point_value_minor), ("IDR", 1000));
        assert_eq!(
            validate(&input("UTC", "USD", ""))
                .unwrap()
                .point_value_minor,
            0
        );
    }

    #[test]
    fn each_wrong_field_says_what_is_wrong() {
        let e = validate(&input("Paris", "EURO", "1")).unwrap_err();
        assert_eq!(e.get("time_zone"), Some(&"error-time-zone-unknown"));
        assert_eq!(e.get("currency"), Some(&"error-currency-unknown"));
        let e = validate(&input("UTC", "IDR", "0,5")).unwrap_err();
        assert_eq!(e.get("point_value"), Some(&"error-point-value-invalid"));
        let e = validate(&input("UTC", "EUR", "-1")).unwrap_err();
        assert_eq!(e.get("point_value"), Some(&"error-point-value-negative"));
        let e = validate(&input("UTC\0", "EUR\0", "1\0")).unwrap_err();
        assert_eq!(e.len(), 2);
    }
}
