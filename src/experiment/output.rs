//! Writes an experiment's folder through a staging folder: the plan (JSON), the runs table (CSV),
//! the report (Markdown), the charts, and for a shard `shard.json`. The same plan and rows give
//! the same bytes, which is what lets `merge` reproduce an unsharded sweep exactly.

use super::{ExperimentError, Plan, RunRow, Shard, charts, markdown, table};
use crate::report::{OutputPolicy, Staging, write_json};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file names of one kind of experiment.
#[derive(Clone, Copy, Debug)]
pub struct FileNames {
    /// The kind of folder, in its `.dcsim-output` marker.
    pub kind: &'static str,
    /// The plan, as JSON.
    pub plan: &'static str,
    /// One row per run.
    pub table: &'static str,
    /// Means, intervals, paired differences.
    pub report: &'static str,
}

pub const COMPARISON_FILES: FileNames = FileNames {
    kind: "comparison",
    plan: "comparison.json",
    table: "comparison.csv",
    report: "comparison.md",
};

pub const SWEEP_FILES: FileNames = FileNames {
    kind: "sweep",
    plan: "sweep.json",
    table: "runs.csv",
    report: "summary.md",
};

/// Which slice of a sweep a folder holds (`shard.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardInfo {
    pub shard: usize,
    pub of: usize,
    /// The plan's run indexes in this slice.
    pub runs: Vec<usize>,
}

/// What to write besides the tables.
#[derive(Clone, Copy, Debug)]
pub struct Extras {
    pub charts: bool,
    pub shard: Option<Shard>,
}

/// Writes the folder `out` (replacing it whole, if `policy` lets it), with `extra_files`
/// (name, contents) beside the tables; returns the report's Markdown.
pub fn write_outputs(
    out: &Path,
    policy: &OutputPolicy,
    plan: &Plan,
    rows: &[RunRow],
    files: FileNames,
    extras: Extras,
    extra_files: &[(&str, &str)],
) -> Result<String, ExperimentError> {
    let staging = Staging::create(out, files.kind, policy)?;
    let dir = staging.path();
    for (name, text) in extra_files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| ExperimentError::io(&path, e))?;
    }
    write_json(&dir.join(files.plan), plan)?;
    let csv_path = dir.join(files.table);
    let csv =
        table::runs_csv(plan, rows).map_err(|e| ExperimentError::Report(csv_err(&csv_path, e)))?;
    std::fs::write(&csv_path, csv).map_err(|e| ExperimentError::io(&csv_path, e))?;
    let scope = extras
        .shard
        .map(|s| format!("this folder is shard {} of {}", s.index, s.count));
    let md = markdown::render(plan, rows, scope.as_deref());
    let md_path = dir.join(files.report);
    std::fs::write(&md_path, &md).map_err(|e| ExperimentError::io(&md_path, e))?;
    if let Some(s) = extras.shard {
        let info = ShardInfo {
            shard: s.index,
            of: s.count,
            runs: (0..plan.run_count()).filter(|&r| s.contains(r)).collect(),
        };
        write_json(&dir.join("shard.json"), &info)?;
    }
    if extras.charts {
        charts::write_charts(dir, plan, rows)?;
    }
    staging.commit()?;
    Ok(md)
}

fn csv_err(path: &Path, source: csv::Error) -> crate::report::ReportError {
    crate::report::ReportError::Csv {
        path: path.to_path_buf(),
        source,
    }
}
