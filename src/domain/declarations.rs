//! Sell-out declarations: their vocabularies, the validation of what a participant types,
//! the points of a line and the checks that send a declaration to a person for review.
//! No I/O.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::values::ErrorKey;

vocabulary!(
    /// Where the sale happened.
    Channel { InStore => "in_store", Online => "online" }
);

vocabulary!(
    /// submitted → approved | rejected | withdrawn; approved → rejected (points reversed).
    Status {
        Submitted => "submitted",
        Approved => "approved",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
    }
);

vocabulary!(
    /// Who bought, as the participant tells it (optional feedback).
    CustomerType { New => "new", Regular => "regular", Professional => "professional" }
);

vocabulary!(
    /// A check that sends the declaration to a reviewer instead of auto-approval.
    Flag {
        DuplicateInvoice => "duplicate_invoice",
        ExceedsStock => "exceeds_stock",
        OverThreshold => "over_threshold",
        DailyLimit => "daily_limit",
    }
);

vocabulary!(
    /// The reasons a reviewer picks from (or they write their own).
    ListedReason {
        NoProof => "no_proof",
        UnreadableProof => "unreadable_proof",
        Duplicate => "duplicate",
        NotOurProduct => "not_our_product",
        QuantityMismatch => "quantity_mismatch",
        OutsideWindow => "outside_window",
    }
);

/// Why a declaration was rejected: a reason from the list (stored as its code, shown in
/// the reader's language) or written by the reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Listed(ListedReason),
    Written(String),
}

const LISTED_PREFIX: &str = "listed:";

impl Reason {
    /// A listed code wins over written text; one of them is required.
    pub fn parse(listed: &str, written: &str) -> Result<Self, ErrorKey> {
        if let Some(l) = ListedReason::parse(listed) {
            return Ok(Reason::Listed(l));
        }
        let text = written.trim();
        match text.chars().count() {
            0 => Err("error-reason-required"),
            n if n > 500 => Err("error-too-long"),
            _ => Ok(Reason::Written(text.to_string())),
        }
    }

    pub fn to_stored(&self) -> String {
        match self {
            Reason::Listed(l) => format!("{LISTED_PREFIX}{}", l.as_str()),
            Reason::Written(t) => t.clone(),
        }
    }

    pub fn from_stored(s: &str) -> Self {
        match s.strip_prefix(LISTED_PREFIX).and_then(ListedReason::parse) {
            Some(l) => Reason::Listed(l),
            None => Reason::Written(s.to_string()),
        }
    }

    /// The translation key of a listed reason.
    pub fn key(&self) -> Option<String> {
        match self {
            Reason::Listed(l) => Some(format!("reason-{}", l.as_str().replace('_', "-"))),
            Reason::Written(_) => None,
        }
    }
}

/// The tenant's rules for declarations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rules {
    pub window_days: i32,
    pub max_quantity_per_line: i32,
    pub auto_approve: bool,
    pub auto_approve_max_points: i64,
    pub max_declarations_per_day: i32,
    pub stock_out_weeks: i32,
    pub overstock_weeks: i32,
}

impl Default for Rules {
    /// The database's defaults, for a tenant that never changed its rules.
    fn default() -> Self {
        Rules {
            window_days: 60,
            max_quantity_per_line: 50,
            auto_approve: false,
            auto_approve_max_points: 500,
            max_declarations_per_day: 10,
            stock_out_weeks: 2,
            overstock_weeks: 16,
        }
    }
}

/// A quantity sold: a whole number, at least 1, at most the tenant's cap.
pub fn parse_quantity(input: &str, cap: i32) -> Result<i32, ErrorKey> {
    let s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    if s.contains(['.', ',']) {
        return Err("error-quantity-whole");
    }
    match s.parse::<i64>() {
        Ok(n) if n <= 0 => Err("error-quantity-positive"),
        Ok(n) if n > i64::from(cap) => Err("error-quantity-cap"),
        Ok(n) => i32::try_from(n).map_err(|_| "error-quantity-cap"),
        Err(_) if s.starts_with('-') && s[1..].chars().all(|c| c.is_ascii_digit()) => {
            Err("error-quantity-positive")
        }
        Err(_) if s.chars().all(|c| c.is_ascii_digit()) => Err("error-quantity-cap"),
        Err(_) => Err("error-quantity-whole"),
    }
}

/// A date `YYYY-MM-DD` (what a date input sends) or `DD/MM/YYYY` (a French spreadsheet).
pub fn parse_date(input: &str) -> Result<NaiveDate, ErrorKey> {
    let s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| "error-date-invalid")
}

const fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("not a date"),
    }
}

/// The first and last days a date typed in a filter or a file may be: anything else is a
/// typo, and far enough out, a date Postgres cannot store or date arithmetic overflows on.
pub const FIRST_DAY: NaiveDate = day(2000, 1, 1);
pub const LAST_DAY: NaiveDate = day(2100, 12, 31);

/// Whether `date` lies between `FIRST_DAY` and `LAST_DAY`.
pub fn within_years(date: NaiveDate) -> bool {
    (FIRST_DAY..=LAST_DAY).contains(&date)
}

/// The date of a sale: not in the future, not before the declaration window.
pub fn parse_sale_date(
    input: &str,
    today: NaiveDate,
    window_days: i32,
) -> Result<NaiveDate, ErrorKey> {
    let date = parse_date(input)?;
    if date > today {
        Err("error-sale-date-future")
    } else if date < today - Duration::days(window_days.into()) {
        Err("error-sale-date-too-old")
    } else {
        Ok(date)
    }
}

/// The invoice or receipt reference: required, at most 60 characters.
pub fn parse_invoice_ref(input: &str) -> Result<String, ErrorKey> {
    super::network::required_text(input, 60)
}

/// The same reference typed twice with other spaces or case is the same reference.
pub fn normalize_invoice_ref(invoice_ref: &str) -> String {
    invoice_ref.trim().to_lowercase()
}

/// A points multiplier in thousandths (1500 = ×1.5): never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Multiplier(pub u32);

impl Multiplier {
    pub const ONE: Multiplier = Multiplier(1000);
}

/// Points of a line: points per unit × quantity × every multiplier, rounded down.
pub fn line_points(points_per_unit: i64, quantity: i32, multipliers: &[Multiplier]) -> i64 {
    let mut points = i128::from(points_per_unit.max(0)) * i128::from(quantity.max(0));
    for m in multipliers {
        points = points * i128::from(m.0) / 1000;
    }
    i64::try_from(points).unwrap_or(i64::MAX)
}

/// Stock known for one product of the declaration at its partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockCheck {
    /// Sell-in plus opening stock; `None` when the partner has no stock data at all.
    pub known_supply: Option<i64>,
    /// Approved sell-out so far.
    pub approved_sold: i64,
    /// Quantity of this declaration.
    pub declared: i64,
}

/// What the checks look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInput {
    pub same_invoice_declared: bool,
    pub stock: Vec<StockCheck>,
    pub points: i64,
    /// Declarations of the participant that day, this one included.
    pub declarations_today: i64,
}

/// The flags of a declaration, in a stable order.
pub fn flags(input: &CheckInput, rules: &Rules) -> Vec<Flag> {
    let mut out = vec![];
    if input.same_invoice_declared {
        out.push(Flag::DuplicateInvoice);
    }
    let beyond_stock = |s: &StockCheck| {
        s.known_supply
            .is_some_and(|supply| s.approved_sold + s.declared > supply)
    };
    if input.stock.iter().any(beyond_stock) {
        out.push(Flag::ExceedsStock);
    }
    if input.points > rules.auto_approve_max_points {
        out.push(Flag::OverThreshold);
    }
    if input.declarations_today > i64::from(rules.max_declarations_per_day) {
        out.push(Flag::DailyLimit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            window_days: 30,
            max_quantity_per_line: 20,
            auto_approve: true,
            auto_approve_max_points: 500,
            max_declarations_per_day: 3,
            stock_out_weeks: 2,
            overstock_weeks: 16,
        }
    }

    #[test]
    fn quantities_are_positive_whole_numbers_under_the_cap() {
        assert_eq!(parse_quantity(" 3 ", 20), Ok(3));
        assert_eq!(parse_quantity("20", 20), Ok(20));
        assert_eq!(parse_quantity("21", 20), Err("error-quantity-cap"));
        assert_eq!(
            parse_quantity("99999999999999999999", 20),
            Err("error-quantity-cap")
        );
        assert_eq!(parse_quantity("0", 20), Err("error-quantity-positive"));
        assert_eq!(parse_quantity("-2", 20), Err("error-quantity-positive"));
        assert_eq!(parse_quantity("1.5", 20), Err("error-quantity-whole"));
        assert_eq!(parse_quantity("1,5", 20), Err("error-quantity-whole"));
        assert_eq!(parse_quantity("two", 20), Err("error-quantity-whole"));
        assert_eq!(parse_quantity("", 20), Err("error-required"));
    }

    #[test]
    fn sale_dates_stay_inside_the_window() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d = |s| parse_sale_date(s, today, 30);
        assert_eq!(d("2026-11-23"), Ok(today));
        assert_eq!(d("23/11/2026"), Ok(today));
        assert_eq!(
            d("2026-10-24"),
            NaiveDate::from_ymd_opt(2026, 10, 24).ok_or("")
        );
        assert_eq!(d("2026-10-23"), Err("error-sale-date-too-old"));
        assert_eq!(d("2026-11-24"), Err("error-sale-date-future"));
        assert_eq!(d("yesterday"), Err("error-date-invalid"));
        assert_eq!(d(""), Err("error-required"));
    }

    #[test]
    fn points_multiply_and_round_down() {
        assert_eq!(line_points(10, 3, &[]), 30);
        assert_eq!(line_points(10, 3, &[Multiplier::ONE]), 30);
        assert_eq!(line_points(11, 3, &[Multiplier(1500)]), 49);
        assert_eq!(
            line_points(10, 3, &[Multiplier(1500), Multiplier(2000)]),
            90
        );
        assert_eq!(line_points(i64::MAX, i32::MAX, &[]), i64::MAX);
    }

    #[test]
    fn each_check_raises_its_flag() {
        let clean = CheckInput {
            same_invoice_declared: false,
            stock: vec![StockCheck {
                known_supply: Some(10),
                approved_sold: 4,
                declared: 6,
            }],
            points: 500,
            declarations_today: 3,
        };
        assert!(flags(&clean, &rules()).is_empty());
        let all = CheckInput {
            same_invoice_declared: true,
            stock: vec![StockCheck {
                known_supply: Some(10),
                approved_sold: 5,
                declared: 6,
            }],
            points: 501,
            declarations_today: 4,
        };
        assert_eq!(
            flags(&all, &rules()),
            vec![
                Flag::DuplicateInvoice,
                Flag::ExceedsStock,
                Flag::OverThreshold,
                Flag::DailyLimit
            ]
        );
        let unknown_stock = CheckInput {
            stock: vec![StockCheck {
                known_supply: None,
                approved_sold: 100,
                declared: 6,
            }],
            ..clean
        };
        assert!(flags(&unknown_stock, &rules()).is_empty());
    }

    #[test]
    fn reasons_are_listed_or_written() {
        let listed = Reason::parse("no_proof", "ignored").unwrap();
        assert_eq!(listed.to_stored(), "listed:no_proof");
        assert_eq!(Reason::from_stored("listed:no_proof"), listed);
        assert_eq!(listed.key().as_deref(), Some("reason-no-proof"));
        let written = Reason::parse("", "  Blurry photo ").unwrap();
        assert_eq!(written, Reason::Written("Blurry photo".into()));
        assert_eq!(Reason::from_stored("Blurry photo"), written);
        assert_eq!(Reason::parse("", " "), Err("error-reason-required"));
    }
}
