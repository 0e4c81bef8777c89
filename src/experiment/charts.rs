//! The charts of a comparison or sweep, each as `NAME.png` and `NAME.svg`, drawn with the run
//! report's embedded font and style: grouped bars with 95 % whiskers (`bars`) and one box plot
//! per headline metric (`box_<metric>`).

use super::bars::{Bar, GroupedBars, Panel};
use super::boxes::BoxPlot;
use super::markdown::samples;
use super::metrics::{BAR_METRICS, HEADLINES, headline};
use super::stats::{Estimate, five_numbers};
use super::{ExperimentError, Plan, RunRow};
use crate::report::plots::legend::Entry;
use crate::report::plots::style::colour;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// What drawing on a backend returns.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;
/// The whole canvas of one chart.
pub type Canvas<DB> = DrawingArea<DB, Shift>;

/// A chart that can draw itself on any backend.
pub trait Chart {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>) -> DrawResult<DB>;
}

/// Writes `chart` as `dir/name.svg` and `dir/name.png`.
pub fn write_chart(dir: &Path, name: &str, chart: &impl Chart) -> Result<(), ExperimentError> {
    let svg_path = dir.join(format!("{name}.svg"));
    let png_path = dir.join(format!("{name}.png"));
    let fail = |path: &Path, e: &dyn std::fmt::Display| ExperimentError::Plot {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    crate::report::plots::register_fonts().map_err(|e| fail(&svg_path, &e))?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, chart.size()).into_drawing_area();
        root.fill(&WHITE)
            .and_then(|()| chart.draw(&root))
            .and_then(|()| root.present())
            .map_err(|e| fail(&svg_path, &e))?;
    }
    std::fs::write(&svg_path, svg).map_err(|e| ExperimentError::io(&svg_path, e))?;
    let root = BitMapBackend::new(&png_path, chart.size()).into_drawing_area();
    root.fill(&WHITE)
        .and_then(|()| chart.draw(&root))
        .and_then(|()| root.present())
        .map_err(|e| fail(&png_path, &e))
}

/// One legend entry per arm, in arm colours.
pub fn arm_entries(plan: &Plan) -> Vec<Entry> {
    (0..plan.arm_count())
        .map(|a| Entry::block(plan.arm_label(a), colour(a)))
        .collect()
}

/// Height of a legend strip holding `entries` side by side in `width` pixels (estimated).
pub fn legend_height(entries: &[Entry], width: u32) -> u32 {
    let (mut lines, mut used) = (1u32, 0u32);
    for e in entries {
        let w = 60 + 8 * e.label.chars().count() as u32;
        if used > 0 && used + w > width.saturating_sub(20) {
            lines += 1;
            used = 0;
        }
        used += w;
    }
    16 + 22 * lines
}

/// Writes every chart; returns their names.
pub fn write_charts(
    dir: &Path,
    plan: &Plan,
    rows: &[RunRow],
) -> Result<Vec<String>, ExperimentError> {
    let mut names = Vec::new();
    let panels = BAR_METRICS
        .iter()
        .filter_map(|k| headline(k))
        .map(|h| Panel {
            label: h.label.to_string(),
            bars: (0..plan.arm_count())
                .map(|a| {
                    let values: Vec<f64> = samples(rows, a, h).iter().map(|s| s.1).collect();
                    let e = Estimate::of(&values);
                    Bar {
                        mean: (e.n > 0).then_some(e.mean),
                        bounds: e.bounds(),
                    }
                })
                .collect(),
        })
        .collect();
    let bars = GroupedBars {
        title: format!("{}: means with 95 % intervals", plan.name),
        panels,
        legend: arm_entries(plan),
    };
    write_chart(dir, "bars", &bars)?;
    names.push("bars".to_string());
    for h in &HEADLINES {
        let chart = BoxPlot {
            title: format!("{}: {} over seeds", plan.name, h.label),
            y_desc: h.label.to_string(),
            boxes: (0..plan.arm_count())
                .map(|a| five_numbers(&samples(rows, a, h).iter().map(|s| s.1).collect::<Vec<_>>()))
                .collect(),
            legend: arm_entries(plan),
        };
        let name = format!("box_{}", h.key);
        write_chart(dir, &name, &chart)?;
        names.push(name);
    }
    Ok(names)
}
