//! The stock implied at a partner by what the brand sold it (sell-in) and what it
//! declared selling (approved sell-out), and how many weeks that stock lasts. No I/O.

use serde::Serialize;

/// The sell-out rate is measured over this many weeks before the end of the period.
pub const RATE_WEEKS: i64 = 8;

/// Quantities of one product at one partner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub opening: i64,
    /// Sell-in up to the end of the period.
    pub sell_in_to_date: i64,
    /// Approved sell-out up to the end of the period.
    pub sell_out_to_date: i64,
    /// Approved sell-out in the `RATE_WEEKS` weeks before the end of the period.
    pub sell_out_recent: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Alert {
    StockOutRisk,
    Overstock,
}

impl Alert {
    pub const ALL: [Alert; 2] = [Alert::StockOutRisk, Alert::Overstock];

    pub fn as_str(self) -> &'static str {
        match self {
            Alert::StockOutRisk => "stock_out_risk",
            Alert::Overstock => "overstock",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The thresholds of the tenant, in weeks of cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub stock_out_weeks: i32,
    pub overstock_weeks: i32,
}

impl Figures {
    /// Opening stock + sell-in − approved sell-out (negative when declarations outrun
    /// the known sell-in).
    pub fn implied_stock(&self) -> i64 {
        self.opening + self.sell_in_to_date - self.sell_out_to_date
    }

    /// Weeks the stock lasts at the recent rate, in tenths of a week (35 = 3.5 weeks);
    /// `None` when nothing sold recently (the stock does not move).
    pub fn cover_tenths(&self) -> Option<i64> {
        if self.sell_out_recent <= 0 {
            return None;
        }
        let stock = self.implied_stock().max(0);
        Some(stock * RATE_WEEKS * 10 / self.sell_out_recent)
    }

    /// Stock-out risk: cover below the threshold while it sells. Overstock: cover above
    /// the threshold, or stock that did not move at all recently.
    pub fn alert(&self, t: Thresholds) -> Option<Alert> {
        match self.cover_tenths() {
            Some(cover) if cover < i64::from(t.stock_out_weeks) * 10 => Some(Alert::StockOutRisk),
            Some(cover) if cover > i64::from(t.overstock_weeks) * 10 => Some(Alert::Overstock),
            Some(_) => None,
            None if self.implied_stock() > 0 => Some(Alert::Overstock),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Thresholds = Thresholds {
        stock_out_weeks: 2,
        overstock_weeks: 16,
    };

    fn figures(opening: i64, sell_in: i64, sold: i64, recent: i64) -> Figures {
        Figures {
            opening,
            sell_in_to_date: sell_in,
            sell_out_to_date: sold,
            sell_out_recent: recent,
        }
    }

    #[test]
    fn implied_stock_and_cover() {
        let f = figures(10, 100, 70, 16);
        assert_eq!(f.implied_stock(), 40);
        // 16 sold in 8 weeks = 2 a week: 40 last 20 weeks.
        assert_eq!(f.cover_tenths(), Some(200));
        assert_eq!(figures(0, 10, 20, 8).cover_tenths(), Some(0));
        assert_eq!(figures(0, 10, 0, 0).cover_tenths(), None);
    }

    #[test]
    fn alerts_follow_the_thresholds() {
        assert_eq!(figures(0, 100, 95, 40).alert(T), Some(Alert::StockOutRisk));
        assert_eq!(figures(0, 100, 20, 8).alert(T), Some(Alert::Overstock));
        assert_eq!(figures(0, 100, 60, 40).alert(T), None);
        assert_eq!(figures(0, 50, 0, 0).alert(T), Some(Alert::Overstock));
        assert_eq!(figures(0, 0, 0, 0).alert(T), None);
        assert_eq!(figures(0, 10, 12, 12).alert(T), Some(Alert::StockOutRisk));
    }
}
