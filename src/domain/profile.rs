//! What a participant may type on their profile: a name and a phone number. No I/O.

use super::values::ErrorKey;

/// Longest display name (the `users.display_name` CHECK).
pub const NAME_MAX: usize = 100;

/// A display name: trimmed, 1 to 100 characters, no control characters.
pub fn parse_name(input: &str) -> Result<String, ErrorKey> {
    let name = input.trim();
    if name.is_empty() {
        Err("error-required")
    } else if name.chars().count() > NAME_MAX {
        Err("error-too-long")
    } else if name.chars().any(char::is_control) {
        Err("error-text-control")
    } else {
        Ok(name.to_string())
    }
}

/// A phone number, checked loosely (numbering plans differ by country): digits, spaces,
/// `+`, `-`, `(` and `)`, with 6 to 20 digits. Empty means none.
pub fn parse_phone(input: &str) -> Result<Option<String>, ErrorKey> {
    let phone = input.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    if phone.chars().count() > 40 {
        return Err("error-too-long");
    }
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c))
    {
        return Err("error-phone-invalid");
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !(6..=20).contains(&digits) {
        return Err("error-phone-digits");
    }
    Ok(Some(phone.to_string()))
}

/// The name an anonymised participant keeps (the ledger and declarations still point at
/// the account, so it stays, under this name).
pub fn anonymised_name(id: i64) -> String {
    format!("Anonymised participant #{id}")
}

/// A unique address that can never receive mail (`.invalid` is reserved, RFC 2606).
pub fn anonymised_email(id: i64) -> String {
    format!("anonymised-{id}@anonymised.invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_checked_loosely() {
        assert_eq!(parse_phone(""), Ok(None));
        assert_eq!(
            parse_phone(" +33 (0)6 12-34-56-78 "),
            Ok(Some("+33 (0)6 12-34-56-78".into()))
        );
        assert_eq!(parse_phone("12345"), Err("error-phone-digits"));
        assert_eq!(
            parse_phone("1".repeat(21).as_str()),
            Err("error-phone-digits")
        );
        assert_eq!(parse_phone("06 12 ab"), Err("error-phone-invalid"));
        assert_eq!(parse_phone("0612345678\0"), Err("error-phone-invalid"));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Léa  "), Ok("Léa".into()));
        assert_eq!(parse_name("   "), Err("error-required"));
        assert_eq!(parse_name(&"x".repeat(101)), Err("error-too-long"));
        assert_eq!(parse_name("a\u{7}b"), Err("error-text-control"));
    }
}
