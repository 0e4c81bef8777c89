//! The `box_<metric>` charts: per arm, a box from the lower to the upper quartile of the metric
//! over seeds, the median as a line, whiskers to the minimum and maximum.

use super::PLOT_SIZE;
use super::canvas::{Canvas, DrawResult, Figure};
use super::format::value as fmt_value;
use super::legend::{self, Entry, Flow, legend_height};
use super::style::{GRID, TEXT, caption_font, colour, desc_font, label_font, note};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct BoxPlot {
    pub title: String,
    pub y_desc: String,
    /// Per arm: minimum, quartiles, maximum; `None` without runs.
    pub boxes: Vec<Option<[f64; 5]>>,
    pub legend: Vec<Entry>,
}

impl BoxPlot {
    /// The y range: the data, padded by a tenth of its spread (or of its size when flat).
    fn y_range(&self) -> (f64, f64) {
        let all = self.boxes.iter().flatten().flatten().copied();
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if lo > hi {
            return (0.0, 1.0);
        }
        let pad = if hi > lo {
            (hi - lo) * 0.1
        } else {
            (hi.abs() * 0.05).max(1e-9)
        };
        let pad = if lo == 0.0 && hi == 0.0 { 1.0 } else { pad };
        (lo - pad, hi + pad)
    }
}

impl Figure for BoxPlot {
    fn size(&self) -> (u32, u32) {
        PLOT_SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>) -> DrawResult<DB> {
        let (w, h) = root.dim_in_pixel();
        let (plot, legend_area) = root.split_vertically(h - legend_height(&self.legend, w));
        let n = self.boxes.len().max(1) as f64;
        let (bottom, top) = self.y_range();
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, caption_font())
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..n, bottom..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .max_light_lines(0)
            .bold_line_style(GRID)
            .y_desc(&self.y_desc)
            .axis_desc_style(desc_font())
            .label_style(label_font())
            .y_label_formatter(&|v| fmt_value(*v))
            .draw()?;
        for (i, b) in self.boxes.iter().enumerate() {
            if let Some(five) = b {
                draw_box(&mut chart, i, five)?;
            }
        }
        // Each box's arm under it, cut to the width a box has (the legend keeps the full name).
        let width = chart.backend_coord(&(1.0, bottom)).0 - chart.backend_coord(&(0.0, bottom)).0;
        let fits = ((width as f64 / 7.5) as usize).max(3);
        let font = label_font().pos(Pos::new(HPos::Center, VPos::Top));
        for (i, entry) in self.legend.iter().enumerate().take(self.boxes.len()) {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, bottom));
            let label = short(&entry.label, fits);
            plot.draw(&Text::new(label, (x, y + 8), font.clone()))?;
        }
        if self.boxes.iter().all(Option::is_none) {
            note(&plot, "no runs")?;
        }
        legend::draw(&legend_area, &self.legend, Flow::Rows)
    }
}

/// `label` cut to at most `chars` characters, ending in "…" when cut.
fn short(label: &str, chars: usize) -> String {
    if label.chars().count() <= chars {
        label.to_string()
    } else {
        let mut cut: String = label.chars().take(chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

type Chart2d<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn draw_box<DB: DrawingBackend>(
    chart: &mut Chart2d<DB>,
    i: usize,
    &[min, q1, median, q3, max]: &[f64; 5],
) -> DrawResult<DB> {
    let (x0, x1, mid) = (i as f64 + 0.25, i as f64 + 0.75, i as f64 + 0.5);
    let c = colour(i);
    let line = TEXT.stroke_width(2);
    chart.draw_series([
        PathElement::new(vec![(mid, min), (mid, q1)], line),
        PathElement::new(vec![(mid, q3), (mid, max)], line),
        PathElement::new(vec![(mid - 0.1, min), (mid + 0.1, min)], line),
        PathElement::new(vec![(mid - 0.1, max), (mid + 0.1, max)], line),
    ])?;
    chart.draw_series([
        Rectangle::new([(x0, q1), (x1, q3)], c.mix(0.6).filled()),
        Rectangle::new([(x0, q1), (x1, q3)], c.stroke_width(2)),
    ])?;
    chart.draw_series([PathElement::new(
        vec![(x0, median), (x1, median)],
        TEXT.stroke_width(3),
    )])?;
    Ok(())
}
