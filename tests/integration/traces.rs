//! Recorded traces through the whole pipeline: the native format, reordering, catalogue sizes,
//! usage series, errors that name file, line and column, and `dcsim trace inspect/convert`.
//! Each format's own reader has its tests in `traces_formats` modules.

use crate::cli::{dcsim, read, temp_dir};
use dcsim::metrics::Outcome;
use std::path::{Path, PathBuf};

/// A scenario replaying `trace` (a file beside it) on two 8-core hosts.
pub fn trace_scenario(dir: &Path, format: &str, trace: &str, extra: &str) -> PathBuf {
    let file = dir.join("scenario.toml");
    let text = format!(
        r#"
[simulation]
duration = "1d"
sample_interval = "5m"
[[host_types]]
name = "h"
cores = 8
memory_gib = 32
power = {{ model = "linear", idle_w = 100, max_w = 200 }}
[landscape]
[[landscape.racks]]
hosts_per_rack = 2
host_type = "h"
[[workload.vm_sizes]]
name = "small"
cores = 1
memory_gib = 2
[[workload.vm_sizes]]
name = "big"
cores = 4
memory_gib = 8
[workload.trace]
format = "{format}"
path = "{trace}"
{extra}
"#
    );
    std::fs::write(&file, text).unwrap();
    file
}

const NATIVE: &str =
    "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series
web,0,3600,2,4,0.5,,
batch,30,,,,,300,0.2 1 0.6
web,10,600,1,2,,,
web,20,100,8,32,1,,
";

#[test]
fn a_native_trace_replays_sorted_with_catalogue_sizes() {
    let dir = temp_dir("trace-native");
    std::fs::write(dir.join("t.csv"), NATIVE).unwrap();
    let file = trace_scenario(
        &dir,
        "native",
        "t.csv",
        "sizes = [{ size = \"big\" }]\nreorder_window = 4",
    );
    let loaded = dcsim::scenario::load(&file, &[]).unwrap();
    let (result, records) = crate::common::run_checked(&loaded);
    let s = &result.summary;
    assert_eq!(s.workloads_arrived, 4);
    // Ids follow arrival order (0, 10, 20, 30 s), not file order.
    let mut by_id = records.clone();
    by_id.sort_by_key(|r| r.id);
    let arrivals: Vec<f64> = by_id.iter().map(|r| r.arrival_s).collect();
    assert_eq!(arrivals, [0.0, 10.0, 20.0, 30.0]);
    // The batch row has no size: it takes the catalogue's "big" (4 cores, 8 GiB).
    let batch = &by_id[3];
    assert_eq!((batch.cores, batch.memory_gib), (4.0, 8.0));
    assert_eq!(
        batch.outcome,
        Outcome::Running,
        "no lifetime: runs to the end"
    );
    assert_eq!(result.class_names, ["web", "batch"]);
    // The 8-core VM at 20 s takes a whole host; the first VM (2 cores) and the 1-core one share the other.
    assert_eq!(by_id[2].outcome, Outcome::Departed);
}

#[test]
fn a_usage_series_drives_demand_sample_by_sample() {
    let dir = temp_dir("trace-usage");
    // One 8-core VM on host 0 from t = 0, usage 0.25 then 1.0 then 0.5 every 10 min.
    let trace = "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\nx,0,,8,8,,600,0.25 1 0.5\n";
    std::fs::write(dir.join("t.csv"), trace).unwrap();
    let file = trace_scenario(&dir, "native", "t.csv", "");
    let text = read(&file)
        .replace("duration = \"1d\"", "duration = \"30m\"")
        .replace("sample_interval = \"5m\"", "sample_interval = \"10m\"");
    std::fs::write(&file, text).unwrap();
    let r = dcsim::simulate(&dcsim::scenario::load(&file, &[]).unwrap()).unwrap();
    let cpu: Vec<f64> = r.timeseries.iter().map(|row| row.cpu_utilisation).collect();
    // Fleet of 16 cores: 8 × 0.25 / 16, 8 × 1 / 16, 8 × 0.5 / 16, then the last value holds.
    assert_eq!(cpu, [0.125, 0.5, 0.25, 0.25]);
    // Host 0 power: 100 + 100·u for 10 min each at u = 0.25, 1.0, 0.5; host 1 idle at 100 W.
    let wh = (125.0 + 200.0 + 150.0) / 6.0 + 100.0 * 0.5;
    assert!(
        (r.summary.energy_kwh - wh / 1000.0).abs() < 1e-9,
        "{}",
        r.summary.energy_kwh
    );
}

#[test]
fn malformed_rows_name_file_line_and_column() {
    let dir = temp_dir("trace-bad");
    std::fs::write(
        dir.join("t.csv"),
        NATIVE.replace("web,10,600,1,2", "web,10,600,one,2"),
    )
    .unwrap();
    let file = trace_scenario(&dir, "native", "t.csv", "");
    let o = dcsim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("t.csv:4:4") && err.contains("`cores`") && err.contains("\"one\""),
        "{err}"
    );
    assert!(!dir.join("out").exists());
}

#[test]
fn rows_out_of_order_beyond_the_window_are_refused() {
    let dir = temp_dir("trace-unsorted");
    let rows: String = (0..50)
        .rev()
        .map(|i| format!("x,{i},10,1,1,,,\n"))
        .collect();
    std::fs::write(dir.join("t.csv"), format!("class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\n{rows}")).unwrap();
    let file = trace_scenario(&dir, "native", "t.csv", "reorder_window = 8");
    let err = dcsim::simulate(&dcsim::scenario::load(&file, &[]).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("t.csv:10") && err.contains("sort it by arrival"),
        "{err}"
    );
    let file = trace_scenario(&dir, "native", "t.csv", "reorder_window = 64");
    assert_eq!(
        dcsim::simulate(&dcsim::scenario::load(&file, &[]).unwrap())
            .unwrap()
            .summary
            .workloads_arrived,
        50
    );
}

#[test]
fn convert_then_inspect_round_trips() {
    let dir = temp_dir("trace-convert");
    std::fs::write(dir.join("t.csv"), NATIVE).unwrap();
    let out = dir.join("copy.csv");
    let o = dcsim(&[
        "trace",
        "convert",
        "native",
        dir.join("t.csv").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(&out), NATIVE);
    let o = dcsim(&[
        "trace",
        "inspect",
        "native",
        out.to_str().unwrap(),
        "--json",
    ]);
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["workloads"], 4);
    assert_eq!(s["running_at_end"], 1);
    assert_eq!(s["cores"]["max"], 8.0);
    assert_eq!(s["classes"], serde_json::json!([["batch", 1], ["web", 3]]));
}
