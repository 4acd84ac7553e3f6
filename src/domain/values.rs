//! Validated values. Each parser returns the translation key of its error message, so
//! that the web layer can show it next to the field in the reader's language.

/// A translation key naming what is wrong with an input.
pub type ErrorKey = &'static str;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err("error-required");
        }
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && matches!(email.split_once('@'), Some((local, domain))
                if !local.is_empty() && domain.contains('.') && !domain.contains('@')
                    && !domain.starts_with('.') && !domain.ends_with('.'));
        if valid {
            Ok(Self(email))
        } else {
            Err("error-email-invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexColor(String);

impl HexColor {
    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        let c = input.trim().to_ascii_lowercase();
        if c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit()) {
            Ok(Self(c))
        } else {
            Err("error-color-invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        let s = input.trim().to_ascii_lowercase();
        let ok = (1..=40).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(Self(s))
        } else {
            Err("error-slug-invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn bounded_text(input: &str, max: usize) -> Result<String, ErrorKey> {
    let t = input.trim();
    if t.is_empty() {
        Err("error-required")
    } else if t.chars().count() > max {
        Err("error-too-long")
    } else {
        Ok(t.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantName(String);

impl TenantName {
    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        bounded_text(input, 80).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, ErrorKey> {
        bounded_text(input, 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password chosen by a user: long enough, not absurdly long (Argon2 cost).
pub fn validate_new_password(input: &str) -> Result<(), ErrorKey> {
    let n = input.chars().count();
    if n < 10 {
        Err("error-password-too-short")
    } else if n > 256 {
        Err("error-too-long")
    } else {
        Ok(())
    }
}

/// Text as a spreadsheet will show it, never run it: a cell starting with `=`, `+`, `-`
/// or `@` is a formula to Excel, so it gets a leading apostrophe. For every CSV export.
pub fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Refused input shown back in its field: control characters (which HTML forbids in a
/// page and in an attribute) become U+FFFD, so the user sees where the odd byte was.
pub fn echoable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_shown_not_run() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Pharmacie"), "Pharmacie");
        assert_eq!(spreadsheet_safe(""), "");
    }

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            EmailAddress::parse("  Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
        assert_eq!(EmailAddress::parse("nope"), Err("error-email-invalid"));
        assert_eq!(EmailAddress::parse("a@b"), Err("error-email-invalid"));
        assert_eq!(EmailAddress::parse(""), Err("error-required"));
    }

    #[test]
    fn colors_must_be_six_digit_hex() {
        assert_eq!(HexColor::parse("#A1B2C3").unwrap().as_str(), "#a1b2c3");
        assert!(HexColor::parse("red").is_err());
        assert!(HexColor::parse("#abc").is_err());
        assert!(HexColor::parse("#abcdeg").is_err());
        assert!(HexColor::parse("#abcdef;}body{").is_err());
    }

    #[test]
    fn slugs_are_dns_labels() {
        assert!(Slug::parse("respire").is_ok());
        assert!(Slug::parse("-bad").is_err());
        assert!(Slug::parse("UPPER").is_ok());
        assert!(Slug::parse("with space").is_err());
    }

    #[test]
    fn names_are_bounded() {
        assert_eq!(TenantName::parse("   "), Err("error-required"));
        assert!(TenantName::parse(&"x".repeat(81)).is_err());
        assert!(DisplayName::parse("Zoé").is_ok());
    }
}
