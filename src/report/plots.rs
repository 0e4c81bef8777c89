//! The charts of a run, each written as `NAME.png` and `NAME.svg`: one module per chart, drawn
//! once per backend with an embedded font (DejaVu Sans) so output never depends on the machine.

pub(crate) mod bars;
pub(crate) mod boxes;
pub mod canvas;
mod cdf;
mod consolidation;
mod failures;
pub mod format;
mod heatmap;
pub mod learning;
pub(crate) mod legend;
mod power;
mod queue;
mod sla;
pub(crate) mod style;
mod tco;
mod time_chart;
mod transitions;
mod utilisation;

use super::{ReportError, ReportInput};
use canvas::{Canvas, DrawResult, Figure, RenderError, render};
use plotters::prelude::*;
use plotters::style::register_font;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Width and height, in pixels, of every chart (PNG pixels; SVG user units).
pub const PLOT_SIZE: (u32, u32) = (1000, 560);

/// One chart written to disk, in both formats.
#[derive(Clone, Debug, PartialEq)]
pub struct PlotFile {
    /// File stem, e.g. "utilisation".
    pub name: &'static str,
    /// Human title, as drawn in the chart.
    pub title: String,
    pub png: PathBuf,
    pub svg: PathBuf,
}

/// The charts, in report order.
#[derive(Clone, Copy, Debug)]
enum Chart {
    Consolidation,
    Failures,
    Sla,
    Transitions,
    Utilisation,
    Power,
    Queue,
    TcoBreakdown,
    HostUtilisationCdf,
    LandscapeHeatmap,
    AnomalyHeatmap,
}

const CHARTS: [Chart; 11] = [
    Chart::Utilisation,
    Chart::Power,
    Chart::Queue,
    Chart::Failures,
    Chart::Consolidation,
    Chart::Sla,
    Chart::Transitions,
    Chart::TcoBreakdown,
    Chart::HostUtilisationCdf,
    Chart::LandscapeHeatmap,
    Chart::AnomalyHeatmap,
];

impl Chart {
    fn name(self) -> &'static str {
        match self {
            Chart::Utilisation => "utilisation",
            Chart::Power => "power",
            Chart::Queue => "queue",
            Chart::Consolidation => "consolidation",
            Chart::Failures => "failures",
            Chart::Sla => "sla",
            Chart::Transitions => "transitions",
            Chart::TcoBreakdown => "tco_breakdown",
            Chart::HostUtilisationCdf => "host_utilisation_cdf",
            Chart::LandscapeHeatmap => "landscape_heatmap",
            Chart::AnomalyHeatmap => "anomaly_heatmap",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Chart::Utilisation => "CPU and memory utilisation",
            Chart::Power => "Power and energy",
            Chart::Queue => "Queue and rejections",
            Chart::Consolidation => "Hosts on, hosts short of CPU and migrations",
            Chart::Failures => "Failed entities and hosts down",
            Chart::Sla => "SLATAH, PDM and SLAV so far",
            Chart::Transitions => "Power-state transitions and mean times before them",
            Chart::TcoBreakdown => "Total cost of ownership",
            Chart::HostUtilisationCdf => "Hosts' mean CPU utilisation (CDF)",
            Chart::LandscapeHeatmap => "Mean CPU utilisation by rack and slot",
            Chart::AnomalyHeatmap => "Hosts' anomaly score by rack and slot",
        }
    }

    fn draw<DB: DrawingBackend>(
        self,
        root: &Canvas<DB>,
        input: &ReportInput,
        title: &str,
    ) -> DrawResult<DB> {
        match self {
            Chart::Utilisation => utilisation::draw(root, input, title),
            Chart::Power => power::draw(root, input, title),
            Chart::Queue => queue::draw(root, input, title),
            Chart::Consolidation => consolidation::draw(root, input, title),
            Chart::Failures => failures::draw(root, input, title),
            Chart::Sla => sla::draw(root, input, title),
            Chart::Transitions => transitions::draw(root, input, title),
            Chart::TcoBreakdown => tco::draw(root, input.tco_terms, title),
            Chart::HostUtilisationCdf => cdf::draw(root, input.hosts, title),
            Chart::LandscapeHeatmap => {
                heatmap::draw(root, input.hosts, title, heatmap::Layer::Utilisation)
            }
            Chart::AnomalyHeatmap => {
                heatmap::draw(root, input.hosts, title, heatmap::Layer::Anomaly)
            }
        }
    }
}

/// Draws every chart that has something to show into `dir` as PNG and SVG; returns them in
/// report order. The charts `left_out` names are not drawn.
pub fn write_plots(dir: &Path, input: &ReportInput) -> Result<Vec<PlotFile>, ReportError> {
    register_fonts().map_err(|e| plot_error(dir, e))?;
    let skipped = left_out(input);
    CHARTS
        .iter()
        .filter(|c| skipped.iter().all(|(name, _)| *name != c.name()))
        // Only runs with `[failures]` have failure columns (and nothing to leave out).
        .filter(|c| !matches!(c, Chart::Failures) || failures::drawn(input))
        // Only runs whose anomaly learner scored hosts have anomaly scores.
        .filter(|c| {
            !matches!(c, Chart::AnomalyHeatmap)
                || input.hosts.iter().any(|h| h.anomaly_score.is_some())
        })
        .map(|&c| write_chart(dir, c, input))
        .collect()
}

/// The charts that would be flat lines at zero for this run, with the reason (for the
/// report): consolidation without migrations, hosts short of CPU or hosts switched off; SLA
/// metrics that stayed zero; power-state transitions that never happened.
pub fn left_out(input: &ReportInput) -> Vec<(&'static str, &'static str)> {
    let rows = input.timeseries;
    let first_on = rows.first().map_or(0, |r| r.hosts_on);
    let mut out = Vec::new();
    if rows
        .iter()
        .all(|r| r.migrations == 0 && r.hosts_at_full_cpu == 0 && r.hosts_on == first_on)
    {
        out.push((
            Chart::Consolidation.name(),
            "no migration, no host short of CPU and the same hosts on throughout \
             (no rebalancing or power states acted in this run)",
        ));
    }
    if rows
        .iter()
        .all(|r| r.slatah == 0.0 && r.pdm == 0.0 && r.slav == 0.0)
    {
        out.push((
            Chart::Sla.name(),
            "SLATAH, PDM and SLAV stayed 0: no host was ever short of CPU and nothing migrated",
        ));
    }
    if rows
        .iter()
        .all(|r| r.host_boots == 0 && r.host_shutdowns == 0)
    {
        out.push((
            Chart::Transitions.name(),
            "no host changed power state (power.empty_host keeps idle hosts on)",
        ));
    }
    out
}

/// One of the run's charts with what it draws.
struct RunChart<'a> {
    chart: Chart,
    input: &'a ReportInput<'a>,
    title: &'a str,
}

impl Figure for RunChart<'_> {
    fn size(&self) -> (u32, u32) {
        PLOT_SIZE
    }
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>) -> DrawResult<DB> {
        self.chart.draw(root, self.input, self.title)
    }
}

fn write_chart(dir: &Path, chart: Chart, input: &ReportInput) -> Result<PlotFile, ReportError> {
    let title = format!("{}: {}", input.title, chart.heading());
    let figure = RunChart {
        chart,
        input,
        title: &title,
    };
    let (svg, png) = render(dir, chart.name(), &figure)?;
    Ok(PlotFile {
        name: chart.name(),
        title,
        png,
        svg,
    })
}

impl From<RenderError> for ReportError {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Draw { path, message } => plot_error(&path, message),
            RenderError::Io { path, source } => ReportError::Io { path, source },
        }
    }
}

/// A drawing failure, reported as a failure to write `path`.
fn plot_error(path: &Path, e: impl std::fmt::Display) -> ReportError {
    ReportError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(format!("drawing failed: {e}")),
    }
}

/// Registers DejaVu Sans as "sans-serif" (regular and bold), once per process.
pub(crate) fn register_fonts() -> Result<(), &'static str> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        let regular = register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
        let bold = register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
        regular.is_ok() && bold.is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err("the embedded DejaVu Sans font is invalid")
    }
}
