//! Failures that impair hosts without taking them down: a ToR switch cutting its rack off (VMs
//! alive, drawing power, unreachable: their replicas down for their services, nothing killed or
//! restarted), and a cooling unit whose racks throttle after a delay and trip after a longer
//! one, checked against hand-worked timelines.

use crate::cli::temp_dir;
use crate::common::run_checked;
use dcsim::metrics::Outcome;
use dcsim::scenario::LoadedScenario;

/// `racks` racks of two 4-core hosts, a ToR switch per rack, one PDU and one cooling unit per
/// two racks; `vms` 1-core VMs at t = 0 living 10 h; a 4 h run; `rest` appended.
pub fn scenario(racks: u32, vms: u32, rest: &str) -> String {
    let fleet = crate::common::small_fleet(
        4,
        4,
        racks,
        2,
        "racks_per_pdu = 2\nracks_per_cooling_unit = 2\ntor_switches = true",
    );
    format!(
        r#"
[simulation]
duration = "4h"
sample_interval = "30m"
seed = 7
[policy]
placement = "first-fit"
[queue]
enabled = false
{fleet}
[[workload.classes]]
name = "plain"
arrival = {{ rate_per_hour = 1, at_once = {vms} }}
lifetime = {{ distribution = "fixed", value = "10h" }}
sizes = [{{ size = "one" }}]
usage = {{ profile = "constant", level = 1.0 }}
{rest}
"#
    )
}

pub fn with_trace(name: &str, scenario: &str, trace: &str) -> LoadedScenario {
    let dir = temp_dir(name);
    std::fs::write(dir.join("failures.csv"), trace).unwrap();
    let file = dir.join("s.toml");
    std::fs::write(&file, scenario).unwrap();
    dcsim::scenario::load(&file, &[]).unwrap_or_else(|e| panic!("{e}"))
}

const SERVICES: &str = r#"
[[workload.services]]
name = "kv"
arrival = { rate_per_hour = 1, at_once = 1 }
lifetime = { distribution = "fixed", value = "1000h" }
anti_affinity = "rack"
[[workload.services.components]]
name = "store"
replicas = 3
min_live = 3
size = "one"
[[workload.services]]
name = "solo"
arrival = { rate_per_hour = 1, at_once = 1 }
lifetime = { distribution = "fixed", value = "1000h" }
[[workload.services.components]]
name = "app"
replicas = 1
size = "one"
"#;

#[test]
fn a_tor_failure_makes_exactly_its_racks_replicas_unavailable_and_kills_nothing() {
    // 3 racks × 2 hosts × 4 cores. Six plain VMs, kv's 3 replicas apart across racks and solo's
    // one replica, all 1-core, first fit at t = 0. Whatever the order of the arrivals at t = 0,
    // rack 0 (hosts 0, 1: 8 cores) holds the 6 plain VMs, kv's first replica and solo's;
    // kv's second replica is alone in rack 1 (host 2), its third in rack 2 (host 4).
    // tor-001 fails at 1 h for 2 h: rack 1's hosts are cut off from 1 h to 3 h.
    let text = scenario(3, 6, SERVICES) + "[failures]\ntrace = \"failures.csv\"\n";
    let loaded = with_trace(
        "failures-tor",
        &text,
        "time,target,duration\n1h,tor-001,2h\n",
    );
    let (r, records) = run_checked(&loaded);
    let f = r.summary.failures.as_ref().unwrap();
    // Nothing is killed, lost or restarted: the VMs run on, unreachable.
    assert_eq!(
        (
            f.vms_killed_by_failures,
            f.vm_restarts,
            f.vms_lost_to_failures
        ),
        (0, 0, 0)
    );
    assert!(records.iter().all(|w| w.outcome == Outcome::Running));
    assert_eq!(f.host_down_hours, 0.0);
    assert_eq!(f.host_availability, 1.0);
    assert_eq!(f.failures_by_kind["tor"].failures, 1);
    // One VM (kv's replica on host 2) × 2 h unreachable; 2 hosts × 2 h cut off.
    assert!((f.unreachable_vm_hours - 2.0).abs() < 1e-9, "{f:?}");
    assert!((f.unreachable_host_hours - 4.0).abs() < 1e-9, "{f:?}");
    assert_eq!(f.throttled_vm_hours, 0.0);
    let on_rack_1: Vec<_> = records
        .iter()
        .filter(|w| matches!(w.host, Some(2) | Some(3)))
        .collect();
    assert_eq!(on_rack_1.len(), 1, "{on_rack_1:?}");
    assert_eq!(on_rack_1[0].id, dcsim::engine::SERVICE_ID_BASE + 1);
    // kv needs all 3 replicas: down 2 h of 4 h; solo (in rack 0) never down.
    let s = r.summary.services.as_ref().unwrap();
    assert!((s.services["kv"].availability - 0.5).abs() < 1e-12, "{s:?}");
    assert!((s.services["kv"].component_down_hours["store"] - 2.0).abs() < 1e-9);
    assert_eq!(s.services["solo"].availability, 1.0);
    // Cut-off hosts draw power as before: the energy equals the run without failures.
    let plain = scenario(3, 6, SERVICES);
    let (base, _) = run_checked(&crate::common::parse(&plain));
    assert!(
        (r.summary.energy_kwh - base.summary.energy_kwh).abs() < 1e-9,
        "{} vs {}",
        r.summary.energy_kwh,
        base.summary.energy_kwh
    );
    // While cut off: one failed entity, no failed host, rack-001's 2 hosts cut off; before and
    // after, none.
    for row in &r.timeseries {
        let cut = row.time_s >= 3600.0 && row.time_s < 3.0 * 3600.0;
        let expected = if cut { (1, 0, 2) } else { (0, 0, 0) };
        let got = (row.failed_entities, row.failed_hosts, row.cut_off_hosts);
        assert_eq!(
            got,
            (Some(expected.0), Some(expected.1), Some(expected.2)),
            "{row:?}"
        );
        assert_eq!(row.throttled_hosts, Some(0));
    }
}

#[test]
fn no_workload_lands_on_a_cut_off_rack() {
    // 2 racks × 2 hosts; tor-000 (rack 0, the hosts first fit prefers) is cut off at t = 0 for
    // the whole run. The first of the 4 VMs arriving at t = 0 is placed (on host 0) before the
    // failure at that instant is applied; it runs on, unreachable, for the whole 4 h. The other
    // three all land on rack 1 (host 2).
    let text = scenario(2, 4, "[failures]\ntrace = \"failures.csv\"\n");
    let loaded = with_trace(
        "failures-tor-placement",
        &text,
        "time,target,duration\n0s,tor-000,100h\n",
    );
    let (r, records) = run_checked(&loaded);
    let hosts: Vec<Option<u32>> = records.iter().map(|w| w.host).collect();
    assert_eq!(hosts, [Some(0), Some(2), Some(2), Some(2)], "{records:?}");
    assert!(records.iter().all(|w| w.outcome == Outcome::Running));
    let f = r.summary.failures.unwrap();
    // 1 VM × 4 h unreachable; 2 hosts × 4 h cut off.
    assert!((f.unreachable_vm_hours - 4.0).abs() < 1e-9, "{f:?}");
    assert!((f.unreachable_host_hours - 8.0).abs() < 1e-9);
}

#[test]
fn a_cooling_failure_throttles_then_trips_as_the_timeline_says() {
    // 2 racks × 2 hosts, crac-000 cools both racks (all 4 hosts). Two 1-core VMs at t = 0 on
    // host 0 (first fit). Throttle delay 10 min, trip delay 30 min; crac-000 fails at 1 h.
    let run = |repair: &str| {
        let text = scenario(2, 2, "")
            + "[failures]\ntrace = \"failures.csv\"\ncooling_throttle_delay = \"10m\"\n\
               cooling_trip_delay = \"30m\"\ndetection_delay = \"5m\"\n";
        let trace = format!("time,target,duration\n1h,crac-000,{repair}\n");
        let (r, records) = run_checked(&with_trace("failures-heat", &text, &trace));
        (r.summary.failures.unwrap(), records)
    };
    // Repaired after 20 min: throttled from 1 h 10 m to 1 h 20 m, never tripped.
    // 4 hosts × 10 min = 2/3 host-hours; 2 VMs × 10 min = 1/3 VM-hours; nothing killed.
    let (short, records) = run("20m");
    assert!(
        (short.throttled_host_hours - 4.0 * 10.0 / 60.0).abs() < 1e-9,
        "{short:?}"
    );
    assert!((short.throttled_vm_hours - 2.0 * 10.0 / 60.0).abs() < 1e-9);
    assert_eq!(
        (short.host_down_hours, short.vms_killed_by_failures),
        (0.0, 0)
    );
    assert!(records.iter().all(|w| w.outcome == Outcome::Running));
    // Repaired after 2 h: throttled 1 h 10 m → 1 h 30 m (4 × 20 min = 4/3 host-hours, 2 × 20
    // min = 2/3 VM-hours), tripped 1 h 30 m → 3 h (4 hosts × 1.5 h = 6 host-hours down). Both
    // VMs are killed at 1 h 30 m; every host is down, so they restart at the repair, 3 h:
    // lost 2 × 1.5 h = 3 VM-hours.
    let (long, records) = run("2h");
    assert!(
        (long.throttled_host_hours - 4.0 * 20.0 / 60.0).abs() < 1e-9,
        "{long:?}"
    );
    assert!((long.throttled_vm_hours - 2.0 * 20.0 / 60.0).abs() < 1e-9);
    assert!((long.host_down_hours - 6.0).abs() < 1e-9, "{long:?}");
    assert_eq!((long.vms_killed_by_failures, long.vm_restarts), (2, 2));
    assert!((long.lost_vm_hours - 3.0).abs() < 1e-9, "{long:?}");
    for w in &records {
        assert_eq!(w.placed_s, Some(3.0 * 3600.0), "{w:?}");
    }
    // The time series (a row every 30 min): with a 50-min trip delay the 4 hosts throttle from
    // 1 h 10 m to 1 h 50 m, so the 1 h 30 m row has 4 throttled hosts and none down; the 2 h row
    // has them down (tripped), no longer throttled.
    let text = scenario(2, 2, "")
        + "[failures]\ntrace = \"failures.csv\"\ncooling_throttle_delay = \"10m\"\n\
           cooling_trip_delay = \"50m\"\n";
    let trace = "time,target,duration\n1h,crac-000,2h\n";
    let (r, _) = run_checked(&with_trace("failures-heat-series", &text, trace));
    let at = |h: f64| {
        let row = r
            .timeseries
            .iter()
            .find(|t| t.time_s == h * 3600.0)
            .unwrap();
        (row.throttled_hosts, row.failed_hosts, row.cut_off_hosts)
    };
    assert_eq!(at(1.0), (Some(0), Some(0), Some(0)));
    assert_eq!(at(1.5), (Some(4), Some(0), Some(0)));
    assert_eq!(at(2.0), (Some(0), Some(4), Some(0)));
}

#[test]
fn the_report_shows_availability_and_the_failures_chart() {
    // The ToR run above, through `dcsim run`: report.html has the availability section (kv
    // up 50 %, 0.3 nines = −log10(0.5); solo 100 %), the unreachable VM-hours (1 VM × 2 h) and
    // the tor row of the kinds table; failures.svg is drawn. Without failures or services,
    // neither the section nor the chart exists.
    let dir = temp_dir("failures-report");
    let text = scenario(3, 6, SERVICES) + "[failures]\ntrace = \"failures.csv\"\n";
    std::fs::write(
        dir.join("failures.csv"),
        "time,target,duration\n1h,tor-001,2h\n",
    )
    .unwrap();
    std::fs::write(dir.join("s.toml"), &text).unwrap();
    let (s, out) = (dir.join("s.toml"), dir.join("out"));
    let o = crate::cli::dcsim(&[
        "run",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = crate::cli::read(&out.join("report.html"));
    let i = html
        .find("id=\"availability\"")
        .expect("availability section");
    let section = &html[i..i + html[i..].find("</section>").unwrap()];
    assert!(section.contains("<td>kv</td>"), "{section}");
    assert!(
        section.contains("50 %") && section.contains("0.3</td>"),
        "{section}"
    );
    assert!(section.contains("<td>solo</td>") && section.contains("100 %"));
    assert!(section.contains("2 VM-hours ran unreachable"), "{section}");
    assert!(section.contains("<td>tor</td>"), "{section}");
    assert!(out.join("failures.svg").exists() && out.join("failures.png").exists());
    assert!(html.contains("id=\"plot-failures\""));
    // The first failure's blast radius: tor-001 cuts rack-001's 2 hosts off; kv's store (3 of
    // 3 needed, one replica per rack) goes down, and kv with it.
    assert!(
        section.contains("tor-001 (tor) failed: 2 hosts cut off"),
        "{section}"
    );
    assert!(
        section.contains("1 service components down and 0 degraded, 1 service instances down"),
        "{section}"
    );
    let figure = &section[section
        .find("<figure class=\"blast\">")
        .expect("blast picture")..];
    assert!(figure.contains(">tor-001</text>") && figure.contains(">kv-0</text>"));
    // The switch (red), its 2 hosts and the VM there cut off (orange), the store and kv down.
    // (Each colour once more in the legend.)
    assert_eq!(
        figure.matches("fill=\"#ffb74d\"").count(),
        3 + 1,
        "{figure}"
    );
    assert_eq!(
        figure.matches("fill=\"#ff7f66\"").count(),
        2 + 1,
        "{figure}"
    );
    assert_eq!(
        figure.matches("fill=\"#e53935\"").count(),
        1 + 1,
        "{figure}"
    );
    assert!(figure.contains(">store-0</text>"));

    let plain = dir.join("plain.toml");
    std::fs::write(&plain, scenario(3, 6, "")).unwrap();
    let out2 = dir.join("out-plain");
    let o = crate::cli::dcsim(&[
        "run",
        plain.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = crate::cli::read(&out2.join("report.html"));
    assert!(!html.contains("id=\"availability\""));
    assert!(!out2.join("failures.svg").exists());
}

#[test]
fn failing_a_kind_the_landscape_lacks_is_a_clear_error() {
    // [failures.tor] without ToR switches (and [failures.ups] without UPSs) would fail nothing.
    let law = "mtbf = { distribution = \"exponential\", mean = \"10d\" }\n\
               mttr = { distribution = \"fixed\", value = \"1h\" }\n";
    let no_tor =
        scenario(2, 1, &format!("[failures.tor]\n{law}")).replace("tor_switches = true\n", "");
    let err =
        dcsim::scenario::parse(&no_tor, std::path::Path::new("s.toml"), "s", &[]).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("failures.tor"), "{err}");
    assert!(err.message.contains("landscape.tor_switches"), "{err}");
    let no_ups = scenario(2, 1, &format!("[failures.ups]\n{law}"));
    let err =
        dcsim::scenario::parse(&no_ups, std::path::Path::new("s.toml"), "s", &[]).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("failures.ups"), "{err}");
    // With the switches, random ToR failures run.
    let tor = scenario(2, 1, &format!("[failures.tor]\n{law}"));
    let (r, _) = run_checked(&crate::common::parse(&tor));
    assert_eq!(
        r.summary.failures.unwrap().failures_by_kind["tor"].entities,
        2
    );
}
