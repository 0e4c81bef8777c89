//! Services from a trace's own groups (`[workload.trace.services]`), on small hand-made traces:
//! Alibaba jobs with one component per task, Azure deployments, Google 2019 collections; their
//! availability under a planted failure checked against a hand-worked timeline, and bad input.

use crate::cli::temp_dir;
use crate::common::run_checked;
use dcsim::engine::RunResult;
use dcsim::landscape::{Entity, Relation};
use dcsim::metrics::ServiceSummary;
use petgraph::visit::EdgeRef;

/// Writes `trace` (and `failures`, a failure trace, if any) beside a scenario of 1-core hosts
/// laid out as `layout`, replaying the trace as `format` for 12 h, with `rest` appended.
fn scenario(name: &str, format: &str, trace: &str, layout: &str, rest: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("trace.csv"), trace).unwrap();
    let text = format!(
        r#"
[simulation]
duration = "12h"
sample_interval = "1h"
[policy]
placement = "first-fit"
[[host_types]]
name = "h"
cores = 1
memory_gib = 4
power = {{ model = "linear", idle_w = 100, max_w = 200 }}
[landscape]
racks_per_pdu = 1
{layout}
[workload.trace]
format = "{format}"
path = "trace.csv"
{rest}
"#
    );
    std::fs::write(dir.join("s.toml"), &text).unwrap();
    dir.join("s.toml")
}

fn run(file: &std::path::Path, failures: Option<&str>) -> RunResult {
    if let Some(f) = failures {
        std::fs::write(file.with_file_name("failures.csv"), f).unwrap();
    }
    let loaded = dcsim::scenario::load(file, &[]).unwrap_or_else(|e| panic!("{e}"));
    run_checked(&loaded).0
}

fn services(r: &RunResult) -> &ServiceSummary {
    r.summary.services.as_ref().expect("trace services on")
}

const FOUR_HOSTS: &str = "[[landscape.racks]]\ncount = 1\nhosts_per_rack = 4\nhost_type = \"h\"\n";
const FAILURES: &str = "[failures]\ntrace = \"failures.csv\"\ndetection_delay = \"30m\"\n";

/// batch_task rows: task_name, instance_num, job_name, task_type, status, start_time,
/// end_time, plan_cpu, plan_mem. Job j_1: task M1 (2 instances) and task R2_1 (1), 0 to 10 h;
/// job j_2: task M1 (1 instance), 1 h to 1.5 h. One core each.
const BATCH: &str = "M1,2,j_1,1,Terminated,0,36000,100,1\n\
R2_1,1,j_1,1,Terminated,0,36000,100,1\n\
M1,1,j_2,1,Terminated,3600,5400,100,1\n";

#[test]
fn alibaba_jobs_are_services_with_a_component_per_task_and_a_failure_costs_what_the_timeline_says()
{
    // First fit on four 1-core hosts: j_1's M1 instances on h00 and h01, its R2_1 on h02; j_2
    // on h03 from 1 h to 1.5 h. h00 fails at 2 h for 3 h; its M1 instance restarts 30 min later
    // on h03 (free again). So M1 has 1 of its 2 wanted instances live from 2 h to 2 h 30.
    let case = |name: &str, keys: &str| {
        let rest = format!("memory_scale_gib = 1\n[workload.trace.services]\n{keys}\n{FAILURES}");
        let file = scenario(name, "alibaba-2018", BATCH, FOUR_HOSTS, &rest);
        run(&file, Some("time,target,duration\n2h,rack-000-h00,3h\n"))
    };
    // Default: one live instance keeps a component up, so nothing is ever down.
    let lenient = case("trace-services-lenient", "");
    let s = services(&lenient);
    let t = &s.services["trace"];
    assert_eq!(t.instances, 2, "two jobs");
    assert_eq!((t.down_hours, t.availability), (0.0, 1.0));
    // (service, components, members, alive hours): j_1 alive 0 to 10 h, j_2 1 h to 1.5 h.
    let rows: Vec<(&str, u32, u64, f64)> = s
        .trace_services
        .iter()
        .map(|r| (r.service.as_str(), r.components, r.members, r.alive_hours))
        .collect();
    assert_eq!(rows, [("j_1", 2, 3, 10.0), ("j_2", 1, 1, 0.5)]);
    let f = lenient.summary.failures.as_ref().unwrap();
    assert_eq!((f.vms_killed_by_failures, f.vm_restarts), (1, 1));

    // Every wanted instance needed: j_1 down 2 h to 2 h 30 (M1 short): 0.5 of 10.5 alive hours.
    let strict = case(
        "trace-services-strict",
        "min_live_fraction = 1.0\nsla_usd_per_down_hour = 100\nname = \"jobs\"",
    );
    let s = services(&strict);
    let t = &s.services["jobs"];
    assert!((t.down_hours - 0.5).abs() < 1e-9, "{t:?}");
    assert!((t.availability - 10.0 / 10.5).abs() < 1e-9, "{t:?}");
    assert!((t.component_down_hours["M1"] - 0.5).abs() < 1e-9, "{t:?}");
    assert_eq!(t.component_down_hours["R2_1"], 0.0);
    // 0.5 h × 100 USD, in the TCO too.
    assert!((t.sla_penalty_usd - 50.0).abs() < 1e-6);
    assert!((strict.tco.sla_penalty_usd - 50.0).abs() < 1e-6);
    // j_1: 9.5 of 10 h up.
    assert!((s.trace_services[0].availability - 0.95).abs() < 1e-9);
    assert_eq!(s.trace_services[1].availability, 1.0);
}

#[test]
fn azure_deployments_are_services_and_a_tor_failure_cuts_their_members_off() {
    // vmtable: vmid, subscription, deployment, created, deleted, maxcpu, avgcpu, p95, category,
    // cores, GB. d1: v1 and v2 from 0 to 10 h; d2: v3 from 0 past the trace's end.
    let vms = "v1,s,d1,0,36000,50,20,40,Interactive,1,1\n\
               v2,s,d1,0,36000,50,20,40,Interactive,1,1\n\
               v3,s,d2,0,2592000,50,20,40,Interactive,1,1\n";
    let layout = "tor_switches = true\n[[landscape.racks]]\ncount = 3\nhosts_per_rack = 1\nhost_type = \"h\"\n";
    let rest = format!("[workload.trace.services]\nmin_live_fraction = 1.0\n{FAILURES}");
    let file = scenario("trace-services-azure", "azure-v1", vms, layout, &rest);
    // First fit: v1 on rack-000, v2 on rack-001, v3 on rack-002. tor-000 cuts v1 off 1 h to
    // 3 h: d1 is down 2 h of its 10; d2 is alive the whole 12 h and never down.
    let r = run(&file, Some("time,target,duration\n1h,tor-000,2h\n"));
    let s = services(&r);
    let rows: Vec<(&str, u64, f64, f64)> = s
        .trace_services
        .iter()
        .map(|r| (r.service.as_str(), r.members, r.alive_hours, r.down_hours))
        .collect();
    assert_eq!(rows, [("d1", 2, 10.0, 2.0), ("d2", 1, 12.0, 0.0)]);
    let t = &s.services["trace"];
    // (8 + 12) up of (10 + 12) alive hours.
    assert!((t.availability - 20.0 / 22.0).abs() < 1e-9, "{t:?}");
    assert!((s.service_availability - 20.0 / 22.0).abs() < 1e-9);
    // Nothing was killed: the ToR failure cuts off, it does not take down.
    assert_eq!(
        r.summary.failures.as_ref().unwrap().vms_killed_by_failures,
        0
    );
    // At the end only d2 is alive: its service node, its component, and v3's VM part of it.
    let g = &r.landscape.graph;
    let services: Vec<String> = g
        .node_weights()
        .filter_map(|e| match e {
            Entity::Service { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(services, ["d2"]);
    let component = g
        .node_indices()
        .find(|&n| matches!(&g[n], Entity::Component { name, .. } if name == "vms"))
        .expect("d2's component");
    let replicas = g
        .edges_directed(component, petgraph::Direction::Incoming)
        .filter(|e| *e.weight() == Relation::PartOf && matches!(g[e.source()], Entity::Vm { .. }))
        .count();
    assert_eq!(replicas, 1);
}

#[test]
fn google_2019_collections_are_services() {
    // Collection 100: instances 0 and 1 from 0 to 1 h; collection 200: instance 0 from 0 on.
    let header =
        "time,type,collection_id,instance_index,resource_request.cpus,resource_request.memory";
    let events = format!(
        "{header}\n0,0,100,0,0.5,0.5\n0,0,100,1,0.5,0.5\n0,0,200,0,0.5,0.5\n\
         3600000000,6,100,0,,\n3600000000,6,100,1,,\n"
    );
    let file = scenario(
        "trace-services-google",
        "google-2019",
        &events,
        FOUR_HOSTS,
        "[workload.trace.services]\n",
    );
    let r = run(&file, None);
    let s = services(&r);
    let rows: Vec<(&str, u64, f64, f64)> = s
        .trace_services
        .iter()
        .map(|r| (r.service.as_str(), r.members, r.alive_hours, r.availability))
        .collect();
    assert_eq!(rows, [("100", 2, 1.0, 1.0), ("200", 1, 12.0, 1.0)]);
    assert_eq!(s.services["trace"].component_down_hours["instances"], 0.0);
}

#[test]
fn trace_services_on_a_format_without_service_ids_is_an_error() {
    let file = scenario(
        "trace-services-swf",
        "swf",
        "",
        FOUR_HOSTS,
        "[workload.trace.services]\n",
    );
    let e = dcsim::scenario::load(&file, &[]).unwrap_err().to_string();
    assert!(e.contains("workload.trace.services"), "{e}");
    assert!(e.contains("swf names no service"), "{e}");
    assert!(e.contains("alibaba-2018"), "{e}");
}

/// Deployment d1 (four 1-core VMs) and d2 (one), all from 0 on, as an azure-v1 trace on three
/// racks of two 4-core hosts; `services` are the `[workload.trace.services]` table's lines
/// (and what follows it).
fn three_racks_of_two(name: &str, services: &str) -> std::path::PathBuf {
    let vms = "v1,s,d1,0,2592000,50,20,40,Interactive,1,1\n\
               v2,s,d1,0,2592000,50,20,40,Interactive,1,1\n\
               v3,s,d1,0,2592000,50,20,40,Interactive,1,1\n\
               v4,s,d1,0,2592000,50,20,40,Interactive,1,1\n\
               v5,s,d2,0,2592000,50,20,40,Interactive,1,1\n";
    let layout = "[[landscape.racks]]\ncount = 3\nhosts_per_rack = 2\nhost_type = \"h\"\n";
    let rest = format!("[workload.trace.services]\n{services}\n");
    let file = scenario(name, "azure-v1", vms, layout, &rest);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("cores = 1\nmemory_gib = 4", "cores = 4\nmemory_gib = 4");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn trace_members_of_one_component_spread_across_racks_as_far_as_there_is_room() {
    // Three racks of two 4-core hosts; deployment d1 is four 1-core VMs, d2 one, all from 0 on.
    // Without anti-affinity first fit packs d1 on host 0 and d2 on host 1. Apart across racks,
    // d1's first three go to racks 0, 1, 2 (hosts 0, 2, 4); the fourth has no rack of its own
    // left and goes where first fit puts it (host 0), counted; d2 is another service (host 0).
    // Host 2 fails at 1 h: after the 30-min detection delay v2 restarts away from the racks of
    // its siblings (0 and 2), so on host 3, the other host of its own rack.
    let hosts_of = |name: &str, keys: &str| {
        let file = three_racks_of_two(name, &format!("{keys}\n{FAILURES}"));
        std::fs::write(
            file.with_file_name("failures.csv"),
            "time,target,duration\n1h,rack-001-h00,5h\n",
        )
        .unwrap();
        let loaded = dcsim::scenario::load(&file, &[]).unwrap_or_else(|e| panic!("{e}"));
        let (r, records) = run_checked(&loaded);
        let mut hosts: Vec<(u64, u32)> = records.iter().map(|w| (w.id, w.host.unwrap())).collect();
        hosts.sort_unstable();
        let hosts: Vec<u32> = hosts.into_iter().map(|(_, h)| h).collect();
        let not_apart = services(&r).services["trace"].replicas_not_apart;
        (hosts, not_apart)
    };
    assert_eq!(
        hosts_of("trace-apart-rack", "anti_affinity = \"rack\""),
        (vec![0, 3, 4, 0, 0], 1)
    );
    // Without: packed; v1..v4 on host 0 (v2 killed with nothing: host 2 is empty), v5 on 1.
    assert_eq!(hosts_of("trace-apart-none", ""), (vec![0, 0, 0, 0, 1], 0));

    // A kind the landscape does not have is an error naming the key.
    let file = three_racks_of_two("trace-apart-tor", "anti_affinity = \"tor\"");
    let loaded = dcsim::scenario::load(&file, &[]).unwrap();
    let e = dcsim::simulate(&loaded).unwrap_err();
    assert!(e.is_bad_input());
    let msg = e.to_string();
    assert!(
        msg.contains("workload.trace.services.anti_affinity") && msg.contains("tor_switches"),
        "{msg}"
    );
}

/// At the first round that sees `workloads` running, asks for each (workload id, host) move.
struct Moves {
    workloads: usize,
    moves: Vec<(u64, u32)>,
}

impl dcsim::policy::Rebalance for Moves {
    fn plan(
        &mut self,
        view: &dcsim::policy::RebalanceView,
        _: &dcsim::insight::InformationCore,
        out: &mut Vec<dcsim::policy::Action>,
    ) {
        let mut vms = Vec::new();
        let mut all = Vec::new();
        for h in view.fleet.hosts() {
            view.vms.on_host(h, &mut vms);
            all.extend(vms.iter().copied());
        }
        if all.len() < self.workloads {
            return;
        }
        for (id, to) in self.moves.drain(..) {
            let vm = all.iter().find(|v| v.id.0 == id).unwrap().key;
            out.push(dcsim::policy::Action::Migrate {
                vm,
                to: dcsim::landscape::HostId(to),
            });
        }
    }
}

#[test]
fn live_migrations_keep_trace_members_apart() {
    // The deployments of the test above, apart across racks, no failure: v1..v5 on hosts 0, 2,
    // 4, 0, 0. v3 (id 2) asked onto host 1, in rack 0 with v1 and v4: refused. v2 (id 1) asked
    // onto host 3, in its own rack 1: done. v4 (id 3) asked onto host 5 (rack 2, v3's): refused.
    let run = |name: &str, keys: &str| {
        let file = three_racks_of_two(name, keys);
        let loaded = dcsim::scenario::load(&file, &[]).unwrap();
        let mut records = crate::common::Records::default();
        let options = dcsim::engine::RunOptions {
            check_invariants: true,
            ..Default::default()
        };
        let mut sim = dcsim::engine::Simulation::new(&loaded, options, &mut records).unwrap();
        sim.set_rebalancer(Box::new(Moves {
            workloads: 5,
            moves: vec![(2, 1), (1, 3), (3, 5)],
        }));
        let r = sim.run().unwrap();
        let mut hosts: Vec<(u64, u32)> =
            records.0.iter().map(|w| (w.id, w.host.unwrap())).collect();
        hosts.sort_unstable();
        let hosts: Vec<u32> = hosts.into_iter().map(|(_, h)| h).collect();
        (
            hosts,
            r.summary.migrations,
            r.summary.rebalance_actions_rejected,
        )
    };
    assert_eq!(
        run("trace-migrate-apart", "anti_affinity = \"rack\""),
        (vec![0, 3, 4, 0, 0], 1, 2)
    );
    // Without anti-affinity, packed on host 0 and v5 on host 1; every move is done.
    assert_eq!(run("trace-migrate-free", ""), (vec![0, 3, 1, 5, 1], 3, 0));
}
