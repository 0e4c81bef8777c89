//! Writers for one run: summary.json, timeseries.csv, hosts.csv, workloads.csv, run.json, all
//! into a staging folder that replaces the output folder only once every file is complete.

mod csv_line;
mod guard;
mod service_levels;
mod staging;
mod tables;
mod text;
mod timeseries_csv;

pub use guard::{MARKER, OutputPolicy, check_target};
pub use service_levels::{ClassLevels, ServiceLevels};
pub use staging::{Staging, write_atomically};
pub use tables::{WorkloadCsv, host_rows, write_csv, write_json};
pub use text::{describe, summary_table};
pub use timeseries_csv::write_timeseries;

use crate::engine::{RunObserver, RunOptions, RunResult, Simulation};
use crate::scenario::LoadedScenario;
use crate::time::SimTime;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Why the outputs of a run could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    /// The output folder may not be replaced (bad input: exit 2).
    #[error("refusing to write into {path}: {message}")]
    Refused { path: PathBuf, message: String },
}

impl ReportError {
    /// The user named an output that dcsim may not replace.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, ReportError::Refused { .. })
    }
}

/// The files a run writes, by name.
pub const RUN_FILES: [&str; 5] = [
    "summary.json",
    "timeseries.csv",
    "hosts.csv",
    "workloads.csv",
    "run.json",
];

/// Runs a scenario and writes its outputs to `out`. `progress` sees (now, end) as time advances.
pub fn run_to_dir(
    loaded: &LoadedScenario,
    out: &Path,
    options: RunOptions,
    output: OutputOptions,
    progress: &mut dyn FnMut(SimTime, SimTime),
) -> Result<RunResult, crate::Error> {
    let started = Instant::now();
    let staging = Staging::create(out, "run", &output.replace)?;
    let write_workloads = loaded.scenario.output.workloads_csv.unwrap_or(true);
    let mut observer = FileObserver {
        workloads: write_workloads
            .then(|| WorkloadCsv::create(&staging.path().join("workloads.csv")))
            .transpose()?,
        levels: ServiceLevels::default(),
        progress,
    };
    let result = Simulation::new(loaded, options, &mut observer)?.run()?;
    if let Some(w) = observer.workloads.take() {
        w.finish()?;
    }
    let dir = staging.path();
    write_json(&dir.join("summary.json"), &result.summary.to_json())?;
    write_timeseries(&dir.join("timeseries.csv"), &result.timeseries)?;
    let hosts = host_rows(&result);
    write_csv(&dir.join("hosts.csv"), &hosts)?;
    let trace_services = loaded.scenario.workload.trace.as_ref();
    if let Some(s) = &result.summary.services
        && trace_services.is_some_and(|t| t.services.is_some())
    {
        write_csv(&dir.join("services.csv"), &s.trace_services)?;
    }
    if let Some(core) = &result.information_core {
        write_json(&dir.join("information_core.json"), core)?;
        write_csv(&dir.join("learning_curve.csv"), &core.curve)?;
    }
    let scenario_toml = loaded.resolved_toml();
    let tco_terms = result.tco.terms();
    // The landscape collapsed to racks, drawn for the report (with the plots only).
    let landscape_svg = if output.plots {
        let (graph, _) = crate::engine::landscape_of(loaded)?;
        let svg = crate::landscape::rack_view(&graph).to_svg(40);
        let path = dir.join("landscape_by_rack.svg");
        std::fs::write(&path, &svg).map_err(|source| ReportError::Io { path, source })?;
        Some(svg)
    } else {
        None
    };
    let input = ReportInput {
        title: &loaded.name,
        summary: &result.summary,
        timeseries: &result.timeseries,
        hosts: &hosts,
        tco_terms: &tco_terms,
        scenario_toml: &scenario_toml,
        service: Some(&observer.levels),
        landscape_svg: landscape_svg.as_deref(),
    };
    let mut plots = if output.plots {
        plots::write_plots(dir, &input)?
    } else {
        Vec::new()
    };
    if let Some(core) = result.information_core.as_ref().filter(|_| output.plots) {
        plots.push(plots::learning::write(dir, &loaded.name, &core.curve)?);
    }
    html::write_report(dir, &input, &plots)?;
    write_json(
        &dir.join("run.json"),
        &run_info(loaded, &result, started.elapsed().as_secs_f64()),
    )?;
    staging.commit()?;
    Ok(result)
}

/// What a run writes beyond the tables, and what it may replace.
#[derive(Clone, Debug)]
pub struct OutputOptions {
    /// Draw the plots (PNG and SVG) and inline them in report.html.
    pub plots: bool,
    /// When the output folder may be replaced (`--force`, the scenario's folder protected).
    pub replace: OutputPolicy,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            plots: true,
            replace: OutputPolicy::default(),
        }
    }
}

struct FileObserver<'p> {
    workloads: Option<WorkloadCsv>,
    levels: ServiceLevels,
    progress: &'p mut dyn FnMut(SimTime, SimTime),
}

impl RunObserver for FileObserver<'_> {
    fn workload_finished(&mut self, r: &crate::metrics::WorkloadRecord, class: &str) {
        if let Some(w) = &mut self.workloads {
            w.write(r, class);
        }
        self.levels.add(r, class);
    }
    fn progress(&mut self, now: SimTime, end: SimTime) {
        (self.progress)(now, end);
    }
}

/// The contents of run.json: what was run, with what, and how long it took.
#[derive(serde::Serialize)]
struct RunInfo<'a> {
    scenario: &'a str,
    file: String,
    seed: u64,
    dcsim_version: &'a str,
    wall_time_seconds: f64,
    /// What the workload source assumed where it was silent (e.g. a trace without sizes).
    assumptions: &'a [String],
    resolved: &'a crate::scenario::Scenario,
}

fn run_info<'a>(loaded: &'a LoadedScenario, result: &'a RunResult, wall: f64) -> RunInfo<'a> {
    RunInfo {
        scenario: &loaded.name,
        file: loaded.source.file.display().to_string(),
        seed: loaded.scenario.simulation.seed,
        dcsim_version: env!("CARGO_PKG_VERSION"),
        wall_time_seconds: wall,
        assumptions: &result.assumptions,
        resolved: &loaded.scenario,
    }
}

/// Where a run writes by default: the scenario's `output.dir`, else `results/<name>`.
pub fn default_output_dir(loaded: &LoadedScenario) -> PathBuf {
    match &loaded.scenario.output.dir {
        Some(dir) => PathBuf::from(dir),
        None => Path::new("results").join(&loaded.name),
    }
}

/// Everything the plots and the HTML report are drawn from.
pub struct ReportInput<'a> {
    /// Scenario name, for titles.
    pub title: &'a str,
    pub summary: &'a crate::metrics::RunSummary,
    pub timeseries: &'a [crate::metrics::TimeseriesRow],
    pub hosts: &'a [crate::metrics::HostRow],
    /// TCO terms in US dollars, in display order, e.g. ("server capex", 1234.5).
    pub tco_terms: &'a [(&'static str, f64)],
    /// The scenario as resolved, as TOML text.
    pub scenario_toml: &'a str,
    /// Waits and rejections per workload class (`None`: not tallied; the report then shows
    /// the summary's totals only).
    pub service: Option<&'a ServiceLevels>,
    /// The landscape collapsed to racks, as SVG (`landscape_by_rack.svg`), when drawn.
    pub landscape_svg: Option<&'a str>,
}
pub mod html;
pub mod plots;
