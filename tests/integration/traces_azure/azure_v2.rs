//! azure-v2 on a fixture: core and memory buckets, open buckets (">24") at the next power of
//! two, and a malformed bucket naming file, line and column.

use super::{read_error, read_files, secs, write};
use crate::cli::temp_dir;
use dcsim::scenario::TraceFormat;
use dcsim::workload::trace::TraceFiles;

const VMTABLE: &str = "\
v1,s,d,0,86400,50,20,40,Interactive,2,4
v2,s,d,60,2591700,50,20,40,Delay-insensitive,>24,>64
v3,s,d,120,180,50,20,40,Unknown,8,32
";

#[test]
fn buckets_map_to_sizes() {
    let dir = temp_dir("azure-v2-fixture");
    let path = write(&dir, "vmtable.csv", VMTABLE);
    let (vms, assumptions) =
        read_files(TraceFormat::AzureV2, &TraceFiles::main_only(&path)).unwrap();
    let sizes: Vec<_> = vms.iter().map(|v| (v.cores, v.memory_gib)).collect();
    assert_eq!(
        sizes,
        [
            (Some(2.0), Some(4.0)),
            (Some(32.0), Some(128.0)),
            (Some(8.0), Some(32.0))
        ]
    );
    let lifetimes: Vec<_> = vms.iter().map(|v| secs(v.lifetime)).collect();
    assert_eq!(lifetimes, [Some(86400.0), None, Some(60.0)]);
    assert!(assumptions.iter().any(|a| a.contains("\">24\" cores = 32")));
}

#[test]
fn a_malformed_bucket_names_file_line_and_column() {
    let dir = temp_dir("azure-v2-bad");
    let path = write(&dir, "t.csv", &VMTABLE.replace(">64", ">lots"));
    let err = read_error(TraceFormat::AzureV2, &TraceFiles::main_only(&path));
    assert!(
        err.contains("t.csv:2:11") && err.contains("`vmmemorybucket`") && err.contains("\">lots\""),
        "{err}"
    );
}
