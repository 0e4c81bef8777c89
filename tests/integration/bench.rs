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
