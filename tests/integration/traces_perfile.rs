//! The per-file trace readers (`planetlab`, `bitbrains`, `swf`): fixtures written here, with
//! malformed values whose errors name file, line and column, name-sorted folder order, the real
//! samples in `../shared/traces/`, and a run of each bundled scenario in `scenarios/traces/`.

mod bitbrains;
mod planetlab;
mod swf;

use dcsim::engine::RunResult;
use dcsim::scenario::TraceFormat;
use dcsim::workload::trace::{TraceFiles, TraceUsage, TraceVm, open_reader};
use std::path::Path;

/// Every workload of the trace at `path`, in reader order, and the reader's assumptions.
pub fn read_all(format: TraceFormat, path: &Path) -> Result<(Vec<TraceVm>, Vec<String>), String> {
    let mut reader =
        open_reader(format, &TraceFiles::main_only(path)).map_err(|e| e.to_string())?;
    let mut vms = Vec::new();
    while let Some(vm) = reader.next_vm().map_err(|e| e.to_string())? {
        vms.push(vm);
    }
    Ok((vms, reader.assumptions()))
}

/// The error reading the trace at `path` gives.
pub fn read_error(format: TraceFormat, path: &Path) -> String {
    match read_all(format, path) {
        Ok((vms, _)) => panic!(
            "{} read without error: {} workloads",
            path.display(),
            vms.len()
        ),
        Err(e) => e,
    }
}

/// The interval (s) and values of a series usage.
pub fn series(vm: &TraceVm) -> (f64, &[f32]) {
    match &vm.usage {
        TraceUsage::Series { interval, values } => (interval.as_secs_f64(), values),
        other => panic!("expected a usage series, found {other:?}"),
    }
}

/// Whether `a` and `b` agree to f32 precision.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// Runs the bundled `scenarios/traces/{name}.toml` with `--set` overrides `sets`.
pub fn run_bundled(name: &str, sets: &[String]) -> RunResult {
    let loaded = crate::common::load_bundled(&format!("scenarios/traces/{name}.toml"), sets);
    dcsim::simulate(&loaded).unwrap_or_else(|e| panic!("{e}"))
}

/// Writes a fixture file.
pub fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}
