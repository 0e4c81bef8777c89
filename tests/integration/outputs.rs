//! Output folders: dcsim replaces only what it wrote. A folder holding a user's file survives
//! run, compare, sweep, merge and bench with exit 2; a folder dcsim wrote is replaced; `--force`
//! replaces; `.`, `..`, the scenario's folder and links are refused; a run killed half-way
//! leaves the previous results in place.

use crate::cli::{dcsim, read, temp_dir};
use std::path::{Path, PathBuf};
use std::process::Output;

const SHORT: &str = "simulation.duration=1h";

/// A folder holding one file of the user's, `paper.tex`.
fn users_folder(test: &str) -> PathBuf {
    let dir = temp_dir(test).join("thesis");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("paper.tex"), "my thesis").unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Exit 2, no panic, a message naming the folder and `needle`; and `paper.tex` intact, alone.
fn refused_and_intact(o: &Output, dir: &Path, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("refusing to write into"), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert_eq!(read(&dir.join("paper.tex")), "my thesis");
    assert_eq!(
        std::fs::read_dir(dir).unwrap().count(),
        1,
        "{dir:?} gained files"
    );
}

fn run(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["run", "scenarios/quickstart.toml", "-q", "--no-plots"];
    args.extend(["--set", SHORT, "--out", s(out)]);
    args.extend(extra);
    dcsim(&args)
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A two-run sweep of the quickstart, written beside the test's folders.
fn sweep_file(dir: &Path) -> PathBuf {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/quickstart.toml");
    let text = format!(
        "scenario = {:?}\nseeds = 1\nset = [\"{SHORT}\"]\n\n\
         [[grid]]\nkey = \"policy\"\nvalues = [\"best-fit\", \"first-fit\"]\n",
        scenario.display().to_string()
    );
    let path = dir.join("grid.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_users_folder_survives_run_with_exit_2_and_the_file_named() {
    let dir = users_folder("out-run");
    refused_and_intact(&run(&dir, &[]), &dir, "paper.tex");
    let err = String::from_utf8_lossy(&run(&dir, &[]).stderr).into_owned();
    assert!(
        err.contains("--force") && err.contains("another --out"),
        "{err}"
    );
}

#[test]
fn a_users_folder_survives_compare_sweep_merge_and_bench() {
    let dir = users_folder("out-experiments");
    let compare = dcsim(&[
        "compare",
        "scenarios/quickstart.toml",
        "--policy",
        "best-fit",
        "--policy",
        "first-fit",
        "--seeds",
        "1",
        "--set",
        SHORT,
        "-q",
        "--out",
        s(&dir),
    ]);
    refused_and_intact(&compare, &dir, "paper.tex");
    let grid = sweep_file(dir.parent().unwrap());
    let sweep = dcsim(&["sweep", s(&grid), "--out", s(&dir), "-q"]);
    refused_and_intact(&sweep, &dir, "paper.tex");
    // Two real shards, then a merge into the user's folder.
    let root = dir.parent().unwrap();
    let shards: Vec<PathBuf> = ["1/2", "2/2"]
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let out = root.join(format!("shard{}", i + 1));
            ok(&dcsim(&[
                "sweep",
                s(&grid),
                "--out",
                s(&out),
                "--shard",
                k,
                "-q",
                "--no-charts",
            ]));
            out
        })
        .collect();
    let merge = dcsim(&["merge", s(&shards[0]), s(&shards[1]), "--out", s(&dir)]);
    refused_and_intact(&merge, &dir, "paper.tex");
    // Merging into one of its own inputs is refused too (even with --force).
    let into_input = dcsim(&[
        "merge",
        s(&shards[0]),
        s(&shards[1]),
        "--out",
        s(&shards[0]),
        "--force",
    ]);
    assert_eq!(into_input.status.code(), Some(2));
    assert!(shards[0].join("shard.json").exists());
    let bench = dcsim(&[
        "bench",
        "--scaling",
        "--max-hosts",
        "0",
        "--max-vms",
        "0",
        "--out",
        s(&dir),
    ]);
    refused_and_intact(&bench, &dir, "paper.tex");
}

#[test]
fn a_folder_dcsim_wrote_is_replaced_and_force_replaces_a_users() {
    let root = temp_dir("out-replace");
    let out = root.join("run");
    ok(&run(&out, &[]));
    let marker = read(&out.join(dcsim::report::MARKER));
    assert!(marker.contains("\"summary.json\"") && marker.contains("\"run\""));
    // A stale file of dcsim's own (listed in the marker) goes; the new run replaces the folder.
    std::fs::write(out.join("summary.json"), "stale").unwrap();
    ok(&run(&out, &[]));
    assert!(read(&out.join("summary.json")).contains("energy_kwh"));
    // A file the user added later is not dcsim's: refused, and kept.
    std::fs::write(out.join("notes.md"), "mine").unwrap();
    let o = run(&out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("notes.md"));
    assert_eq!(read(&out.join("notes.md")), "mine");
    // A folder written before markers existed (run.json with dcsim_version, dcsim's kinds of
    // file only) is recognised as dcsim's.
    let legacy = root.join("legacy");
    std::fs::create_dir_all(&legacy).unwrap();
    std::fs::write(legacy.join("run.json"), r#"{"dcsim_version": "0.0.9"}"#).unwrap();
    std::fs::write(legacy.join("summary.json"), "{}").unwrap();
    ok(&run(&legacy, &[]));
    // --force replaces a user's folder, documented as destroying it.
    let dir = users_folder("out-force");
    ok(&run(&dir, &["--force"]));
    assert!(!dir.join("paper.tex").exists());
    assert!(dir.join("summary.json").exists());
}

#[test]
fn dot_dotdot_the_scenarios_folder_and_root_are_refused_even_with_force() {
    for out in [".", "..", "scenarios", "/", "results/.."] {
        for force in [&[][..], &["--force"][..]] {
            let o = run(Path::new(out), force);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "--out {out}: {err}");
            assert!(
                err.contains("refusing to write into") && err.contains("another --out"),
                "{err}"
            );
        }
    }
    // The project is untouched.
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("Cargo.toml")
            .exists()
    );
    let o = run(Path::new("."), &[]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("current folder"));
}

#[cfg(unix)]
#[test]
fn a_link_is_not_followed_into_replacing_its_target() {
    let dir = users_folder("out-link");
    let link = dir.parent().unwrap().join("link");
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    let o = run(&link, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("symbolic link"));
    // With --force the link itself is replaced; its target keeps the user's file.
    ok(&run(&link, &["--force"]));
    assert!(!link.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(link.join("summary.json").exists());
    assert_eq!(read(&dir.join("paper.tex")), "my thesis");
}

#[cfg(unix)]
#[test]
fn a_run_killed_half_way_leaves_the_previous_results() {
    let root = temp_dir("out-kill");
    let out = root.join("run");
    ok(&run(&out, &[]));
    let before = read(&out.join("summary.json"));
    // A long run (30 simulated days) into the same folder, killed once its staging folder
    // exists, i.e. while it simulates.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dcsim"))
        .args(["run", "scenarios/quickstart.toml", "-q", "--no-plots"])
        .args(["--set", "simulation.duration=30d", "--out", s(&out)])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .spawn()
        .unwrap();
    let staged = || {
        std::fs::read_dir(&root)
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().contains(".tmp-"))
    };
    let mut waited = 0;
    while !staged() && waited < 2000 {
        std::thread::sleep(std::time::Duration::from_millis(5));
        waited += 1;
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        status.signal(),
        Some(9),
        "the run ended before it was killed"
    );
    assert_eq!(read(&out.join("summary.json")), before);
    assert!(out.join(dcsim::report::MARKER).exists());
}

/// The files of a run folder and their bytes, run.json (wall time) and the marker left out.
fn contents(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "run.json" && n != dcsim::report::MARKER)
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// The staging folder of a run into `root/run`, if one exists now.
fn staging_of(root: &Path) -> Option<PathBuf> {
    std::fs::read_dir(root)
        .ok()?
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.starts_with(".run.tmp-") && !n.ends_with(".old")
        })
}

#[cfg(unix)]
#[test]
fn a_run_killed_at_any_point_leaves_one_complete_result_and_no_half_written_file() {
    use std::os::unix::process::ExitStatusExt;
    let root = temp_dir("out-kill-points");
    let out = root.join("run");
    // Three simulated days with plots: every kind of output file, ~0.5 s of work.
    let args = [
        "run",
        "scenarios/quickstart.toml",
        "-q",
        "--set",
        "simulation.duration=3d",
        "--out",
        s(&out),
    ];
    let t = std::time::Instant::now();
    ok(&crate::cli::dcsim(&args));
    let length = t.elapsed();
    // Same scenario, same seed: every complete result has exactly these bytes.
    let reference = contents(&out);
    assert!(reference.len() > 10, "{:?}", reference.keys());
    // Kill points by what the staging folder holds (simulating: only workloads.csv, being
    // streamed; writing the tables; drawing the plots; the report; the marker, written just
    // before the swap), then at delays spread over a run's length.
    // (stage, the staged file whose appearance marks it)
    let stages: [(&str, &str); 6] = [
        ("simulating", "workloads.csv"),
        ("tables", "summary.json"),
        ("hosts", "hosts.csv"),
        ("plots", "utilisation.png"),
        ("report", "report.html"),
        ("marker", dcsim::report::MARKER),
    ];
    let delays: Vec<std::time::Duration> = (1..=8).map(|k| length * k / 6).collect();
    let mut killed = Vec::new();
    let points = stages.len() + delays.len();
    for point in 0..points {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dcsim"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let due = match stages.get(point) {
                Some((_, file)) => staging_of(&root).is_some_and(|d| d.join(file).exists()),
                None => started.elapsed() >= delays[point - stages.len()],
            };
            if due {
                let _ = child.kill(); // SIGKILL
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        let status = child.wait().unwrap();
        let name = stages.get(point).map_or(
            format!("after {:?}", delays.get(point.wrapping_sub(stages.len()))),
            |s| s.0.to_string(),
        );
        if status.signal() == Some(9) {
            killed.push(name.clone());
        } else {
            assert!(status.success(), "{name}: {status}");
        }
        // Whenever it died, the folder holds one complete result, byte for byte.
        assert_eq!(contents(&out), reference, "killed {name}");
        assert!(out.join("run.json").exists(), "killed {name}");
        assert!(out.join(dcsim::report::MARKER).exists(), "killed {name}");
        // Nothing but the folder and (after a kill) hidden staging folders beside it.
        for e in std::fs::read_dir(&root).unwrap() {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(n == "run" || n.starts_with(".run.tmp-"), "{name}: left {n}");
        }
    }
    eprintln!("killed at: {killed:?}");
    // The kills landed while simulating and while writing (the last stages may be too short
    // to catch on a busy machine).
    assert!(killed.contains(&"simulating".to_string()), "{killed:?}");
    assert!(killed.len() >= 4, "only {killed:?} were killed");
    // The next run removes what killed runs left beside the folder.
    ok(&crate::cli::dcsim(&args));
    let left: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["run".to_string()]);
}
