//! The regression chart: one panel per baseline metric, its value at each of the last
//! `MAX_POINTS` history rows, the baseline as a dashed line inside its shaded tolerance band,
//! regressions in red. Written as PNG and SVG beside the history file.

use super::baseline::{Baseline, BaselineMetric};
use super::charts::write_chart;
use super::history::History;
use super::{ExperimentError, metrics::fmt_value};
use crate::report::plots::canvas::{Canvas, DrawResult, Figure};
use crate::report::plots::format::tick;
use crate::report::plots::style::{GRID, caption_font, colour, label_font};
use plotters::prelude::*;
use std::path::Path;

/// Most history rows drawn (the latest).
pub const MAX_POINTS: usize = 60;
const WIDTH: u32 = 1000;
const PANEL_H: u32 = 230;
const TITLE_H: u32 = 50;
const BAD: RGBColor = RGBColor(214, 39, 40);

struct Panel {
    name: String,
    baseline: BaselineMetric,
    /// (history row number, from 1; value).
    points: Vec<(f64, f64)>,
}

struct RegressionChart {
    title: String,
    first: f64,
    last: f64,
    panels: Vec<Panel>,
}

/// Draws the chart of `history` against `baseline` as `png` and the SVG beside it.
pub fn write(png: &Path, baseline: &Baseline, history: &History) -> Result<(), ExperimentError> {
    let skip = history.rows.len().saturating_sub(MAX_POINTS);
    let panels = baseline
        .metrics
        .iter()
        .map(|(name, b)| Panel {
            name: name.clone(),
            baseline: *b,
            points: history
                .values(name)
                .into_iter()
                .enumerate()
                .skip(skip)
                .filter_map(|(i, v)| v.map(|v| ((i + 1) as f64, v)))
                .collect(),
        })
        .collect();
    let chart = RegressionChart {
        title: "Headline metrics across the regression history".into(),
        first: skip as f64 + 0.5,
        last: history.rows.len().max(skip + 1) as f64 + 0.5,
        panels,
    };
    let dir = png.parent().unwrap_or(Path::new("."));
    let stem = png
        .file_stem()
        .map_or("regression".into(), |s| s.to_string_lossy());
    write_chart(dir, &stem, &chart)
}

impl Figure for RegressionChart {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(2).max(1) as u32;
        (WIDTH, TITLE_H + rows * PANEL_H)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>) -> DrawResult<DB> {
        let body = root.titled(&self.title, caption_font())?;
        let rows = self.panels.len().div_ceil(2).max(1);
        let areas = body.split_evenly((rows, 2));
        for (panel, area) in self.panels.iter().zip(&areas) {
            self.draw_panel(area, panel)?;
        }
        Ok(())
    }
}

/// The y range covering the band and the points, padded.
fn y_range(p: &Panel) -> (f64, f64) {
    let b = p.baseline;
    let (lo, hi) = p.points.iter().fold(
        (b.value - b.allowed(), b.value + b.allowed()),
        |(lo, hi), &(_, v)| (lo.min(v), hi.max(v)),
    );
    let pad = ((hi - lo) * 0.15).max(b.value.abs() * 0.01);
    let pad = if pad > 0.0 { pad } else { 1.0 };
    (lo - pad, hi + pad)
}

impl RegressionChart {
    fn draw_panel<DB: DrawingBackend>(&self, area: &Canvas<DB>, p: &Panel) -> DrawResult<DB> {
        let (bottom, top) = y_range(p);
        let b = p.baseline;
        let caption = format!("{} (baseline {})", p.name, fmt_value(b.value));
        let mut chart = ChartBuilder::on(area)
            .caption(caption, label_font())
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(64)
            .build_cartesian_2d(self.first..self.last, bottom..top)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .label_style(label_font())
            .x_labels(8)
            .x_label_formatter(&|v| {
                if v.fract() == 0.0 {
                    tick(*v)
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|v| fmt_value(*v))
            .draw()?;
        let band = [
            (self.first, b.value - b.allowed()),
            (self.last, b.value + b.allowed()),
        ];
        chart.draw_series([Rectangle::new(band, colour(2).mix(0.18).filled())])?;
        let base_line = vec![(self.first, b.value), (self.last, b.value)];
        chart.draw_series(DashedLineSeries::new(
            base_line,
            6,
            4,
            colour(2).stroke_width(2),
        ))?;
        chart.draw_series(LineSeries::new(
            p.points.iter().copied(),
            colour(0).stroke_width(2),
        ))?;
        chart.draw_series(p.points.iter().map(|&(x, v)| {
            let c = if b.is_worse(v) { BAD } else { colour(0) };
            Circle::new((x, v), 4, c.filled())
        }))?;
        Ok(())
    }
}
