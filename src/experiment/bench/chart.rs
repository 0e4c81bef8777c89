//! The scaling chart: wall time against hosts (left) and against VMs (right), both log-log,
//! with the run report's font and palette.

use super::scaling::ScalingPoint;
use crate::experiment::ExperimentError;
use crate::experiment::charts::write_chart;
use crate::report::plots::canvas::{Canvas, DrawResult, Figure};
use crate::report::plots::format::tick;
use crate::report::plots::style::{GRID, caption_font, colour, label_font, note};
use plotters::prelude::*;
use std::path::Path;

const SIZE: (u32, u32) = (1100, 520);
const TITLE_H: u32 = 50;

struct Panel {
    title: &'static str,
    x_label: &'static str,
    /// (x, wall seconds), x ascending.
    points: Vec<(f64, f64)>,
}

struct ScalingChart {
    panels: [Panel; 2],
}

/// Writes `scaling.png` and `scaling.svg` into `dir`.
pub fn write(dir: &Path, points: &[ScalingPoint]) -> Result<(), ExperimentError> {
    let series = |axis: &str, x: fn(&ScalingPoint) -> u64| -> Vec<(f64, f64)> {
        points
            .iter()
            .filter(|p| p.axis == axis && p.wall_s > 0.0)
            .map(|p| (x(p) as f64, p.wall_s))
            .collect()
    };
    let chart = ScalingChart {
        panels: [
            Panel {
                title: "burst at t=0, 10 VMs per host",
                x_label: "hosts",
                points: series("hosts", |p| p.hosts),
            },
            Panel {
                title: "churn on 10k hosts, ~100k VMs live",
                x_label: "VMs over the run",
                points: series("vms", |p| p.vms),
            },
        ],
    };
    write_chart(dir, "scaling", &chart)
}

impl Figure for ScalingChart {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>) -> DrawResult<DB> {
        let (top, body) = root.split_vertically(TITLE_H);
        top.titled("dcsim wall time (log-log)", caption_font())?;
        let halves = body.split_evenly((1, 2));
        for (area, panel) in halves.iter().zip(&self.panels) {
            panel.draw(area)?;
        }
        Ok(())
    }
}

/// A log range around `values` with some margin; a decade around 1 when empty.
fn log_bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::MAX, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if hi <= 0.0 {
        return (0.1, 10.0);
    }
    (lo / 2.0, hi * 2.0)
}

impl Panel {
    fn draw<DB: DrawingBackend>(&self, area: &Canvas<DB>) -> DrawResult<DB> {
        if self.points.is_empty() {
            return note(area, "no points");
        }
        let (x0, x1) = log_bounds(self.points.iter().map(|p| p.0));
        let (y0, y1) = log_bounds(self.points.iter().map(|p| p.1));
        let mut chart = ChartBuilder::on(area)
            .caption(self.title, label_font())
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())?;
        chart
            .configure_mesh()
            .light_line_style(GRID)
            .x_desc(self.x_label)
            .y_desc("wall time, s")
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| format!("{v}"))
            .label_style(label_font())
            .draw()?;
        let c = colour(0);
        chart.draw_series(LineSeries::new(
            self.points.iter().copied(),
            c.stroke_width(2),
        ))?;
        chart.draw_series(self.points.iter().map(|&p| Circle::new(p, 4, c.filled())))?;
        Ok(())
    }
}
