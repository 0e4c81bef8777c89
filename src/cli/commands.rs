//! The glue of the longer subcommands: load a scenario with its overrides, draw progress bars,
//! call the library and print what it returns. Binary-only: the library does not declare `cli`.

use super::args::{CompareArgs, RegressArgs, Regressed, ScenarioArgs, SweepArgs, TraceCommand};
use dcsim::scenario::{self, LoadedScenario, Override};
use dcsim::workload::trace;
use std::io::IsTerminal;
use std::path::PathBuf;

pub fn load(args: &ScenarioArgs) -> anyhow::Result<LoadedScenario> {
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

pub fn run(
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

pub fn trace_command(command: TraceCommand) -> anyhow::Result<()> {
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
pub fn with_bar<T>(quiet: bool, f: impl FnOnce(dcsim::experiment::Progress) -> T) -> T {
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

pub fn compare(a: CompareArgs) -> anyhow::Result<()> {
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

pub fn sweep(a: SweepArgs) -> anyhow::Result<()> {
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

pub fn merge(dirs: Vec<PathBuf>, out: PathBuf, no_charts: bool, force: bool) -> anyhow::Result<()> {
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

pub fn regress(a: RegressArgs) -> anyhow::Result<()> {
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
