//! `scripts/fetch-trace.sh`: what can be checked without a network. Its manifest check
//! (`--verify`) passes an intact copy and fails a changed or missing file; every name it lists
//! has a branch; and the SHA-256 it pins for the genuine excerpts is the checksum of the copies
//! kept in `../shared/traces`, taken from the same pinned commits.

use crate::cli::temp_dir;
use crate::common::shared_trace;
use std::path::Path;
use std::process::{Command, Output};

fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/fetch-trace.sh")
}

fn fetch(args: &[&str]) -> Output {
    Command::new("bash")
        .arg(script())
        .args(args)
        .output()
        .expect("bash runs")
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum runs");
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

#[test]
fn verify_passes_an_intact_copy_and_fails_a_changed_or_missing_file() {
    let dir = temp_dir("fetch-verify");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.csv"), "1,2\n").unwrap();
    std::fs::write(dir.join("sub/b.csv"), "3,4\n").unwrap();
    let manifest = format!(
        "{}  a.csv\n{}  sub/b.csv\n",
        sha256(&dir.join("a.csv")),
        sha256(&dir.join("sub/b.csv"))
    );
    std::fs::write(dir.join("SHA256SUMS"), manifest).unwrap();
    let d = dir.to_str().unwrap();

    let ok = fetch(&["--verify", d]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    std::fs::write(dir.join("sub/b.csv"), "3,5\n").unwrap();
    let changed = fetch(&["--verify", d]);
    assert_eq!(changed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&changed.stderr).contains("MISMATCH sub/b.csv"));

    std::fs::remove_file(dir.join("a.csv")).unwrap();
    let missing = fetch(&["--verify", d]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("missing  a.csv"));

    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    assert_eq!(fetch(&["--verify", d]).status.code(), Some(2));
}

#[test]
fn every_listed_trace_has_a_branch_and_an_unknown_one_is_refused() {
    let list = fetch(&["--list"]);
    assert!(list.status.success());
    let text = std::fs::read_to_string(script()).unwrap();
    let names: Vec<String> = String::from_utf8(list.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(names.len() >= 11, "{names:?}");
    for name in &names {
        let branch = text.lines().any(|l| {
            let l = l.trim_start();
            l.strip_suffix(')')
                .is_some_and(|labels| labels.split('|').any(|n| n == name))
        });
        assert!(branch, "`{name}` is listed but has no branch in the script");
    }
    assert_eq!(fetch(&["no-such-trace"]).status.code(), Some(2));
}

#[test]
fn the_pinned_excerpt_checksums_are_those_of_the_genuine_copies() {
    let text = std::fs::read_to_string(script()).unwrap();
    for file in [
        "azure-v1-2017/vmtable.csv.gz",
        "azure-v1-2017/vm_cpu_readings-file-1-of-125.csv.gz",
        "bitbrains-gwa-t-12/bitbrains.csv",
    ] {
        let Some(path) = shared_trace(file) else {
            return;
        };
        let sum = sha256(&path);
        assert!(
            text.contains(&sum),
            "{file}: {sum} is not the checksum the script pins"
        );
    }
}
