//! The `learning_curve` chart (runs with `[insight]` on): each learner's accuracy, round by
//! round, on observations it had not yet learned from — usage quartile hits and lifetimes
//! within 2× of the learned median (left, %), mean slowdown error (right).

use super::style::colour;
use super::time_chart::{self, Axis, Series};
use super::{Canvas, DrawResult, PLOT_SIZE, PlotFile, plot_error, register_fonts};
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
    root.fill(&WHITE)?;
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

/// Writes `learning_curve.png` and `.svg` into `dir`.
pub fn write(dir: &Path, title: &str, curve: &[CurvePoint]) -> Result<PlotFile, ReportError> {
    register_fonts().map_err(|e| plot_error(dir, e))?;
    let file = PlotFile {
        name: "learning_curve",
        title: format!("{title}: learning curve"),
        png: dir.join("learning_curve.png"),
        svg: dir.join("learning_curve.svg"),
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, PLOT_SIZE).into_drawing_area();
        draw(&root, curve, &file.title)
            .and_then(|()| root.present())
            .map_err(|e| plot_error(&file.svg, e))?;
    }
    std::fs::write(&file.svg, svg).map_err(|source| ReportError::Io {
        path: file.svg.clone(),
        source,
    })?;
    let png = file.png.clone();
    {
        let root = BitMapBackend::new(&png, PLOT_SIZE).into_drawing_area();
        draw(&root, curve, &file.title)
            .and_then(|()| root.present())
            .map_err(|e| plot_error(&file.png, e))?;
    }
    Ok(file)
}
