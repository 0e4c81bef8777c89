//! Runs one workload in a fresh child process, `dcsim bench --one NAME --json [--set K=V …]`,
//! and reads its measurement back, so that each workload's peak memory is its own.

use super::measure::Measurement;
use crate::experiment::ExperimentError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The executable that runs children: this one (`dcsim` itself when called from the CLI).
pub fn current_exe() -> Result<PathBuf, ExperimentError> {
    std::env::current_exe()
        .map_err(|e| ExperimentError::BadInput(format!("cannot find the dcsim executable: {e}")))
}

/// Measures workload `name` with overrides `sets` in a child process of `exe`.
pub fn measure_in_child(
    exe: &Path,
    name: &str,
    sets: &[String],
) -> Result<Measurement, ExperimentError> {
    let mut cmd = Command::new(exe);
    cmd.args(["bench", "--one", name, "--json"]);
    for s in sets {
        cmd.args(["--set", s]);
    }
    let context = format!("{} bench --one {name}", exe.display());
    let out = cmd
        .output()
        .map_err(|e| ExperimentError::input(exe, format!("cannot start {context}: {e}")))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(ExperimentError::BadInput(format!(
            "{context} failed ({}): {}",
            out.status,
            stderr.trim()
        )));
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| ExperimentError::input(exe, format!("{context} printed no measurement: {e}")))
}
