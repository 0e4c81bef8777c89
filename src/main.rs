//! The `dcsim` command line: parses arguments and calls one library function per subcommand
//! (the grammar is in `cli/args.rs`, the longer subcommands' glue in `cli/commands.rs`).

mod cli;

use anyhow::Context;
use clap::{CommandFactory, Parser};
use cli::args::{Cli, Command, GroupBy, Regressed, TargetsMissed, Usage};
use cli::commands::{compare, load, merge, regress, run, sweep, trace_command};
use dcsim::experiment::{ExperimentError, REGRESSION_EXIT_CODE};
use dcsim::landscape::ExportFormat;
use dcsim::scenario;
use dcsim::workload::TraceError;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    exit_quietly_on_a_closed_pipe();
    let cli = Cli::parse();
    let checked = dcsim::engine::usage_pass_threads()
        .map_err(anyhow::Error::from)
        .and_then(|_| dispatch(cli.command));
    match checked {
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
            at,
            out,
        } => {
            let loaded = load(&scenario)?;
            let e = match (workload, at) {
                (Some(id), _) => dcsim::explain(&loaded, id)?,
                (None, Some(t)) => dcsim::explain_at(&loaded, t)?,
                (None, None) => unreachable!("clap requires --workload or --at"),
            };
            print!("{}", e.to_text());
            let id = e.workload;
            let path = out.unwrap_or_else(|| PathBuf::from(format!("explain-{id}.json")));
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
