//! `dcsim bench`: the performance suite of issue 6. Each workload (a bundled scenario under
//! `scenarios/bench/`, or the event queue alone) runs in a fresh child process (`dcsim bench
//! --one NAME --json`), so the peak memory it reports is that workload's own; `--scaling`
//! draws wall time against hosts and against VMs; `--quickstart` keeps the older scaled
//! quickstart measurement.

pub mod calibration;
mod chart;
mod child;
pub mod measure;
mod memory;
mod quickstart;
pub mod scaling;
mod table;
pub mod trace_month;
pub mod workloads;

pub use measure::{Measurement, measure};
pub use memory::{current_rss_mib, peak_rss_mib};
pub use quickstart::table as quickstart_table;
pub use quickstart::{BenchReport, BenchRow, placement_cost, run_suite, scaled_quickstart};
pub use scaling::ScalingPoint;
pub use table::{missed, table, verdict};

use super::ExperimentError;
use serde::Serialize;
use std::path::PathBuf;
use workloads::{Kind, Workload};

/// What `dcsim bench` was asked to do (without `--quickstart`).
#[derive(Clone, Debug, Default)]
pub struct BenchOptions {
    /// Measure this workload in this process and print only its measurement.
    pub one: Option<String>,
    /// Workloads of the suite; empty: the default suite; "all": every workload.
    pub workloads: Vec<String>,
    /// Overrides ("key=value") applied to every scenario workload.
    pub sets: Vec<String>,
    pub scaling: bool,
    pub max_hosts: u64,
    pub max_vms: u64,
    /// Where `--scaling` writes its CSV and chart.
    pub out: PathBuf,
    /// Replace `out` even though it holds files dcsim did not write (`--force`).
    pub force: bool,
    pub json: bool,
    /// The reference machine's calibration time, seconds (default
    /// `calibration::REFERENCE_CALIBRATION_S`): re-measured on a new reference machine.
    pub reference_calibration_s: Option<f64>,
}

/// What `run` printed and how many targets were missed (judged rows only: none under `--set`).
#[derive(Clone, Debug)]
pub struct BenchOutput {
    pub text: String,
    pub missed: usize,
}

/// The suite's result.
#[derive(Clone, Debug, Serialize)]
pub struct SuiteReport {
    pub machine: String,
    /// The machine the targets are stated for, and its calibration time.
    pub reference_machine: &'static str,
    pub reference_calibration_s: f64,
    pub measurements: Vec<Measurement>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scaling: Vec<ScalingPoint>,
}

/// Runs what `opts` asks and returns the text to print with the number of targets missed;
/// `log` hears of progress.
pub fn run(
    opts: &BenchOptions,
    log: &mut dyn FnMut(String),
) -> Result<BenchOutput, ExperimentError> {
    let judged = opts.sets.is_empty();
    let missed_of = |rows: &[Measurement]| if judged { missed(rows) } else { 0 };
    let reference = opts
        .reference_calibration_s
        .unwrap_or(calibration::REFERENCE_CALIBRATION_S);
    if !(reference.is_finite() && reference > 0.0) {
        return Err(ExperimentError::BadInput(format!(
            "--reference-calibration {reference}: expected a positive number of seconds"
        )));
    }
    if let Some(name) = &opts.one {
        let mut m = measure(lookup(name)?, &opts.sets)?;
        m.reference_calibration_s = reference;
        let rows = std::slice::from_ref(&m);
        let text = if opts.json {
            to_json(&m)?
        } else {
            table::calibration_line(rows) + &table(rows, judged)
        };
        return Ok(BenchOutput {
            text,
            missed: missed_of(rows),
        });
    }
    let replace = crate::report::OutputPolicy {
        force: opts.force,
        protect: Vec::new(),
    };
    if opts.scaling {
        crate::report::check_target(&opts.out, &replace)?;
    }
    let exe = child::current_exe()?;
    let mut report = SuiteReport {
        machine: machine(),
        reference_machine: calibration::REFERENCE_MACHINE,
        reference_calibration_s: reference,
        measurements: Vec::new(),
        scaling: Vec::new(),
    };
    if !opts.scaling || !opts.workloads.is_empty() {
        for w in selection(&opts.workloads)? {
            log(format!("bench: {} ({})", w.name, w.description));
            let sets: &[String] = match w.kind {
                Kind::Scenario { .. } | Kind::TraceReplay { .. } => &opts.sets,
                Kind::Engine => &[],
            };
            let mut m = child::measure_in_child(&exe, w.name, sets)?;
            m.reference_calibration_s = reference;
            report.measurements.push(m);
        }
    }
    let mut written = String::new();
    if opts.scaling {
        report.scaling = scaling::run(&exe, opts.max_hosts, opts.max_vms, log)?;
        scaling::write(&opts.out, &replace, &report.scaling)?;
        written = format!(
            "wrote {0}/scaling.csv, {0}/scaling.png, {0}/scaling.svg\n",
            opts.out.display()
        );
    }
    let missed = missed_of(&report.measurements);
    if opts.json {
        return Ok(BenchOutput {
            text: to_json(&report)?,
            missed,
        });
    }
    let mut text = format!("machine: {}\n", report.machine);
    if !report.measurements.is_empty() {
        text += &table::calibration_line(&report.measurements);
        text += &table(&report.measurements, judged);
    }
    if !report.scaling.is_empty() {
        text += &scaling::csv(&report.scaling);
    }
    Ok(BenchOutput {
        text: text + &written,
        missed,
    })
}

fn lookup(name: &str) -> Result<&'static Workload, ExperimentError> {
    workloads::find(name).ok_or_else(|| {
        ExperimentError::BadInput(format!(
            "unknown bench workload {name:?} (known: {}, or \"all\")",
            workloads::names()
        ))
    })
}

/// The workloads named (every one for "all"), or the default suite when none is.
fn selection(names: &[String]) -> Result<Vec<&'static Workload>, ExperimentError> {
    if names.is_empty() {
        return Ok(workloads::WORKLOADS
            .iter()
            .filter(|w| w.in_default_suite)
            .collect());
    }
    if names.iter().any(|n| n == "all") {
        return Ok(workloads::WORKLOADS.iter().collect());
    }
    names.iter().map(|n| lookup(n)).collect()
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ExperimentError> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| ExperimentError::BadInput(format!("cannot encode the measurement: {e}")))
}

/// The CPU model and the number of logical CPUs, from `/proc/cpuinfo` ("unknown" elsewhere).
pub fn machine() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown CPU", str::trim);
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cpus} logical CPUs, {}", std::env::consts::ARCH)
}
