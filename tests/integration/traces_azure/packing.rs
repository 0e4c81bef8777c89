//! azure-packing-2020 on a fixture: the vm table with the vmType table, fractional days,
//! already-running VMs cut at 0, NULL ends, the reference machine, and malformed rows.

use super::{read_error, read_files, secs, write};
use crate::cli::temp_dir;
use dcsim::scenario::TraceFormat;
use dcsim::workload::trace::TraceFiles;
use std::path::Path;

const VM: &str = "\
vmId,tenantId,vmTypeId,priority,starttime,endtime
1,7,10,0,-0.5,0.25
2,7,11,1,0,
3,8,10,0,0.5,NULL
4,8,12,0,1.0,2.5
5,9,11,0,-3,-1
";

/// Machine 100 offers types 10 and 11 (the reference); type 12 only on 200 and 300.
const TYPES: &str = "\
id,vmTypeId,machineId,core,memory,hdd,ssd,nic
1,10,100,0.25,0.125,0,0,0
2,10,200,0.5,0.25,0,0,0
3,11,100,0.125,0.0625,0,0,0
4,12,200,0.75,0.5,0,0,0
5,12,300,0.5,0.75,0,0,0
";

fn files(dir: &Path, vm: &str, types: &str) -> TraceFiles {
    TraceFiles {
        main: write(dir, "vm.csv", vm),
        usage: None,
        machines: Some(write(dir, "vmType.csv", types)),
        ..TraceFiles::default()
    }
}

#[test]
fn vms_take_their_type_in_machine_fractions() {
    let dir = temp_dir("packing-fixture");
    let (vms, assumptions) =
        read_files(TraceFormat::AzurePacking2020, &files(&dir, VM, TYPES)).unwrap();
    // VM 5 ended before the trace began: skipped.
    assert_eq!(vms.len(), 4);
    let arrivals: Vec<f64> = vms.iter().map(|v| v.arrival.as_secs_f64()).collect();
    assert_eq!(arrivals, [0.0, 0.0, 43_200.0, 86_400.0]);
    let lifetimes: Vec<_> = vms.iter().map(|v| secs(v.lifetime)).collect();
    assert_eq!(lifetimes, [Some(21_600.0), None, None, Some(129_600.0)]);
    let sizes: Vec<_> = vms.iter().map(|v| (v.cores, v.memory_gib)).collect();
    assert_eq!(
        sizes,
        [
            (Some(0.25), Some(0.125)),
            (Some(0.125), Some(0.0625)),
            (Some(0.25), Some(0.125)),
            (Some(0.75), Some(0.75)),
        ]
    );
    let classes: Vec<&str> = vms.iter().map(|v| v.class.as_str()).collect();
    assert_eq!(
        classes,
        [
            "high-priority",
            "low-priority",
            "high-priority",
            "high-priority"
        ]
    );
    assert!(assumptions.iter().any(|a| a.contains("cpu_scale")));
}

#[test]
fn malformed_rows_name_file_line_and_column() {
    let dir = temp_dir("packing-bad");
    let cases = [
        (
            VM.replace("4,8,12,0,1.0", "4,8,99,0,1.0"),
            TYPES.to_string(),
            "vm.csv:5:3",
            "`vmTypeId`",
        ),
        (
            VM.replace("0,0.5,NULL", "0,0.5,soon"),
            TYPES.to_string(),
            "vm.csv:4:6",
            "`endtime`",
        ),
        (
            VM.replace("1,7,10,0,-0.5,0.25", "1,7,10,0,0.5,0.25"),
            TYPES.to_string(),
            "vm.csv:2:6",
            "at or after starttime",
        ),
        (
            VM.to_string(),
            TYPES.replace("0.75,0.5", "big,0.5"),
            "vmType.csv:5:4",
            "`core`",
        ),
        (
            VM.replace("vmId,tenantId", "vm,tenant"),
            TYPES.to_string(),
            "vm.csv:1",
            "expected the header",
        ),
    ];
    for (vm, types, at, what) in cases {
        let err = read_error(TraceFormat::AzurePacking2020, &files(&dir, &vm, &types));
        assert!(err.contains(at) && err.contains(what), "{at}: {err}");
    }
    let no_types = TraceFiles::main_only(&write(&dir, "vm.csv", VM));
    let err = read_error(TraceFormat::AzurePacking2020, &no_types);
    assert!(err.contains("machines_path"), "{err}");
}
