//! Many runs: the benchmark suite (`dcsim bench`); policy comparisons with replications and
//! confidence intervals (`compare`); parameter sweeps, sharded across a cluster and merged
//! (`sweep`, `merge`); regression checks against a committed baseline (`regress`).
//!
//! A comparison or sweep is a `Plan`: a base scenario, axes of varied keys (every combination
//! is an arm) and seeds. Every arm runs on the same seeds, and since dcsim draws each random
//! purpose from its own stream, a seed gives every arm the same workload (common random
//! numbers): differences between arms are paired by seed. Runs happen in memory, in parallel,
//! and are written in run order, so the output never depends on the number of threads.

mod availability;
mod baseline;
pub mod bench;
mod charts;
mod compare;
mod error;
mod history;
mod markdown;
mod merge;
pub mod metrics;
mod output;
mod plan;
mod regress;
mod regress_chart;
mod runner;
pub mod stats;
pub mod student;
mod sweep;
mod table;

pub use baseline::{Baseline, BaselineMetric, DEFAULT_TOLERANCE_PCT, current_metrics};
pub use compare::{CompareOptions, Comparison, compare};
pub use error::ExperimentError;
pub use merge::{MergeOptions, Merged, merge};
pub use output::{COMPARISON_FILES, FileNames, SWEEP_FILES, ShardInfo};
pub use plan::{Axis, POLICY_KEY, Plan, Shard, policy_overrides};
pub use regress::{
    Change, REGRESSION_EXIT_CODE, RegressOptions, RegressReport, Status, default_history, regress,
};
pub use runner::{Progress, RunRow, run_plan};
pub use sweep::{Sweep, SweepOptions, SweepResult, load_sweep, sweep};
pub use table::{read_runs, runs_csv, summary_fields};
