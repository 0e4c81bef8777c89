//! `swf`: Standard Workload Format 2.2, `;` comments, 18 fields, −1 unknown.

use super::{read_all, read_error, run_bundled, write};
use crate::cli::temp_dir;
use crate::common::shared_trace;
use dcsim::scenario::TraceFormat::Swf;
use dcsim::time::SimTime;
use dcsim::workload::trace::TraceUsage;

const LOG: &str = "; Version: 2.2
; Computer: Test machine
; MaxNodes: 64
; MaxProcs: 64
; Queue: 0 interactive
; Queue: 1 batch
;
    1    0  -1  100   4   50  1024  -1  -1    -1  1  1  1  -1  1  -1  -1  -1
    2   10  -1    0   8   -1    -1   8  -1    -1  1  1  1  -1  1  -1  -1  -1
    3   20  -1   -1   8   -1    -1   8  -1    -1  0  1  1  -1  1  -1  -1  -1
    4   30   5   60  -1   -1    -1  16  -1  2048  1  2  1  -1 -1  -1  -1  -1
    5   40  -1   70   2   -1    -1   2  -1    -1  3  2  1  -1  1  -1  -1  -1
; a comment between jobs

    6   50  -1   80  -1  200    -1  -1  -1    -1  1  3  1  -1  0  -1  -1  -1
";

#[test]
fn jobs_map_to_workloads_and_skips_are_counted() {
    let dir = temp_dir("perfile-swf");
    write(&dir, "log.swf", LOG);
    let (vms, assumptions) = read_all(Swf, &dir.join("log.swf")).unwrap();
    let ids: Vec<(f64, Option<SimTime>, &str, u64)> = vms
        .iter()
        .map(|v| {
            (
                v.arrival.as_secs_f64(),
                v.lifetime,
                v.class.as_str(),
                v.line,
            )
        })
        .collect();
    let s = |x| Some(SimTime::from_secs(x));
    assert_eq!(
        ids,
        [
            (0.0, s(100), "1", 8),
            (30.0, s(60), "", 11),
            (50.0, s(80), "0", 15)
        ]
    );
    // Job 1: 4 allocated processors × 1024 KB; job 4: 16 requested × 2048 KB; job 6: unknown.
    let sizes: Vec<(Option<f64>, Option<f64>)> =
        vms.iter().map(|v| (v.cores, v.memory_gib)).collect();
    assert_eq!(
        sizes,
        [
            (Some(4.0), Some(4.0 / 1024.0)),
            (Some(16.0), Some(32.0 / 1024.0)),
            (None, None)
        ]
    );
    let usage: Vec<&TraceUsage> = vms.iter().map(|v| &v.usage).collect();
    assert_eq!(
        usage,
        [
            &TraceUsage::Constant(0.5),
            &TraceUsage::Unknown,
            &TraceUsage::Constant(1.0)
        ]
    );
    let all = assumptions.join("\n");
    assert!(
        all.contains("2 with run time −1 or 0 and 1 partial-execution records of 6 job lines"),
        "{all}"
    );
    assert!(
        all.contains("MaxProcs 64") && all.contains("0 = interactive, 1 = batch"),
        "{all}"
    );
}

#[test]
fn malformed_values_name_file_line_and_column() {
    let dir = temp_dir("perfile-swf-bad");
    let row = "    1    0  -1  100   4   50  1024  -1  -1    -1  1  1  1  -1  1  -1  -1  -1";
    for (name, bad, at, what) in [
        (
            "word.swf",
            row.replace(" 4   50", " four 50"),
            ":8:5",
            "`allocated processors`: expected a number",
        ),
        (
            "negative.swf",
            row.replace(" 4   50", " -4  50"),
            ":8:5",
            "−1 for unknown",
        ),
        (
            "short.swf",
            row.replace("  -1  -1  -1", "  -1  -1"),
            ":8:18",
            "missing field `think time`",
        ),
        ("long.swf", format!("{row} 7"), ":8:19", "expected 18"),
    ] {
        write(&dir, name, &LOG.replacen(row, &bad, 1));
        let err = read_error(Swf, &dir.join(name));
        assert!(
            err.contains(&format!("{name}{at}")) && err.contains(what),
            "{err}"
        );
    }
}

#[test]
fn the_real_nasa_ipsc_log_has_18239_jobs() {
    let Some(path) = shared_trace("swf-nasa-ipsc-1993/NASA-iPSC-1993-3.1-cln.swf.gz") else {
        return;
    };
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()),
        &mut text,
    )
    .unwrap();
    let jobs: Vec<Vec<f64>> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with(';'))
        .map(|l| l.split_whitespace().map(|f| f.parse().unwrap()).collect())
        .collect();
    assert_eq!(jobs.len(), 18_239);
    let kept: Vec<&Vec<f64>> = jobs.iter().filter(|j| j[3] > 0.0).collect();
    let (vms, _) = read_all(Swf, &path).unwrap();
    assert_eq!(vms.len(), kept.len());
    assert_eq!(vms.len(), 18_239 - 173);
    for (vm, job) in [
        (&vms[0], kept[0]),
        (&vms[vms.len() - 1], kept[kept.len() - 1]),
    ] {
        assert_eq!(vm.arrival, SimTime::from_secs(job[1] as u64));
        assert_eq!(vm.lifetime, Some(SimTime::from_secs(job[3] as u64)));
        assert_eq!(vm.cores, Some(job[4]));
        assert_eq!(
            (vm.memory_gib, &vm.usage, vm.class.as_str()),
            (None, &TraceUsage::Unknown, "")
        );
    }
    let cores: f64 = vms.iter().filter_map(|v| v.cores).sum();
    assert_eq!(cores, kept.iter().map(|j| j[4]).sum::<f64>());
}

#[test]
fn the_bundled_swf_scenario_runs_on_the_real_log() {
    let Some(path) = shared_trace("swf-nasa-ipsc-1993/NASA-iPSC-1993-3.1-cln.swf.gz") else {
        return;
    };
    let r = run_bundled(
        "swf",
        &[
            format!("workload.trace.path={}", path.display()),
            "simulation.duration=93d".into(),
        ],
    );
    assert_eq!(r.summary.workloads_arrived, 18_066);
    assert_eq!(r.summary.workloads_rejected, 0);
}
