//! Services (`[[workload.services]]`): a k-of-n component over independent hosts against the
//! binomial availability, dependencies taking their dependants down, anti-affinity across racks,
//! the SLA penalty of downtime in the TCO, and bad input (cycles, unsatisfiable anti-affinity).

use crate::cli::temp_dir;
use crate::common::{Records, parse, run_checked};
use dcsim::engine::{RunOptions, SERVICE_ID_BASE, Simulation};
use std::path::Path;

/// `racks` racks of `per_rack` hosts of `cores` cores; `services` and `rest` appended.
fn scenario(racks: u32, per_rack: u32, cores: u32, duration: &str, rest: &str) -> String {
    let fleet = crate::common::small_fleet(cores, cores, racks, per_rack, "racks_per_pdu = 1");
    format!(
        r#"
[simulation]
duration = "{duration}"
sample_interval = "1h"
seed = 5
[policy]
placement = "first-fit"
{fleet}
{rest}
"#
    )
}

/// P(at least k of n independent hosts up), each up with probability p, and the asymptotic
/// standard deviation of its time average over T hours when each host is a two-state Markov
/// chain (exponential up mean a, down mean b, so λ = 1/a + 1/b per hour).
///
/// g(x) = 1[Σx ≥ k]; expanding g in the orthonormal basis φ_S(x) = Π_{i∈S} (x_i − p)/√(p(1−p))
/// of independent coordinates, each φ_S decays as e^{−|S|λτ}, so
/// Var(Â) ≈ (2/T) ∫₀^∞ Cov(g(X₀), g(X_τ)) dτ = (2/T) Σ_{S≠∅} ĝ(S)² / (|S|λ).
fn k_of_n(k: u32, n: u32, a: f64, b: f64, t: f64) -> (f64, f64) {
    let p = a / (a + b);
    let lambda = 1.0 / a + 1.0 / b;
    let states = 1u32 << n;
    let prob = |x: u32| -> f64 {
        (0..n)
            .map(|i| if x >> i & 1 == 1 { p } else { 1.0 - p })
            .product()
    };
    let g = |x: u32| f64::from(u8::from(x.count_ones() >= k));
    let mean: f64 = (0..states).map(|x| prob(x) * g(x)).sum();
    let phi = |x: u32, s: u32| -> f64 {
        (0..n)
            .filter(|i| s >> i & 1 == 1)
            .map(|i| (f64::from(x >> i & 1) - p) / (p * (1.0 - p)).sqrt())
            .product()
    };
    let var: f64 = (1..states)
        .map(|s| {
            let coef: f64 = (0..states).map(|x| prob(x) * g(x) * phi(x, s)).sum();
            coef * coef / (s.count_ones() as f64 * lambda)
        })
        .sum::<f64>()
        * 2.0
        / t;
    (mean, var.sqrt())
}

#[test]
fn a_two_of_three_component_over_independent_hosts_is_binomial() {
    // Three 4-core hosts, each failing independently (exponential, MTBF 10 h, MTTR 1 h), for
    // 20 000 h. One service instance lives throughout: 3 replicas, up while 2 are live, apart
    // across hosts. A killed replica cannot restart on a sibling's host, so it waits for its own
    // host's repair: live replicas = hosts up (but for the 1-s detection delay), and
    // A = P(≥ 2 of 3 up) = p³ + 3p²(1 − p), p = 10/11 → 0.9767.
    let text = scenario(
        1,
        3,
        4,
        "20000h",
        r#"
[[workload.services]]
name = "db"
arrival = { rate_per_hour = 1, at_once = 1 }
lifetime = { distribution = "fixed", value = "30000h" }
anti_affinity = "host"
[[workload.services.components]]
name = "replicas"
replicas = 3
min_live = 2
size = "one"
[failures]
detection_delay = "1s"
[failures.host]
mtbf = { distribution = "exponential", mean = "10h" }
mttr = { distribution = "exponential", mean = "1h" }
"#,
    )
    .replace("sample_interval = \"1h\"", "sample_interval = \"1000h\"");
    let (r, _) = run_checked(&parse(&text));
    let s = r.summary.services.as_ref().expect("services on");
    let (expected, sigma) = k_of_n(2, 3, 10.0, 1.0, 20000.0);
    assert!((expected - 0.97671).abs() < 1e-4, "{expected}");
    let got = s.services["db"].availability;
    assert!(
        (got - expected).abs() < 3.0 * sigma,
        "availability {got} vs binomial {expected} ± {}",
        3.0 * sigma
    );
    // Far from a single host's 10/11 = 0.909: the replication is what is measured.
    assert!(got > 0.96);
    assert!((s.service_availability - got).abs() < 1e-12);
    let nines = s.services["db"].nines;
    assert!((nines - (-(1.0 - got).log10())).abs() < 1e-9);
}

#[test]
fn a_component_down_takes_its_dependants_and_the_service_down() {
    // Two 1-core hosts; one instance of a 2-component service: frontend (host 0, placed first)
    // depends on backend (host 1). Host 1 fails at 1 h for 2 h; host 0 is full, so the backend
    // restarts only when host 1 is repaired at 3 h. Backend down 2 h, frontend down 2 h (its
    // dependency), service down 2 h of 4 h: availability 0.5, penalty 2 h × $100 = $200.
    let text = scenario(
        1,
        2,
        1,
        "4h",
        r#"
[[workload.services]]
name = "shop"
arrival = { rate_per_hour = 1, at_once = 1 }
lifetime = { distribution = "fixed", value = "10h" }
sla_usd_per_down_hour = 100
[[workload.services.components]]
name = "frontend"
replicas = 1
size = "one"
depends_on = ["backend"]
[[workload.services.components]]
name = "backend"
replicas = 1
size = "one"
[failures]
trace = "failures.csv"
detection_delay = "10m"
"#,
    );
    let dir = temp_dir("services-depends");
    std::fs::write(
        dir.join("failures.csv"),
        "time,target,duration\n1h,rack-000-h01,2h\n",
    )
    .unwrap();
    std::fs::write(dir.join("s.toml"), &text).unwrap();
    let loaded = dcsim::scenario::load(&dir.join("s.toml"), &[]).unwrap();
    let mut records = Records::default();
    let opts = RunOptions {
        check_invariants: true,
        ..Default::default()
    };
    let r = Simulation::new(&loaded, opts, &mut records)
        .unwrap()
        .run()
        .unwrap();
    let s = r.summary.services.as_ref().unwrap();
    let shop = &s.services["shop"];
    assert!((shop.availability - 0.5).abs() < 1e-12, "{shop:?}");
    assert!((shop.component_down_hours["backend"] - 2.0).abs() < 1e-9);
    assert!((shop.component_down_hours["frontend"] - 2.0).abs() < 1e-9);
    assert!((shop.sla_penalty_usd - 200.0).abs() < 1e-9);
    assert!((r.summary.tco_sla_penalty_usd - 200.0).abs() < 1e-9);
    let f = r.summary.failures.as_ref().unwrap();
    assert_eq!((f.vms_killed_by_failures, f.vm_restarts), (1, 1));
    // The backend replica (the second: id base + 1) restarted on host 1 at 3 h.
    let backend = records
        .0
        .iter()
        .find(|w| w.id == SERVICE_ID_BASE + 1)
        .unwrap();
    assert_eq!(
        (backend.host, backend.placed_s),
        (Some(1), Some(3.0 * 3600.0))
    );
    // The landscape at 2 h, as GraphML: the service, its two components (part_of it, frontend
    // depends_on backend), and one VM (the frontend's replica, part_of frontend, runs_on host 0);
    // the backend's replica is down with host 1.
    let format = dcsim::landscape::ExportFormat::Graphml;
    let at = dcsim::time::parse_duration("2h").ok();
    let xml = dcsim::export_landscape_at(&loaded, format, at).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let data = |n: roxmltree::Node, key: &str| {
        n.children()
            .find(|c| c.attribute("key") == Some(key))
            .and_then(|c| c.text())
            .unwrap_or("")
            .to_string()
    };
    let nodes: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    let kinds = |k: &str| nodes.iter().filter(|&&n| data(n, "kind") == k).count();
    assert_eq!(
        (kinds("service"), kinds("component"), kinds("vm")),
        (1, 2, 1)
    );
    let label_of = |id: &str| {
        let n = nodes
            .iter()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap();
        data(*n, "label")
    };
    let mut edges: Vec<(String, String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .map(|e| {
            let (a, b) = (
                e.attribute("source").unwrap(),
                e.attribute("target").unwrap(),
            );
            (label_of(a), data(e, "relation"), label_of(b))
        })
        .filter(|(_, r, _)| r == "part_of" || r == "depends_on" || r == "runs_on")
        .collect();
    edges.sort();
    let vm = format!("vm-{}", SERVICE_ID_BASE);
    let e = |a: &str, r: &str, b: &str| (a.to_string(), r.to_string(), b.to_string());
    assert_eq!(
        edges,
        vec![
            e("backend-0", "part_of", "shop-0"),
            e("frontend-0", "depends_on", "backend-0"),
            e("frontend-0", "part_of", "shop-0"),
            e(&vm, "part_of", "frontend-0"),
            e(&vm, "runs_on", "rack-000-h00"),
        ]
    );
}

#[test]
fn rack_anti_affinity_spreads_replicas_over_racks() {
    // Four racks of two 8-core hosts; first fit would put all four 1-core replicas on host 0.
    // Apart across racks, each lands in a different rack (hosts 2r, 2r + 1 form rack r).
    let service = |apart: &str| {
        format!(
            r#"
[[workload.services]]
name = "web"
arrival = {{ rate_per_hour = 1, at_once = 1 }}
lifetime = {{ distribution = "fixed", value = "10h" }}
anti_affinity = "{apart}"
[[workload.services.components]]
name = "frontend"
replicas = 4
size = "one"
"#
        )
    };
    let racks_of = |apart: &str| {
        let (_, records) = run_checked(&parse(&scenario(4, 2, 8, "1h", &service(apart))));
        let mut racks: Vec<u32> = records.iter().map(|w| w.host.unwrap() / 2).collect();
        racks.sort_unstable();
        racks
    };
    assert_eq!(racks_of("rack"), vec![0, 1, 2, 3]);
    assert_eq!(racks_of("none"), vec![0, 0, 0, 0]);
}

#[test]
fn bad_services_are_clear_errors() {
    let base = |components: &str, apart: &str| {
        scenario(
            2,
            2,
            4,
            "1h",
            &format!(
                r#"
[[workload.services]]
name = "s"
arrival = {{ rate_per_hour = 1 }}
lifetime = {{ distribution = "fixed", value = "1h" }}
anti_affinity = "{apart}"
{components}
"#
            ),
        )
    };
    let cycle = base(
        r#"
[[workload.services.components]]
name = "a"
replicas = 1
size = "one"
depends_on = ["b"]
[[workload.services.components]]
name = "b"
replicas = 1
size = "one"
depends_on = ["c"]
[[workload.services.components]]
name = "c"
replicas = 1
size = "one"
depends_on = ["a"]
"#,
        "none",
    );
    let err = dcsim::scenario::parse(&cycle, Path::new("s.toml"), "s", &[]).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("workload.services.0.components"));
    assert!(err.message.contains("a → b → c → a"), "{err}");
    let unknown = base(
        "[[workload.services.components]]\nname = \"a\"\nreplicas = 1\nsize = \"one\"\ndepends_on = [\"z\"]\n",
        "none",
    );
    let err = dcsim::scenario::parse(&unknown, Path::new("s.toml"), "s", &[]).unwrap_err();
    assert!(err.message.contains("no component \"z\""), "{err}");
    // Three replicas apart across racks, and only two racks: no landscape placement can do it.
    let apart = base(
        "[[workload.services.components]]\nname = \"a\"\nreplicas = 3\nsize = \"one\"\n",
        "rack",
    );
    let err = dcsim::simulate(&parse(&apart)).unwrap_err();
    assert!(err.is_bad_input());
    let msg = err.to_string();
    assert!(
        msg.contains("workload.services.0.components.0.replicas") && msg.contains("only 2"),
        "{msg}"
    );
    let k = base(
        "[[workload.services.components]]\nname = \"a\"\nreplicas = 2\nmin_live = 3\nsize = \"one\"\n",
        "none",
    );
    let err = dcsim::scenario::parse(&k, Path::new("s.toml"), "s", &[]).unwrap_err();
    assert_eq!(
        err.field.as_deref(),
        Some("workload.services.0.components.0.min_live")
    );
}

#[test]
fn a_comparison_reports_availability_with_intervals() {
    // The rack-anti-affinity scenario of `rack_anti_affinity_spreads_replicas_over_racks`, with
    // whole racks failing: without anti-affinity (first fit) the four replicas share host 0, so
    // every failure of rack-000 takes the service down until they restart elsewhere; apart, one
    // rack failure takes one of four replicas (1 needed). The comparison's availability table has both arms, intervals
    // over 4 seeds, and a paired difference.
    let text = scenario(
        4,
        2,
        8,
        "200h",
        r#"
[[workload.services]]
name = "web"
arrival = { rate_per_hour = 1, at_once = 1 }
lifetime = { distribution = "fixed", value = "1000h" }
anti_affinity = "none"
[[workload.services.components]]
name = "frontend"
replicas = 4
size = "one"
[failures]
detection_delay = "30m"
[failures.rack]
mtbf = { distribution = "exponential", mean = "20h" }
mttr = { distribution = "exponential", mean = "2h" }
"#,
    );
    let dir = temp_dir("services-compare");
    std::fs::write(dir.join("s.toml"), &text).unwrap();
    let mut opts = dcsim::experiment::CompareOptions::new(dir.join("s.toml"));
    opts.vary = Some("workload.services.0.anti_affinity=none,rack".to_string());
    opts.seeds = 4;
    opts.jobs = 1;
    opts.charts = false;
    opts.out = Some(dir.join("out"));
    let c = dcsim::experiment::compare(&opts, &|_, _| {}).unwrap();
    let md = crate::cli::read(&dir.join("out/availability.md"));
    assert!(c.markdown.contains("## Availability"));
    assert!(md.contains("| none |") && md.contains("| rack |"), "{md}");
    let csv = crate::cli::read(&dir.join("out/availability.csv"));
    let mean = |arm: &str| -> f64 {
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("{arm},service_availability,")))
            .unwrap();
        row.split(',').nth(3).unwrap().parse().unwrap()
    };
    // Apart, the service is down only while all four racks are: far rarer than one rack.
    assert!(mean("rack") > mean("none"), "{csv}");
    // Together, each failure of rack-000 downs it until the restart, 30 min later.
    assert!(mean("none") < 1.0, "{csv}");
}
