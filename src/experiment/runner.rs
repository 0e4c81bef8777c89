//! Runs a plan's runs in memory, in parallel (rayon, at most `jobs` threads), and returns their
//! summaries in run order whatever the number of threads.

use super::{ExperimentError, Plan};
use crate::metrics::RunSummary;
use crate::scenario::{self, LoadedScenario};
use rayon::prelude::*;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRow {
    /// Index in the plan (arm-major, then seed).
    pub run: usize,
    pub arm: usize,
    pub summary: RunSummary,
}

/// Hears (runs done, runs to do) before the first run and after each one; called from worker
/// threads.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// The base scenario's text, read once.
struct Base<'a> {
    path: &'a Path,
    text: String,
    stem: String,
}

impl Base<'_> {
    fn load(&self, plan: &Plan, arm: usize, seed: u64) -> Result<LoadedScenario, ExperimentError> {
        let overrides = plan.overrides(arm, seed)?;
        scenario::parse(&self.text, self.path, &self.stem, &overrides).map_err(|error| {
            ExperimentError::Scenario {
                context: context(plan, arm, seed),
                error: Box::new(error),
            }
        })
    }
}

fn context(plan: &Plan, arm: usize, seed: u64) -> String {
    let values = plan.axes.iter().zip(plan.arm_values(arm));
    let pairs: Vec<String> = values.map(|(a, v)| format!("{}={v}", a.key)).collect();
    format!("run with {}, seed {seed}", pairs.join(", "))
}

/// Runs the runs of `plan` that `select` keeps, on the scenario at `path`; every arm is loaded
/// (and so checked) once before any run starts.
pub fn run_plan(
    plan: &Plan,
    path: &Path,
    select: &(dyn Fn(usize) -> bool + Sync),
    jobs: usize,
    progress: Progress,
) -> Result<Vec<RunRow>, ExperimentError> {
    plan.check()?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| ExperimentError::input(path, format!("cannot read the scenario: {e}")))?;
    let stem = path
        .file_stem()
        .map_or("scenario".to_string(), |s| s.to_string_lossy().into_owned());
    let base = Base { path, text, stem };
    for arm in 0..plan.arm_count() {
        base.load(plan, arm, plan.seeds[0])?;
    }
    let runs: Vec<usize> = (0..plan.run_count()).filter(|&r| select(r)).collect();
    let done = AtomicUsize::new(0);
    progress(0, runs.len());
    let one = |&run: &usize| -> Result<RunRow, ExperimentError> {
        let (arm, seed) = plan.run(run);
        let loaded = base.load(plan, arm, seed)?;
        let result = crate::simulate(&loaded).map_err(|e| ExperimentError::Run {
            context: context(plan, arm, seed),
            error: Box::new(e),
        })?;
        progress(done.fetch_add(1, Ordering::Relaxed) + 1, runs.len());
        Ok(RunRow {
            run,
            arm,
            summary: result.summary,
        })
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| ExperimentError::Threads(e.to_string()))?;
    let mut rows = pool.install(|| runs.par_iter().map(one).collect::<Result<Vec<_>, _>>())?;
    rows.sort_by_key(|r| r.run);
    Ok(rows)
}
