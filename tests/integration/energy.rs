//! Energy is integrated exactly: a host held at utilisation u for a time T uses P(u)·T.

use crate::common::{parse, run_checked};

/// One 4-core host, at most one VM of 4 cores using `usage` of its request (no queue, so later
/// arrivals are rejected) that lives past the horizon of 10 h.
fn one_host(power: &str, usage: f64, empty_host: &str) -> String {
    format!(
        r#"
[simulation]
duration = "10h"
sample_interval = "17m"
seed = 5
[queue]
enabled = false
[power]
empty_host = "{empty_host}"
[[host_types]]
name = "h"
cores = 4
memory_gib = 8
power = {power}
[landscape]
[[landscape.racks]]
hosts_per_rack = 1
host_type = "h"
[[workload.vm_sizes]]
name = "whole"
cores = 4
memory_gib = 8
[[workload.classes]]
name = "c"
arrival = {{ rate_per_hour = 2 }}
lifetime = {{ distribution = "fixed", value = "100d" }}
sizes = [{{ size = "whole" }}]
usage = {{ profile = "constant", level = {usage} }}
"#
    )
}

/// Energy in kWh when the host draws `idle` W until the VM arrives at `a` seconds, then `busy` W.
fn expected_kwh(idle: f64, busy: f64, a: f64) -> f64 {
    (idle * a + busy * (36_000.0 - a)) / 3.6e6
}

fn check(power: &str, usage: f64, idle_w: f64, busy_w: f64) {
    let (result, records) = run_checked(&parse(&one_host(power, usage, "idle")));
    let first = records
        .iter()
        .find(|r| r.host.is_some())
        .expect("the first arrival is placed");
    let a = first.placed_s.unwrap();
    let expected = expected_kwh(idle_w, busy_w, a);
    let got = result.summary.energy_kwh;
    assert!(
        (got - expected).abs() < 1e-9 * expected,
        "{power} at u={usage}: {got} kWh vs {expected} kWh"
    );
    // Every sample's cumulative energy is the same integral up to that time.
    for row in &result.timeseries {
        let t = row.time_s;
        let e = (idle_w * t.min(a) + busy_w * (t - a).max(0.0)) / 3.6e6;
        assert!(
            (row.energy_kwh - e).abs() < 1e-9 * e.max(1.0),
            "t = {t}: {} vs {e}",
            row.energy_kwh
        );
    }
}

#[test]
fn linear_model_energy_is_exact() {
    // P(0) = 100 W, P(0.5) = 100 + (200 − 100)·0.5 = 150 W.
    check(
        r#"{ model = "linear", idle_w = 100, max_w = 200 }"#,
        0.5,
        100.0,
        150.0,
    );
    // P(1) = 200 W.
    check(
        r#"{ model = "linear", idle_w = 100, max_w = 200 }"#,
        1.0,
        100.0,
        200.0,
    );
}

#[test]
fn specpower_model_energy_is_exact() {
    let table = r#"{ model = "specpower", watts = [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117] }"#;
    // u = 0.35 lies halfway between 96 W (30 %) and 99.5 W (40 %): 97.75 W.
    check(table, 0.35, 86.0, 97.75);
    // u = 1.0: 117 W.
    check(table, 1.0, 86.0, 117.0);
}

#[test]
fn empty_hosts_switched_off_draw_nothing() {
    let (result, records) = run_checked(&parse(&one_host(
        r#"{ model = "linear", idle_w = 100, max_w = 200 }"#,
        0.5,
        "off",
    )));
    let a = records
        .iter()
        .find(|r| r.host.is_some())
        .unwrap()
        .placed_s
        .unwrap();
    let expected = expected_kwh(0.0, 150.0, a);
    assert!((result.summary.energy_kwh - expected).abs() < 1e-9 * expected);
}

#[test]
fn quickstart_energy_lies_between_all_idle_and_all_peak() {
    let l = dcsim::scenario::load(
        std::path::Path::new("scenarios/quickstart.toml"),
        &[dcsim::scenario::Override::parse("simulation.duration=10h").unwrap()],
    )
    .unwrap();
    let r = dcsim::simulate(&l).unwrap();
    // Bounds: every host between idle and peak power for 10 h.
    let idle: f64 = r
        .fleet
        .hosts()
        .map(|h| r.fleet.type_of(h).power.watts(0.0))
        .sum::<f64>()
        * 10.0
        / 1000.0;
    let peak: f64 = r
        .fleet
        .hosts()
        .map(|h| r.fleet.type_of(h).power.watts(1.0))
        .sum::<f64>()
        * 10.0
        / 1000.0;
    assert!(
        r.summary.energy_kwh > idle && r.summary.energy_kwh < peak,
        "{idle} < {} < {peak}",
        r.summary.energy_kwh
    );
}
