//! Money: the currencies a tenant can work in (ISO 4217 code and minor-unit digits),
//! amounts typed in major units parsed into minor units, and amounts shown with their
//! currency as each language writes them (CLDR patterns for en, fr and id).
//!
//! No lean, maintained crate formats currencies per locale (ICU4X's currency formatter is
//! experimental and brings megabytes of data; the others format per currency, not per
//! reader's language), so this is a small formatter over the three locales' CLDR rules,
//! tested below. Amounts are integers in minor units: never floats.

use serde::Serialize;

use super::values::ErrorKey;
use super::Locale;

/// A supported currency: its ISO 4217 code and how many decimals it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Currency {
    pub code: &'static str,
    pub digits: u8,
    /// How the currency is written, when CLDR gives a symbol rather than the code.
    #[serde(skip)]
    symbols: Symbols,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Symbols {
    en: &'static str,
    fr: &'static str,
    id: &'static str,
}

const fn cur(
    code: &'static str,
    digits: u8,
    en: &'static str,
    fr: &'static str,
    id: &'static str,
) -> Currency {
    Currency {
        code,
        digits,
        symbols: Symbols { en, fr, id },
    }
}

impl Currency {
    /// The currencies tenants may choose, with the symbols CLDR gives them in en, fr, id.
    pub const ALL: [Currency; 14] = [
        cur("EUR", 2, "€", "€", "€"),
        cur("USD", 2, "$", "$US", "US$"),
        cur("GBP", 2, "£", "£GB", "£"),
        cur("CHF", 2, "CHF", "CHF", "CHF"),
        cur("CAD", 2, "CA$", "$CA", "CA$"),
        cur("AUD", 2, "A$", "$AU", "AU$"),
        cur("JPY", 0, "¥", "JPY", "JP¥"),
        cur("IDR", 0, "IDR", "IDR", "Rp"),
        cur("SGD", 2, "SGD", "SGD", "SGD"),
        cur("MYR", 2, "MYR", "MYR", "MYR"),
        cur("THB", 2, "THB", "THB", "THB"),
        cur("VND", 0, "₫", "₫", "₫"),
        cur("XOF", 0, "F\u{202f}CFA", "F\u{202f}CFA", "F\u{202f}CFA"),
        cur("MAD", 2, "MAD", "MAD", "MAD"),
    ];

    pub const EUR: Currency = Currency::ALL[0];

    /// A supported currency by its ISO 4217 code (`eur` is read as `EUR`).
    pub fn parse(input: &str) -> Result<Currency, ErrorKey> {
        let s = input.trim();
        if s.is_empty() {
            return Err("error-required");
        }
        Currency::ALL
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(s))
            .copied()
            .ok_or("error-currency-unknown")
    }

    /// A stored code; an unknown one (never written by the application) reads as EUR.
    pub fn from_stored(code: &str) -> Currency {
        Currency::parse(code).unwrap_or(Currency::EUR)
    }

    fn symbol(self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.symbols.en,
            Locale::Fr => self.symbols.fr,
            Locale::Id => self.symbols.id,
        }
    }

    /// 10^digits: how many minor units make one major unit.
    pub fn scale(self) -> i64 {
        10_i64.pow(u32::from(self.digits))
    }
}

/// The largest amount typed in a form or a file, in minor units.
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000;

/// An amount typed in major units ("12.90", "12,90", "1 234,5", "12.900" for IDR) →
/// minor units of `currency`. At most as many decimals as the currency has; when both
/// `.` and `,` appear, the last one is the decimal mark. For a currency without
/// decimals, `.` and `,` can only group thousands ("12.900" and "12,900" are 12900).
pub fn parse_amount(input: &str, currency: Currency) -> Result<i64, ErrorKey> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if s.is_empty() {
        return Err("error-required");
    }
    if s.starts_with('-') {
        return Err("error-price-negative");
    }
    let digits = usize::from(currency.digits);
    let digits_only = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let (int_digits, frac) = if digits == 0 {
        // Every group after a separator has three digits: "12.900", "1,250,000".
        let mut groups = s.split(['.', ',']);
        let first = groups.next().unwrap_or_default();
        let rest: Vec<&str> = groups.collect();
        if !digits_only(first) || rest.iter().any(|g| !digits_only(g)) {
            return Err("error-price-invalid");
        }
        if rest.last().is_some_and(|g| g.len() < 3) {
            // "12,5" or "12.50": decimals the currency does not have.
            return Err("error-price-no-decimals");
        }
        if rest.iter().any(|g| g.len() != 3) {
            return Err("error-price-invalid");
        }
        (format!("{first}{}", rest.concat()), String::new())
    } else {
        let (int_part, frac) = match s.rfind(['.', ',']) {
            Some(i) => (&s[..i], &s[i + 1..]),
            None => (s.as_str(), ""),
        };
        let int_digits: String = int_part
            .chars()
            .filter(|c| !matches!(c, '.' | ','))
            .collect();
        if !digits_only(&int_digits)
            || !(frac.is_empty() || digits_only(frac))
            || frac.len() > digits
        {
            return Err("error-price-invalid");
        }
        (int_digits, format!("{frac:0<digits$}"))
    };
    let units: i64 = int_digits.parse().map_err(|_| "error-price-invalid")?;
    let minor: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| "error-price-invalid")?
    };
    units
        .checked_mul(currency.scale())
        .and_then(|u| u.checked_add(minor))
        .filter(|v| *v <= MAX_AMOUNT_MINOR)
        .ok_or("error-price-invalid")
}

/// An amount in minor units as typed back into a form: "12.90", "12900" (no grouping).
pub fn amount_input(minor: i64, currency: Currency) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let scale = currency.scale().unsigned_abs();
    match currency.digits {
        0 => format!("{sign}{abs}"),
        d => format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = usize::from(d)
        ),
    }
}

/// Groups the digits of a whole number as the locale does: 12,345 / 12 345 / 12.345.
pub fn group_digits(locale: Locale, n: u64) -> String {
    let sep = match locale {
        Locale::En => ",",
        Locale::Fr => "\u{202f}",
        Locale::Id => ".",
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// An amount without its currency, with the currency's decimals in the locale's
/// notation: 1,234.50 / 1 234,50 / 1.234,50; 12,900 / 12 900 / 12.900 for IDR.
pub fn format_number(locale: Locale, minor: i64, currency: Currency) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let scale = currency.scale().unsigned_abs();
    let units = group_digits(locale, abs / scale);
    match currency.digits {
        0 => format!("{sign}{units}"),
        d => {
            let mark = if locale == Locale::En { '.' } else { ',' };
            let width = usize::from(d);
            format!("{sign}{units}{mark}{:0width$}", abs % scale)
        }
    }
}

/// An amount with its currency as the reader's language writes it (CLDR):
/// en `€12.90`, `IDR 12,900`; fr `12,90 €`, `12 900 IDR`; id `€12,90`, `Rp 12.900`.
pub fn format_money(locale: Locale, minor: i64, currency: Currency) -> String {
    let number = format_number(locale, minor.saturating_abs(), currency);
    let sign = if minor < 0 { "-" } else { "" };
    let symbol = currency.symbol(locale);
    match locale {
        // French puts the symbol after the number, behind a no-break space.
        Locale::Fr => format!("{sign}{number}\u{a0}{symbol}"),
        // English and Indonesian put it before; a symbol ending in a letter (IDR, Rp)
        // is kept apart from the digits by a no-break space (CLDR's currency spacing).
        Locale::En | Locale::Id => {
            let spacing = if symbol.ends_with(|c: char| c.is_alphabetic()) {
                "\u{a0}"
            } else {
                ""
            };
            format!("{sign}{symbol}{spacing}{number}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[test]
    fn currencies_come_from_a_short_list_with_their_decimals() {
        assert_eq!(c("EUR").digits, 2);
        assert_eq!(c("idr").digits, 0);
        assert_eq!(c(" USD ").code, "USD");
        assert_eq!(Currency::parse("XYZ"), Err("error-currency-unknown"));
        assert_eq!(Currency::parse("EUR\0"), Err("error-currency-unknown"));
        assert_eq!(Currency::parse(""), Err("error-required"));
        assert_eq!(Currency::from_stored("???"), Currency::EUR);
    }

    #[test]
    fn money_is_written_as_each_language_writes_it() {
        let (eur, idr, usd) = (c("EUR"), c("IDR"), c("USD"));
        assert_eq!(format_money(Locale::En, 1290, eur), "€12.90");
        assert_eq!(format_money(Locale::Fr, 1290, eur), "12,90\u{a0}€");
        assert_eq!(format_money(Locale::Id, 1290, eur), "€12,90");
        assert_eq!(format_money(Locale::Id, 12_900, idr), "Rp\u{a0}12.900");
        assert_eq!(format_money(Locale::En, 12_900, idr), "IDR\u{a0}12,900");
        assert_eq!(
            format_money(Locale::Fr, 1_250_000, idr),
            "1\u{202f}250\u{202f}000\u{a0}IDR"
        );
        assert_eq!(format_money(Locale::En, -123_456, usd), "-$1,234.56");
        assert_eq!(format_money(Locale::Fr, 5, eur), "0,05\u{a0}€");
        assert_eq!(format_money(Locale::En, 0, idr), "IDR\u{a0}0");
        assert_eq!(
            format_money(Locale::En, i64::MIN, eur),
            "-€92,233,720,368,547,758.07"
        );
    }

    #[test]
    fn amounts_are_read_with_the_currency_decimals() {
        let (eur, idr) = (c("EUR"), c("IDR"));
        assert_eq!(parse_amount("12.90", eur), Ok(1290));
        assert_eq!(parse_amount("12,9", eur), Ok(1290));
        assert_eq!(parse_amount("1 234,50", eur), Ok(123_450));
        assert_eq!(parse_amount("1,234.50", eur), Ok(123_450));
        assert_eq!(parse_amount("7", eur), Ok(700));
        assert_eq!(parse_amount("12.901", eur), Err("error-price-invalid"));
        assert_eq!(parse_amount("12900", idr), Ok(12_900));
        assert_eq!(parse_amount("12.900", idr), Ok(12_900));
        assert_eq!(parse_amount("1,250,000", idr), Ok(1_250_000));
        assert_eq!(parse_amount("Rp 12.900", idr), Err("error-price-invalid"));
        assert_eq!(parse_amount("12,5", idr), Err("error-price-no-decimals"));
        assert_eq!(
            parse_amount("12.900,00", idr),
            Err("error-price-no-decimals")
        );
        assert_eq!(parse_amount("12.9000", idr), Err("error-price-invalid"));
        assert_eq!(parse_amount("-5", idr), Err("error-price-negative"));
        assert_eq!(parse_amount(" ", idr), Err("error-required"));
        assert_eq!(
            parse_amount("99999999999999999999", eur),
            Err("error-price-invalid")
        );
    }

    #[test]
    fn amounts_go_back_into_forms_as_typed() {
        assert_eq!(amount_input(1290, c("EUR")), "12.90");
        assert_eq!(amount_input(5, c("EUR")), "0.05");
        assert_eq!(amount_input(12_900, c("IDR")), "12900");
        let eur = c("EUR");
        assert_eq!(parse_amount(&amount_input(123_456, eur), eur), Ok(123_456));
    }

    #[test]
    fn digits_are_grouped_by_locale() {
        assert_eq!(group_digits(Locale::En, 1_234_567), "1,234,567");
        assert_eq!(group_digits(Locale::Fr, 12_345), "12\u{202f}345");
        assert_eq!(group_digits(Locale::Id, 999), "999");
        assert_eq!(format_number(Locale::Id, 5, c("EUR")), "0,05");
    }
}
