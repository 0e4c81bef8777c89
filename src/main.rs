//! The `dcsim` command line: parses arguments and calls one library function per subcommand.

use anyhow::Context;
use clap::{CommandFactory, Parser, Subcommand};
use dcsim::experiment::{ExperimentError, REGRESSION_EXIT_CODE};
use dcsim::landscape::ExportFormat;
use dcsim::scenario::TraceFormat;
use dcsim::scenario::{self, LoadedScenario, Override};
use dcsim::workload::TraceError;
use dcsim::workload::trace;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dcsim",
    version,
    about = "A discrete-event data center simulator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct ScenarioArgs {
    /// The scenario file (TOML).
    file: PathBuf,
    /// Override a scenario key, e.g. --set policy.placement=first-fit (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
    /// Seed of every random stream (same as --set simulation.seed=N).
    #[arg(long)]
    seed: Option<u64>,
    /// Refuse at once when the scenario's memory estimate exceeds SIZE (e.g. 512M, 4G).
    /// Default: this machine's memory.
    #[arg(long, value_name = "SIZE", value_parser = dcsim::scenario::footprint::parse_size)]
    max_memory: Option<u64>,
}

/// A command line whose options do not go together (bad input: exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(&'static str);

#[derive(Subcommand)]
enum Command {
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
        #[arg(long)]
        workload: u64,
        /// Write the explanation as JSON here. Default: explain-<id>.json in the working folder.
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
        /// Workloads to run (burst-first-fit, burst-best-fit, huawei-month, azure-month, engine,
        /// churn, or "all"). Default: every workload but churn (about 30 s in all).
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
enum GroupBy {
    Rack,
}

#[derive(clap::Args)]
struct CompareArgs {
    /// The scenario file (TOML).
    file: PathBuf,
    /// A policy to compare (repeatable); the first is the reference for paired differences.
    #[arg(long = "policy", value_name = "NAME")]
    policies: Vec<String>,
    /// Compare the values of any scenario key: --vary dotted.key=v1,v2,…
    #[arg(long, value_name = "KEY=V1,V2,…")]
    vary: Option<String>,
    /// Override a scenario key in every run (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
    /// Number of seeds (replications) per policy.
    #[arg(long, default_value_t = 5)]
    seeds: u64,
    /// The first seed; seeds are FIRST, FIRST+1, …
    #[arg(long, default_value_t = 1)]
    first_seed: u64,
    #[command(flatten)]
    common: ExperimentArgs,
    /// Output folder. Default: results/<scenario>-comparison.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
struct SweepArgs {
    /// The sweep file (TOML): base scenario, grid, seeds.
    file: PathBuf,
    #[arg(long)]
    out: PathBuf,
    /// Run only slice K of N (K from 1): runs whose index mod N is K-1.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    #[command(flatten)]
    common: ExperimentArgs,
}

#[derive(clap::Args)]
struct ExperimentArgs {
    /// Worker threads (default: one per core).
    #[arg(long, short, default_value_t = 0)]
    jobs: usize,
    /// Skip the charts.
    #[arg(long)]
    no_charts: bool,
    /// No progress bar and no report on standard output.
    #[arg(long, short)]
    quiet: bool,
    /// Replace the output folder even though it holds files dcsim did not write: DESTROYS
    /// everything in it. (Never the current folder, a parent of it, home, / or an input's.)
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args)]
struct RegressArgs {
    /// The baseline JSON (e.g. results/baselines/ci-small.json).
    #[arg(long)]
    baseline: PathBuf,
    /// A run folder, a summary.json, or a comparison or sweep folder.
    #[arg(long)]
    current: PathBuf,
    /// Tolerance of a metric in percent, e.g. tco_usd=5 (`*=5` for all; repeatable).
    #[arg(long = "tolerance", value_name = "METRIC=PCT")]
    tolerances: Vec<String>,
    /// History CSV to append to. Default: results/regress/<baseline stem>.csv.
    #[arg(long)]
    history: Option<PathBuf>,
    /// Label of the history row (e.g. a commit).
    #[arg(long, default_value = "")]
    label: String,
    /// Write the current metrics as the new baseline (on purpose).
    #[arg(long)]
    accept: bool,
    /// Skip the regression chart.
    #[arg(long)]
    no_chart: bool,
}

/// `dcsim bench --check` found a target missed: exit status 3.
#[derive(Debug)]
struct TargetsMissed(usize);

impl std::fmt::Display for TargetsMissed {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} bench target(s) missed", self.0)
    }
}

impl std::error::Error for TargetsMissed {}

/// A regression was found: exit status 3.
#[derive(Debug)]
struct Regressed(usize);

impl std::fmt::Display for Regressed {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} metric(s) got worse beyond tolerance", self.0)
    }
}

impl std::error::Error for Regressed {}

#[derive(clap::Args)]
struct TraceExtraFiles {
    /// Usage readings file (e.g. Azure vm_cpu_readings, Google task_usage).
    #[arg(long)]
    usage: Option<PathBuf>,
    /// Machine table (Google machine_events, Alibaba machine_meta, OpenB node list).
    #[arg(long)]
    machines: Option<PathBuf>,
    /// Cores per normalised CPU unit (Google, Azure packing).
    #[arg(long, default_value_t = 1.0)]
    cpu_scale: f64,
    /// GiB per normalised memory unit.
    #[arg(long, default_value_t = 1.0)]
    memory_scale_gib: f64,
}

impl TraceExtraFiles {
    fn with(self, main: PathBuf) -> trace::TraceFiles {
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
enum TraceCommand {
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

fn main() -> ExitCode {
    exit_quietly_on_a_closed_pipe();
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<Regressed>().is_some() => {
            eprintln!("regression: {e}");
            ExitCode::from(REGRESSION_EXIT_CODE)
        }
        Err(e) if e.downcast_ref::<TargetsMissed>().is_some() => {
            eprintln!("bench: {e}");
            ExitCode::from(REGRESSION_EXIT_CODE)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            let bad_input = e
                .downcast_ref::<dcsim::Error>()
                .is_some_and(dcsim::Error::is_bad_input)
                || e.downcast_ref::<scenario::ScenarioError>().is_some()
                || e.downcast_ref::<TraceError>().is_some()
                || e.downcast_ref::<Usage>().is_some()
                || e.downcast_ref::<dcsim::engine::EngineError>()
                    .is_some_and(dcsim::engine::EngineError::is_bad_input)
                || e.downcast_ref::<ExperimentError>()
                    .is_some_and(ExperimentError::is_bad_input);
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}

/// `dcsim … | head` ends dcsim the way it ends `cat`: killed by SIGPIPE when the reader has
/// gone (exit status 141 in a shell), not by a panic on a failed print. Rust ignores SIGPIPE
/// by default; this restores the default action.
fn exit_quietly_on_a_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread starts; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn dispatch(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Run {
            scenario,
            out,
            quiet,
            no_plots,
            force,
        } => run(&scenario, out, quiet, no_plots, force),
        Command::Explain {
            scenario,
            workload,
            out,
        } => {
            let e = dcsim::explain(&load(&scenario)?, workload)?;
            print!("{}", e.to_text());
            let path = out.unwrap_or_else(|| PathBuf::from(format!("explain-{workload}.json")));
            let json = serde_json::to_string_pretty(&e)? + "\n";
            dcsim::report::write_atomically(&path, json.as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        Command::Validate { scenario } => {
            let loaded = load(&scenario)?;
            print!("{}", dcsim::report::describe(&loaded, scenario.max_memory)?);
            Ok(())
        }
        Command::Landscape {
            scenario,
            format,
            group_by,
            out,
            at,
            blast,
        } => {
            let loaded = load(&scenario)?;
            let text = match (group_by, blast) {
                (Some(_), Some(_)) => {
                    return Err(
                        Usage("--blast shows the hosts of one failure; drop --group-by").into(),
                    );
                }
                (None, Some(entity)) => dcsim::blast_radius(&loaded, &entity, at, format)?,
                (group_by, None) => match group_by {
                    Some(GroupBy::Rack) if at.is_some() => {
                        return Err(Usage(
                            "--group-by rack shows the landscape as built; drop --at",
                        )
                        .into());
                    }
                    Some(GroupBy::Rack) if format == ExportFormat::Graphml => {
                        return Err(Usage(
                            "--group-by rack has DOT and JSON forms only; drop --format graphml",
                        )
                        .into());
                    }
                    Some(GroupBy::Rack) => dcsim::export_landscape_by_rack(&loaded, format)?,
                    None => dcsim::export_landscape_at(&loaded, format, at)?,
                },
            };
            match out {
                Some(path) => dcsim::report::write_atomically(&path, text.as_bytes())
                    .with_context(|| format!("writing {}", path.display())),
                None => {
                    print!("{text}");
                    Ok(())
                }
            }
        }
        Command::Trace { command } => trace_command(command),
        Command::Bench {
            workloads,
            one,
            sets,
            scaling,
            max_hosts,
            max_vms,
            out,
            force,
            quickstart,
            hosts,
            policies,
            json,
            check,
            reference_calibration,
        } => {
            use dcsim::experiment::bench;
            if quickstart {
                let report = bench::run_suite(&hosts, &policies, &mut |l| eprintln!("{l}"))?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&report)?);
                } else {
                    print!("{}", bench::quickstart_table(&report));
                }
                return Ok(());
            }
            let opts = bench::BenchOptions {
                one,
                workloads,
                sets,
                scaling,
                max_hosts,
                max_vms,
                out,
                force,
                json,
                reference_calibration_s: reference_calibration,
            };
            let output = bench::run(&opts, &mut |l| eprintln!("{l}"))?;
            print!("{}", output.text);
            if check && output.missed > 0 {
                return Err(TargetsMissed(output.missed).into());
            }
            Ok(())
        }
        Command::Compare(args) => compare(args),
        Command::Sweep(args) => sweep(args),
        Command::Merge {
            dirs,
            out,
            no_charts,
            force,
        } => merge(dirs, out, no_charts, force),
        Command::Regress(args) => regress(args),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "dcsim", &mut std::io::stdout());
            Ok(())
        }
    }
}

fn load(args: &ScenarioArgs) -> anyhow::Result<LoadedScenario> {
    let mut overrides = args
        .overrides
        .iter()
        .map(|o| {
            Override::parse(o).map_err(|m| scenario::ScenarioError {
                file: args.file.clone(),
                line: None,
                column: None,
                field: None,
                message: m,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(seed) = args.seed {
        overrides.push(Override {
            path: vec!["simulation".into(), "seed".into()],
            value: seed.to_string(),
        });
    }
    Ok(scenario::load(&args.file, &overrides)?)
}

fn run(
    args: &ScenarioArgs,
    out: Option<PathBuf>,
    quiet: bool,
    no_plots: bool,
    force: bool,
) -> anyhow::Result<()> {
    let loaded = load(args)?;
    let out = out.unwrap_or_else(|| dcsim::report::default_output_dir(&loaded));
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| progress_bar(&loaded.name));
    let mut progress = |now: dcsim::time::SimTime, end: dcsim::time::SimTime| {
        if let Some(b) = &bar {
            b.set_position((now.as_secs_f64() / end.as_secs_f64().max(1e-9) * 1000.0) as u64);
        }
    };
    let output = dcsim::report::OutputOptions {
        plots: !no_plots,
        replace: dcsim::report::OutputPolicy::protecting(&args.file, force),
    };
    let options = dcsim::engine::RunOptions {
        max_memory: args.max_memory,
        ..Default::default()
    };
    let result = dcsim::report::run_to_dir(&loaded, &out, options, output, &mut progress)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !quiet {
        print!("{}", dcsim::report::summary_table(&result.summary, &out));
    }
    Ok(())
}

fn progress_bar(name: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(1000);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:40}] {percent:>3}% of simulated time, {elapsed} elapsed, ETA {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_prefix(name.to_string());
    bar
}

fn trace_command(command: TraceCommand) -> anyhow::Result<()> {
    match command {
        TraceCommand::Inspect {
            format,
            path,
            extra,
            json,
        } => {
            let summary = trace::inspect_files(format, &extra.with(path))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                print!("{}", trace::summary_text(&summary));
            }
        }
        TraceCommand::Convert {
            format,
            path,
            extra,
            out,
        } => {
            let n = trace::convert(format, &extra.with(path), &out)?;
            eprintln!("wrote {n} workloads to {}", out.display());
        }
        TraceCommand::Sample { format, out } => {
            for path in trace::sample::write_sample(format, &out)? {
                println!("{}", path.display());
            }
        }
    }
    Ok(())
}

/// A progress bar over runs, fed by the library's (done, total) callback.
fn runs_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "[{bar:40}] {pos}/{len} runs, {elapsed} elapsed, ETA {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    Some(bar)
}

/// Runs `f` with a progress callback drawing `bar`, then clears the bar.
fn with_bar<T>(quiet: bool, f: impl FnOnce(dcsim::experiment::Progress) -> T) -> T {
    let bar = runs_bar(quiet);
    let progress = |done: usize, total: usize| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let out = f(&progress);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    out
}

fn compare(a: CompareArgs) -> anyhow::Result<()> {
    let opts = dcsim::experiment::CompareOptions {
        policies: a.policies,
        vary: a.vary,
        set: a.overrides,
        seeds: a.seeds,
        first_seed: a.first_seed,
        jobs: a.common.jobs,
        out: a.out,
        charts: !a.common.no_charts,
        force: a.common.force,
        ..dcsim::experiment::CompareOptions::new(a.file)
    };
    let c = with_bar(a.common.quiet, |p| dcsim::experiment::compare(&opts, p))?;
    if !a.common.quiet {
        println!("{}", c.markdown);
        println!("wrote {} ({} runs)", c.out.display(), c.rows.len());
    }
    Ok(())
}

fn sweep(a: SweepArgs) -> anyhow::Result<()> {
    let shard = a
        .shard
        .as_deref()
        .map(dcsim::experiment::Shard::parse)
        .transpose()?;
    let opts = dcsim::experiment::SweepOptions {
        file: a.file,
        out: a.out,
        shard,
        jobs: a.common.jobs,
        charts: !a.common.no_charts,
        force: a.common.force,
    };
    let r = with_bar(a.common.quiet, |p| dcsim::experiment::sweep(&opts, p))?;
    if !a.common.quiet {
        println!("{}", r.markdown);
        println!("wrote {} ({} runs)", opts.out.display(), r.rows.len());
    }
    Ok(())
}

fn merge(dirs: Vec<PathBuf>, out: PathBuf, no_charts: bool, force: bool) -> anyhow::Result<()> {
    let opts = dcsim::experiment::MergeOptions {
        dirs,
        out,
        charts: !no_charts,
        force,
    };
    let m = dcsim::experiment::merge(&opts)?;
    println!(
        "merged {} folders into {} ({} runs)",
        opts.dirs.len(),
        opts.out.display(),
        m.rows.len()
    );
    Ok(())
}

fn regress(a: RegressArgs) -> anyhow::Result<()> {
    let opts = dcsim::experiment::RegressOptions {
        baseline: a.baseline,
        current: a.current,
        tolerances: a.tolerances,
        history: a.history,
        label: a.label,
        accept: a.accept,
        chart: !a.no_chart,
    };
    let report = dcsim::experiment::regress(&opts)?;
    print!("{}", report.table());
    println!("history: {}", report.history.display());
    if let Some(png) = &report.chart {
        println!("chart: {} (and .svg)", png.display());
    }
    if report.accepted {
        println!("wrote the new baseline {}", opts.baseline.display());
    }
    let worse = report
        .changes
        .iter()
        .filter(|c| c.status == dcsim::experiment::Status::Worse)
        .count();
    if report.regressed() {
        return Err(Regressed(worse).into());
    }
    Ok(())
}
