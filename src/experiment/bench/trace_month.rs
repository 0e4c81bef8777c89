//! The Huawei-format month: the synthetic Huawei-shaped month (`scenarios/bench/huawei-month.toml`)
//! written as a huawei-2021 trace (a create row at each arrival, a delete row at each end within
//! the month, whole seconds), then replayed end to end by `huawei-trace-month.toml` (beside this
//! file, not under scenarios/: it needs the trace written first): the trace
//! reader, the simulation and the run's tables, timed together; writing the trace is not timed.

use super::workloads;
use crate::engine::RngStreams;
use crate::experiment::ExperimentError;
use crate::report::{OutputOptions, OutputPolicy};
use crate::scenario::LoadedScenario;
use crate::workload::SyntheticWorkload;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// What one replay did: (hosts, VMs arrived, placed, events, wall seconds).
pub type Replay = (u64, u64, u64, u64, f64);

/// Writes the trace of `(path, text)`'s synthetic month to `trace`, then replays it through
/// `(replay_path, replay_text)` with `sets` into a folder beside the trace; both are removed.
pub fn measure(
    generator: (&str, &str),
    replay: (&str, &str),
    sets: &[String],
) -> Result<Replay, ExperimentError> {
    let scenario = |e| ExperimentError::Scenario {
        context: "bench workload huawei-trace-month".into(),
        error: Box::new(e),
    };
    let dir = std::env::temp_dir().join(format!("dcsim-bench-trace-{}", std::process::id()));
    let io = |e: std::io::Error| ExperimentError::input(&dir, e);
    std::fs::create_dir_all(&dir).map_err(io)?;
    let trace = dir.join("huawei-month.csv");
    let result = (|| {
        let month = workloads::load(generator.0, generator.1, &[]).map_err(scenario)?;
        write_trace(&month, &trace).map_err(io)?;
        let mut sets = sets.to_vec();
        sets.push(format!("workload.trace.path={}", trace.display()));
        let loaded = workloads::load(replay.0, replay.1, &sets).map_err(scenario)?;
        let output = OutputOptions {
            plots: false,
            replace: OutputPolicy::default(),
        };
        let started = Instant::now();
        let r = crate::report::run_to_dir(
            &loaded,
            &dir.join("out"),
            Default::default(),
            output,
            &mut |_, _| {},
        )
        .map_err(|e| ExperimentError::Run {
            context: "bench workload huawei-trace-month".into(),
            error: Box::new(e),
        })?;
        let wall = started.elapsed().as_secs_f64();
        let s = &r.summary;
        Ok((
            s.hosts,
            s.workloads_arrived,
            s.workloads_placed,
            s.events_processed,
            wall,
        ))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The synthetic month of `month` as huawei-2021 rows, sorted by (time, create before delete,
/// VM): VM i is `i`, cores and GiB its request.
pub fn write_trace(month: &LoadedScenario, path: &Path) -> std::io::Result<()> {
    let sc = &month.scenario;
    let (_, _, features) = crate::landscape::build(sc).map_err(std::io::Error::other)?;
    let mut synthetic = SyntheticWorkload::new(sc, &features, RngStreams::new(sc.simulation.seed));
    let horizon = sc.simulation.duration;
    let secs = |t: crate::time::SimTime| t.as_secs_f64().round() as u64;
    // (time, type, vm, cores, GiB)
    let mut rows = Vec::new();
    while let Some(w) = synthetic.next_workload() {
        let (cores, gib) = (w.request.cores(), w.request.gib());
        rows.push((secs(w.arrival), 0u8, w.id.0, cores, gib));
        if let Some(end) = w.lifetime.map(|l| w.arrival.saturating_add(l))
            && end <= horizon
        {
            rows.push((secs(end), 1, w.id.0, cores, gib));
        }
    }
    rows.sort_by_key(|r| (r.0, r.1, r.2));
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "vmid,cpu,memory,time,type")?;
    for (t, kind, vm, cores, gib) in rows {
        writeln!(out, "{vm},{cores},{gib},{t},{kind}")?;
    }
    out.flush()
}
