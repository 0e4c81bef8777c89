//! The command line's grammar: every subcommand, option and its help text (clap derive), and
//! the two outcomes that exit with status 3. Binary-only: the library does not declare `cli`.

use clap::{Parser, Subcommand};
use dcsim::landscape::ExportFormat;
use dcsim::scenario::TraceFormat;
use dcsim::workload::trace;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "dcsim",
    version,
    about = "A discrete-event data center simulator"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Args)]
pub struct ScenarioArgs {
    /// The scenario file (TOML).
    pub file: PathBuf,
    /// Override a scenario key, e.g. --set policy.placement=first-fit (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Seed of every random stream (same as --set simulation.seed=N).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Refuse at once when the scenario's memory estimate exceeds SIZE (e.g. 512M, 4G).
    /// Default: this machine's memory.
    #[arg(long, value_name = "SIZE", value_parser = dcsim::scenario::footprint::parse_size)]
    pub max_memory: Option<u64>,
}

/// A command line whose options do not go together (bad input: exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub &'static str);

#[derive(Subcommand)]
pub enum Command {
    /// Run a scenario and write results/<name>/ (summary.json, timeseries.csv, hosts.csv, workloads.csv, run.json).
    Run {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Output folder. Default: the scenario's output.dir, else results/<name>.
        #[arg(long)]
        out: Option<PathBuf>,
        /// No progress bar and no summary table.
        #[arg(long, short)]
        quiet: bool,
        /// Skip the plots (faster); report.html then has the numbers only.
        #[arg(long)]
        no_plots: bool,
        /// Replace the output folder even though it holds files dcsim did not write: DESTROYS
        /// everything in it. (Never the current folder, a parent of it, home, / or an input's.)
        #[arg(long)]
        force: bool,
    },
    /// Replay one placement decision: each candidate host's filters and scores, and the winner.
    Explain {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// The workload's id (as in workloads.csv).
        #[arg(long, required_unless_present = "at", conflicts_with = "at")]
        workload: Option<u64>,
        /// Instead: the first placement decision at or after this simulated time ("90m", "2d").
        #[arg(long, value_parser = dcsim::time::parse_duration)]
        at: Option<dcsim::time::SimTime>,
        /// Write the explanation as JSON here. Default: explain-<id>.json in the working folder
        /// (the id of the workload decided on).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check a scenario file and say what it describes.
    Validate {
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
    /// Export a scenario's landscape graph.
    Landscape {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[arg(long, value_enum, default_value = "dot")]
        format: ExportFormat,
        /// Collapse hosts into their racks: a picture one can read for hundreds of hosts.
        #[arg(long, value_enum, value_name = "LEVEL")]
        group_by: Option<GroupBy>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The landscape at this simulated time ("6h"), with the VMs and services then running.
        #[arg(long, value_parser = dcsim::time::parse_duration)]
        at: Option<dcsim::time::SimTime>,
        /// The blast radius of this entity's failure ("pdu-001", "tor-003"): what goes down, is
        /// cut off or degraded, coloured (DOT) or listed (JSON); with --at, as things stand then.
        #[arg(long, value_name = "ENTITY", conflicts_with = "group_by")]
        blast: Option<String>,
    },
    /// Read recorded traces: inspect them or convert them to dcsim's native format.
    Trace {
        #[command(subcommand)]
        command: TraceCommand,
    },
    /// Run the benchmark suite: wall time, events/s, placements/s and peak memory per workload,
    /// each in a fresh child process; `--scaling` for the log-log scaling chart.
    Bench {
        /// Workloads to run (burst-first-fit, burst-best-fit, huawei-month, huawei-trace-month,
        /// azure-month, engine, churn, planetlab-day, or "all"). Default: every workload but
        /// churn and planetlab-day.
        #[arg(long = "workload", value_delimiter = ',')]
        workloads: Vec<String>,
        /// Measure one workload in this process and print only its measurement.
        #[arg(long, conflicts_with_all = ["workloads", "scaling", "quickstart"])]
        one: Option<String>,
        /// Override a key of every scenario workload, e.g. `--set simulation.duration=10d`.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        /// Wall time against hosts (1k to 100k) and VMs (10k to 10M): CSV and log-log chart.
        #[arg(long)]
        scaling: bool,
        /// Largest fleet of the scaling chart.
        #[arg(long, default_value_t = 100_000)]
        max_hosts: u64,
        /// Largest VM count of the scaling chart.
        #[arg(long, default_value_t = 10_000_000)]
        max_vms: u64,
        /// Folder of the scaling CSV and chart.
        #[arg(long, default_value = "results/bench")]
        out: PathBuf,
        /// Replace the output folder even though it holds files dcsim did not write: DESTROYS
        /// everything in it. (Never the current folder, a parent of it, home, / or an input's.)
        #[arg(long)]
        force: bool,
        /// The older measurement: the quickstart scenario scaled to `--hosts`, per `--policy`.
        #[arg(long)]
        quickstart: bool,
        /// Fleet sizes of `--quickstart`.
        #[arg(long, value_delimiter = ',', default_values_t = [1_000u32, 10_000, 100_000])]
        hosts: Vec<u32>,
        /// Placement policies of `--quickstart`.
        #[arg(long = "policy", default_values_t = ["best-fit".to_string(), "first-fit".to_string()])]
        policies: Vec<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Exit with status 3 when a workload misses its target (as scaled to this machine by
        /// the calibration; not judged under `--set`).
        #[arg(long, conflicts_with = "quickstart")]
        check: bool,
        /// The reference machine's calibration time in seconds, to judge against a reference
        /// re-measured (the table's "calibration" line on that machine).
        #[arg(long = "reference-calibration", value_name = "SECONDS")]
        reference_calibration: Option<f64>,
    },
    /// Compare policies (or values of any key) on the same seeds: comparison.csv, .md and charts.
    Compare(CompareArgs),
    /// Run a sweep file (a grid of overrides × seeds), or one shard of it.
    Sweep(SweepArgs),
    /// Join a sweep's shard folders into the folder an unsharded run writes.
    Merge {
        /// The shard folders (every shard 1..N exactly once).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        /// Skip the charts.
        #[arg(long)]
        no_charts: bool,
        /// Replace the output folder even though it holds files dcsim did not write: DESTROYS
        /// everything in it. (Never the current folder, a parent of it, home, / or an input's.)
        #[arg(long)]
        force: bool,
    },
    /// Check a run's (or comparison's) headline metrics against a baseline; exit 3 on a regression.
    Regress(RegressArgs),
    /// Print a shell completion script, e.g. `dcsim completions bash > ~/.local/share/bash-completion/completions/dcsim`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// What `dcsim landscape --group-by` folds hosts into.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum GroupBy {
    Rack,
}

#[derive(clap::Args)]
pub struct CompareArgs {
    /// The scenario file (TOML).
    pub file: PathBuf,
    /// A policy to compare (repeatable); the first is the reference for paired differences.
    #[arg(long = "policy", value_name = "NAME")]
    pub policies: Vec<String>,
    /// Compare the values of any scenario key: --vary dotted.key=v1,v2,…
    #[arg(long, value_name = "KEY=V1,V2,…")]
    pub vary: Option<String>,
    /// Override a scenario key in every run (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Number of seeds (replications) per policy.
    #[arg(long, default_value_t = 5)]
    pub seeds: u64,
    /// The first seed; seeds are FIRST, FIRST+1, …
    #[arg(long, default_value_t = 1)]
    pub first_seed: u64,
    #[command(flatten)]
    pub common: ExperimentArgs,
    /// Output folder. Default: results/<scenario>-comparison.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct SweepArgs {
    /// The sweep file (TOML): base scenario, grid, seeds.
    pub file: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    /// Run only slice K of N (K from 1): runs whose index mod N is K-1.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub common: ExperimentArgs,
}

#[derive(clap::Args)]
pub struct ExperimentArgs {
    /// Worker threads (default: one per core).
    #[arg(long, short, default_value_t = 0)]
    pub jobs: usize,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// No progress bar and no report on standard output.
    #[arg(long, short)]
    pub quiet: bool,
    /// Replace the output folder even though it holds files dcsim did not write: DESTROYS
    /// everything in it. (Never the current folder, a parent of it, home, / or an input's.)
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args)]
pub struct RegressArgs {
    /// The baseline JSON (e.g. results/baselines/ci-small.json).
    #[arg(long)]
    pub baseline: PathBuf,
    /// A run folder, a summary.json, or a comparison or sweep folder.
    #[arg(long)]
    pub current: PathBuf,
    /// Tolerance of a metric in percent, e.g. tco_usd=5 (`*=5` for all; repeatable).
    #[arg(long = "tolerance", value_name = "METRIC=PCT")]
    pub tolerances: Vec<String>,
    /// History CSV to append to. Default: results/regress/<baseline stem>.csv.
    #[arg(long)]
    pub history: Option<PathBuf>,
    /// Label of the history row (e.g. a commit).
    #[arg(long, default_value = "")]
    pub label: String,
    /// Write the current metrics as the new baseline (on purpose).
    #[arg(long)]
    pub accept: bool,
    /// Skip the regression chart.
    #[arg(long)]
    pub no_chart: bool,
}

/// `dcsim bench --check` found a target missed: exit status 3.
#[derive(Debug, thiserror::Error)]
#[error("{0} bench target(s) missed")]
pub struct TargetsMissed(pub usize);

/// A regression was found: exit status 3.
#[derive(Debug, thiserror::Error)]
#[error("{0} metric(s) got worse beyond tolerance")]
pub struct Regressed(pub usize);

#[derive(clap::Args)]
pub struct TraceExtraFiles {
    /// Usage readings file (e.g. Azure vm_cpu_readings, Google task_usage).
    #[arg(long)]
    pub usage: Option<PathBuf>,
    /// Machine table (Google machine_events, Alibaba machine_meta, OpenB node list).
    #[arg(long)]
    pub machines: Option<PathBuf>,
    /// Cores per normalised CPU unit (Google, Azure packing).
    #[arg(long, default_value_t = 1.0)]
    pub cpu_scale: f64,
    /// GiB per normalised memory unit.
    #[arg(long, default_value_t = 1.0)]
    pub memory_scale_gib: f64,
}

impl TraceExtraFiles {
    pub fn with(self, main: PathBuf) -> trace::TraceFiles {
        trace::TraceFiles {
            main,
            usage: self.usage,
            machines: self.machines,
            cpu_scale: self.cpu_scale,
            memory_scale_gib: self.memory_scale_gib,
            groups: false,
        }
    }
}

#[derive(Subcommand)]
pub enum TraceCommand {
    /// Counts, time span, size and lifetime distributions of a trace.
    Inspect {
        #[arg(value_enum)]
        format: TraceFormat,
        path: PathBuf,
        #[command(flatten)]
        extra: TraceExtraFiles,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a trace in dcsim's native CSV format.
    Convert {
        #[arg(value_enum)]
        format: TraceFormat,
        path: PathBuf,
        #[command(flatten)]
        extra: TraceExtraFiles,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a small synthetic trace in FORMAT's own layout (what the bundled scenarios replay
    /// on a plain clone; the full public traces: scripts/fetch-trace.sh).
    Sample {
        #[arg(value_enum)]
        format: TraceFormat,
        /// Folder to write the sample's files into (created if needed).
        #[arg(long)]
        out: PathBuf,
    },
}
