//! `dcsim sweep`: a sweep file (TOML) names a base scenario, fixed overrides, a grid of varied
//! keys (every combination) and seeds; `--shard K/N` runs only the runs with index mod N = K − 1.
//!
//! ```toml
//! scenario = "../scenarios/quickstart.toml"   # relative to this file
//! seeds = 3                                   # 1, 2, 3; or a list: [1, 2, 7]
//! set = ["simulation.duration=6h"]            # every run
//!
//! [[grid]]
//! key = "policy"
//! values = ["best-fit", "first-fit"]
//!
//! [[grid]]
//! key = "queue.enabled"
//! values = [true, false]
//! ```

use super::output::{Extras, SWEEP_FILES, write_outputs};
use super::runner::{Progress, RunRow, run_plan};
use super::{Axis, ExperimentError, Plan, Shard};
use crate::report::{OutputPolicy, check_target};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    name: Option<String>,
    scenario: String,
    seeds: Seeds,
    #[serde(default)]
    set: Vec<String>,
    #[serde(default)]
    grid: Vec<GridAxis>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Seeds {
    Count(u64),
    List(Vec<u64>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GridAxis {
    key: String,
    values: Vec<toml::Value>,
}

/// A value as written after `--set key=`: strings bare unless they would read as another type.
fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => match s.parse::<toml_edit::Value>() {
            Ok(parsed) if !parsed.is_str() => toml::Value::String(s.clone()).to_string(),
            _ => s.clone(),
        },
        other => other.to_string(),
    }
}

/// A sweep file read: its plan and the base scenario's path.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub plan: Plan,
    pub scenario_path: PathBuf,
}

/// Reads and checks a sweep file.
pub fn load_sweep(path: &Path) -> Result<Sweep, ExperimentError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ExperimentError::input(path, format!("cannot read the sweep file: {e}")))?;
    let file: SweepFile = toml::from_str(&text)
        .map_err(|e| ExperimentError::input(path, e.to_string().trim_end()))?;
    let seeds = match file.seeds {
        Seeds::Count(n) => (1..=n).collect(),
        Seeds::List(list) => list,
    };
    let axes = file
        .grid
        .iter()
        .map(|g| Axis {
            key: g.key.clone(),
            values: g.values.iter().map(value_text).collect(),
        })
        .collect();
    let stem = path
        .file_stem()
        .map_or("sweep".into(), |s| s.to_string_lossy().into_owned());
    let plan = Plan {
        name: format!("Sweep: {}", file.name.unwrap_or(stem)),
        scenario: file.scenario.clone(),
        set: file.set,
        axes,
        seeds,
    };
    plan.check()
        .map_err(|e| ExperimentError::input(path, e.to_string()))?;
    let base = path.parent().unwrap_or(Path::new(""));
    Ok(Sweep {
        plan,
        scenario_path: base.join(&file.scenario),
    })
}

/// How to run a sweep.
#[derive(Clone, Debug)]
pub struct SweepOptions {
    pub file: PathBuf,
    pub out: PathBuf,
    pub shard: Option<Shard>,
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    pub charts: bool,
    /// Replace an output folder holding files dcsim did not write (`--force`).
    pub force: bool,
}

/// What a sweep (or a shard of one) produced.
#[derive(Clone, Debug)]
pub struct SweepResult {
    pub plan: Plan,
    pub rows: Vec<RunRow>,
    pub markdown: String,
}

/// Runs the sweep (or one shard) and writes sweep.json, runs.csv, summary.md, the charts and,
/// for a shard, shard.json.
pub fn sweep(opts: &SweepOptions, progress: Progress) -> Result<SweepResult, ExperimentError> {
    let Sweep {
        plan,
        scenario_path,
    } = load_sweep(&opts.file)?;
    let mut policy = OutputPolicy::protecting(&opts.file, opts.force);
    policy
        .protect
        .extend(OutputPolicy::protecting(&scenario_path, opts.force).protect);
    check_target(&opts.out, &policy)?;
    let shard = opts.shard;
    let select = move |run: usize| shard.is_none_or(|s| s.contains(run));
    let rows = run_plan(&plan, &scenario_path, &select, opts.jobs, progress)?;
    let extras = Extras {
        charts: opts.charts,
        shard,
    };
    let markdown = write_outputs(&opts.out, &policy, &plan, &rows, SWEEP_FILES, extras, &[])?;
    Ok(SweepResult {
        plan,
        rows,
        markdown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_type() {
        let v = |t: &str| value_text(&toml::from_str::<toml::Table>(t).unwrap()["v"]);
        assert_eq!(v("v = \"best-fit\""), "best-fit");
        assert_eq!(v("v = \"5m\""), "5m");
        assert_eq!(v("v = \"true\""), "\"true\"");
        assert_eq!(v("v = true"), "true");
        assert_eq!(v("v = 1200"), "1200");
        assert_eq!(v("v = 0.5"), "0.5");
    }
}
