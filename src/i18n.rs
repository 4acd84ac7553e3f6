//! The translation catalog (Fluent files under `locales/`), and the `t` function that
//! templates call: `{{ t(key="nav-home", lang=lang, name=user.display_name) }}`.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, Loader};
use serde_json::Value;
use unic_langid::LanguageIdentifier;

use crate::domain::money::{self, Currency};
use crate::domain::{Locale, Zone};

static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they show up in e-mails and tests.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub fn langid(locale: Locale) -> LanguageIdentifier {
    match locale {
        Locale::En => unic_langid::langid!("en"),
        Locale::Fr => unic_langid::langid!("fr"),
        Locale::Id => unic_langid::langid!("id"),
    }
}

/// Translates `key` without arguments.
pub fn tr(locale: Locale, key: &str) -> String {
    LOCALES.lookup(&langid(locale), key)
}

/// Translates `key` with arguments.
pub fn tr_args(locale: Locale, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
        .collect();
    LOCALES.lookup_with_args(&langid(locale), key, &args)
}

/// The Tera function `t(key=…, lang=…, …args)`.
pub struct TeraTranslate;

impl tera::Function for TeraTranslate {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("t() needs key=\"…\""))?;
        let locale = args
            .get("lang")
            .and_then(Value::as_str)
            .and_then(Locale::parse)
            .unwrap_or_default();
        let mut fluent_args: HashMap<Cow<'static, str>, FluentValue<'static>> = HashMap::new();
        for (name, value) in args {
            if name == "key" || name == "lang" {
                continue;
            }
            let value = match value {
                Value::Number(n) if n.is_i64() => FluentValue::from(n.as_i64().unwrap_or_default()),
                Value::Number(n) => FluentValue::from(n.as_f64().unwrap_or_default()),
                Value::String(s) => FluentValue::from(s.clone()),
                Value::Null => FluentValue::from(""),
                other => FluentValue::from(other.to_string()),
            };
            fluent_args.insert(Cow::Owned(name.replace('_', "-")), value);
        }
        Ok(Value::String(LOCALES.lookup_with_args(
            &langid(locale),
            key,
            &fluent_args,
        )))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// Formats an integer with the locale's digit grouping: 12,345 / 12 345 / 12.345.
pub fn format_number(locale: Locale, n: i64) -> String {
    let sep = match locale {
        Locale::En => ",",
        Locale::Fr => "\u{202f}",
        Locale::Id => ".",
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Formats an amount in minor units (cents) with two decimals: 1,234.50 / 1 234,50 / 1.234,50.
pub fn format_minor(locale: Locale, minor: i64) -> String {
    let mark = match locale {
        Locale::En => '.',
        Locale::Fr | Locale::Id => ',',
    };
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let units = i64::try_from(abs / 100).unwrap_or(i64::MAX);
    format!(
        "{sign}{}{mark}{:02}",
        format_number(locale, units),
        abs % 100
    )
}

/// Formats an instant in the tenant's zone for the locale.
pub fn format_datetime(locale: Locale, at: chrono::DateTime<chrono::Utc>, zone: Zone) -> String {
    let local = at.with_timezone(&zone.tz());
    match locale {
        Locale::En => local.format("%d %b %Y, %H:%M").to_string(),
        Locale::Fr => local.format("%d/%m/%Y %H:%M").to_string(),
        Locale::Id => local.format("%d/%m/%Y %H.%M").to_string(),
    }
}

pub fn format_date(locale: Locale, day: chrono::NaiveDate) -> String {
    match locale {
        Locale::En => day.format("%d %b %Y").to_string(),
        Locale::Fr | Locale::Id => day.format("%d/%m/%Y").to_string(),
    }
}

/// A day without its year, for a chart's axis: "23 Nov" / "23/11".
pub fn format_day_month(locale: Locale, day: chrono::NaiveDate) -> String {
    match locale {
        Locale::En => day.format("%d %b").to_string(),
        Locale::Fr | Locale::Id => day.format("%d/%m").to_string(),
    }
}

/// A month (given by any of its days): "Mar 2027" / "03/2027".
pub fn format_month(locale: Locale, day: chrono::NaiveDate) -> String {
    match locale {
        Locale::En => day.format("%b %Y").to_string(),
        Locale::Fr | Locale::Id => day.format("%m/%Y").to_string(),
    }
}

fn lang_arg(args: &HashMap<String, Value>) -> Locale {
    args.get("lang")
        .and_then(Value::as_str)
        .and_then(Locale::parse)
        .unwrap_or_default()
}

/// Tera filter `num(lang=lang)`; `num(lang=lang, minor=true)` for an amount in cents
/// without its currency (prefer `money`).
pub fn tera_number(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let n = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg("num expects an integer"))?;
    let locale = lang_arg(args);
    if args.get("minor").and_then(Value::as_bool) == Some(true) {
        return Ok(Value::String(format_minor(locale, n)));
    }
    Ok(Value::String(format_number(locale, n)))
}

/// Tera filter `money(lang=lang, cur=currency)` for an amount in minor units of the
/// tenant's currency (every page and e-mail has `currency`): `€12.90`, `12,90 €`,
/// `Rp 12.900`. With `symbol=false`, the number alone (`12,90`), e.g. for a placeholder.
pub fn tera_money(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let n = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg("money expects an integer amount in minor units"))?;
    let code = args
        .get("cur")
        .and_then(Value::as_str)
        .ok_or_else(|| tera::Error::msg("money needs cur=currency"))?;
    let currency = Currency::parse(code)
        .map_err(|_| tera::Error::msg(format!("money: unknown currency {code:?}")))?;
    let locale = lang_arg(args);
    if args.get("symbol").and_then(Value::as_bool) == Some(false) {
        return Ok(Value::String(money::format_number(locale, n, currency)));
    }
    Ok(Value::String(money::format_money(locale, n, currency)))
}

/// Tera filter `when(lang=lang, tz=tz)` for RFC 3339 instants (shown in the zone `tz`;
/// every page and e-mail has `tz`, the tenant's zone) and `YYYY-MM-DD` days (shown
/// as they are); `when(lang=lang, month=true)` shows a day's month.
pub fn tera_datetime(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("when expects a timestamp string"))?;
    let locale = lang_arg(args);
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(s) {
        let zone = args
            .get("tz")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("when needs tz=tz to show an instant"))?;
        let zone = Zone::parse(zone)
            .map_err(|_| tera::Error::msg(format!("when: unknown time zone {zone:?}")))?;
        return Ok(Value::String(format_datetime(
            locale,
            at.with_timezone(&chrono::Utc),
            zone,
        )));
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if args.get("month").and_then(Value::as_bool) == Some(true) {
            return Ok(Value::String(format_month(locale, day)));
        }
        return Ok(Value::String(format_date(locale, day)));
    }
    Err(tera::Error::msg(format!(
        "when: cannot read {s:?} as a date"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_locale() {
        assert_eq!(format_number(Locale::En, 1234567), "1,234,567");
        assert_eq!(format_number(Locale::Fr, -12345), "-12\u{202f}345");
        assert_eq!(format_number(Locale::Id, 999), "999");
        assert_eq!(format_number(Locale::Id, 1000), "1.000");
    }

    #[test]
    fn amounts_in_cents_follow_the_locale() {
        assert_eq!(format_minor(Locale::En, 123_450), "1,234.50");
        assert_eq!(format_minor(Locale::Fr, 1290), "12,90");
        assert_eq!(format_minor(Locale::Id, 5), "0,05");
        assert_eq!(format_minor(Locale::En, -1290), "-12.90");
    }

    #[test]
    fn dates_follow_the_locale() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-23T14:05:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let utc = Zone::UTC;
        assert_eq!(format_datetime(Locale::En, at, utc), "23 Nov 2026, 14:05");
        assert_eq!(format_datetime(Locale::Fr, at, utc), "23/11/2026 14:05");
        assert_eq!(format_datetime(Locale::Id, at, utc), "23/11/2026 14.05");
        let paris = Zone::parse("Europe/Paris").unwrap();
        assert_eq!(format_datetime(Locale::Fr, at, paris), "23/11/2026 15:05");
        // 23:30 in Jakarta is 16:30 UTC.
        let late = chrono::DateTime::parse_from_rfc3339("2026-12-01T16:30:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let jakarta = Zone::parse("Asia/Jakarta").unwrap();
        assert_eq!(
            format_datetime(Locale::Id, late, jakarta),
            "01/12/2026 23.30"
        );
    }

    fn args(pairs: &[(&str, Value)]) -> HashMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn the_when_filter_needs_the_zone_for_instants_only() {
        let at = Value::from("2026-12-01T16:30:00Z");
        let jakarta = args(&[("lang", "en".into()), ("tz", "Asia/Jakarta".into())]);
        assert_eq!(
            tera_datetime(&at, &jakarta).unwrap(),
            Value::from("01 Dec 2026, 23:30")
        );
        assert!(tera_datetime(&at, &args(&[("lang", "en".into())])).is_err());
        let day = Value::from("2027-03-15");
        assert_eq!(
            tera_datetime(&day, &args(&[("lang", "fr".into())])).unwrap(),
            Value::from("15/03/2027")
        );
        let month = args(&[("lang", "en".into()), ("month", true.into())]);
        assert_eq!(
            tera_datetime(&day, &month).unwrap(),
            Value::from("Mar 2027")
        );
    }

    #[test]
    fn the_money_filter_writes_the_currency() {
        let id = args(&[("lang", "id".into()), ("cur", "IDR".into())]);
        assert_eq!(
            tera_money(&Value::from(12_900), &id).unwrap(),
            Value::from("Rp\u{a0}12.900")
        );
        let fr = args(&[
            ("lang", "fr".into()),
            ("cur", "EUR".into()),
            ("symbol", false.into()),
        ]);
        assert_eq!(
            tera_money(&Value::from(1290), &fr).unwrap(),
            Value::from("12,90")
        );
        assert!(tera_money(&Value::from(1), &args(&[("lang", "fr".into())])).is_err());
    }
}
