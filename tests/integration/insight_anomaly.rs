//! Issue 11: the host anomaly learner against planted anomalies (`impact.anomalies`): the
//! injected power by hand, the flagged hosts, precision and recall in `summary.json`.

use crate::cli::{dcsim, temp_dir};
use crate::common::{parse, run_checked};

/// Ten 16-core hosts, 100 W idle to 300 W peak; twenty 4-core VMs at t=0 for good, each using
/// half its cores, placed round-robin: two per host, 4 of 16 cores, utilisation 0.25, so every
/// host draws 100 + 200 × 0.25 = 150 W. Learning every 15 minutes for 12 hours.
fn fleet(anomalies: &str) -> String {
    format!(
        r#"
[simulation]
duration = "12h"
sample_interval = "5m"
[policy]
placement = "round-robin"
[insight]
enabled = true
interval = "15m"
[[host_types]]
name = "h"
cores = 16
memory_gib = 64
power = {{ model = "linear", idle_w = 100, max_w = 300 }}
[landscape]
[[landscape.racks]]
hosts_per_rack = 10
host_type = "h"
[[workload.vm_sizes]]
name = "s"
cores = 4
memory_gib = 4
[[workload.classes]]
name = "vm"
arrival = {{ rate_per_hour = 1, at_once = 20 }}
lifetime = {{ distribution = "fixed", value = "100d" }}
sizes = [{{ size = "s" }}]
usage = {{ profile = "constant", level = 0.5 }}
[impact]
anomalies = [{anomalies}]
"#
    )
}

#[test]
fn a_planted_anomaly_is_found_and_a_slight_one_is_not() {
    // Host 3 draws 1.3× from 2 h on (fans failed); host 6 1.05× from 2 h (below the 10 %
    // threshold); host 8 1.3× from 11 h 50 (one round before the end).
    let text = fleet(
        r#"{ host = 3, from = "2h", power_factor = 1.3 }, { host = 6, from = "2h", power_factor = 1.05 }, { host = 8, from = "710m", power_factor = 1.3 }"#,
    );
    let (r, _) = run_checked(&parse(&text));
    // Host 3: 150 W for 2 h, 195 W for 10 h = 2,250 Wh; host 0: 150 W × 12 h = 1,800 Wh.
    let wh = |h: usize| r.meters.energy_j[h] / 3600.0;
    assert!((wh(0) - 1800.0).abs() < 1e-6, "{}", wh(0));
    assert!((wh(3) - 2250.0).abs() < 1e-6, "{}", wh(3));
    let core = r.information_core.as_ref().unwrap();
    // Host 3 scores ≈ 195 / (the line's mean, ≈ 150 pulled up by host 3's first rounds) − 1 ≈
    // 0.26 > 0.1: flagged. Host 6's 157.5 W scores ≈ 0.02: not. Host 8 has had one round
    // (12 h) since: its weighted score moves 30 % of the way, 0.3 × 0.26 + 0.7 × (−0.03) ≈
    // 0.06 < 0.1: not yet.
    assert_eq!(core.anomalies.flagged(), vec![3]);
    let s = &r.summary;
    assert_eq!(s.anomalous_hosts, Some(3));
    assert_eq!(s.anomaly_flagged_hosts, Some(1));
    // One flag, right: precision 1; one of three found: recall 1/3.
    assert_eq!(s.anomaly_precision, Some(1.0));
    assert!((s.anomaly_recall.unwrap() - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn the_planted_host_is_the_hottest_in_hosts_csv_and_the_anomaly_heatmap_is_drawn() {
    let dir = temp_dir("insight-anomaly-heatmap");
    let scenario = dir.join("anomaly.toml");
    let text = fleet(r#"{ host = 3, from = "2h", power_factor = 1.3 }"#);
    std::fs::write(&scenario, text).unwrap();
    let out = dir.join("out");
    let o = dcsim(&[
        "run",
        scenario.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut csv = csv::Reader::from_path(out.join("hosts.csv")).unwrap();
    let col = csv
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "anomaly_score");
    let col = col.expect("an anomaly_score column");
    let scores: Vec<f64> = csv
        .records()
        .map(|r| r.unwrap()[col].parse().unwrap())
        .collect();
    assert_eq!(scores.len(), 10);
    let hottest = (0..10).max_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    assert_eq!(hottest, Some(3), "{scores:?}");
    // Flagged (above 0.1) and the others near 0.
    assert!(scores[3] > 0.1, "{scores:?}");
    assert!(
        scores
            .iter()
            .enumerate()
            .all(|(h, s)| h == 3 || s.abs() < 0.1)
    );
    for ext in ["png", "svg"] {
        let f = out.join(format!("anomaly_heatmap.{ext}"));
        assert!(
            f.metadata().map(|m| m.len() > 0).unwrap_or(false),
            "{}",
            f.display()
        );
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("anomaly_heatmap"),
        "the report shows the heatmap"
    );
    // A run without [insight] has neither.
    let plain = dir.join("plain");
    let text = std::fs::read_to_string(&scenario).unwrap();
    let text = text.replace("enabled = true", "enabled = false");
    std::fs::write(&scenario, text).unwrap();
    let o = dcsim(&[
        "run",
        scenario.to_str().unwrap(),
        "-q",
        "--out",
        plain.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let head = std::fs::read_to_string(plain.join("hosts.csv")).unwrap();
    assert!(!head.lines().next().unwrap().contains("anomaly_score"));
    assert!(!plain.join("anomaly_heatmap.png").exists());
}

#[test]
fn without_anomalies_nothing_is_flagged_and_the_keys_are_absent() {
    let text = fleet("").replace("[impact]\nanomalies = []\n", "");
    let (r, _) = run_checked(&parse(&text));
    assert!(r.information_core.unwrap().anomalies.flagged().is_empty());
    assert_eq!(r.summary.anomaly_precision, None);
    assert_eq!(r.summary.anomalous_hosts, None);
}

#[test]
fn an_anomaly_on_a_host_that_does_not_exist_is_named() {
    let text = fleet(r#"{ host = 10, power_factor = 1.3 }"#);
    let Err(err) = dcsim::scenario::parse(&text, std::path::Path::new("t.toml"), "t", &[]) else {
        panic!("host 10 of 10 is refused");
    };
    let err = err.to_string();
    assert!(err.contains("impact.anomalies.0.host"), "{err}");
    assert!(err.contains("below 10"), "{err}");
}
