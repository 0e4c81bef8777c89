//! `planetlab`: a folder of per-VM files, one CPU % per line every 300 s, read in name order.

use super::{close, read_all, read_error, run_bundled, series, write};
use crate::cli::temp_dir;
use crate::common::{run_checked, shared_trace};
use dcsim::scenario::TraceFormat::Planetlab;
use dcsim::time::SimTime;
use std::io::Write;

#[test]
fn a_folder_is_read_in_name_order_with_one_vm_per_file() {
    let dir = temp_dir("perfile-planetlab");
    // Created out of order; "vm-b.gz" is gzip.
    write(&dir, "vm-c", "10\n20\n30\n");
    write(&dir, "vm-a", "0\n100\n\n");
    write(&dir, ".hidden", "not a trace");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"55\n45\n5\n95\n").unwrap();
    std::fs::write(dir.join("vm-b.gz"), gz.finish().unwrap()).unwrap();
    let (vms, assumptions) = read_all(Planetlab, &dir).unwrap();
    let got: Vec<Vec<f32>> = vms.iter().map(|v| series(v).1.to_vec()).collect();
    assert_eq!(
        got,
        [
            vec![0.0, 1.0],
            vec![0.55, 0.45, 0.05, 0.95],
            vec![0.1, 0.2, 0.3]
        ]
    );
    for vm in &vms {
        assert_eq!(series(vm).0, 300.0);
        assert_eq!(vm.arrival, SimTime::ZERO);
        assert_eq!(
            vm.lifetime,
            Some(SimTime::from_secs(300 * series(vm).1.len() as u64))
        );
        assert_eq!((vm.cores, vm.memory_gib), (None, None));
    }
    assert!(
        assumptions.iter().any(|a| a.contains("per-VM files: 3")),
        "{assumptions:?}"
    );
}

#[test]
fn sizes_follow_the_catalogue_in_file_order() {
    let dir = temp_dir("perfile-planetlab-sizes");
    std::fs::create_dir(dir.join("vms")).unwrap();
    for name in ["3", "1", "2", "0"] {
        write(&dir.join("vms"), name, "50\n50\n");
    }
    let extra =
        "sizes = [{ size = \"small\" }, { size = \"big\" }]\nsize_assignment = \"round-robin\"";
    let file = crate::traces::trace_scenario(&dir, "planetlab", "vms", extra);
    let (result, mut records) = run_checked(&dcsim::scenario::load(&file, &[]).unwrap());
    assert_eq!(result.summary.workloads_arrived, 4);
    records.sort_by_key(|r| r.id);
    let cores: Vec<f64> = records.iter().map(|r| r.cores).collect();
    assert_eq!(cores, [1.0, 4.0, 1.0, 4.0]);
    assert!(
        records.iter().all(|r| r.ended_s == Some(600.0)),
        "{records:?}"
    );
}

#[test]
fn malformed_values_name_file_line_and_column() {
    let dir = temp_dir("perfile-planetlab-bad");
    for (name, text, at, what) in [
        ("a", "12\nabc\n", ":2:1", "\"abc\""),
        ("b", "12\n150\n", ":2:1", "between 0 and 100"),
        ("c", "12\n\n13\n", ":2:1", "empty line"),
    ] {
        let sub = dir.join(name);
        std::fs::create_dir(&sub).unwrap();
        write(&sub, "vm", text);
        let err = read_error(Planetlab, &sub);
        assert!(
            err.contains(&format!("vm{at}")) && err.contains(what),
            "{err}"
        );
    }
    std::fs::create_dir(dir.join("empty")).unwrap();
    assert!(read_error(Planetlab, &dir.join("empty")).contains("at least one per-VM file"));
}

#[test]
fn the_real_2011_03_03_sample_has_1052_vms_of_a_day() {
    let Some(dir) = shared_trace("planetlab/20110303") else {
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let (vms, _) = read_all(Planetlab, &dir).unwrap();
    assert_eq!((vms.len(), names.len()), (1052, 1052));
    assert!(
        vms.iter()
            .all(|v| series(v).1.len() == 288 && v.lifetime == Some(SimTime::from_secs(86_400)))
    );
    // The first and last VMs are the byte-wise first and last files.
    for (vm, name) in [(&vms[0], &names[0]), (&vms[1051], &names[1051])] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let want: Vec<f64> = text
            .lines()
            .map(|l| l.trim().parse::<f64>().unwrap() / 100.0)
            .collect();
        let got = series(vm).1;
        assert_eq!(want.len(), got.len(), "{name}");
        assert!(
            want.iter().zip(got).all(|(w, g)| close(*w, *g as f64)),
            "{name}"
        );
    }
}

#[test]
fn the_bundled_planetlab_scenario_runs_on_the_real_day() {
    let Some(dir) = shared_trace("planetlab/20110303") else {
        return;
    };
    let r = run_bundled(
        "planetlab",
        &[
            format!("workload.trace.path={}", dir.display()),
            "workload.trace.expected_workloads=1052".into(),
        ],
    );
    assert_eq!(r.summary.workloads_arrived, 1052);
    assert_eq!(r.summary.workloads_placed, 1052);
    assert!(r.summary.energy_kwh > 0.0);
}
