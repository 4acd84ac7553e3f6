//! Every translation key used by a template or by the code exists in every language.

use std::collections::BTreeSet;
use std::path::Path;

use relais::domain::Locale;

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Literal keys: `t(key="…"` in templates, `"error-…"`-style keys in Rust code.
fn used_keys() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut keys = BTreeSet::new();
    let mut templates = vec![];
    files(&root.join("templates"), "html", &mut templates);
    for f in templates {
        let text = std::fs::read_to_string(&f).unwrap();
        // Keys handed to macros (`m::input(label="partners-code", …)`).
        for arg in ["label=", "hint=", "title=", "body="] {
            for part in text.split(arg).skip(1) {
                if let Some(key) = part.strip_prefix('"').and_then(|p| p.split('"').next()) {
                    if !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                        keys.insert(key.to_string());
                    }
                }
            }
        }
        for part in text.split("t(key=").skip(1) {
            let quote = part.chars().next().unwrap();
            if quote == '"' || quote == '\'' {
                let key = part[1..].split(quote).next().unwrap();
                // Keys built from parts (`"error-" ~ kind`) are checked below.
                if !part[1 + key.len() + 1..].trim_start().starts_with('~') {
                    keys.insert(key.to_string());
                }
            }
        }
    }
    let mut sources = vec![];
    files(&root.join("src"), "rs", &mut sources);
    let prefixes = [
        "error-",
        "login-",
        "users-",
        "theme-",
        "audit-",
        "account-",
        "emails-",
        "partners-",
        "products-",
        "segments-",
        "points-",
        "declarations-",
        "review-",
        "stock-",
        "challenges-",
        "shop-",
        "my-orders-",
    ];
    for f in sources {
        let text = std::fs::read_to_string(&f).unwrap();
        for part in text.split('"').skip(1).step_by(2) {
            let is_key = prefixes.iter().any(|p| part.starts_with(p))
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !part.ends_with('-');
            if is_key {
                keys.insert(part.to_string());
            }
        }
    }
    // Keys built in templates from a known set of parts.
    for kind in ["403", "404", "500", "4xx"] {
        keys.insert(format!("error-{kind}-title"));
        keys.insert(format!("error-{kind}-body"));
    }
    for template in relais::services::email::TEMPLATES {
        keys.insert(format!("emails-template-{template}"));
        keys.insert(format!("email-{}-subject", template.replace('_', "-")));
    }
    for kind in relais::domain::ledger::TransactionKind::ALL {
        keys.insert(format!("points-kind-{}", kind.as_str()));
    }
    for cause in relais::domain::ledger::CauseType::ALL {
        keys.insert(format!("points-cause-{}", cause.as_str()));
    }
    for status in ["queued", "running", "done", "failed"] {
        keys.insert(format!("emails-status-{status}"));
    }
    for actor in relais::services::audit::SYSTEM_ACTORS {
        keys.insert(format!("audit-actor-{actor}"));
    }
    for action in relais::services::audit::ACTIONS {
        keys.insert(format!("audit-action-{}", action.replace(['.', '_'], "-")));
    }
    for role in relais::domain::Role::ALL {
        keys.insert(format!("role-{}", role.as_str()));
    }
    for kind in relais::domain::network::PartnerKind::ALL {
        keys.insert(format!("partner-kind-{}", kind.as_str()));
    }
    for mode in relais::domain::network::BrandMode::ALL {
        keys.insert(format!("brand-mode-{}", mode.as_str()));
    }
    {
        use relais::domain::declarations::{Channel, CustomerType, Flag, ListedReason, Status};
        for c in Channel::ALL {
            keys.insert(format!("channel-{}", c.as_str()));
        }
        for c in CustomerType::ALL {
            keys.insert(format!("customer-type-{}", c.as_str()));
        }
        for s in Status::ALL {
            keys.insert(format!("status-declaration-{}", s.as_str()));
        }
        for f in Flag::ALL {
            keys.insert(format!("flag-{}", f.as_str()));
            keys.insert(format!("flag-{}-reason", f.as_str()));
        }
        for r in ListedReason::ALL {
            keys.insert(format!("reason-{}", r.as_str().replace('_', "-")));
        }
        for a in relais::domain::stock::Alert::ALL {
            keys.insert(format!("stock-alert-{}", a.as_str()));
        }
        for (_, s) in relais::services::stock::Sort::ALL {
            keys.insert(format!("stock-sort-{s}"));
        }
        for source in ["portal", "import"] {
            keys.insert(format!("source-{source}"));
        }
        for field in [
            "window_days",
            "max_quantity_per_line",
            "max_declarations_per_day",
            "auto_approve_max_points",
            "stock_out_weeks",
            "overstock_weeks",
        ] {
            keys.insert(format!("rules-{}", field.replace('_', "-")));
        }
    }
    {
        use relais::domain::challenges::{
            ChallengeStatus, Objective, RankBasis, Scope, TargetMode,
        };
        for s in ChallengeStatus::ALL {
            keys.insert(format!("challenge-status-{}", s.as_str()));
        }
        for o in Objective::ALL {
            keys.insert(format!("challenge-objective-{}", o.as_str()));
            keys.insert(format!("challenges-rule-objective-{}", o.as_str()));
        }
        for s in Scope::ALL {
            keys.insert(format!("challenge-scope-{}", s.as_str()));
        }
        for m in TargetMode::ALL {
            keys.insert(format!("challenge-mode-{}", m.as_str()));
        }
        for b in RankBasis::ALL {
            keys.insert(format!("challenge-basis-{}", b.as_str()));
        }
    }
    {
        use relais::domain::rewards::{LineStatus, OrderStatus, RewardKind};
        for k in RewardKind::ALL {
            keys.insert(format!("shop-kind-{}", k.as_str()));
        }
        for s in OrderStatus::ALL {
            keys.insert(format!("my-orders-status-{}", s.as_str()));
        }
        for s in LineStatus::ALL {
            keys.insert(format!("my-orders-line-status-{}", s.as_str()));
        }
    }
    for kind in relais::services::imports::ImportKind::ALL {
        keys.insert(format!("imports-kind-{}", kind.as_str()));
        for column in kind
            .required_columns()
            .iter()
            .chain(kind.optional_columns())
        {
            keys.insert(format!("imports-col-{}-{column}", kind.as_str()));
        }
    }
    keys
}

/// The message ids defined in a language's catalog files.
fn catalog_keys(lang: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut files_found = vec![];
    files(&root.join(lang), "ftl", &mut files_found);
    files_found
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
                .map(|l| l.split(" = ").next().unwrap().trim().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_used_key_is_translated_in_every_language() {
    let keys = used_keys();
    assert!(keys.len() > 50, "the scan found the keys ({})", keys.len());
    let mut missing = vec![];
    for locale in Locale::ALL {
        let defined = catalog_keys(locale.as_str());
        missing.extend(
            keys.difference(&defined)
                .map(|k| format!("{}: {k}", locale.as_str())),
        );
    }
    assert!(
        missing.is_empty(),
        "missing translations:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_language_has_the_same_keys() {
    let en = catalog_keys("en");
    assert_eq!(en, catalog_keys("fr"), "fr differs from en");
    assert_eq!(en, catalog_keys("id"), "id differs from en");
}

#[test]
fn messages_are_formatted_in_each_language() {
    use fluent_templates::fluent_bundle::FluentValue;
    let hello = |l| relais::i18n::tr_args(l, "home-welcome", &[("name", FluentValue::from("Léa"))]);
    assert_eq!(hello(Locale::En), "Welcome, Léa!");
    assert_eq!(hello(Locale::Fr), "Bienvenue, Léa !");
    assert_eq!(hello(Locale::Id), "Selamat datang, Léa!");
}
