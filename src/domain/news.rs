//! A news post as typed by a marketer: checked title, text and days. No I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::values::ErrorKey;

pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 5000;

/// The form's fields, as strings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NewsInput {
    pub title: String,
    pub body: String,
    /// `YYYY-MM-DD`, in the tenant's time zone.
    pub publish_on: String,
    /// `YYYY-MM-DD` or empty (no end).
    pub end_on: String,
}

/// A post's checked values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNews {
    pub title: String,
    /// Plain text: paragraphs separated by blank lines, line ends normalised to `\n`.
    pub body: String,
    pub publish_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
}

fn text(input: &str, max: usize, multiline: bool) -> Result<String, ErrorKey> {
    let t = input.replace("\r\n", "\n").replace('\r', "\n");
    let t = t.trim();
    if t.is_empty() {
        Err("error-required")
    } else if t.chars().count() > max {
        Err("error-too-long")
    } else if t
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
    {
        Err("error-text-control")
    } else {
        Ok(t.to_string())
    }
}

fn day(input: &str) -> Result<Option<NaiveDate>, ErrorKey> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| super::declarations::within_years(*d))
        .map(Some)
        .ok_or("error-date-invalid")
}

impl NewsInput {
    /// The checked post, or the problem of each field.
    pub fn check(&self) -> Result<ValidNews, Vec<(&'static str, ErrorKey)>> {
        let mut problems = Vec::new();
        let title = text(&self.title, TITLE_MAX, false).map_err(|e| problems.push(("title", e)));
        let body = text(&self.body, BODY_MAX, true).map_err(|e| problems.push(("body", e)));
        let publish_on = match day(&self.publish_on) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                problems.push(("publish_on", "error-required"));
                None
            }
            Err(e) => {
                problems.push(("publish_on", e));
                None
            }
        };
        let end_on = day(&self.end_on).map_err(|e| problems.push(("end_on", e)));
        if let (Some(p), Ok(Some(e))) = (publish_on, &end_on) {
            if *e < p {
                problems.push(("end_on", "error-news-end-before-start"));
            }
        }
        match (title, body, publish_on, end_on) {
            (Ok(title), Ok(body), Some(publish_on), Ok(end_on)) if problems.is_empty() => {
                Ok(ValidNews {
                    title,
                    body,
                    publish_on,
                    end_on,
                })
            }
            _ => Err(problems),
        }
    }
}

/// Whether a post is shown on `today` (in the tenant's zone): from its publication day
/// to its end day, both included.
pub fn is_live(publish_on: NaiveDate, end_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    publish_on <= today && end_on.is_none_or(|e| today <= e)
}

/// The paragraphs of a post's text (split on blank lines), each a list of lines; the
/// template escapes them, so a post can never carry markup.
pub fn paragraphs(body: &str) -> Vec<Vec<String>> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.lines().map(|l| l.trim_end().to_string()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str, publish_on: &str, end_on: &str) -> NewsInput {
        NewsInput {
            title: title.into(),
            body: "First paragraph.\r\n\r\nSecond\r\nline".into(),
            publish_on: publish_on.into(),
            end_on: end_on.into(),
        }
    }

    #[test]
    fn posts_are_checked_field_by_field() {
        let ok = input(" Hello ", "2026-12-01", "").check().unwrap();
        assert_eq!(ok.title, "Hello");
        assert_eq!(ok.body, "First paragraph.\n\nSecond\nline");
        let bad = input("", "2026-13-01", "2026-01-01").check().unwrap_err();
        assert!(bad.contains(&("title", "error-required")));
        assert!(bad.contains(&("publish_on", "error-date-invalid")));
        let bad = input(&"x".repeat(121), "2026-12-01", "2026-11-01")
            .check()
            .unwrap_err();
        assert!(bad.contains(&("title", "error-too-long")));
        assert!(bad.contains(&("end_on", "error-news-end-before-start")));
        let bad = input("a\0b", "2026-12-01", "").check().unwrap_err();
        assert_eq!(bad, vec![("title", "error-text-control")]);
    }

    #[test]
    fn live_between_its_days_and_split_in_paragraphs() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(!is_live(d("2026-12-02"), None, d("2026-12-01")));
        assert!(is_live(d("2026-12-02"), None, d("2026-12-02")));
        assert!(!is_live(
            d("2026-12-02"),
            Some(d("2026-12-03")),
            d("2026-12-04")
        ));
        assert_eq!(
            paragraphs("a\nb\n\n\n c "),
            vec![
                vec!["a".to_string(), "b".to_string()],
                vec!["c".to_string()]
            ]
        );
    }
}
