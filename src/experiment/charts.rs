//! The charts of a comparison or sweep, each as `NAME.png` and `NAME.svg`, drawn with the run
//! report's embedded font and style: grouped bars with 95 % whiskers (`bars`) and one box plot
//! per headline metric (`box_<metric>`).

use super::markdown::samples;
use super::metrics::{BAR_METRICS, HEADLINES, headline};
use super::stats::{Estimate, five_numbers};
use super::{ExperimentError, Plan, RunRow};
use crate::report::plots::bars::{Bar, GroupedBars, Panel};
use crate::report::plots::boxes::BoxPlot;
use crate::report::plots::canvas::{Figure, render};
use crate::report::plots::legend::Entry;
use crate::report::plots::style::colour;
use std::path::Path;

/// Writes `chart` as `dir/name.svg` and `dir/name.png`.
pub fn write_chart(dir: &Path, name: &str, chart: &impl Figure) -> Result<(), ExperimentError> {
    render(dir, name, chart)?;
    Ok(())
}

/// One legend entry per arm, in arm colours.
pub fn arm_entries(plan: &Plan) -> Vec<Entry> {
    (0..plan.arm_count())
        .map(|a| Entry::block(plan.arm_label(a), colour(a)))
        .collect()
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
