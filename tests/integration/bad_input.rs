//! Bad input: one clear message naming file, line and field and what was expected; exit status
//! 2; no panic; nothing written to (or removed from) the output folder.

use crate::cli::{dcsim, read, temp_dir};
use std::path::Path;

const QUICKSTART: &str = include_str!("../../scenarios/quickstart.toml");

/// Writes the quickstart with `from` replaced by `to`, runs it into a folder that holds an
/// earlier result, and returns stderr after checking the exit status and the folder.
fn run_bad(name: &str, from: &str, to: &str) -> String {
    assert!(
        QUICKSTART.contains(from),
        "fixture: {from:?} not in quickstart"
    );
    let dir = temp_dir(&format!("bad-{name}"));
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, QUICKSTART.replacen(from, to, 1)).unwrap();
    run_bad_file(&dir, file.to_str().unwrap())
}

fn run_bad_file(dir: &Path, file: &str) -> String {
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("summary.json"), "earlier result").unwrap();
    let o = dcsim(&["run", file, "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        o.status.code(),
        Some(2),
        "exit status for bad input; stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one message: {stderr}");
    assert_eq!(
        read(&out.join("summary.json")),
        "earlier result",
        "the earlier result is untouched"
    );
    let entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        entries
            .iter()
            .all(|e| !e.to_string_lossy().contains(".tmp")),
        "no staging left: {entries:?}"
    );
    stderr
}

/// The line (1-based) of the first occurrence of `needle` in the edited quickstart.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

#[test]
fn malformed_toml_names_file_and_line() {
    let err = run_bad("malformed", "[simulation]", "[simulation");
    let line = line_of(QUICKSTART, "[simulation]");
    assert!(err.contains(&format!("malformed.toml:{line}:")), "{err}");
}

#[test]
fn unknown_key_names_the_key_and_its_line() {
    let err = run_bad(
        "unknown",
        "sample_interval = \"5m\"",
        "sample_interval = \"5m\"\nsample_intervall = \"5m\"",
    );
    let line = line_of(QUICKSTART, "sample_interval") + 1;
    assert!(err.contains(&format!("unknown.toml:{line}:")), "{err}");
    assert!(
        err.contains("sample_intervall") && err.contains("unknown field"),
        "{err}"
    );
    assert!(err.contains("expected one of"), "{err}");
}

#[test]
fn zero_capacity_is_refused_with_what_was_expected() {
    let err = run_bad("zero", "cores = 64", "cores = 0");
    let line = line_of(QUICKSTART, "cores = 64");
    assert!(err.contains(&format!("zero.toml:{line}:")), "{err}");
    assert!(
        err.contains("field `cores`") && err.contains("greater than zero"),
        "{err}"
    );
}

#[test]
fn negative_capacity_is_refused() {
    let err = run_bad("negative", "memory_gib = 256", "memory_gib = -256");
    let line = line_of(QUICKSTART, "memory_gib = 256");
    assert!(
        err.contains(&format!("negative.toml:{line}:")) && err.contains("field `memory_gib`"),
        "{err}"
    );
    assert!(err.contains("-256"), "{err}");
}

#[test]
fn vm_larger_than_every_host_type_is_refused() {
    let err = run_bad(
        "too-big",
        "name = \"xlarge\"\ncores = 16",
        "name = \"xlarge\"\ncores = 160",
    );
    let line = line_of(
        QUICKSTART,
        "{ size = \"large\", weight = 2 }, { size = \"xlarge\"",
    );
    assert!(err.contains(&format!("too-big.toml:{line}:")), "{err}");
    assert!(
        err.contains("\"xlarge\"") && err.contains("fits no installed host type"),
        "{err}"
    );
}

#[test]
fn scenario_without_hosts_is_refused() {
    let text = QUICKSTART
        .split("[[landscape.racks]]")
        .next()
        .unwrap()
        .to_string()
        + "racks = []\n"
        + &QUICKSTART[QUICKSTART.find("[[workload.vm_sizes]]").unwrap()..];
    let dir = temp_dir("bad-no-hosts");
    let file = dir.join("no-hosts.toml");
    std::fs::write(&file, &text).unwrap();
    let err = run_bad_file(&dir, file.to_str().unwrap());
    let line = line_of(&text, "racks = []");
    assert!(
        err.contains(&format!("no-hosts.toml:{line}:")) && err.contains("no hosts"),
        "{err}"
    );
}

#[test]
fn unknown_policy_and_host_type_are_refused() {
    let err = run_bad(
        "policy",
        "placement = \"best-fit\"",
        "placement = \"bestest-fit\"",
    );
    assert!(
        err.contains("unknown placement policy \"bestest-fit\"") && err.contains("first-fit"),
        "{err}"
    );
    let err = run_bad(
        "host-type",
        "host_type = \"sriov-96\"",
        "host_type = \"sriov-69\"",
    );
    let line = line_of(QUICKSTART, "host_type = \"sriov-96\"");
    assert!(
        err.contains(&format!("host-type.toml:{line}:")) && err.contains("unknown host type"),
        "{err}"
    );
}

#[test]
fn unreadable_file_is_refused() {
    let dir = temp_dir("bad-missing");
    let err = run_bad_file(&dir, "no/such/scenario.toml");
    assert!(
        err.contains("no/such/scenario.toml") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn bad_override_is_refused() {
    let dir = temp_dir("bad-override");
    let out = dir.join("out");
    let o = dcsim(&[
        "run",
        "scenarios/quickstart.toml",
        "--set",
        "simulation.seed=-1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("seed"));
    assert!(!out.exists());
    let o = dcsim(&["run", "scenarios/quickstart.toml", "--set", "noequals"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_misspelt_set_key_is_blamed_on_the_argument_with_a_suggestion() {
    let o = dcsim(&[
        "run",
        "scenarios/quickstart.toml",
        "--set",
        "simulation.duraton=2h",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    // Not a line of quickstart.toml (it once said quickstart.toml:9:1, an empty line).
    assert!(
        err.starts_with("error: --set simulation.duraton=2h: "),
        "{err}"
    );
    assert!(!err.contains("quickstart.toml:"), "{err}");
    assert!(err.contains("did you mean `simulation.duration`?"), "{err}");
}
