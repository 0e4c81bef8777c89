//! The blast radius of one failure (`dcsim landscape FILE --at T --blast ENTITY`): the hosts a
//! PDU takes down or a ToR switch cuts off, the VMs there, the components that fall below their
//! k of n (and those that depend on them), the degraded ones, checked on a planted landscape.

use crate::common::parse;
use dcsim::landscape::ExportFormat;

/// 4 racks of one 4-core host, a PDU and a ToR switch per rack. A shop (frontend 1-of-2
/// depending on a 2-of-2 database) and a cache (1-of-2), replicas apart across racks.
const SCENARIO: &str = r#"
[simulation]
duration = "4h"
sample_interval = "1h"
seed = 1
[policy]
placement = "first-fit"
[[host_types]]
name = "h"
cores = 4
memory_gib = 4
power = { model = "linear", idle_w = 100, max_w = 200 }
[landscape]
racks_per_pdu = 1
tor_switches = true
[[landscape.racks]]
count = 4
hosts_per_rack = 1
host_type = "h"
[[workload.vm_sizes]]
name = "one"
cores = 1
memory_gib = 1
[[workload.services]]
name = "shop"
arrival = { rate_per_hour = 1, at_once = 1 }
lifetime = { distribution = "fixed", value = "100h" }
anti_affinity = "rack"
[[workload.services.components]]
name = "frontend"
replicas = 2
min_live = 1
size = "one"
depends_on = ["database"]
[[workload.services.components]]
name = "database"
replicas = 2
min_live = 2
size = "one"
[[workload.services]]
name = "cache"
arrival = { rate_per_hour = 1, at_once = 1 }
lifetime = { distribution = "fixed", value = "100h" }
anti_affinity = "rack"
[[workload.services.components]]
name = "cache"
replicas = 2
min_live = 1
size = "one"
"#;

fn blast(entity: &str) -> serde_json::Value {
    let at = dcsim::time::parse_duration("1h").ok();
    let text = dcsim::blast_radius(&parse(SCENARIO), entity, at, ExportFormat::Json).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_pdu_takes_its_host_and_the_components_below_their_k_of_n() {
    // First fit, apart across racks: shop's replicas in order frontend 0, 1, database 0, 1, then
    // cache 0, 1: each component's first replica on host 0 (rack 0), its second on host 1. So
    // pdu-000 (rack 0) takes host 0 and its three VMs (ids 2^48 + 0, + 2, + 4). The database
    // drops to 1 of its 2 needed: down; the frontend keeps 1 of 1 but depends on it: down; shop
    // down. The cache keeps 1 of 1: degraded, and so is its service.
    let b = blast("pdu-000");
    let base = dcsim::engine::SERVICE_ID_BASE;
    assert_eq!(b["kind"], "pdu");
    assert_eq!(b["host_effect"], "down");
    assert_eq!(b["hosts"], serde_json::json!(["rack-000-h00"]));
    assert_eq!(b["vms"], serde_json::json!([base, base + 2, base + 4]));
    let expected_components = serde_json::json!({
        "frontend-0": "down", "database-0": "down", "cache-1": "degraded"
    });
    assert_eq!(b["components"], expected_components);
    assert_eq!(
        b["services"],
        serde_json::json!({"shop-0": "down", "cache-1": "degraded"})
    );
    // pdu-002 (rack 2) holds no replica: its host goes down and nothing else.
    let quiet = blast("pdu-002");
    assert_eq!(quiet["vms"], serde_json::json!([]));
    assert_eq!(quiet["components"], serde_json::json!({}));
}

#[test]
fn a_tor_switch_cuts_its_host_off_with_the_same_service_effects() {
    // tor-001 cuts host 1 off: the second replica of every component is unreachable (ids
    // 2^48 + 1, + 3, + 5); the same components as losing host 0 are hit.
    let b = blast("tor-001");
    let base = dcsim::engine::SERVICE_ID_BASE;
    assert_eq!(
        (&b["kind"], &b["host_effect"]),
        (&"tor".into(), &"unreachable".into())
    );
    assert_eq!(b["vms"], serde_json::json!([base + 1, base + 3, base + 5]));
    assert_eq!(b["services"]["shop-0"], "down");
    assert_eq!(b["services"]["cache-1"], "degraded");
    // The picture: the switch red, its host and VMs orange, the shop tomato, the cache gold.
    let at = dcsim::time::parse_duration("1h").ok();
    let dot = dcsim::blast_radius(&parse(SCENARIO), "tor-001", at, ExportFormat::Dot).unwrap();
    let line = |label: &str| {
        dot.lines()
            .find(|l| l.contains(&format!("label=\"{label}\"")))
            .unwrap_or_else(|| panic!("{label} in\n{dot}"))
            .to_string()
    };
    assert!(line("tor-001").contains("fillcolor=red"));
    assert!(line("rack-001-h00").contains("fillcolor=orange"));
    assert!(line(&format!("vm-{}", base + 1)).contains("fillcolor=orange"));
    assert!(line("shop-0").contains("fillcolor=tomato"));
    assert!(line("cache-1").contains("fillcolor=gold"));
    assert!(line("rack-001").contains("fillcolor=white"), "context");
    assert!(!dot.contains("rack-000-h00"), "hosts not hit are left out");
}

#[test]
fn an_entity_that_cannot_fail_is_bad_input() {
    let err = dcsim::blast_radius(&parse(SCENARIO), "pdu-9", None, ExportFormat::Json).unwrap_err();
    assert!(err.is_bad_input());
    let msg = err.to_string();
    assert!(msg.contains("--blast") && msg.contains("pdu-9"), "{msg}");
}

#[test]
fn the_command_line_exits_2_on_a_bad_blast() {
    // An entity that cannot fail, and --blast with --group-by: bad input, exit status 2.
    let bad = crate::cli::dcsim(&["landscape", "scenarios/failures.toml", "--blast", "pdu-99"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("pdu-99"));
    let both = crate::cli::dcsim(&[
        "landscape",
        "scenarios/failures.toml",
        "--blast",
        "pdu-001",
        "--group-by",
        "rack",
    ]);
    assert_eq!(both.status.code(), Some(2));
    // A good one: DOT with the failed PDU in red.
    let ok = crate::cli::dcsim(&["landscape", "scenarios/failures.toml", "--blast", "pdu-001"]);
    assert!(ok.status.success());
    let dot = String::from_utf8_lossy(&ok.stdout);
    assert!(dot.contains("label=\"pdu-001\", fillcolor=red"), "{dot}");
}

#[test]
fn host_parts_appear_in_the_exports_only_when_asked_for() {
    // 4 hosts of a type with 2 sockets and 1 NIC: each host contains cpu0, cpu1 (2 cores each),
    // its memory and nic0 = 4 parts, 16 in all, each `contains`-ed by its host; none without
    // `landscape.host_parts`, and never in the run's own graph.
    let text = SCENARIO
        .replace(
            "memory_gib = 4\npower",
            "memory_gib = 4\nsockets = 2\npower",
        )
        .replace(
            "tor_switches = true",
            "tor_switches = true\nhost_parts = true",
        );
    let loaded = parse(&text);
    let xml = dcsim::export_landscape(&loaded, ExportFormat::Graphml).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let data = |n: roxmltree::Node, key: &str| {
        n.children()
            .find(|c| c.attribute("key") == Some(key))
            .and_then(|c| c.text())
            .unwrap_or("")
            .to_string()
    };
    let parts: Vec<(String, String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node") && data(*n, "kind") == "host_part")
        .map(|n| (data(n, "label"), data(n, "part"), data(n, "size")))
        .collect();
    assert_eq!(parts.len(), 16, "{parts:?}");
    let first: Vec<(&str, &str, &str)> = parts[..4]
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        first,
        [
            ("rack-000-h00-cpu0", "cpu_socket", "2 cores"),
            ("rack-000-h00-cpu1", "cpu_socket", "2 cores"),
            ("rack-000-h00-memory", "memory", "4 GiB"),
            ("rack-000-h00-nic0", "nic", "1 Gbit/s"),
        ]
    );
    let json = dcsim::export_landscape(&loaded, ExportFormat::Json).unwrap();
    assert_eq!(json.matches("\"host_part\"").count(), 16);
    let (run_graph, _) = dcsim::engine::landscape_of(&loaded).unwrap();
    assert_eq!(
        run_graph.count(|e| matches!(e, dcsim::landscape::Entity::HostPart { .. })),
        0
    );
    let plain = parse(&SCENARIO.replace(
        "memory_gib = 4\npower",
        "memory_gib = 4\nsockets = 2\npower",
    ));
    let xml = dcsim::export_landscape(&plain, ExportFormat::Graphml).unwrap();
    assert!(!xml.contains("host_part"));
}
