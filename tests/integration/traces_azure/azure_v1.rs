//! azure-v1 on fixtures: fields, lifetimes cut at the trace's end, malformed rows, gzip, and the
//! vm_cpu_readings usage feed (read lazily, in time order, and replayed sample by sample).

use super::{read_all, read_error, read_files, secs, write};
use crate::cli::{read, temp_dir};
use crate::traces::trace_scenario;
use dcsim::scenario::TraceFormat;
use dcsim::time::SimTime;
use dcsim::workload::trace::{TraceFiles, TraceUsage, key_of, open_reader};
use std::io::Write;

pub const VMTABLE: &str = "\
vm-a,s1,d1,0,2591700,90,25,80,Interactive,2,4
vm-b,s1,d1,300,3900,100,50,95,Delay-insensitive,1,1.75
vm-c,s2,d2,600,1200,10,,9,Unknown,4,8
vm-d,s2,d2,900,2591700,99,120,99,Interactive,8,56
";

#[test]
fn rows_map_to_vms_with_the_trace_end_as_still_running() {
    let dir = temp_dir("azure-v1-fixture");
    let path = write(&dir, "vmtable.csv", VMTABLE);
    let (vms, assumptions) =
        read_files(TraceFormat::AzureV1, &TraceFiles::main_only(&path)).unwrap();
    assert_eq!(vms.len(), 4);
    let arrivals: Vec<f64> = vms.iter().map(|v| v.arrival.as_secs_f64()).collect();
    assert_eq!(arrivals, [0.0, 300.0, 600.0, 900.0]);
    let lifetimes: Vec<Option<f64>> = vms.iter().map(|v| secs(v.lifetime)).collect();
    assert_eq!(lifetimes, [None, Some(3600.0), Some(600.0), None]);
    assert_eq!((vms[1].cores, vms[1].memory_gib), (Some(1.0), Some(1.75)));
    assert_eq!(vms[0].class, "Interactive");
    assert_eq!(vms[0].usage, TraceUsage::Constant(0.25));
    assert_eq!(vms[2].usage, TraceUsage::Unknown, "empty avgcpu");
    assert_eq!(vms[3].usage, TraceUsage::Constant(1.0), "120 % capped");
    assert_eq!(vms[0].key, 0, "no readings: no keys");
    assert!(assumptions.iter().any(|a| a.contains("2591700")));
    assert!(assumptions.iter().any(|a| a.contains("avgcpu / 100")));
}

#[test]
fn gzip_is_read_transparently() {
    let dir = temp_dir("azure-v1-gz");
    let path = dir.join("vmtable.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(VMTABLE.as_bytes()).unwrap();
    gz.finish().unwrap();
    let plain = read_all(TraceFormat::AzureV1, &write(&dir, "vmtable.csv", VMTABLE));
    assert_eq!(read_all(TraceFormat::AzureV1, &path), plain);
}

#[test]
fn malformed_rows_name_file_line_and_column() {
    let dir = temp_dir("azure-v1-bad");
    let cases = [
        (
            VMTABLE.replace(",1,1.75", ",one,1.75"),
            "t.csv:2:10",
            "`vmcorecount`",
        ),
        (
            VMTABLE.replace("600,1200", "600,100"),
            "t.csv:3:5",
            "at or after vmcreated",
        ),
        (
            VMTABLE.replace("s2,d2,900", "s2,d2,-5"),
            "t.csv:4:4",
            "zero or greater",
        ),
        (
            VMTABLE.replace(",Interactive,2,4", ",Interactive,2"),
            "t.csv:1:11",
            "expected 11 fields",
        ),
    ];
    for (text, at, what) in cases {
        let path = write(&dir, "t.csv", &text);
        let err = read_error(TraceFormat::AzureV1, &TraceFiles::main_only(&path));
        assert!(err.contains(at) && err.contains(what), "{at}: {err}");
    }
}

const READINGS: &str = "\
0,vm-a,1,40,25
0,elsewhere,1,2,3
600,vm-a,10,80,50
900,elsewhere,1,2,
1200,vm-a,50,100,100
";

#[test]
fn readings_stream_up_to_the_time_asked_in_order() {
    let dir = temp_dir("azure-v1-readings");
    let files = TraceFiles {
        main: write(&dir, "vmtable.csv", VMTABLE),
        usage: Some(write(&dir, "readings.csv", READINGS)),
        machines: None,
        ..TraceFiles::default()
    };
    let mut reader = open_reader(TraceFormat::AzureV1, &files).unwrap();
    assert!(reader.has_usage_feed());
    let vm = reader.next_vm().unwrap().unwrap();
    assert_eq!(vm.key, key_of("vm-a"));
    let mut out = Vec::new();
    reader.usage_until(SimTime::ZERO, &mut out).unwrap();
    assert_eq!(out, [(key_of("vm-a"), 0.25), (key_of("elsewhere"), 0.03)]);
    out.clear();
    reader
        .usage_until(SimTime::from_secs(599), &mut out)
        .unwrap();
    assert!(out.is_empty());
    // The 900 s row has no avgcpu: skipped.
    reader
        .usage_until(SimTime::from_secs(1200), &mut out)
        .unwrap();
    assert_eq!(out, [(key_of("vm-a"), 0.5), (key_of("vm-a"), 1.0)]);
    let unsorted = write(&dir, "bad.csv", &READINGS.replace("600,vm-a", "60000,vm-a"));
    let mut reader = open_reader(
        TraceFormat::AzureV1,
        &TraceFiles {
            usage: Some(unsorted),
            ..files
        },
    )
    .unwrap();
    let err = reader
        .usage_until(SimTime::MAX, &mut out)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad.csv:4:1") && err.contains("sorted"),
        "{err}"
    );
}

#[test]
fn a_folder_of_readings_is_read_in_shard_order() {
    let dir = temp_dir("azure-v1-reading-folder");
    let shards = dir.join("readings");
    std::fs::create_dir_all(&shards).unwrap();
    write(
        &shards,
        "vm_cpu_readings-file-10-of-10.csv",
        "600,vm-a,1,2,60\n",
    );
    write(
        &shards,
        "vm_cpu_readings-file-2-of-10.csv",
        "300,vm-a,1,2,30\n",
    );
    write(&shards, "notes.txt", "not a reading");
    let files = TraceFiles {
        main: write(&dir, "vmtable.csv", VMTABLE),
        usage: Some(shards),
        machines: None,
        ..TraceFiles::default()
    };
    let mut reader = open_reader(TraceFormat::AzureV1, &files).unwrap();
    let mut out = Vec::new();
    reader.usage_until(SimTime::MAX, &mut out).unwrap();
    assert_eq!(out, [(key_of("vm-a"), 0.3), (key_of("vm-a"), 0.6)]);
}

#[test]
fn a_run_follows_the_readings_sample_by_sample() {
    let dir = temp_dir("azure-v1-feed-run");
    write(
        &dir,
        "vmtable.csv",
        "vm-a,s,d,0,2591700,90,10,80,Interactive,8,8\n",
    );
    write(&dir, "readings.csv", READINGS);
    let file = trace_scenario(
        &dir,
        "azure-v1",
        "vmtable.csv",
        "usage_path = \"readings.csv\"",
    );
    let text = read(&file)
        .replace("duration = \"1d\"", "duration = \"30m\"")
        .replace("sample_interval = \"5m\"", "sample_interval = \"10m\"");
    std::fs::write(&file, text).unwrap();
    let r = dcsim::simulate(&dcsim::scenario::load(&file, &[]).unwrap()).unwrap();
    let cpu: Vec<f64> = r.timeseries.iter().map(|row| row.cpu_utilisation).collect();
    // 8 of 16 cores at 25 %, 50 %, 100 %, then the last reading holds.
    assert_eq!(cpu, [0.125, 0.25, 0.5, 0.5]);
}
