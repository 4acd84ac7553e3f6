//! Charts of the analytics pages, drawn on the server as SVG by `plotters` (no JavaScript,
//! no font stack: the browser lays out the text), in the tenant's colours.
//!
//! A handler builds a [`Chart`] from a service's figures and puts [`Chart::view`] in the
//! template context; `templates/studio/charts.html` shows it as a `<figure>` with its
//! caption, a legend and the same figures as a table (the accessible form of the chart):
//!
//! ```text
//! {% import "studio/charts.html" as charts %}
//! {{ charts::chart(c=sales_chart) }}
//! ```
//!
//! Values are whole numbers (units, points, money in minor units divided by the caller);
//! the table shows them grouped by the reader's locale.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use serde::Serialize;

use crate::domain::locale::Locale;
use crate::domain::money::group_digits;

/// Width and height of the drawing; the SVG scales to its container.
const SIZE: (u32, u32) = (640, 300);
const GREY: RGBColor = RGBColor(0x9a, 0xa0, 0xa6);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One bar per label (several series are stacked, as with `StackedBar`).
    Bar,
    /// The series stacked on each other (their sum is the bar's height).
    StackedBar,
    /// One line per series.
    Line,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub values: Vec<i64>,
    /// Drawn in grey (a comparison such as "the same weeks a year before").
    pub muted: bool,
}

impl Series {
    pub fn new(label: impl Into<String>, values: Vec<i64>) -> Self {
        Series {
            label: label.into(),
            values,
            muted: false,
        }
    }

    pub fn muted(mut self) -> Self {
        self.muted = true;
        self
    }
}

#[derive(Debug, Clone)]
pub struct Chart {
    /// The element id of the figure (unique on the page).
    pub id: String,
    pub kind: Kind,
    pub caption: String,
    /// The header of the table's first column (what the labels are: "Week", "Partner").
    pub label_header: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
}

/// What the template needs: the SVG, the legend and the table.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub id: String,
    pub caption: String,
    pub svg: String,
    pub legend: Vec<LegendItem>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub empty: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    pub label: String,
    pub colour: String,
}

/// The tenant's colours, from which the series take theirs.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    primary: RGBColor,
    accent: RGBColor,
}

impl Palette {
    /// From the tenant's `#rrggbb` colours (a colour that does not parse falls back to a
    /// neutral blue or orange).
    pub fn new(primary: &str, accent: &str) -> Self {
        Palette {
            primary: parse_hex(primary).unwrap_or(RGBColor(0x1f, 0x5f, 0xa8)),
            accent: parse_hex(accent).unwrap_or(RGBColor(0xe0, 0x7a, 0x1f)),
        }
    }

    /// The colour of the n-th series: primary, accent, then lighter shades of both.
    fn colour(&self, n: usize, muted: bool) -> RGBColor {
        if muted {
            return GREY;
        }
        let base = if n.is_multiple_of(2) {
            self.primary
        } else {
            self.accent
        };
        mix_white(base, (n / 2) as f64 * 0.35)
    }
}

fn parse_hex(s: &str) -> Option<RGBColor> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some(RGBColor(byte(0)?, byte(2)?, byte(4)?))
}

fn mix_white(c: RGBColor, share: f64) -> RGBColor {
    let share = share.clamp(0.0, 0.8);
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * share).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

impl Chart {
    pub fn new(id: &str, kind: Kind, caption: impl Into<String>) -> Self {
        Chart {
            id: id.to_string(),
            kind,
            caption: caption.into(),
            label_header: String::new(),
            labels: Vec::new(),
            series: Vec::new(),
        }
    }

    pub fn labels(mut self, header: impl Into<String>, labels: Vec<String>) -> Self {
        self.label_header = header.into();
        self.labels = labels;
        self
    }

    pub fn series(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }

    /// The figure for the template. Drawing never fails the page: a chart that cannot be
    /// drawn is logged and shown by its table alone.
    pub fn view(&self, palette: Palette, locale: Locale) -> ChartView {
        let group = |v: i64| {
            let digits = group_digits(locale, v.unsigned_abs());
            if v < 0 {
                format!("−{digits}")
            } else {
                digits
            }
        };
        // plotters may panic on arithmetic it did not expect; the page keeps the table.
        let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.draw(palette, &group).map_err(|e| e.to_string())
        }));
        let svg = match drawn {
            Ok(Ok(svg)) => svg,
            Ok(Err(error)) => {
                tracing::warn!(chart = %self.id, %error, "chart not drawn");
                String::new()
            }
            Err(_) => {
                tracing::warn!(chart = %self.id, "chart drawing panicked");
                String::new()
            }
        };
        let legend = self
            .series
            .iter()
            .enumerate()
            .map(|(n, s)| LegendItem {
                label: s.label.clone(),
                colour: css(palette.colour(n, s.muted)),
            })
            .collect();
        let mut headers = vec![self.label_header.clone()];
        headers.extend(self.series.iter().map(|s| s.label.clone()));
        let rows = self
            .labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let mut row = vec![label.clone()];
                row.extend(
                    self.series
                        .iter()
                        .map(|s| s.values.get(i).map_or(String::new(), |v| group(*v))),
                );
                row
            })
            .collect();
        ChartView {
            id: self.id.clone(),
            caption: self.caption.clone(),
            svg,
            legend,
            headers,
            rows,
            empty: self.labels.is_empty(),
        }
    }

    fn value(&self, series: usize, i: usize) -> i64 {
        self.series
            .get(series)
            .and_then(|s| s.values.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// The lowest and highest value the axis must show (always including 0).
    fn range(&self) -> (i64, i64) {
        let n = self.labels.len();
        let (mut low, mut high) = (0i64, 0i64);
        for i in 0..n {
            match self.kind {
                Kind::Bar | Kind::StackedBar => {
                    let (mut pos, mut neg) = (0i64, 0i64);
                    for s in 0..self.series.len() {
                        let v = self.value(s, i);
                        if v >= 0 {
                            pos += v;
                        } else {
                            neg += v;
                        }
                    }
                    high = high.max(pos);
                    low = low.min(neg);
                }
                Kind::Line => {
                    for s in 0..self.series.len() {
                        let v = self.value(s, i);
                        high = high.max(v);
                        low = low.min(v);
                    }
                }
            }
        }
        // Headroom above the highest bar, and a non-empty range when everything is 0.
        let pad = ((high - low) / 10).max(1);
        (if low < 0 { low - pad } else { 0 }, high + pad)
    }

    fn draw(
        &self,
        palette: Palette,
        group: &dyn Fn(i64) -> String,
    ) -> Result<String, Box<dyn std::error::Error>> {
        let n = self.labels.len();
        if n == 0 || self.series.is_empty() {
            return Ok(String::new());
        }
        let (low, high) = self.range();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .margin(8)
                .x_label_area_size(30)
                .y_label_area_size(64)
                .build_cartesian_2d((0..n - 1).into_segmented(), low..high)?;
            let labels = &self.labels;
            let x_label = |v: &SegmentValue<usize>| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    labels.get(*i).cloned().unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            };
            let y_label = |v: &i64| group(*v);
            chart
                .configure_mesh()
                .disable_x_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(RGBColor(0xe8, 0xea, 0xed))
                .axis_style(GREY)
                .x_labels(n.min(8))
                .y_labels(5)
                .x_label_formatter(&x_label)
                .y_label_formatter(&y_label)
                .label_style(
                    ("sans-serif", 14)
                        .into_font()
                        .color(&RGBColor(0x3c, 0x40, 0x43)),
                )
                .draw()?;
            match self.kind {
                Kind::Line => {
                    for (s, series) in self.series.iter().enumerate() {
                        let colour = palette.colour(s, series.muted);
                        let points: Vec<(SegmentValue<usize>, i64)> = (0..n)
                            .map(|i| (SegmentValue::CenterOf(i), self.value(s, i)))
                            .collect();
                        chart
                            .draw_series(LineSeries::new(points.clone(), colour.stroke_width(3)))?;
                        if n <= 16 {
                            chart.draw_series(
                                points
                                    .into_iter()
                                    .map(|p| Circle::new(p, 3, colour.filled())),
                            )?;
                        }
                    }
                }
                Kind::Bar | Kind::StackedBar => {
                    let mut rects = Vec::new();
                    for i in 0..n {
                        let (mut pos, mut neg) = (0i64, 0i64);
                        for (s, series) in self.series.iter().enumerate() {
                            let v = self.value(s, i);
                            let (from, to) = if v >= 0 {
                                pos += v;
                                (pos - v, pos)
                            } else {
                                neg += v;
                                (neg - v, neg)
                            };
                            if v != 0 {
                                let mut bar = Rectangle::new(
                                    [
                                        (SegmentValue::Exact(i), from),
                                        (SegmentValue::Exact(i + 1), to),
                                    ],
                                    palette.colour(s, series.muted).filled(),
                                );
                                // A gap between neighbouring bars.
                                let gap = if n > 20 { 1 } else { 4 };
                                bar.set_margin(0, 0, gap, gap);
                                rects.push(bar);
                            }
                        }
                    }
                    chart.draw_series(rects)?;
                }
            }
            root.present()?;
        }
        Ok(responsive(&svg, &self.id))
    }
}

/// plotters writes a fixed `width` and `height`: keep the `viewBox` so that the drawing
/// scales to its container, and name it for assistive technology by the figure's caption.
fn responsive(svg: &str, id: &str) -> String {
    let Some(end) = svg.find('>') else {
        return String::new();
    };
    let (w, h) = SIZE;
    format!(
        "<svg class=\"chart-svg\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-caption\"{}",
        &svg[end..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(kind: Kind) -> Chart {
        Chart::new("sales", kind, "Sell-out")
            .labels("Week", vec!["W1".into(), "W2".into(), "W3".into()])
            .series(Series::new("This year", vec![3, 12_000, 7]))
            .series(Series::new("A year before", vec![1, -2, 5]).muted())
    }

    #[test]
    fn draws_every_kind_as_svg_with_a_table() {
        for kind in [Kind::Bar, Kind::StackedBar, Kind::Line] {
            let view = sample(kind).view(Palette::new("#112233", "#ff8800"), Locale::En);
            assert!(view
                .svg
                .starts_with("<svg class=\"chart-svg\" viewBox=\"0 0 640 300\""));
            assert!(view.svg.contains("W2"), "{kind:?}: labels drawn");
            assert!(
                view.svg.contains("#112233")
                    || view.svg.contains("#112233".to_uppercase().as_str())
            );
            assert_eq!(view.headers, ["Week", "This year", "A year before"]);
            assert_eq!(view.rows[1], ["W2", "12,000", "−2"]);
            assert_eq!(view.legend[1].colour, "#9aa0a6");
        }
    }

    #[test]
    fn one_label_or_huge_values_still_draw() {
        let one = Chart::new("one", Kind::Bar, "One")
            .labels("Week", vec!["W1".into()])
            .series(Series::new("a", vec![5]));
        assert!(one
            .view(Palette::new("#000000", "#ffffff"), Locale::Id)
            .svg
            .contains("W1"));
        let huge = Chart::new("huge", Kind::Line, "Huge")
            .labels("Week", vec!["W1".into(), "W2".into()])
            .series(Series::new("a", vec![i64::MAX / 2, i64::MIN / 2]));
        // Drawn or not, never a panic: the table holds the figures.
        assert_eq!(
            huge.view(Palette::new("#000000", "#ffffff"), Locale::En)
                .rows
                .len(),
            2
        );
    }

    #[test]
    fn nothing_to_draw_is_an_empty_figure() {
        let view =
            Chart::new("x", Kind::Bar, "Nothing").view(Palette::new("bad", "#zzzzzz"), Locale::Fr);
        assert!(view.empty && view.svg.is_empty() && view.rows.is_empty());
    }

    #[test]
    fn colours_come_from_the_tenant() {
        let p = Palette::new("#000000", "#ffffff");
        assert_eq!(css(p.colour(0, false)), "#000000");
        assert_eq!(css(p.colour(1, false)), "#ffffff");
        assert_ne!(css(p.colour(2, false)), "#000000");
    }
}
