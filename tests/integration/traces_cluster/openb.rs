//! alibaba-gpu-2023 (OpenB): a fixture, then the real sample in ../shared/traces checked against
//! figures computed here from the files, and the bundled scenario that replays it.

use super::{assert_names, files, read_all, rows, write};
use crate::cli::temp_dir;
use crate::common::shared_trace;
use dcsim::scenario::TraceFormat;
use std::path::Path;

const PODS: &str = "\
name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
p0,12000,16384,1,1000,,LS,Running,0,500,0
p1,6000,12288,1,460,,BE,Failed,10,40,10
p2,500,1024,0,0,,BE,Pending,20,20,
p3,88000,327680,8,1000,,Burstable,Succeeded,30,900,30
p4,1000,2048,0,0,,LS,Running,40,900,40
";

const NODES: &str = "\
sn,cpu_milli,memory_mib,gpu,model
n0,32000,262144,0,
n1,96000,393216,8,G2
";

#[test]
fn pods_become_workloads_and_nodes_machines() {
    let dir = temp_dir("cluster-openb");
    let pods = write(&dir, "pods.csv", PODS);
    let nodes = write(&dir, "nodes.csv", NODES);
    let vms = read_all(TraceFormat::AlibabaGpu2023, &files(&pods, None, None)).unwrap();
    let s = |v: &str| v.to_string();
    assert_eq!(
        rows(&vms),
        [
            (0.0, Some(500.0), Some(12.0), Some(16.0), s("LS")),
            (10.0, Some(30.0), Some(6.0), Some(12.0), s("BE")),
            (20.0, Some(0.0), Some(0.5), Some(1.0), s("BE")),
            // Succeeded at the last timestamp: it did end then.
            (30.0, Some(870.0), Some(88.0), Some(320.0), s("Burstable")),
            // Running at the last timestamp: still running when the trace was cut.
            (40.0, None, Some(1.0), Some(2.0), s("LS")),
        ]
    );
    let mut reader = dcsim::workload::trace::open_reader(
        TraceFormat::AlibabaGpu2023,
        &files(&pods, None, Some(&nodes)),
    )
    .unwrap();
    let machines = reader.machines().unwrap();
    let sizes: Vec<(&str, f64, f64)> = machines
        .iter()
        .map(|m| (m.name.as_str(), m.cores, m.memory_gib))
        .collect();
    assert_eq!(sizes, [("n0", 32.0, 256.0), ("n1", 96.0, 384.0)]);
    assert!(
        reader
            .assumptions()
            .iter()
            .any(|a| a.contains("GPUs are not simulated"))
    );
}

#[test]
fn malformed_pods_name_file_line_and_column() {
    let dir = temp_dir("cluster-openb-bad");
    let bad = write(&dir, "pods.csv", &PODS.replace("p1,6000,", "p1,6k,"));
    let err = read_all(TraceFormat::AlibabaGpu2023, &files(&bad, None, None)).unwrap_err();
    assert_names(&err, "pods.csv:3:2", &["`cpu_milli`", "\"6k\""]);
    let bad = write(&dir, "pods.csv", &PODS.replace(",10,40,10", ",10,5,10"));
    let err = read_all(TraceFormat::AlibabaGpu2023, &files(&bad, None, None)).unwrap_err();
    assert_names(&err, "pods.csv:3:10", &["`deletion_time`", "creation_time"]);
    let bad = write(&dir, "pods.csv", "name,cpu_milli,memory_mib\np,1,1\n");
    let err = read_all(TraceFormat::AlibabaGpu2023, &files(&bad, None, None)).unwrap_err();
    assert_names(&err, "pods.csv:1", &["`creation_time`"]);
}

/// The rows of a header CSV without quoted fields, split by hand.
fn table(path: &Path) -> Vec<Vec<String>> {
    crate::cli::read(path)
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn the_real_openb_sample_matches_its_files() {
    let Some(pods) = shared_trace("alibaba-gpu-v2023-openb/openb_pod_list_default.csv") else {
        return;
    };
    let Some(nodes) = shared_trace("alibaba-gpu-v2023-openb/openb_node_list_all_node.csv") else {
        return;
    };
    let rows_in = table(&pods);
    let num = |r: &[String], i: usize| r[i].parse::<f64>().unwrap();
    let last = rows_in.iter().map(|r| num(r, 9)).fold(0.0, f64::max);
    let censored = rows_in
        .iter()
        .filter(|r| r[7] == "Running" && num(r, 9) == last)
        .count();
    let vms = read_all(
        TraceFormat::AlibabaGpu2023,
        &files(&pods, None, Some(&nodes)),
    )
    .unwrap();
    assert_eq!(vms.len(), rows_in.len());
    assert_eq!(vms.len(), 8152);
    assert_eq!(
        vms.iter().filter(|v| v.lifetime.is_none()).count(),
        censored
    );
    assert!(censored > 0 && censored < 100, "{censored}");
    let cores: f64 = rows_in.iter().map(|r| num(r, 1) / 1000.0).sum();
    let read_cores: f64 = vms.iter().map(|v| v.cores.unwrap()).sum();
    assert!((cores - read_cores).abs() < 1e-6, "{cores} vs {read_cores}");
    for (r, v) in rows_in.iter().zip(&vms).step_by(997) {
        assert_eq!(v.class, r[6]);
        assert_eq!(v.arrival.as_secs_f64(), num(r, 8));
        assert_eq!(v.memory_gib, Some(num(r, 2) / 1024.0));
        if let Some(lifetime) = v.lifetime {
            assert_eq!(lifetime.as_secs_f64(), num(r, 9) - num(r, 8));
        }
    }
    let be = rows_in.iter().filter(|r| r[6] == "BE").count();
    assert_eq!(vms.iter().filter(|v| v.class == "BE").count(), be);
    let node_rows = table(&nodes);
    let machines = dcsim::workload::trace::open_reader(
        TraceFormat::AlibabaGpu2023,
        &files(&pods, None, Some(&nodes)),
    )
    .unwrap()
    .machines()
    .unwrap();
    assert_eq!(machines.len(), node_rows.len());
    assert_eq!(machines[0].name, node_rows[0][0]);
    let node_cores: f64 = node_rows.iter().map(|r| num(r, 1) / 1000.0).sum();
    assert!((machines.iter().map(|m| m.cores).sum::<f64>() - node_cores).abs() < 1e-6);
}

#[test]
fn the_bundled_openb_scenario_runs_on_one_host_per_node() {
    let Some(nodes) = shared_trace("alibaba-gpu-v2023-openb/openb_node_list_all_node.csv") else {
        return;
    };
    let Some(pods) = shared_trace("alibaba-gpu-v2023-openb/openb_pod_list_default.csv") else {
        return;
    };
    let loaded = crate::common::load_bundled(
        "scenarios/traces/alibaba-gpu-2023.toml",
        &[
            format!("workload.trace.path={}", pods.display()),
            format!("workload.trace.machines_path={}", nodes.display()),
            "simulation.duration=150d".to_string(),
        ],
    );
    let result = dcsim::simulate(&loaded).unwrap();
    let s = &result.summary;
    assert_eq!(s.hosts as usize, table(&nodes).len());
    assert_eq!(s.workloads_arrived as usize, table(&pods).len());
    assert_eq!(s.workloads_placed, s.workloads_arrived);
    assert!(
        result
            .assumptions
            .iter()
            .any(|a| a.contains("GPUs are not simulated"))
    );
    // Every pod arrives within the 150 days; those still running when the trace was cut run on.
    let rows_in = table(&pods);
    let last = rows_in
        .iter()
        .map(|r| r[9].clone())
        .max_by_key(|d| d.parse::<u64>().unwrap());
    let censored = rows_in
        .iter()
        .filter(|r| r[7] == "Running" && Some(&r[9]) == last.as_ref())
        .count();
    assert_eq!(s.workloads_running_at_end as usize, censored);
    let note = format!("these {censored} run past the end");
    assert!(
        result.assumptions.iter().any(|a| a.contains(&note)),
        "{:?}",
        result.assumptions
    );
}
