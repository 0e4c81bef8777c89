//! The benchmark suite's contract: the bundled bench scenarios validate, and `dcsim bench --one`
//! prints a measurement with the expected fields (no timing is asserted).

use super::cli::dcsim;

const SCENARIOS: [&str; 5] = [
    "burst-first-fit",
    "burst-best-fit",
    "huawei-month",
    "azure-month",
    "churn",
];

#[test]
fn bench_scenarios_validate() {
    for name in SCENARIOS {
        let path = format!("scenarios/bench/{name}.toml");
        let o = dcsim(&["validate", &path]);
        assert!(
            o.status.success(),
            "{path}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

fn one(args: &[&str]) -> serde_json::Value {
    let o = dcsim(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("one JSON measurement")
}

#[test]
fn the_huawei_trace_month_replays_the_trace_it_writes() {
    // The bench writes the synthetic month as huawei-2021 rows and replays them (here one day
    // of them): every VM of that day arrives, and with 500 hosts of 64 cores every one fits.
    let m = one(&[
        "bench",
        "--one",
        "huawei-trace-month",
        "--json",
        "--set",
        "simulation.duration=1d",
    ]);
    assert_eq!(m["hosts"], 500);
    let vms = m["vms"].as_u64().unwrap();
    // 161.55 + 12.66 arrivals an hour on average, diurnal: about 4,200 in a day.
    assert!((3_000..5_500).contains(&vms), "{m}");
    assert_eq!(m["placements"], vms);
}

#[test]
fn bench_one_prints_a_measurement() {
    // The burst shrunk to 2 racks (80 hosts) and 500 VMs: fast in a debug build.
    let m = one(&[
        "bench",
        "--one",
        "burst-best-fit",
        "--json",
        "--set",
        "landscape.racks.0.count=2",
        "--set",
        "workload.classes.0.arrival.at_once=500",
    ]);
    assert_eq!(m["workload"], "burst-best-fit");
    assert_eq!(m["hosts"], 80);
    assert_eq!(m["vms"], 500);
    assert_eq!(m["placements"], 500);
    assert!(m["events"].as_u64().unwrap() > 500);
    for key in [
        "wall_s",
        "events_per_s",
        "placements_per_s",
        "peak_rss_mib",
        "base_rss_mib",
        "calibration_s",
        "reference_calibration_s",
    ] {
        assert!(m[key].as_f64().is_some_and(|v| v >= 0.0), "{key}: {m}");
    }
    assert!(m["peak_rss_mib"].as_f64() >= m["base_rss_mib"].as_f64());
    assert!(m["target"].is_string() && m["description"].is_string());
}

#[test]
fn bench_rejects_an_unknown_workload() {
    let o = dcsim(&["bench", "--one", "no-such-workload"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("burst-best-fit"));
}

/// `--check` judges the burst against its "< 1 s" target scaled by the calibration: against a
/// reference that took 1,000 s to calibrate, this machine is (1,000 / its calibration of well
/// under a second) thousands of times faster, so the target shrinks below a millisecond and is
/// missed (exit 3); against a reference of 1 µs it is thousands of times slower, the target
/// grows to hours and is met (exit 0).
#[test]
fn bench_check_exits_3_when_the_scaled_target_is_missed() {
    let run = |reference: &str| {
        dcsim(&[
            "bench",
            "--one",
            "burst-best-fit",
            "--check",
            "--reference-calibration",
            reference,
        ])
    };
    let fast = run("1000");
    let text = String::from_utf8_lossy(&fast.stdout);
    assert_eq!(fast.status.code(), Some(3), "{text}");
    assert!(
        text.contains("MISSED") && text.contains("calibration:"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&fast.stderr).contains("1 bench target(s) missed"));
    let slow = run("0.000001");
    let text = String::from_utf8_lossy(&slow.stdout);
    assert_eq!(slow.status.code(), Some(0), "{text}");
    assert!(text.contains("met") && !text.contains("MISSED"), "{text}");
    let bad = run("-1");
    assert_eq!(bad.status.code(), Some(2));
}
