//! huawei-2021 on a fixture: creates paired with deletes, VMs released in arrival order though
//! completed out of order, VMs still running at the end, and malformed rows.

use super::{read_all, read_error, secs, write};
use crate::cli::temp_dir;
use crate::traces::trace_scenario;
use dcsim::scenario::TraceFormat;
use dcsim::workload::trace::TraceFiles;

const EVENTS: &str = "\
vmid,cpu,memory,time,type
0,4,16,0.0,0
1,8,16,2.0,0
2,1,1,5.0,0
2,1,1,7.0,1
3,2,4,9.0,0
1,8,16,20.0,1
0,4,16,30.0,1
9,2,2,31.0,1
";

#[test]
fn vms_come_out_sorted_by_arrival_with_their_lifetimes() {
    let dir = temp_dir("huawei-fixture");
    let vms = read_all(TraceFormat::Huawei2021, &write(&dir, "t.csv", EVENTS));
    // VM 9's delete has no create (it predates the trace): ignored.
    let got: Vec<_> = vms
        .iter()
        .map(|v| {
            (
                v.arrival.as_secs_f64(),
                secs(v.lifetime),
                v.cores,
                v.memory_gib,
                v.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (0.0, Some(30.0), Some(4.0), Some(16.0), 2),
            (2.0, Some(18.0), Some(8.0), Some(16.0), 3),
            (5.0, Some(2.0), Some(1.0), Some(1.0), 4),
            (9.0, None, Some(2.0), Some(4.0), 6),
        ]
    );
    // Without a header, the same.
    let bare = read_all(
        TraceFormat::Huawei2021,
        &write(&dir, "bare.csv", EVENTS.split_once('\n').unwrap().1),
    );
    assert_eq!(bare.len(), 4);
}

#[test]
fn a_run_replays_every_vm() {
    let dir = temp_dir("huawei-run");
    write(&dir, "t.csv", EVENTS);
    let file = trace_scenario(&dir, "huawei-2021", "t.csv", "");
    let (result, _) = crate::common::run_checked(&dcsim::scenario::load(&file, &[]).unwrap());
    assert_eq!(result.summary.workloads_arrived, 4);
}

#[test]
fn malformed_rows_name_file_line_and_column() {
    let dir = temp_dir("huawei-bad");
    let cases = [
        (
            EVENTS.replace("2,1,1,5.0,0", "2,1,1,5.0,3"),
            "t.csv:4:5",
            "0 (create) or 1 (delete)",
        ),
        (
            EVENTS.replace("1,8,16,2.0,0", "1,eight,16,2.0,0"),
            "t.csv:3:2",
            "`cpu`",
        ),
        (
            EVENTS.replace("2,1,1,7.0,1", "2,1,1,1.0,1"),
            "t.csv:5:4",
            "at or after the create",
        ),
        (
            EVENTS.replace("3,2,4,9.0,0", "0,2,4,9.0,0"),
            "t.csv:6:1",
            "created again",
        ),
        (
            EVENTS.replace("vmid,cpu", "id,cores"),
            "t.csv:1",
            "expected the header",
        ),
    ];
    for (text, at, what) in cases {
        let path = write(&dir, "t.csv", &text);
        let err = read_error(TraceFormat::Huawei2021, &TraceFiles::main_only(&path));
        assert!(err.contains(at) && err.contains(what), "{at}: {err}");
    }
}
