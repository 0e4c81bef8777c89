//! azure-v1 on the real excerpt in `../shared/traces/azure-v1-2017` (10 VMs; 100 readings at
//! t = 0 of other VMs), checked against the file parsed here independently; the bundled
//! scenario's run; and `dcsim trace inspect` / `convert` then a replay of the native file.

use super::{drain, read_all, read_files, secs};
use crate::cli::{dcsim, temp_dir};
use crate::common::shared_trace;
use dcsim::scenario::TraceFormat;
use dcsim::time::SimTime;
use dcsim::workload::trace::{TraceFiles, TraceUsage, key_of, open_reader};
use std::io::Read;
use std::path::Path;

const VMTABLE: &str = "azure-v1-2017/vmtable.csv.gz";
const READINGS: &str = "azure-v1-2017/vm_cpu_readings-file-1-of-125.csv.gz";

/// The rows of a gzip CSV file, split on commas.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

#[test]
fn the_sample_vmtable_matches_the_file() {
    let Some(path) = shared_trace(VMTABLE) else {
        return;
    };
    let expected = rows(&path);
    let vms = read_all(TraceFormat::AzureV1, &path);
    assert_eq!((vms.len(), expected.len()), (10, 10));
    for (vm, row) in vms.iter().zip(&expected) {
        let (created, deleted) = (num(&row[3]), num(&row[4]));
        assert_eq!(vm.arrival.as_secs_f64(), created);
        let lifetime = (deleted < 2_591_700.0).then_some(deleted - created);
        assert_eq!(secs(vm.lifetime), lifetime);
        assert_eq!(vm.class, row[8]);
        assert_eq!(vm.cores, Some(num(&row[9])));
        assert_eq!(vm.memory_gib, Some(num(&row[10])));
        assert_eq!(vm.usage, TraceUsage::Constant(num(&row[6]) / 100.0));
    }
    let running = expected.iter().filter(|r| r[4] == "2591700").count();
    assert_eq!(running, 6);
    assert_eq!(vms.iter().filter(|v| v.lifetime.is_none()).count(), running);
    // Hand-checked against `zcat`: the seventh VM lives 30 minutes from 2,290,500 s.
    assert_eq!(
        (vms[6].arrival, secs(vms[6].lifetime)),
        (SimTime::from_secs(2_290_500), Some(1800.0))
    );
    assert_eq!(vms[6].class, "Unkown", "the trace's own spelling");
}

#[test]
fn the_sample_readings_stream_with_their_own_keys() {
    let (Some(table), Some(readings)) = (shared_trace(VMTABLE), shared_trace(READINGS)) else {
        return;
    };
    let expected = rows(&readings);
    let files = TraceFiles {
        main: table.clone(),
        usage: Some(readings),
        machines: None,
        ..TraceFiles::default()
    };
    let mut reader = open_reader(TraceFormat::AzureV1, &files).unwrap();
    let vms = drain(reader.as_mut()).unwrap();
    let mut out = Vec::new();
    reader.usage_until(SimTime::ZERO, &mut out).unwrap();
    assert_eq!(out.len(), 100);
    for ((key, u), row) in out.iter().zip(&expected) {
        assert_eq!(*key, key_of(&row[1]));
        assert_eq!(*u, num(&row[4]) / 100.0);
    }
    // As SOURCE.txt says: none of the readings is of a vmtable VM.
    let keys: Vec<u64> = vms.iter().map(|v| v.key).collect();
    assert!(rows(&table).iter().all(|r| keys.contains(&key_of(&r[0]))));
    assert!(out.iter().all(|(k, _)| !keys.contains(k)));
    reader.usage_until(SimTime::MAX, &mut out).unwrap();
    assert_eq!(out.len(), 100);
}

#[test]
fn the_bundled_scenario_runs_on_the_real_excerpt() {
    let Some(table) = shared_trace(VMTABLE) else {
        return;
    };
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/traces/azure-v1.toml");
    let loaded = crate::common::load_bundled(
        "scenarios/traces/azure-v1.toml",
        &[format!("workload.trace.path={}", table.display())],
    );
    let (result, records) = crate::common::run_checked(&loaded);
    let s = &result.summary;
    assert_eq!((s.workloads_arrived, s.workloads_placed), (10, 10));
    assert_eq!(records.len(), 10);
    let o = dcsim(&["validate", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn inspect_and_convert_then_replay_give_the_same_workloads() {
    let Some(path) = shared_trace(VMTABLE) else {
        return;
    };
    let o = dcsim(&[
        "trace",
        "inspect",
        "azure-v1",
        path.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (s["workloads"].clone(), s["running_at_end"].clone()),
        (10.into(), 6.into())
    );
    assert_eq!(s["last_arrival_s"], 2_290_500.0);
    let out = temp_dir("azure-v1-convert").join("native.csv");
    let o = dcsim(&[
        "trace",
        "convert",
        "azure-v1",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let native = read_all(TraceFormat::Native, &out);
    let azure = read_files(TraceFormat::AzureV1, &TraceFiles::main_only(&path))
        .unwrap()
        .0;
    let key = |v: &dcsim::workload::trace::TraceVm| {
        (
            v.arrival,
            v.lifetime,
            v.cores,
            v.memory_gib,
            v.class.clone(),
        )
    };
    assert_eq!(
        native.iter().map(key).collect::<Vec<_>>(),
        azure.iter().map(key).collect::<Vec<_>>()
    );
    // Replayed: the same arrivals in the same order.
    let run = |format: &str, trace: &Path| {
        let over = [
            dcsim::scenario::Override::parse(&format!("workload.trace.format={format:?}")).unwrap(),
            dcsim::scenario::Override::parse(&format!(
                "workload.trace.path={:?}",
                trace.to_str().unwrap()
            ))
            .unwrap(),
        ];
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/traces/azure-v1.toml");
        let (_, mut records) =
            crate::common::run_checked(&dcsim::scenario::load(&file, &over).unwrap());
        records.sort_by_key(|r| r.id);
        records
            .iter()
            .map(|r| (r.arrival_s, r.cores, r.memory_gib, r.ended_s))
            .collect::<Vec<_>>()
    };
    assert_eq!(run("native", &out), run("azure-v1", &path));
}
