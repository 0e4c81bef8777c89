//! The `learning_curve` chart (runs with `[insight]` on): each learner's accuracy, round by
//! round, on observations it had not yet learned from — usage quartile hits and lifetimes
//! within 2× of the learned median (left, %), mean slowdown error (right).

use super::canvas::{Canvas, DrawResult, Figure, render};
use super::style::colour;
use super::time_chart::{self, Axis, Series};
use super::{PLOT_SIZE, PlotFile};
use crate::insight::CurvePoint;
use crate::report::ReportError;
use plotters::prelude::*;
use std::path::Path;

fn series(
    label: &str,
    c: usize,
    curve: &[CurvePoint],
    v: impl Fn(&CurvePoint) -> Option<f64>,
) -> Series {
    Series {
        label: label.to_string(),
        colour: colour(c),
        points: curve
            .iter()
            .filter_map(|p| Some((p.time_s / 3600.0, v(p)?)))
            .collect(),
    }
}

fn draw<DB: DrawingBackend>(
    root: &Canvas<DB>,
    curve: &[CurvePoint],
    title: &str,
) -> DrawResult<DB> {
    let usage = series("usage quartile predicted", 0, curve, |p| {
        (p.usage_predictions > 0).then_some(100.0 * p.usage_bucket_accuracy)
    });
    let life = series("lifetime within 2× of median", 1, curve, |p| {
        (p.lifetime_predictions > 0).then_some(100.0 * p.lifetime_within_2x)
    });
    let slow = series("slowdown: mean |error|", 3, curve, |p| {
        (p.slowdown_predictions > 0).then_some(p.slowdown_mae)
    });
    let left = Axis::percent("accuracy (%)", vec![usage, life]);
    let right = Axis::fitted("mean |predicted − observed| slowdown", vec![slow]);
    let hours = curve.last().map_or(1.0, |p| (p.time_s / 3600.0).max(1.0));
    time_chart::draw(root, title, hours, &left, &right)
}

struct Curve<'a> {
    curve: &'a [CurvePoint],
    title: &'a str,
}

impl Figure for Curve<'_> {
    fn size(&self) -> (u32, u32) {
        PLOT_SIZE
    }
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>) -> DrawResult<DB> {
        draw(root, self.curve, self.title)
    }
}

/// Writes `learning_curve.png` and `.svg` into `dir`.
pub fn write(dir: &Path, title: &str, curve: &[CurvePoint]) -> Result<PlotFile, ReportError> {
    let title = format!("{title}: learning curve");
    let (svg, png) = render(
        dir,
        "learning_curve",
        &Curve {
            curve,
            title: &title,
        },
    )?;
    Ok(PlotFile {
        name: "learning_curve",
        title,
        png,
        svg,
    })
}
