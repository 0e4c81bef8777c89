//! The `bars` chart: one panel per metric, one bar per arm (its mean over seeds) with a whisker
//! over the 95 % interval, arms in the same colours in every panel, the legend below.

use super::canvas::{Canvas, DrawResult, Figure};
use super::format::tick;
use super::legend::{self, Entry, Flow, legend_height};
use super::style::{GRID, TEXT, caption_font, colour, finite_max, label_font, nice_max, note};
use plotters::prelude::*;

/// One arm's bar: its mean (none without runs) and interval (none with fewer than two runs).
pub struct Bar {
    pub mean: Option<f64>,
    pub bounds: Option<(f64, f64)>,
}

/// One metric.
pub struct Panel {
    pub label: String,
    pub bars: Vec<Bar>,
}

pub struct GroupedBars {
    pub title: String,
    pub panels: Vec<Panel>,
    pub legend: Vec<Entry>,
}

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 560;

impl Figure for GroupedBars {
    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>) -> DrawResult<DB> {
        let body = root
            .margin(10, 0, 0, 0)
            .titled(&self.title, caption_font())?;
        let (_, h) = body.dim_in_pixel();
        let (plots, legend_area) = body.split_vertically(h - legend_height(&self.legend, WIDTH));
        let areas = plots.split_evenly((1, self.panels.len().max(1)));
        for (panel, area) in self.panels.iter().zip(&areas) {
            draw_panel(area, panel)?;
        }
        legend::draw(&legend_area, &self.legend, Flow::Rows)
    }
}

/// The y range of a panel: from zero (or below, for negative data) to a round number.
fn y_range(panel: &Panel) -> (f64, f64) {
    let values = panel.bars.iter().flat_map(|b| {
        let (lo, hi) = b.bounds.unwrap_or((f64::NAN, f64::NAN));
        [b.mean.unwrap_or(f64::NAN), lo, hi]
    });
    let values: Vec<f64> = values.filter(|v| v.is_finite()).collect();
    let top = nice_max(finite_max(values.iter().copied()) * 1.05, 0.0);
    let low = values.iter().copied().fold(0.0, f64::min);
    let bottom = if low < 0.0 {
        -nice_max(-low * 1.05, 0.0)
    } else {
        0.0
    };
    (bottom, top)
}

fn draw_panel<DB: DrawingBackend>(area: &Canvas<DB>, panel: &Panel) -> DrawResult<DB> {
    let n = panel.bars.len().max(1) as f64;
    let (bottom, top) = y_range(panel);
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.label, label_font())
        .margin(8)
        .x_label_area_size(10)
        .y_label_area_size(58)
        .build_cartesian_2d(0.0..n, bottom..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .max_light_lines(0)
        .bold_line_style(GRID)
        .label_style(label_font())
        .y_label_formatter(&|v| tick(*v))
        .draw()?;
    for (i, bar) in panel.bars.iter().enumerate() {
        let x = i as f64;
        if let Some(mean) = bar.mean.filter(|m| m.is_finite()) {
            let rect = [(x + 0.15, 0.0), (x + 0.85, mean)];
            chart.draw_series([Rectangle::new(rect, colour(i).filled())])?;
        }
        if let Some((lo, hi)) = bar.bounds {
            let mid = x + 0.5;
            let style = TEXT.stroke_width(2);
            chart.draw_series([
                PathElement::new(vec![(mid, lo), (mid, hi)], style),
                PathElement::new(vec![(mid - 0.15, lo), (mid + 0.15, lo)], style),
                PathElement::new(vec![(mid - 0.15, hi), (mid + 0.15, hi)], style),
            ])?;
        }
    }
    if panel.bars.iter().all(|b| b.mean.is_none()) {
        note(area, "no runs")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_covers_whiskers_and_negative_bars() {
        let panel = |bars| Panel {
            label: "x".into(),
            bars,
        };
        let p = panel(vec![Bar {
            mean: Some(10.0),
            bounds: Some((8.0, 12.0)),
        }]);
        assert_eq!(y_range(&p), (0.0, 15.0));
        let p = panel(vec![Bar {
            mean: Some(-3.0),
            bounds: None,
        }]);
        assert_eq!(y_range(&p), (-4.0, 1.0));
        let p = panel(vec![Bar {
            mean: None,
            bounds: None,
        }]);
        assert_eq!(y_range(&p), (0.0, 1.0));
    }
}
