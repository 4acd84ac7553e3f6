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
