//! The cluster traces (Google 2011 and 2019, Alibaba 2018, Alibaba GPU 2023 "OpenB"): fixtures
//! written here, malformed rows naming file, line and column, machines for
//! `landscape.from_trace`, and the real OpenB sample in ../shared/traces.

mod alibaba;
mod google2019;
mod openb;

use crate::cli::temp_dir;
use dcsim::scenario::TraceFormat;
use dcsim::time::SimTime;
use dcsim::workload::trace::{TraceError, TraceFiles, TraceVm, key_of, open_reader};
use std::path::{Path, PathBuf};

/// Every workload the reader of `format` yields, in order.
pub fn read_all(format: TraceFormat, files: &TraceFiles) -> Result<Vec<TraceVm>, TraceError> {
    let mut reader = open_reader(format, files)?;
    let mut out = Vec::new();
    while let Some(vm) = reader.next_vm()? {
        out.push(vm);
    }
    Ok(out)
}

/// (arrival s, lifetime s, cores, GiB, class) of each workload.
pub type Row = (f64, Option<f64>, Option<f64>, Option<f64>, String);

pub fn rows(vms: &[TraceVm]) -> Vec<Row> {
    vms.iter()
        .map(|v| {
            (
                v.arrival.as_secs_f64(),
                v.lifetime.map(SimTime::as_secs_f64),
                v.cores,
                v.memory_gib,
                v.class.clone(),
            )
        })
        .collect()
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

pub fn files(main: &Path, usage: Option<&Path>, machines: Option<&Path>) -> TraceFiles {
    TraceFiles {
        usage: usage.map(Path::to_path_buf),
        machines: machines.map(Path::to_path_buf),
        ..TraceFiles::main_only(main)
    }
}

/// Asserts that `err` names `file:line:column` and contains every one of `words`.
pub fn assert_names(err: &TraceError, at: &str, words: &[&str]) {
    let text = err.to_string();
    assert!(text.contains(at), "expected {at} in: {text}");
    for w in words {
        assert!(text.contains(w), "expected {w:?} in: {text}");
    }
}

fn row(t: u64, l: Option<u64>, c: f64, m: f64, class: &str) -> Row {
    (
        t as f64,
        l.map(|l| l as f64),
        Some(c),
        Some(m),
        class.into(),
    )
}

/// task_events: timestamp, missing, job, task, machine, event, user, class, priority, CPU,
/// memory, disk, different-machine. Tasks close out of arrival order; one is evicted and
/// resubmitted; one is killed after the window; one never ends.
const TASK_EVENTS: &str = "\
0,,1,0,,0,u1,2,9,0.5,0.25,0.01,0
0,,1,0,7,1,u1,2,9,,,,
600000000,,1,1,,0,u1,1,9,0.0625,0.03125,,0
610000000,,1,1,8,1,u1,1,9,,,,
620000000,,3,0,9,1,u2,0,0,0.125,0.125,,
630000000,,3,0,9,8,u2,0,0,0.25,,,
640000000,,3,0,9,4,u2,0,0,,,,
650000000,,2,0,,0,u3,3,2,0.125,0.0625,,
660000000,,2,0,,2,u3,3,2,,,,
670000000,,2,0,,0,u3,3,2,0.125,0.0625,,
680000000,,2,0,5,1,u3,3,2,,,,
700000000,,1,0,7,4,u1,2,9,,,,
9223372036854775807,,2,0,5,5,u3,3,2,,,,
";

/// machine_events: timestamp, machine ID, event type, platform, CPUs, memory.
const MACHINE_EVENTS: &str = "\
0,5,0,p1,1,1
0,6,0,p2,,0.5
0,7,0,p1,0.5,0.25
100000000,6,2,p2,0.5,
200000000,7,1,p1,,
300000000,8,1,p1,,
";

#[test]
fn google_2011_tasks_are_assembled_and_sorted_by_arrival() {
    let dir = temp_dir("cluster-google2011");
    let main = write(&dir, "task_events.csv", TASK_EVENTS);
    let vms = read_all(TraceFormat::Google2011, &files(&main, None, None)).unwrap();
    assert_eq!(
        rows(&vms),
        [
            row(0, Some(700), 0.5, 0.25, "class-2"),
            row(600, None, 0.0625, 0.03125, "class-1"),
            row(620, Some(20), 0.25, 0.125, "class-0"),
            row(650, Some(10), 0.125, 0.0625, "class-3"),
            row(670, None, 0.125, 0.0625, "class-3"),
        ]
    );
    assert_eq!(vms[0].line, 1);
    assert_eq!(vms[0].key, key_of("1/0"));
    // Each task's subscription (for the per-subscription learners) is its job's user.
    let users: Vec<u64> = vms.iter().map(|v| v.subscription).collect();
    let [u1, u2, u3] = ["u1", "u2", "u3"].map(key_of);
    assert_eq!(users, [u1, u1, u2, u3, u3]);
    let blank = TASK_EVENTS
        .replace(",u1,", ",,")
        .replace(",u2,", ",,")
        .replace(",u3,", ",,");
    let main = write(&dir, "task_events.csv", &blank);
    let vms = read_all(TraceFormat::Google2011, &files(&main, None, None)).unwrap();
    assert!(
        vms.iter().all(|v| v.subscription == 0),
        "no user, no subscription"
    );
}

#[test]
fn google_2011_malformed_rows_name_file_line_and_column() {
    let dir = temp_dir("cluster-google2011-bad");
    let bad = TASK_EVENTS.replace("0,0.25,,,", "0,lots,,,");
    let main = write(&dir, "task_events.csv", &bad);
    let err = read_all(TraceFormat::Google2011, &files(&main, None, None)).unwrap_err();
    assert_names(&err, "task_events.csv:6:10", &["`CPU request`", "\"lots\""]);
    let bad = TASK_EVENTS.replace("640000000,,3,0,9,4,", "640000000,,3,0,9,12,");
    let main = write(&dir, "task_events.csv", &bad);
    let err = read_all(TraceFormat::Google2011, &files(&main, None, None)).unwrap_err();
    assert_names(&err, "task_events.csv:7:6", &["`event type`", "SUBMIT"]);
}

#[test]
fn google_2011_task_usage_is_mean_cpu_over_request() {
    let dir = temp_dir("cluster-google2011-usage");
    let main = write(&dir, "task_events.csv", TASK_EVENTS);
    let usage = write(
        &dir,
        "task_usage.csv",
        "600000000,900000000,1,0,7,0.25,0.1\n600000000,900000000,1,1,8,0.0625,0.1\n\
         900000000,1200000000,1,0,7,0.5,0.1\n900000000,1200000000,1,1,8,0.03125,0.1\n",
    );
    let mut reader =
        open_reader(TraceFormat::Google2011, &files(&main, Some(&usage), None)).unwrap();
    assert!(reader.has_usage_feed());
    while reader.next_vm().unwrap().is_some() {}
    let mut out = Vec::new();
    reader
        .usage_until(SimTime::from_secs(600), &mut out)
        .unwrap();
    assert_eq!(out, [(key_of("1/0"), 0.5), (key_of("1/1"), 1.0)]);
    out.clear();
    // Task 1/0 ended at 700 s: its reading at 900 s is dropped.
    reader
        .usage_until(SimTime::from_secs(1000), &mut out)
        .unwrap();
    assert_eq!(out, [(key_of("1/1"), 0.5)]);
}

#[test]
fn google_2011_machines_build_the_landscape() {
    let dir = temp_dir("cluster-google2011-landscape");
    write(&dir, "task_events.csv", TASK_EVENTS);
    let machines = write(&dir, "machine_events.csv", MACHINE_EVENTS);
    let listed = open_reader(
        TraceFormat::Google2011,
        &files(&dir.join("task_events.csv"), None, Some(&machines)),
    )
    .unwrap()
    .machines()
    .unwrap();
    let sizes: Vec<(&str, f64, f64)> = listed
        .iter()
        .map(|m| (m.name.as_str(), m.cores, m.memory_gib))
        .collect();
    // Machine 6 gets its CPUs from the UPDATE; 7 was removed but existed; 8 was never added.
    assert_eq!(sizes, [("5", 1.0, 1.0), ("6", 0.5, 0.5), ("7", 0.5, 0.25)]);
    let scenario = write(
        &dir,
        "scenario.toml",
        r#"
[simulation]
duration = "1h"
sample_interval = "10m"
[[host_types]]
name = "borg"
cores = 1
memory_gib = 1
power = { model = "linear", idle_w = 100, max_w = 200 }
[landscape.from_trace]
host_type = "borg"
hosts_per_rack = 2
[workload.trace]
format = "google-2011"
path = "task_events.csv"
machines_path = "machine_events.csv"
"#,
    );
    let loaded = dcsim::scenario::load(&scenario, &[]).unwrap();
    let (result, records) = crate::common::run_checked(&loaded);
    assert_eq!(result.summary.hosts, 3);
    assert_eq!(result.fleet.len(), 3);
    assert_eq!(result.summary.workloads_arrived, 5);
    assert_eq!(result.summary.workloads_placed, 5);
    let mut cores: Vec<f64> = records.iter().map(|r| r.cores).collect();
    cores.sort_by(f64::total_cmp);
    assert_eq!(cores, [0.063, 0.125, 0.125, 0.25, 0.5]);
}

#[test]
fn normalised_sizes_take_the_scenario_scale() {
    let dir = temp_dir("cluster-google2011-scale");
    write(&dir, "task_events.csv", TASK_EVENTS);
    let scenario = write(
        &dir,
        "scenario.toml",
        r#"
[simulation]
duration = "1h"
[[host_types]]
name = "h"
cores = 64
memory_gib = 256
power = { model = "linear", idle_w = 100, max_w = 200 }
[[landscape.racks]]
hosts_per_rack = 2
host_type = "h"
[workload.trace]
format = "google-2011"
path = "task_events.csv"
cpu_scale = 32
memory_scale_gib = 128
"#,
    );
    let loaded = dcsim::scenario::load(&scenario, &[]).unwrap();
    let (_, records) = crate::common::run_checked(&loaded);
    let first = records.iter().find(|r| r.arrival_s == 0.0).unwrap();
    assert_eq!((first.cores, first.memory_gib), (16.0, 32.0));
    // Machines take the same scale.
    let machines = write(&dir, "machine_events.csv", MACHINE_EVENTS);
    let scaled = TraceFiles {
        machines: Some(machines),
        cpu_scale: 32.0,
        memory_scale_gib: 128.0,
        ..TraceFiles::main_only(&dir.join("task_events.csv"))
    };
    let listed = open_reader(TraceFormat::Google2011, &scaled)
        .unwrap()
        .machines()
        .unwrap();
    assert_eq!((listed[0].cores, listed[0].memory_gib), (32.0, 128.0));
}
