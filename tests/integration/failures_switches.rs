//! Aggregation switches (`landscape.racks_per_aggregation`): the failure domain derived from
//! the graph (host → ToR → aggregation switch by `connected_to`), a failure cutting off the
//! hosts of all its racks against a hand-worked timeline with an overlapping ToR failure, its
//! blast radius, and bad input.

use crate::common::run_checked;
use crate::failures_stages::{scenario, with_trace};

#[test]
fn an_aggregation_switch_cuts_off_the_hosts_of_all_its_racks() {
    // Four racks of two hosts, two racks per aggregation switch: agg-001 connects tor-002 and
    // tor-003, so hosts 4-7 (the graph says so: failure domains are derived from it). 32 VMs
    // fill every host with 4. agg-001 fails 1 h to 3 h, tor-002 2 h to 4 h: hosts 4 and 5 are
    // cut off 1 h to 4 h, hosts 6 and 7 1 h to 3 h: 3·2 + 2·2 = 10 host-hours, 40 VM-hours;
    // nothing is killed.
    let text = scenario(
        4,
        32,
        "[failures]\ntrace = \"failures.csv\"\ndetection_delay = \"10m\"\n",
    )
    .replace(
        "tor_switches = true",
        "tor_switches = true\nracks_per_aggregation = 2",
    );
    let loaded = with_trace(
        "failures-agg",
        &text,
        "time,target,duration\n1h,agg-001,2h\n2h,tor-002,2h\n",
    );
    let (graph, _) = dcsim::engine::landscape_of(&loaded).unwrap();
    let domains = dcsim::landscape::failure_domains(&graph);
    let agg: Vec<(String, Vec<u32>)> = domains
        .iter()
        .filter(|d| d.kind == dcsim::landscape::DomainKind::Agg)
        .map(|d| (d.name.clone(), d.hosts.iter().map(|h| h.0).collect()))
        .collect();
    assert_eq!(
        agg,
        [
            ("agg-000".to_string(), vec![0, 1, 2, 3]),
            ("agg-001".to_string(), vec![4, 5, 6, 7])
        ]
    );
    let (r, records) = run_checked(&loaded);
    let f = r.summary.failures.as_ref().unwrap();
    assert!((f.unreachable_host_hours - 10.0).abs() < 1e-9, "{f:?}");
    assert!((f.unreachable_vm_hours - 40.0).abs() < 1e-9, "{f:?}");
    assert_eq!(f.vms_killed_by_failures, 0);
    assert_eq!(records.len(), 32);
    let k = &f.failures_by_kind["agg"];
    assert_eq!((k.entities, k.failures, k.repairs), (2, 1, 1));
    // Its blast radius: the four hosts of racks 0 and 1, cut off.
    let json = dcsim::blast_radius(
        &loaded,
        "agg-000",
        None,
        dcsim::landscape::ExportFormat::Json,
    )
    .unwrap();
    let b: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(b["host_effect"], "unreachable");
    assert_eq!(
        b["hosts"],
        serde_json::json!([
            "rack-000-h00",
            "rack-000-h01",
            "rack-001-h00",
            "rack-001-h01"
        ])
    );
    // Bad input: aggregation switches need ToR switches; their failures need them.
    let no_tor = text.replace("tor_switches = true\n", "");
    let err =
        dcsim::scenario::parse(&no_tor, std::path::Path::new("s.toml"), "s", &[]).unwrap_err();
    assert_eq!(
        err.field.as_deref(),
        Some("landscape.racks_per_aggregation")
    );
    let no_agg = scenario(
        4,
        1,
        "[failures.agg]\nmtbf = { distribution = \"exponential\", mean = \"10h\" }\nmttr = { distribution = \"fixed\", value = \"1h\" }\n",
    );
    let err =
        dcsim::scenario::parse(&no_agg, std::path::Path::new("s.toml"), "s", &[]).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("failures.agg"), "{err}");
}
