//! `dcsim merge`: joins the folders of a sweep's shards into the folder an unsharded run of the
//! same sweep writes, byte for byte. Every shard 1..N must be there exactly once, all of the
//! same sweep.

use super::output::{Extras, SWEEP_FILES, ShardInfo, write_outputs};
use super::runner::RunRow;
use super::{ExperimentError, Plan, Shard, table};
use crate::report::{OutputPolicy, check_target};
use std::path::{Path, PathBuf};

/// One shard folder, read.
struct Part {
    dir: PathBuf,
    plan: Plan,
    shard: Shard,
    rows: Vec<RunRow>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ExperimentError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ExperimentError::input(path, format!("cannot read: {e}")))?;
    serde_json::from_str(&text).map_err(|e| ExperimentError::input(path, e))
}

fn read_part(dir: &Path) -> Result<Part, ExperimentError> {
    let plan: Plan = read_json(&dir.join(SWEEP_FILES.plan))?;
    let shard = match dir.join("shard.json") {
        p if p.exists() => {
            let info: ShardInfo = read_json(&p)?;
            if info.shard == 0 || info.shard > info.of {
                return Err(ExperimentError::input(
                    p,
                    "not a shard K of N with 1 ≤ K ≤ N",
                ));
            }
            Shard {
                index: info.shard,
                count: info.of,
            }
        }
        _ => Shard { index: 1, count: 1 },
    };
    let csv = dir.join(SWEEP_FILES.table);
    let rows = table::read_runs(&csv, &plan)?;
    if let Some(r) = rows.iter().find(|r| !shard.contains(r.run)) {
        let (k, n) = (shard.index, shard.count);
        let why = format!("run {} does not belong to shard {k}/{n}", r.run);
        return Err(ExperimentError::input(csv, why));
    }
    Ok(Part {
        dir: dir.to_path_buf(),
        plan,
        shard,
        rows,
    })
}

/// Checks that the parts are the shards 1..N of one sweep, each once, with every run.
fn check(parts: &[Part]) -> Result<(), ExperimentError> {
    let first = &parts[0];
    let n = first.shard.count;
    for p in parts {
        if p.plan != first.plan {
            let why = format!("not the same sweep as {}", first.dir.display());
            return Err(ExperimentError::input(&p.dir, why));
        }
        if p.shard.count != n {
            let why = format!(
                "a shard of {}, but {} is a shard of {n}",
                p.shard.count,
                first.dir.display()
            );
            return Err(ExperimentError::input(&p.dir, why));
        }
    }
    for k in 1..=n {
        let holders: Vec<&Part> = parts.iter().filter(|p| p.shard.index == k).collect();
        match holders[..] {
            [_] => {}
            [] => {
                return Err(ExperimentError::BadInput(format!(
                    "shard {k}/{n} is missing"
                )));
            }
            [a, b, ..] => {
                let (a, b) = (a.dir.display(), b.dir.display());
                return Err(ExperimentError::BadInput(format!(
                    "shard {k}/{n} is given twice: {a} and {b}"
                )));
            }
        }
    }
    let expected = first.plan.run_count();
    let got: usize = parts.iter().map(|p| p.rows.len()).sum();
    if got != expected {
        return Err(ExperimentError::BadInput(format!(
            "the shards hold {got} runs, the sweep has {expected}: a shard is incomplete"
        )));
    }
    Ok(())
}

/// What a merge produced.
#[derive(Clone, Debug)]
pub struct Merged {
    pub plan: Plan,
    pub rows: Vec<RunRow>,
    pub markdown: String,
}

/// What to merge, and where.
#[derive(Clone, Debug)]
pub struct MergeOptions {
    /// The shard folders (every shard 1..N exactly once).
    pub dirs: Vec<PathBuf>,
    pub out: PathBuf,
    pub charts: bool,
    /// Replace an output folder holding files dcsim did not write (`--force`).
    pub force: bool,
}

/// Merges the shard folders into `out`. The output may not be one of the shard folders.
pub fn merge(opts: &MergeOptions) -> Result<Merged, ExperimentError> {
    let MergeOptions {
        dirs,
        out,
        charts,
        force,
    } = opts;
    let policy = OutputPolicy {
        force: *force,
        protect: dirs.clone(),
    };
    check_target(out, &policy)?;
    if dirs.is_empty() {
        return Err(ExperimentError::BadInput(
            "no shard folders to merge".into(),
        ));
    }
    let parts = dirs
        .iter()
        .map(|d| read_part(d))
        .collect::<Result<Vec<_>, _>>()?;
    check(&parts)?;
    let plan = parts[0].plan.clone();
    let mut rows: Vec<RunRow> = parts.into_iter().flat_map(|p| p.rows).collect();
    rows.sort_by_key(|r| r.run);
    if let Some(w) = rows.windows(2).find(|w| w[0].run == w[1].run) {
        let run = w[0].run;
        return Err(ExperimentError::BadInput(format!(
            "run {run} appears twice"
        )));
    }
    let extras = Extras {
        charts: *charts,
        shard: None,
    };
    let markdown = write_outputs(out, &policy, &plan, &rows, SWEEP_FILES, extras, &[])?;
    Ok(Merged {
        plan,
        rows,
        markdown,
    })
}
