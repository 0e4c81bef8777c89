//! Service replicas that are containers (`replica = "container"`, `containers_per_vm`; and
//! `"host-container"`): a VM holding k containers dies with its host and takes exactly those k
//! replicas down, which come back with it when it is restarted; a component of containers on
//! one VM is as available as that VM; the containers are in the exports (GraphML, JSON) with
//! their `runs_on` and `part_of` edges, and in the blast radius; and bad input.

use crate::cli::temp_dir;
use crate::common::{parse, run_checked};
use dcsim::engine::SERVICE_ID_BASE;
use dcsim::landscape::ExportFormat;
use std::path::Path;

/// `hosts` racks of one 4-core host each; one service instance of 100 h with `components`;
/// `rest` appended.
fn scenario(hosts: u32, duration: &str, apart: &str, components: &str, rest: &str) -> String {
    let fleet = crate::common::small_fleet(4, 4, hosts, 1, "racks_per_pdu = 1");
    format!(
        r#"
[simulation]
duration = "{duration}"
sample_interval = "1h"
seed = 3
[policy]
placement = "first-fit"
{fleet}
[[workload.services]]
name = "shop"
arrival = {{ rate_per_hour = 1, at_once = 1 }}
lifetime = {{ distribution = "fixed", value = "100h" }}
anti_affinity = "{apart}"
{components}
{rest}
"#
    )
}

/// Six containers of one core, three to a VM (two VMs of 3 cores), up while `min_live` live.
fn six_containers(min_live: u32) -> String {
    format!(
        "[[workload.services.components]]\nname = \"web\"\nreplicas = 6\nmin_live = {min_live}\n\
         size = \"one\"\nreplica = \"container\"\ncontainers_per_vm = 3\n"
    )
}

const HOST0_FAILS: &str = "[failures]\ntrace = \"failures.csv\"\ndetection_delay = \"30m\"\n";

/// The scenario written beside a failure trace in which host 0 fails at 1 h for 3 h.
fn with_failure(name: &str, text: &str) -> dcsim::scenario::LoadedScenario {
    let dir = temp_dir(name);
    std::fs::write(
        dir.join("failures.csv"),
        "time,target,duration\n1h,rack-000-h00,3h\n",
    )
    .unwrap();
    std::fs::write(dir.join("s.toml"), text).unwrap();
    dcsim::scenario::load(&dir.join("s.toml"), &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// The GraphML export at `at`: (label, kind) of every node, and (source label, relation,
/// target label) of every edge.
type Graph = (Vec<(String, String)>, Vec<(String, String, String)>);

fn graphml_at(loaded: &dcsim::scenario::LoadedScenario, at: &str) -> Graph {
    let at = dcsim::time::parse_duration(at).ok();
    let xml = dcsim::export_landscape_at(loaded, ExportFormat::Graphml, at).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let data = |n: roxmltree::Node, key: &str| {
        n.children()
            .find(|c| c.attribute("key") == Some(key))
            .and_then(|c| c.text())
            .unwrap_or("")
            .to_string()
    };
    let nodes: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    let label_of = |id: &str| {
        let n = nodes
            .iter()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap();
        data(*n, "label")
    };
    let labels = nodes
        .iter()
        .map(|&n| (data(n, "label"), data(n, "kind")))
        .collect();
    let edges = doc
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .map(|e| {
            let (a, b) = (
                e.attribute("source").unwrap(),
                e.attribute("target").unwrap(),
            );
            (label_of(a), data(e, "relation"), label_of(b))
        })
        .collect();
    (labels, edges)
}

/// Where each container runs at `at`: (container, its VM, the VM's host), sorted.
fn containers_at(
    loaded: &dcsim::scenario::LoadedScenario,
    at: &str,
) -> Vec<(String, String, String)> {
    let (nodes, edges) = graphml_at(loaded, at);
    let runs_on = |a: &str| {
        edges
            .iter()
            .find(|(s, r, _)| s == a && r == "runs_on")
            .map(|(_, _, t)| t.clone())
            .unwrap_or_default()
    };
    let mut out: Vec<(String, String, String)> = nodes
        .iter()
        .filter(|(_, k)| k == "container")
        .map(|(c, _)| {
            let vm = runs_on(c);
            let host = runs_on(&vm);
            // Each container is part of the component.
            assert!(
                edges.contains(&(c.clone(), "part_of".into(), "web-0".into())),
                "{c} not part_of web-0: {edges:?}"
            );
            (c.clone(), vm, host)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_vm_of_k_containers_dying_takes_exactly_those_k_replicas_down() {
    // Three 4-core hosts. Six 1-core containers, three to a VM, the VMs apart across hosts:
    // first fit puts VM 0 (containers 0-2) on host 0 and VM 1 (containers 3-5) on host 1.
    // Host 0 fails at 1 h for 3 h; after the 30-min detection delay VM 0 restarts on host 2
    // (host 1 holds its sibling), its containers with it.
    let run = |name: &str, min_live: u32| {
        let text = scenario(3, "4h", "host", &six_containers(min_live), HOST0_FAILS);
        let loaded = with_failure(name, &text);
        let (r, records) = run_checked(&loaded);
        (loaded, r, records)
    };
    // 3 of 6 left while VM 0 is down: a 3-of-6 component stays up, a 4-of-6 one goes down for
    // exactly the 30 min VM 0 waits. So exactly three replicas went down, not two or four.
    let (loaded, lenient, records) = run("containers-k-lenient", 3);
    let web = &lenient.summary.services.as_ref().unwrap().services["shop"];
    assert_eq!(
        (web.availability, web.component_down_hours["web"]),
        (1.0, 0.0),
        "{web:?}"
    );
    // Two workloads (the VMs), one killed and restarted on host 2.
    let f = lenient.summary.failures.as_ref().unwrap();
    assert_eq!((f.vms_killed_by_failures, f.vm_restarts), (1, 1));
    let mut hosts: Vec<(u64, Option<u32>)> = records
        .iter()
        .map(|w| (w.id - SERVICE_ID_BASE, w.host))
        .collect();
    hosts.sort_unstable();
    assert_eq!(hosts, [(0, Some(2)), (1, Some(1))], "VM 0 ends on host 2");

    let (_, strict, _) = run("containers-k-strict", 4);
    let web = &strict.summary.services.as_ref().unwrap().services["shop"];
    assert!(
        (web.component_down_hours["web"] - 0.5).abs() < 1e-9,
        "{web:?}"
    );
    assert!((web.availability - 3.5 / 4.0).abs() < 1e-12, "{web:?}");

    // On the graph: before the failure six containers, 0-2 on VM 0 on host 0; during the wait
    // only 3-5 (on VM 1, host 1); after the restart 0-2 again, on VM 0 now on host 2.
    let vm0 = format!("vm-{SERVICE_ID_BASE}");
    let vm1 = format!("vm-{}", SERVICE_ID_BASE + 1);
    let placed =
        |c: u32, vm: &str, host: &str| (format!("ctr-{c}"), vm.to_string(), host.to_string());
    let before: Vec<_> = (0..3)
        .map(|c| placed(c, &vm0, "rack-000-h00"))
        .chain((3..6).map(|c| placed(c, &vm1, "rack-001-h00")))
        .collect();
    assert_eq!(containers_at(&loaded, "30m"), before);
    assert_eq!(containers_at(&loaded, "75m"), before[3..].to_vec());
    let after: Vec<_> = (0..3)
        .map(|c| placed(c, &vm0, "rack-002-h00"))
        .chain((3..6).map(|c| placed(c, &vm1, "rack-001-h00")))
        .collect();
    assert_eq!(containers_at(&loaded, "2h"), after);

    // The blast radius of host 0 at 30 min: its VM and exactly its three containers; the
    // 4-of-6 component is down (3 left), as the run found.
    let at = dcsim::time::parse_duration("30m").ok();
    let strict_text = scenario(3, "4h", "host", &six_containers(4), "");
    let json =
        dcsim::blast_radius(&parse(&strict_text), "rack-000-h00", at, ExportFormat::Json).unwrap();
    let b: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(b["vms"], serde_json::json!([SERVICE_ID_BASE]));
    assert_eq!(b["containers"], serde_json::json!([0, 1, 2]));
    assert_eq!(b["components"]["web-0"], "down");
    let json = dcsim::blast_radius(
        &parse(&scenario(3, "4h", "host", &six_containers(3), "")),
        "rack-000-h00",
        at,
        ExportFormat::Json,
    )
    .unwrap();
    let b: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(b["components"]["web-0"], "degraded");
}

#[test]
fn a_component_of_containers_on_one_vm_is_as_available_as_the_vm() {
    // Two 4-core hosts failing at random (exponential, MTBF 20 h, MTTR 2 h) for 2000 h; four
    // containers on one VM. Whether the component needs one of them or all four, it is up
    // exactly while the VM runs: its availability is the VM's, 1 − (VM down time) / 2000 h,
    // the VM's down time being the run's lost VM-hours (the only VM). A single VM replica
    // sees the same failures (their own random stream) and the same availability.
    let failures = "[failures]\ndetection_delay = \"10m\"\n[failures.host]\n\
        mtbf = { distribution = \"exponential\", mean = \"20h\" }\n\
        mttr = { distribution = \"exponential\", mean = \"2h\" }\n";
    let component = |min_live: u32, replica: &str| {
        let per_vm = if replica == "container" {
            "containers_per_vm = 4\n"
        } else {
            ""
        };
        let n = if replica == "container" { 4 } else { 1 };
        format!(
            "[[workload.services.components]]\nname = \"web\"\nreplicas = {n}\nmin_live = {min_live}\n\
             size = \"one\"\nreplica = \"{replica}\"\n{per_vm}"
        )
    };
    let availability = |min_live: u32, replica: &str| {
        let text = scenario(2, "2000h", "none", &component(min_live, replica), failures)
            .replace("\"100h\"", "\"5000h\"");
        let (r, records) = run_checked(&parse(&text));
        assert_eq!(records.len(), 1, "one workload: the VM");
        let f = r.summary.failures.unwrap();
        assert!(f.vms_killed_by_failures > 20, "{f:?}");
        let web = r.summary.services.unwrap().services["shop"].clone();
        (web.availability, 1.0 - f.lost_vm_hours / 2000.0)
    };
    let (any, vm) = availability(1, "container");
    assert!((any - vm).abs() < 1e-9, "{any} vs the VM's {vm}");
    assert!(any < 0.99 && any > 0.8, "{any}");
    let (all, _) = availability(4, "container");
    assert_eq!(
        all, any,
        "one VM: all four containers are up or down together"
    );
    let (plain, _) = availability(1, "vm");
    assert!((plain - any).abs() < 1e-12, "{plain} vs {any}");
}

#[test]
fn containers_are_in_the_exports_and_host_containers_run_on_hosts() {
    // Five containers two to a VM: VMs of 2, 2 and 1 containers (first fit, all on host 0);
    // and a component of two host containers, straight on host 0.
    let components = "[[workload.services.components]]\nname = \"web\"\nreplicas = 5\nsize = \"one\"\n\
        replica = \"container\"\ncontainers_per_vm = 2\n\
        [[workload.services.components]]\nname = \"sidecar\"\nreplicas = 2\nsize = \"one\"\nreplica = \"host-container\"\n";
    let text = scenario(2, "2h", "none", components, "")
        .replace("cores = 4\nmemory_gib = 4", "cores = 16\nmemory_gib = 16");
    let loaded = parse(&text);
    let (nodes, edges) = graphml_at(&loaded, "1h");
    let kind = |k: &str| nodes.iter().filter(|(_, x)| x == k).count();
    // Three VMs of containers, seven containers (five in VMs, two on the host).
    assert_eq!((kind("vm"), kind("container")), (3, 7), "{nodes:?}");
    let runs_on: Vec<(String, String)> = edges
        .iter()
        .filter(|(a, r, _)| r == "runs_on" && a.starts_with("ctr-"))
        .map(|(a, _, b)| (a.clone(), b.clone()))
        .collect();
    let vm = |i: u64| format!("vm-{}", SERVICE_ID_BASE + i);
    let e = |c: u32, on: &str| (format!("ctr-{c}"), on.to_string());
    let mut want = vec![
        e(0, &vm(0)),
        e(1, &vm(0)),
        e(2, &vm(1)),
        e(3, &vm(1)),
        e(4, &vm(2)),
        e(5, "rack-000-h00"),
        e(6, "rack-000-h00"),
    ];
    want.sort();
    let mut got = runs_on.clone();
    got.sort();
    assert_eq!(got, want);
    // The VMs run on the host and are not replicas themselves: only containers are part_of.
    for i in 0..3 {
        assert!(edges.contains(&(vm(i), "runs_on".into(), "rack-000-h00".into())));
        assert!(!edges.iter().any(|(a, r, _)| *a == vm(i) && r == "part_of"));
    }
    let part_of = |comp: &str| {
        edges
            .iter()
            .filter(|(_, r, b)| r == "part_of" && b == comp)
            .count()
    };
    assert_eq!((part_of("web-0"), part_of("sidecar-0")), (5, 2));
    let json = dcsim::export_landscape_at(
        &loaded,
        ExportFormat::Json,
        dcsim::time::parse_duration("1h").ok(),
    )
    .unwrap();
    assert_eq!(json.matches("\"kind\": \"container\"").count(), 7);
    let dot = dcsim::export_landscape_at(
        &loaded,
        ExportFormat::Dot,
        dcsim::time::parse_duration("1h").ok(),
    )
    .unwrap();
    assert_eq!(dot.matches("kind=\"container\"").count(), 7);
}

#[test]
fn bad_container_options_are_clear_errors() {
    // containers_per_vm without containers.
    let text = scenario(
        2,
        "1h",
        "none",
        "[[workload.services.components]]\nname = \"a\"\nreplicas = 2\nsize = \"one\"\ncontainers_per_vm = 2\n",
        "",
    );
    let err = dcsim::scenario::parse(&text, Path::new("s.toml"), "s", &[]).unwrap_err();
    assert_eq!(
        err.field.as_deref(),
        Some("workload.services.0.components.0.containers_per_vm")
    );
    // Five containers two to a VM need three VMs apart across hosts; two hosts cannot do it.
    let text = scenario(
        2,
        "1h",
        "host",
        "[[workload.services.components]]\nname = \"a\"\nreplicas = 5\nsize = \"one\"\nreplica = \"container\"\ncontainers_per_vm = 2\n",
        "",
    );
    let err = dcsim::simulate(&parse(&text)).unwrap_err();
    assert!(err.is_bad_input());
    let msg = err.to_string();
    assert!(
        msg.contains("3 VMs of containers") && msg.contains("only 2"),
        "{msg}"
    );
    // Four fit in two VMs: fine.
    let ok = text.replace("replicas = 5", "replicas = 4");
    assert!(dcsim::simulate(&parse(&ok)).is_ok());
    let kind = text.replace("replica = \"container\"", "replica = \"pod\"");
    let err = dcsim::scenario::parse(&kind, Path::new("s.toml"), "s", &[]).unwrap_err();
    assert!(err.message.contains("pod"), "{err}");
}
