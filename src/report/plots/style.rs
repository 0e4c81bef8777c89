//! Shared look of the charts: palette, font sizes, axis bounds and number formats.

use super::{Canvas, DrawResult};
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Categorical colours (Tableau 10), for series and TCO terms.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The i-th categorical colour, cycling.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub const TEXT: RGBColor = RGBColor(40, 40, 40);
pub const GRID: RGBColor = RGBColor(225, 225, 225);

pub fn caption_font() -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, 22.0, FontStyle::Bold).color(&TEXT)
}

pub fn desc_font() -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, 15.0, FontStyle::Normal).color(&TEXT)
}

pub fn label_font() -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, 13.0, FontStyle::Normal).color(&TEXT)
}

/// Writes `text` in grey in the middle of `area`: what a chart without data says.
pub fn note<DB: DrawingBackend>(area: &Canvas<DB>, text: &str) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    let font = FontDesc::new(FontFamily::SansSerif, 18.0, FontStyle::Normal)
        .color(&RGBColor(130, 130, 130))
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(text, (w as i32 / 2, h as i32 / 2), font))
}

/// A round upper bound (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) of an axis showing `max`, never
/// below `floor`.
pub fn nice_max(max: f64, floor: f64) -> f64 {
    let m = if max.is_finite() {
        max.max(floor)
    } else {
        floor
    };
    if m <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(m.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|k| k * magnitude)
        .find(|&b| b >= m)
        .unwrap_or(10.0 * magnitude)
}

/// The largest finite value, or 0.
pub fn finite_max(values: impl IntoIterator<Item = f64>) -> f64 {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_bounds_cover_the_data() {
        assert_eq!(nice_max(0.0, 1.0), 1.0);
        assert_eq!(nice_max(0.0, 0.0), 1.0);
        assert_eq!(nice_max(73.0, 1.0), 80.0);
        assert_eq!(nice_max(100.0, 1.0), 100.0);
        assert_eq!(nice_max(101.0, 1.0), 120.0);
        assert_eq!(nice_max(f64::NAN, 5.0), 5.0);
        assert!(nice_max(123_456.0, 1.0) >= 123_456.0);
    }
}
