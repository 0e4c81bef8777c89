//! The Azure (V1, V2, packing 2020) and Huawei 2021 readers: fixtures written here, with
//! malformed rows whose errors name file, line and column; the real Azure V1 sample in
//! `../shared/traces/`, its usage readings and bundled scenario; and `dcsim trace
//! inspect/convert` on it.

mod azure_v1;
mod azure_v1_sample;
mod azure_v2;
mod huawei;
mod packing;

use dcsim::scenario::TraceFormat;
use dcsim::workload::trace::{TraceFiles, TraceReader, TraceVm, open_reader};
use std::path::Path;

/// Every workload `reader` gives, in order.
pub fn drain(reader: &mut dyn TraceReader) -> Result<Vec<TraceVm>, String> {
    let mut vms = Vec::new();
    while let Some(vm) = reader.next_vm().map_err(|e| e.to_string())? {
        vms.push(vm);
    }
    Ok(vms)
}

/// Every workload of the trace `files`, and the reader's assumptions.
pub fn read_files(
    format: TraceFormat,
    files: &TraceFiles,
) -> Result<(Vec<TraceVm>, Vec<String>), String> {
    let mut reader = open_reader(format, files).map_err(|e| e.to_string())?;
    let vms = drain(reader.as_mut())?;
    Ok((vms, reader.assumptions()))
}

/// Every workload of the one-file trace at `path`.
pub fn read_all(format: TraceFormat, path: &Path) -> Vec<TraceVm> {
    read_files(format, &TraceFiles::main_only(path))
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

/// The error reading `files` gives.
pub fn read_error(format: TraceFormat, files: &TraceFiles) -> String {
    match read_files(format, files) {
        Ok((vms, _)) => panic!("read without error: {} workloads", vms.len()),
        Err(e) => e,
    }
}

/// Writes a fixture file and returns its path.
pub fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Seconds of an optional lifetime.
pub fn secs(t: Option<dcsim::time::SimTime>) -> Option<f64> {
    t.map(|t| t.as_secs_f64())
}
