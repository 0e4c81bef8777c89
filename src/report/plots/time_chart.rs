//! The time-series chart with two y axes that the utilisation, power and queue charts share:
//! solid lines on the left axis, dashed lines on the right, the legend below.

use super::format::tick;
use super::legend::{self, Entry, Flow};
use super::style::{GRID, caption_font, desc_font, label_font, nice_max};
use super::{Canvas, DrawResult};
use crate::metrics::TimeseriesRow;
use plotters::prelude::*;

/// One line: a label for the legend and (hours, value) points.
pub struct Series {
    pub label: String,
    pub colour: RGBColor,
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// `value` of every row against time in hours.
    pub fn of(
        label: &str,
        colour: RGBColor,
        rows: &[TimeseriesRow],
        value: impl Fn(&TimeseriesRow) -> f64,
    ) -> Series {
        Series {
            label: label.to_string(),
            colour,
            points: rows.iter().map(|r| (r.time_s / 3600.0, value(r))).collect(),
        }
    }

    fn max(&self) -> f64 {
        super::style::finite_max(self.points.iter().map(|p| p.1))
    }
}

/// One y axis: its description (with unit), its top, how many labels at most, its series.
pub struct Axis {
    pub desc: &'static str,
    pub max: f64,
    pub labels: usize,
    pub series: Vec<Series>,
}

impl Axis {
    /// A percentage axis from 0 to 100.
    pub fn percent(desc: &'static str, series: Vec<Series>) -> Axis {
        Axis {
            desc,
            max: 100.0,
            labels: 11,
            series,
        }
    }

    /// An axis whose top is a round number above its data (at least 1).
    pub fn fitted(desc: &'static str, series: Vec<Series>) -> Axis {
        let max = nice_max(Self::data_max(&series) * 1.05, 1.0);
        Axis {
            desc,
            max,
            labels: 10,
            series,
        }
    }

    /// An axis of counts: whole-number labels only, top at least 5.
    pub fn counts(desc: &'static str, series: Vec<Series>) -> Axis {
        let max = nice_max(Self::data_max(&series) * 1.05, 5.0);
        Axis {
            desc,
            max,
            labels: (max as usize + 1).min(10),
            series,
        }
    }

    fn data_max(series: &[Series]) -> f64 {
        series.iter().map(Series::max).fold(0.0, f64::max)
    }
}

const LEGEND_H: u32 = 40;

/// The end of the time axis, in hours: the last sample, never zero.
pub fn hours(rows: &[TimeseriesRow]) -> f64 {
    let last = rows.last().map_or(0.0, |r| r.time_s / 3600.0);
    if last.is_finite() && last > 0.0 {
        last
    } else {
        1.0
    }
}

/// Draws `left` and `right` against time from 0 to `x_max` hours.
pub fn draw<DB: DrawingBackend>(
    root: &Canvas<DB>,
    title: &str,
    x_max: f64,
    left: &Axis,
    right: &Axis,
) -> DrawResult<DB> {
    let (_, h) = root.dim_in_pixel();
    let (plot, legend_area) = root.split_vertically(h - LEGEND_H);
    let mut chart = ChartBuilder::on(&plot)
        .caption(title, caption_font())
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .right_y_label_area_size(70)
        .build_cartesian_2d(0.0..x_max, 0.0..left.max)?
        .set_secondary_coord(0.0..x_max, 0.0..right.max);
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID)
        .x_desc("time (h)")
        .y_desc(left.desc)
        .y_labels(left.labels)
        .axis_desc_style(desc_font())
        .label_style(label_font())
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(right.desc)
        .y_labels(right.labels)
        .axis_desc_style(desc_font())
        .label_style(label_font())
        .y_label_formatter(&|v| tick(*v))
        .draw()?;
    for s in &left.series {
        let marker = if s.points.len() == 1 { 3 } else { 0 };
        let line = LineSeries::new(s.points.iter().copied(), s.colour.stroke_width(2));
        chart.draw_series(line.point_size(marker))?;
    }
    for s in &right.series {
        let style = s.colour.stroke_width(2);
        chart.draw_secondary_series(DashedLineSeries::new(
            s.points.iter().copied(),
            8,
            5,
            style,
        ))?;
        if let [p] = s.points[..] {
            chart.draw_secondary_series(std::iter::once(Circle::new(p, 3, s.colour.filled())))?;
        }
    }
    if left
        .series
        .iter()
        .chain(&right.series)
        .all(|s| s.points.is_empty())
    {
        super::style::note(&plot, "no samples in this run")?;
    }
    let entries: Vec<Entry> = left
        .series
        .iter()
        .map(|s| Entry::line(&s.label, s.colour))
        .chain(
            right
                .series
                .iter()
                .map(|s| Entry::dashed(format!("{} (right axis)", s.label), s.colour)),
        )
        .collect();
    legend::draw(&legend_area, &entries, Flow::Rows)
}
