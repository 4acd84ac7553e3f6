//! Rewards and their orders: vocabularies, the fulfilment machine, quantities, delivery
//! addresses and voucher codes. No I/O.
//!
//! Rules decided here:
//! - An order is pending (points held, stock reserved) until an admin (or the tenant's
//!   auto-approval rule) approves or rejects it, or its participant cancels it.
//! - Approval moves each line on by its reward's kind: an e-voucher's code is revealed
//!   and the line is delivered at once, a donation is delivered at once, a physical good
//!   or an experience is processing until shipped (physical) and delivered.
//! - After approval, a line not yet delivered may be refunded (points given back by a
//!   reversal of its capture, stock restored); a delivered line is final.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::values::ErrorKey;

vocabulary!(
    /// What the participant receives.
    RewardKind { Physical => "physical", Voucher => "voucher", Experience => "experience", Donation => "donation" }
);

vocabulary!(
    /// pending → approved | rejected | cancelled (by the participant, while pending).
    OrderStatus { Pending => "pending", Approved => "approved", Rejected => "rejected", Cancelled => "cancelled" }
);

vocabulary!(
    /// A line's fulfilment.
    LineStatus {
        Pending => "pending",
        Processing => "processing",
        Shipped => "shipped",
        Delivered => "delivered",
        Refunded => "refunded",
        Rejected => "rejected",
        Cancelled => "cancelled",
    }
);

impl RewardKind {
    /// Whether an order of it needs a delivery address.
    pub fn ships(self) -> bool {
        self == RewardKind::Physical
    }

    /// A line's status once its order is approved.
    pub fn approved_line(self) -> LineStatus {
        match self {
            RewardKind::Voucher | RewardKind::Donation => LineStatus::Delivered,
            RewardKind::Physical | RewardKind::Experience => LineStatus::Processing,
        }
    }
}

/// A fulfilment step an admin takes on a line of an approved order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Ship,
    Deliver,
    Refund,
}

impl LineStatus {
    /// The status after `step`, if `step` is allowed from here for this kind of reward.
    pub fn after(self, step: Step, kind: RewardKind) -> Option<LineStatus> {
        use LineStatus::*;
        match (self, step) {
            (Processing, Step::Ship) if kind.ships() => Some(Shipped),
            (Processing, Step::Deliver) if !kind.ships() => Some(Delivered),
            (Shipped, Step::Deliver) => Some(Delivered),
            (Processing | Shipped, Step::Refund) => Some(Refunded),
            _ => None,
        }
    }

    /// Whether the line's points are still spent (held or captured).
    pub fn spends(self) -> bool {
        !matches!(
            self,
            LineStatus::Refunded | LineStatus::Rejected | LineStatus::Cancelled
        )
    }
}

/// Most units of one reward in one order.
pub const MAX_QUANTITY: i32 = 1000;

/// A quantity as typed: a whole number from 1 to `MAX_QUANTITY`.
pub fn parse_quantity(input: &str) -> Result<i32, ErrorKey> {
    let s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    match s.parse::<i64>() {
        Ok(n) if n < 1 => Err("error-quantity-positive"),
        Ok(n) if n <= i64::from(MAX_QUANTITY) => Ok(n as i32),
        Ok(_) => Err("error-quantity-too-large"),
        Err(_) => Err("error-quantity-invalid"),
    }
}

/// Whether `today` (in the tenant's zone) lies in the reward's window (inclusive).
pub fn in_window(from: Option<NaiveDate>, until: Option<NaiveDate>, today: NaiveDate) -> bool {
    from.is_none_or(|f| f <= today) && until.is_none_or(|u| today <= u)
}

/// Points still missing to afford `cost` with `balance` (0 when affordable).
pub fn missing(cost: i64, balance: i64) -> i64 {
    (cost - balance).max(0)
}

/// A delivery address as typed: every field a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressInput {
    pub name: String,
    pub line1: String,
    pub line2: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub phone: String,
}

/// The fields of an address and their limits, in the order forms show them.
pub const ADDRESS_FIELDS: &[(&str, usize, bool)] = &[
    ("name", 120, true),
    ("line1", 200, true),
    ("line2", 200, false),
    ("postcode", 20, true),
    ("city", 100, true),
    ("country", 60, true),
    ("phone", 40, false),
];

impl AddressInput {
    fn get(&self, field: &str) -> &str {
        match field {
            "name" => &self.name,
            "line1" => &self.line1,
            "line2" => &self.line2,
            "postcode" => &self.postcode,
            "city" => &self.city,
            "country" => &self.country,
            _ => &self.phone,
        }
    }

    /// The address trimmed, or the problem of each field (keyed `address_<field>`).
    pub fn check(&self) -> Result<AddressInput, Vec<(&'static str, ErrorKey)>> {
        let mut problems = Vec::new();
        for (field, max, required) in ADDRESS_FIELDS {
            let value = self.get(field).trim();
            let key = address_key(field);
            if value.is_empty() && *required {
                problems.push((key, "error-required"));
            } else if value.chars().count() > *max {
                problems.push((key, "error-too-long"));
            } else if value.chars().any(char::is_control) {
                problems.push((key, "error-text-control"));
            } else if *field == "phone"
                && !value
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c))
            {
                problems.push((key, "error-phone-invalid"));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let t = |s: &str| s.trim().to_string();
        Ok(AddressInput {
            name: t(&self.name),
            line1: t(&self.line1),
            line2: t(&self.line2),
            postcode: t(&self.postcode),
            city: t(&self.city),
            country: t(&self.country),
            phone: t(&self.phone),
        })
    }
}

/// The form field (and error key) of an address field.
pub fn address_key(field: &str) -> &'static str {
    match field {
        "name" => "address_name",
        "line1" => "address_line1",
        "line2" => "address_line2",
        "postcode" => "address_postcode",
        "city" => "address_city",
        "country" => "address_country",
        _ => "address_phone",
    }
}

/// A voucher code as imported: 4 to 100 printable characters without spaces.
pub fn parse_code(input: &str) -> Result<String, ErrorKey> {
    let code = input.trim();
    if code.chars().count() < 4 || code.chars().count() > 100 {
        return Err("error-code-length");
    }
    if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("error-code-characters");
    }
    Ok(code.to_string())
}

/// The alphabet of generated codes: no 0/O, 1/I/L, so that codes read aloud survive.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A generated code from 16 random bytes (from the OS source, by the caller): 16
/// characters of a 31-letter alphabet (≈ 79 bits), grouped by four.
pub fn generated_code(random: &[u8; 16]) -> String {
    let mut out = String::with_capacity(19);
    for (i, b) in random.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // 256 = 8 × 31 + 8: the slight bias costs under 0.1 bit per character.
        out.push(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char);
    }
    out
}

/// Most codes one generation or import adds.
pub const MAX_CODES_AT_ONCE: usize = 10_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_and_bounded() {
        assert_eq!(parse_quantity(" 3 "), Ok(3));
        assert_eq!(parse_quantity("0"), Err("error-quantity-positive"));
        assert_eq!(parse_quantity("-2"), Err("error-quantity-positive"));
        assert_eq!(parse_quantity("1001"), Err("error-quantity-too-large"));
        assert_eq!(parse_quantity("1.5"), Err("error-quantity-invalid"));
        assert_eq!(parse_quantity(""), Err("error-required"));
    }

    #[test]
    fn fulfilment_follows_the_kind() {
        use LineStatus::*;
        let p = RewardKind::Physical;
        assert_eq!(Processing.after(Step::Ship, p), Some(Shipped));
        assert_eq!(Processing.after(Step::Deliver, p), None);
        assert_eq!(Shipped.after(Step::Deliver, p), Some(Delivered));
        assert_eq!(Shipped.after(Step::Refund, p), Some(Refunded));
        assert_eq!(Delivered.after(Step::Refund, p), None);
        let e = RewardKind::Experience;
        assert_eq!(Processing.after(Step::Ship, e), None);
        assert_eq!(Processing.after(Step::Deliver, e), Some(Delivered));
        assert_eq!(Pending.after(Step::Refund, e), None);
        assert_eq!(RewardKind::Voucher.approved_line(), Delivered);
    }

    #[test]
    fn windows_are_inclusive() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(in_window(
            Some(d("2026-01-01")),
            Some(d("2026-01-31")),
            d("2026-01-31")
        ));
        assert!(!in_window(Some(d("2026-01-02")), None, d("2026-01-01")));
        assert!(in_window(None, None, d("2026-01-01")));
    }

    #[test]
    fn addresses_name_each_bad_field() {
        let bad = AddressInput {
            name: " ".into(),
            line1: "1 rue de la Paix".into(),
            postcode: "75002".into(),
            city: "Paris".into(),
            country: "France".into(),
            phone: "+33 1 <script>".into(),
            ..Default::default()
        };
        let problems = bad.check().unwrap_err();
        assert_eq!(
            problems,
            vec![
                ("address_name", "error-required"),
                ("address_phone", "error-phone-invalid")
            ]
        );
    }

    #[test]
    fn generated_codes_use_the_unambiguous_alphabet() {
        let code = generated_code(&[255; 16]);
        assert_eq!(code.len(), 19);
        assert!(code
            .chars()
            .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8))));
        assert_ne!(generated_code(&[0; 16]), generated_code(&[1; 16]));
        assert_eq!(parse_code(" AB CD "), Err("error-code-characters"));
        assert_eq!(parse_code("ABC"), Err("error-code-length"));
    }
}
