//! The translation catalog (Fluent files under `locales/`), and the `t` function that
//! templates call: `{{ t(key="nav-home", lang=lang, name=user.display_name) }}`.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, Loader};
use serde_json::Value;
use unic_langid::LanguageIdentifier;

use crate::domain::Locale;

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

/// Formats a UTC timestamp for the locale (dates are shown in UTC for now).
pub fn format_datetime(locale: Locale, at: chrono::DateTime<chrono::Utc>) -> String {
    match locale {
        Locale::En => at.format("%d %b %Y, %H:%M").to_string(),
        Locale::Fr => at.format("%d/%m/%Y %H:%M").to_string(),
        Locale::Id => at.format("%d/%m/%Y %H.%M").to_string(),
    }
}

pub fn format_date(locale: Locale, day: chrono::NaiveDate) -> String {
    match locale {
        Locale::En => day.format("%d %b %Y").to_string(),
        Locale::Fr | Locale::Id => day.format("%d/%m/%Y").to_string(),
    }
}

fn lang_arg(args: &HashMap<String, Value>) -> Locale {
    args.get("lang")
        .and_then(Value::as_str)
        .and_then(Locale::parse)
        .unwrap_or_default()
}

/// Tera filter `num(lang=lang)`; `num(lang=lang, minor=true)` for an amount in cents.
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

/// Tera filter `when(lang=lang)` for RFC 3339 timestamps and `YYYY-MM-DD` dates.
pub fn tera_datetime(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("when expects a timestamp string"))?;
    let locale = lang_arg(args);
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(Value::String(format_datetime(
            locale,
            at.with_timezone(&chrono::Utc),
        )));
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
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
        assert_eq!(format_datetime(Locale::En, at), "23 Nov 2026, 14:05");
        assert_eq!(format_datetime(Locale::Fr, at), "23/11/2026 14:05");
        assert_eq!(format_datetime(Locale::Id, at), "23/11/2026 14.05");
    }
}
