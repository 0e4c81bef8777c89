//! `bitbrains` (GWA-T-12): per-VM files with a header, ";\t"-separated, Unix-second timestamps.

use super::{close, read_all, read_error, run_bundled, series, write};
use crate::cli::temp_dir;
use crate::common::shared_trace;
use dcsim::scenario::TraceFormat::Bitbrains;
use dcsim::time::SimTime;

const HEADER: &str = "Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];\tCPU usage [%];\tMemory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];\tDisk write throughput [KB/s];\tNetwork received throughput [KB/s];\tNetwork transmitted throughput [KB/s]";

/// A file of rows (time, cores, usage %, memory KB), the other columns filled in.
fn file(rows: &[(&str, &str, &str, &str)]) -> String {
    let mut text = format!("{HEADER}\n");
    for (t, cores, usage, mem) in rows {
        text += &format!(
            "{t};\t{cores};\t2600.0;\t1.0;\t{usage};\t{mem};\t1000.0;\t0.0;\t1.0;\t0.0;\t0.0\n"
        );
    }
    text
}

const GIB_KB: &str = "1048576.0";

#[test]
fn each_file_is_one_vm_on_a_regular_grid() {
    let dir = temp_dir("perfile-bitbrains");
    // Created out of order. Ties at 1000 s replay in byte-wise name order: "10.csv" before "2.csv".
    write(
        &dir,
        "2.csv",
        &file(&[
            ("1000", "2", "50", "4194304"),
            ("1300", "2", "100", "4194304"),
            ("1600", "2", "25", "4194304"),
        ]),
    );
    let jittery = [
        ("1000", "4", "80", GIB_KB),
        ("1300", "4", "40", GIB_KB),
        ("1600", "4", "20", GIB_KB),
        ("1899", "4", "10", "2097152"),
        ("2499", "4", "60", GIB_KB), // a skipped sample: slot 4 holds slot 3's value
        ("2799", "2", "100", GIB_KB), // half the cores at 100 %: half the VM's request
    ];
    write(&dir, "10.csv", &file(&jittery));
    write(&dir, "1.csv", &file(&[("400", "1", "150", GIB_KB)]));
    write(&dir, "empty.csv", &file(&[]));
    let (vms, assumptions) = read_all(Bitbrains, &dir).unwrap();
    let arrivals: Vec<f64> = vms.iter().map(|v| v.arrival.as_secs_f64()).collect();
    assert_eq!(arrivals, [0.0, 600.0, 600.0]);
    let sizes: Vec<(Option<f64>, Option<f64>)> =
        vms.iter().map(|v| (v.cores, v.memory_gib)).collect();
    assert_eq!(
        sizes,
        [
            (Some(1.0), Some(1.0)),
            (Some(4.0), Some(2.0)),
            (Some(2.0), Some(4.0))
        ]
    );
    let got: Vec<Vec<f32>> = vms.iter().map(|v| series(v).1.to_vec()).collect();
    assert_eq!(
        got,
        [
            vec![1.0],
            vec![0.8, 0.4, 0.2, 0.1, 0.1, 0.6, 0.5],
            vec![0.5, 1.0, 0.25]
        ]
    );
    let lifetimes: Vec<Option<SimTime>> = vms.iter().map(|v| v.lifetime).collect();
    assert_eq!(
        lifetimes,
        [300, 2100, 900].map(|s| Some(SimTime::from_secs(s)))
    );
    assert!(vms.iter().all(|v| series(v).0 == 300.0));
    assert!(
        assumptions
            .iter()
            .any(|a| a.contains("without sample rows skipped: 1")),
        "{assumptions:?}"
    );
}

#[test]
fn malformed_values_name_file_line_and_column() {
    let dir = temp_dir("perfile-bitbrains-bad");
    let good = ("1000", "1", "5", GIB_KB);
    for (name, text, at, what) in [
        (
            "cores.csv",
            file(&[good, ("1300", "two", "5", GIB_KB)]),
            ":3:2",
            "`CPU cores`",
        ),
        (
            "usage.csv",
            file(&[good, ("1300", "1", "-5", GIB_KB)]),
            ":3:5",
            "zero or greater",
        ),
        (
            "time.csv",
            file(&[good, ("700", "1", "5", GIB_KB)]),
            ":3:1",
            "increasing order",
        ),
        (
            "short.csv",
            format!("{HEADER}\n1000;\t1;\t2600.0\n"),
            ":2:5",
            "missing field `CPU usage [%]`",
        ),
        (
            "header.csv",
            "Timestamp [ms];\tCPU cores\n1000;\t1\n".to_string(),
            ":1",
            "`CPU usage [%]`",
        ),
    ] {
        write(&dir, name, &text);
        let err = read_error(Bitbrains, &dir.join(name));
        assert!(
            err.contains(&format!("{name}{at}")) && err.contains(what),
            "{err}"
        );
    }
}

#[test]
fn the_real_sample_is_30_days_at_300_s() {
    let Some(path) = shared_trace("bitbrains-gwa-t-12/bitbrains.csv") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(';').map(|f| f.trim().parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 8619);
    let (first, last) = (&rows[0], &rows[8618]);
    let days = (last[0] - first[0]) / 86_400.0;
    assert!((29.9..30.1).contains(&days), "{days}");
    let (vms, _) = read_all(Bitbrains, &path).unwrap();
    assert_eq!(vms.len(), 1);
    let vm = &vms[0];
    assert_eq!(
        (vm.arrival, vm.cores, vm.memory_gib),
        (SimTime::ZERO, Some(first[1]), Some(first[5] / 1048576.0))
    );
    let (interval, values) = series(vm);
    assert_eq!(interval, 300.0);
    // One slot per 300 s from the first row to the last: the 8,619 rows plus the slots of skipped samples.
    let slots = ((last[0] - first[0]) / 300.0).round() as usize + 1;
    assert_eq!(values.len(), slots);
    assert!((8619..8619 + 30).contains(&slots), "{slots}");
    assert_eq!(vm.lifetime, Some(SimTime::from_secs(300 * slots as u64)));
    assert!(
        close(values[0] as f64, first[4] / 100.0)
            && close(values[slots - 1] as f64, last[4] / 100.0)
    );
    assert!(close(values[1] as f64, rows[1][4] / 100.0));
}

#[test]
fn the_bundled_bitbrains_scenario_runs_on_the_real_file() {
    let Some(path) = shared_trace("bitbrains-gwa-t-12/bitbrains.csv") else {
        return;
    };
    let r = run_bundled(
        "bitbrains",
        &[
            format!("workload.trace.path={}", path.display()),
            "simulation.duration=30d".into(),
        ],
    );
    assert_eq!(
        (r.summary.workloads_arrived, r.summary.workloads_placed),
        (1, 1)
    );
    assert!(r.summary.energy_kwh > 0.0);
}
