//! Every bundled scenario runs on a plain clone: the `scenarios/` folder copied where no
//! `../shared` is beside it, each file run for a short horizon on the data it bundles; and the
//! bundled trace samples are exactly what `dcsim trace sample` writes.

use crate::cli::{dcsim, temp_dir};
use dcsim::workload::trace::sample::{SAMPLE_FORMATS, format_name, write_sample};
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.toml` under `dir`, sorted.
fn scenario_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(scenario_files(&path));
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn every_bundled_scenario_runs_on_a_plain_clone() {
    // A clone without ../shared: only scenarios/ (with its samples), in a fresh folder whose
    // parent holds nothing else.
    let clone = temp_dir("plain-clone").join("dcsim");
    copy_tree(&repo().join("scenarios"), &clone.join("scenarios"));
    assert!(!clone.join("../shared").exists());
    let files = scenario_files(&clone.join("scenarios"));
    // quickstart, reference, ci-small, planetlab-consolidation, five traces, five benches.
    assert!(files.len() >= 14, "{files:?}");
    let short = dcsim::scenario::Override::parse("simulation.duration=1h").unwrap();
    let mut traces = 0;
    for file in &files {
        let loaded = dcsim::scenario::load(file, std::slice::from_ref(&short))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Some(trace) = &loaded.scenario.workload.trace {
            // Bundled data only: the trace the scenario names is inside the clone.
            let base = file.parent().unwrap();
            let main = base.join(trace.path.get_ref()).canonicalize().unwrap();
            assert!(main.starts_with(clone.canonicalize().unwrap()), "{main:?}");
            traces += 1;
        }
        let r = dcsim::simulate(&loaded).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            r.summary.workloads_arrived > 0,
            "{}: nothing arrived in an hour",
            file.display()
        );
    }
    // Five scenarios in scenarios/traces/ plus planetlab-consolidation and insight-azure
    // replay a sample.
    assert_eq!(traces, 7);
}

#[test]
fn the_bundled_samples_are_what_the_generator_writes() {
    for format in SAMPLE_FORMATS {
        let name = format_name(format);
        let fresh = temp_dir(&format!("sample-{name}"));
        let written = write_sample(format, &fresh).unwrap();
        let bundled = repo().join("scenarios/traces/samples").join(&name);
        let mut committed: Vec<_> = std::fs::read_dir(&bundled)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        committed.sort();
        let mut made: Vec<_> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_owned())
            .collect();
        made.sort();
        assert_eq!(
            committed, made,
            "{name}: regenerate with dcsim trace sample"
        );
        for path in &written {
            let committed = std::fs::read(bundled.join(path.file_name().unwrap())).unwrap();
            assert!(
                committed == std::fs::read(path).unwrap(),
                "{}: differs from `dcsim trace sample {name}`",
                path.display()
            );
        }
    }
}

#[test]
fn a_missing_trace_names_the_command_that_fetches_it() {
    let o = dcsim(&[
        "run",
        "scenarios/traces/planetlab.toml",
        "--set",
        "workload.trace.path=no-such-day",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no-such-day"), "{err}");
    assert!(
        err.contains("scripts/fetch-trace.sh planetlab-2011"),
        "{err}"
    );
    assert!(err.contains("dcsim trace sample planetlab"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn the_sample_command_writes_a_replayable_trace() {
    let out = temp_dir("sample-cli");
    let o = dcsim(&["trace", "sample", "swf", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = dcsim(&[
        "trace",
        "inspect",
        "swf",
        out.join("sample.swf").to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The generator writes 300 jobs, each with a run time of at least 30 s.
    assert_eq!(s["workloads"], 300);
}
