//! WCAG 2.1 contrast between sRGB colours: the theme editor refuses a primary colour
//! that would make the portal unreadable, and text on the accent colour is whichever of
//! ink or white reads better on it.

use super::values::HexColor;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The portal's text colour (`--ink` in app.css).
pub const INK: Rgb = Rgb(0x1d, 0x23, 0x27);
pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
/// The page background (`--bg` in app.css).
pub const PAGE: Rgb = Rgb(0xf6, 0xf7, 0xf8);
/// WCAG AA for normal text.
pub const AA: f64 = 4.5;

impl Rgb {
    pub fn parse(hex: &str) -> Option<Rgb> {
        let h = hex.strip_prefix('#')?;
        if h.len() != 6 {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// CSS `color-mix(in srgb, self share, other)`.
    pub fn mix(self, share: f64, other: Rgb) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) * share + f64::from(b) * (1.0 - share)).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// The contrast ratio, from 1 to 21.
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Ink or white, whichever reads better on `background`.
pub fn text_on(background: Rgb) -> Rgb {
    if ratio(WHITE, background) >= ratio(INK, background) {
        WHITE
    } else {
        INK
    }
}

/// The lowest contrast the primary colour gets where the portal uses it: white text on
/// it (top bar, buttons), and it as text on white, on the page background and on its own
/// light tints (badges, secondary buttons, flash messages).
pub fn primary_contrast(primary: Rgb) -> f64 {
    [
        WHITE,
        PAGE,
        primary.mix(0.15, WHITE),
        primary.mix(0.12, WHITE),
    ]
    .into_iter()
    .map(|bg| ratio(primary, bg))
    .fold(f64::INFINITY, f64::min)
}

/// A primary colour that keeps every text of the portal at WCAG AA.
pub fn readable_primary(color: &HexColor) -> Result<(), &'static str> {
    match Rgb::parse(color.as_str()) {
        Some(rgb) if primary_contrast(rgb) >= AA => Ok(()),
        _ => Err("error-color-contrast"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_match_wcag_examples() {
        assert!((ratio(WHITE, Rgb(0, 0, 0)) - 21.0).abs() < 1e-9);
        assert!((ratio(WHITE, WHITE) - 1.0).abs() < 1e-9);
        // axe-core measured white on #e8a33d at 2.15:1.
        let accent = Rgb::parse("#e8a33d").unwrap();
        assert!((ratio(WHITE, accent) - 2.15).abs() < 0.01);
        assert_eq!(text_on(accent), INK);
        assert_eq!(text_on(Rgb::parse("#2e6b4f").unwrap()), WHITE);
    }

    #[test]
    fn the_default_and_demo_primaries_are_readable_and_light_ones_are_not() {
        for ok in ["#1f6f5c", "#2e6b4f", "#000000", "#1d4ed8"] {
            assert!(
                readable_primary(&HexColor::parse(ok).unwrap()).is_ok(),
                "{ok}"
            );
        }
        for bad in ["#ffffff", "#e8a33d", "#f2a541", "#3b82f6"] {
            assert!(
                readable_primary(&HexColor::parse(bad).unwrap()).is_err(),
                "{bad}"
            );
        }
    }
}
