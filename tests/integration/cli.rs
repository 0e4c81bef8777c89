//! The command line as a user meets it: run, validate, landscape export.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn dcsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dcsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("dcsim runs")
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A fresh folder under the target directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn run_writes_every_output_file() {
    let out = temp_dir("cli-run").join("quickstart");
    let o = dcsim(&[
        "run",
        "scenarios/quickstart.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("workloads arrived") && stdout.contains("kWh"),
        "{stdout}"
    );
    for f in dcsim::report::RUN_FILES {
        assert!(out.join(f).metadata().unwrap().len() > 0, "{f} is empty");
    }
    for chart in [
        "utilisation",
        "power",
        "queue",
        "tco_breakdown",
        "host_utilisation_cdf",
        "landscape_heatmap",
    ] {
        for ext in ["png", "svg"] {
            assert!(
                out.join(format!("{chart}.{ext}")).metadata().unwrap().len() > 0,
                "{chart}.{ext}"
            );
        }
    }
    let html = read(&out.join("report.html"));
    assert!(html.contains("<svg") && html.contains("server capex"));
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    for key in [
        "hosts",
        "simulated_seconds",
        "events_processed",
        "workloads_arrived",
        "workloads_placed",
        "workloads_rejected",
        "workloads_queued_at_end",
        "mean_wait_seconds",
        "mean_cpu_utilisation",
        "mean_memory_utilisation",
        "peak_active_hosts",
        "energy_kwh",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["hosts"], 280);
    assert_eq!(summary["simulated_seconds"], 86400.0);
    // One time-series row per 5 minutes, from 0 to 24 h inclusive, plus the header.
    assert_eq!(read(&out.join("timeseries.csv")).lines().count(), 1 + 289);
    assert_eq!(read(&out.join("hosts.csv")).lines().count(), 1 + 280);
    let run: serde_json::Value = serde_json::from_str(&read(&out.join("run.json"))).unwrap();
    assert_eq!(run["seed"], 42);
    assert_eq!(run["resolved"]["policy"]["placement"], "best-fit");
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn no_plots_skips_the_charts_but_keeps_the_report() {
    let out = temp_dir("cli-no-plots").join("q");
    let o = dcsim(&[
        "run",
        "scenarios/quickstart.toml",
        "-q",
        "--no-plots",
        "--set",
        "simulation.duration=1h",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.join("utilisation.png").exists());
    let html = read(&out.join("report.html"));
    assert!(html.contains("tco_usd") && !html.contains("<svg"));
}

#[test]
fn overrides_and_seed_reach_the_run() {
    let out = temp_dir("cli-overrides").join("q");
    let o = dcsim(&[
        "run",
        "scenarios/quickstart.toml",
        "-q",
        "--seed",
        "9",
        "--set",
        "policy.placement=worst-fit",
        "--set",
        "simulation.duration=2h",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: serde_json::Value = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(s["seed"], 9);
    assert_eq!(s["placement_policy"], "worst-fit");
    assert_eq!(s["simulated_seconds"], 7200.0);
}

#[test]
fn validate_describes_the_scenario() {
    let o = dcsim(&["validate", "scenarios/quickstart.toml"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("280 hosts in 8 racks (4 PDUs, 2 cooling units)"),
        "{text}"
    );
    let o = dcsim(&["validate", "scenarios/reference.toml"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn landscape_exports_dot_and_json() {
    let o = dcsim(&["landscape", "scenarios/quickstart.toml", "--format", "json"]);
    assert!(o.status.success());
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let nodes = g["nodes"].as_array().unwrap();
    let kind = |k: &str| nodes.iter().filter(|n| n["kind"] == k).count();
    // 1 datacenter, 2 rooms, 8 racks, 280 hosts, 4 PDUs (2 racks each), 2 cooling units (4 racks each).
    assert_eq!(
        (kind("datacenter"), kind("room"), kind("rack"), kind("host")),
        (1, 2, 8, 280)
    );
    assert_eq!((kind("pdu"), kind("cooling_unit")), (4, 2));
    let edges = g["edges"].as_array().unwrap();
    let rel = |r: &str| edges.iter().filter(|e| e["relation"] == r).count();
    assert_eq!(rel("powered_by"), 8);
    assert_eq!(rel("cooled_by"), 8);
    // contains: dc→2 rooms, dc→4 PDUs, rooms→8 racks, rooms→2 cooling units, racks→280 hosts.
    assert_eq!(rel("contains"), 2 + 4 + 8 + 2 + 280);
    let o = dcsim(&["landscape", "scenarios/quickstart.toml", "--format", "dot"]);
    let dot = String::from_utf8_lossy(&o.stdout);
    assert!(
        dot.starts_with("digraph landscape {")
            && dot.contains("rack-007-h19")
            && dot.contains("powered_by")
    );
}

#[test]
fn a_closed_stdout_ends_quietly() {
    // `dcsim landscape … | head -1`: the reader goes away before dcsim has written its ~100 kB.
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dcsim"))
        .args(["landscape", "scenarios/quickstart.toml", "--format", "dot"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        // Killed by SIGPIPE (13, status 141 in a shell), as `cat` is, or a clean exit.
        assert!(
            o.status.signal() == Some(13) || o.status.code() == Some(0),
            "{:?}: {stderr}",
            o.status
        );
    }
}

#[test]
fn landscape_by_rack_folds_the_hosts_into_their_racks() {
    let o = dcsim(&[
        "landscape",
        "scenarios/quickstart.toml",
        "--format",
        "dot",
        "--group-by",
        "rack",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dot = String::from_utf8_lossy(&o.stdout);
    // 1 datacenter + 2 rooms + 8 racks + 4 PDUs + 2 cooling units, no host node: 17 nodes.
    assert_eq!(
        dot.matches(" [label=\"").count() - dot.matches(" -> ").count(),
        17
    );
    // The quickstart's 280 hosts: six racks of 40 general-64, two of 20 sriov-96.
    assert_eq!(dot.matches("40 × general-64").count(), 6);
    assert_eq!(dot.matches("20 × sriov-96").count(), 2);
    assert!(!dot.contains("rack-000-h00"));
    let o = dcsim(&[
        "landscape",
        "scenarios/quickstart.toml",
        "--format",
        "json",
        "--group-by",
        "rack",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["nodes"].as_array().unwrap().len(), 17);
}

#[test]
fn completions_cover_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let o = dcsim(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&o.stdout);
        for sub in [
            "run",
            "validate",
            "landscape",
            "compare",
            "sweep",
            "regress",
        ] {
            assert!(text.contains(sub), "{shell} lacks {sub}");
        }
        assert!(text.contains("group-by"), "{shell} lacks a flag");
    }
    // A bash completion script that bash itself accepts.
    let o = dcsim(&["completions", "bash"]);
    let script = temp_dir("completions").join("dcsim.bash");
    std::fs::write(&script, &o.stdout).unwrap();
    if let Ok(status) = Command::new("bash").arg("-n").arg(&script).status() {
        assert!(status.success(), "bash -n rejects the script");
    }
}

#[test]
fn a_bad_thread_count_is_refused_and_a_good_one_gives_the_same_summary() {
    let dir = temp_dir("cli-threads");
    for bad in ["0", "two", "9", ""] {
        let o = Command::new(env!("CARGO_BIN_EXE_dcsim"))
            .args(["validate", "scenarios/quickstart.toml"])
            .env("DCSIM_THREADS", bad)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "DCSIM_THREADS={bad:?}: {err}");
        assert!(
            err.contains("DCSIM_THREADS") && err.contains("from 1 to 8"),
            "{err}"
        );
    }
    let mut summaries = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.join(threads);
        let o = Command::new(env!("CARGO_BIN_EXE_dcsim"))
            .args([
                "run",
                "scenarios/quickstart.toml",
                "-q",
                "--no-plots",
                "--out",
            ])
            .arg(&out)
            .env("DCSIM_THREADS", threads)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        summaries.push(read(&out.join("timeseries.csv")));
    }
    assert_eq!(
        summaries[0], summaries[1],
        "two threads changed the time series"
    );
}
