//! One workload measured in this process: a bundled scenario simulated end to end, or the event
//! queue alone. `dcsim bench` runs each in a fresh child process (`dcsim bench --one NAME
//! --json`), so the peak resident memory a measurement reports belongs to that workload alone.

use super::memory::{current_rss_mib, peak_rss_mib};
use super::workloads::{self, Kind, Workload};
use crate::engine::{Event, EventQueue};
use crate::experiment::ExperimentError;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// What one workload measured.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Measurement {
    pub workload: String,
    pub description: String,
    pub target: String,
    pub hosts: u64,
    /// Workloads that arrived (the engine workload: 0).
    pub vms: u64,
    pub placements: u64,
    pub events: u64,
    /// Wall time of the run alone (building the landscape included, parsing excluded; a trace
    /// replay: reading the trace and writing the run's tables included).
    pub wall_s: f64,
    pub events_per_s: f64,
    pub placements_per_s: f64,
    /// Peak resident memory (`VmHWM`) of the process that ran only this workload, in MiB.
    pub peak_rss_mib: f64,
    /// Its resident memory before the run started (binary, allocator, scenario), in MiB.
    pub base_rss_mib: f64,
    /// The calibration loop's time in the same process right after the run, in seconds
    /// (`calibration.rs`): time targets scale by it against the reference machine's.
    #[serde(default)]
    pub calibration_s: f64,
    /// The reference machine's calibration time the verdict scales against (seconds).
    #[serde(default)]
    pub reference_calibration_s: f64,
    /// Threads the run could use (the usage pass shares out its workloads among them).
    #[serde(default)]
    pub threads: usize,
}

/// Events pushed and popped by the engine workload.
const ENGINE_EVENTS: u64 = 20_000_000;
/// Events pending in the queue while the engine workload runs.
const ENGINE_PENDING: u64 = 10_000;

/// Runs workload `w` with `sets` applied (scenarios only) and measures it.
pub fn measure(w: &Workload, sets: &[String]) -> Result<Measurement, ExperimentError> {
    let base = current_rss_mib();
    let mut m = match w.kind {
        Kind::Scenario { path, text } => measure_scenario(w, path, text, sets)?,
        Kind::TraceReplay {
            generator,
            path,
            text,
        } => {
            let (hosts, vms, placements, events, wall_s) =
                super::trace_month::measure(generator, (path, text), sets)?;
            measurement(w, hosts, vms, placements, events, wall_s)
        }
        Kind::Engine if sets.is_empty() => measure_engine(w),
        Kind::Engine => {
            return Err(ExperimentError::BadInput(
                "--set does not apply to the engine workload".into(),
            ));
        }
    };
    m.base_rss_mib = base;
    m.peak_rss_mib = peak_rss_mib();
    // After the peak is read: the calibration's own arrays must not count as the workload's.
    m.calibration_s = super::calibration::calibrate();
    Ok(m)
}

fn measure_scenario(
    w: &Workload,
    path: &str,
    text: &str,
    sets: &[String],
) -> Result<Measurement, ExperimentError> {
    let loaded = workloads::load(path, text, sets).map_err(|e| ExperimentError::Scenario {
        context: format!("bench workload {}", w.name),
        error: Box::new(e),
    })?;
    let started = Instant::now();
    let result = crate::simulate(&loaded).map_err(|e| ExperimentError::Run {
        context: format!("bench workload {}", w.name),
        error: Box::new(e),
    })?;
    let wall_s = started.elapsed().as_secs_f64();
    let s = &result.summary;
    Ok(measurement(
        w,
        s.hosts,
        s.workloads_arrived,
        s.workloads_placed,
        s.events_processed,
        wall_s,
    ))
}

/// The event queue alone: `ENGINE_PENDING` events pending, then `ENGINE_EVENTS` pops, each
/// followed by one push up to two simulated minutes later (a departure rescheduled).
fn measure_engine(w: &Workload) -> Measurement {
    let mut queue = EventQueue::with_capacity(ENGINE_PENDING as usize + 1);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut delay = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % 120_000_000
    };
    for handle in 0..ENGINE_PENDING as u32 {
        let event = Event::Departure {
            handle,
            generation: 0,
        };
        queue.push(SimTime(delay()), event);
    }
    let started = Instant::now();
    for _ in 0..ENGINE_EVENTS {
        let Some((now, event)) = queue.pop() else {
            break;
        };
        queue.push(SimTime(now.0 + 1 + delay()), std::hint::black_box(event));
    }
    let wall_s = started.elapsed().as_secs_f64();
    std::hint::black_box(queue.len());
    measurement(w, 0, 0, 0, ENGINE_EVENTS, wall_s)
}

fn measurement(
    w: &Workload,
    hosts: u64,
    vms: u64,
    placements: u64,
    events: u64,
    wall_s: f64,
) -> Measurement {
    let per_s = |n: u64| if wall_s > 0.0 { n as f64 / wall_s } else { 0.0 };
    Measurement {
        workload: w.name.to_string(),
        description: w.description.to_string(),
        target: w.target.to_string(),
        hosts,
        vms,
        placements,
        events,
        wall_s,
        events_per_s: per_s(events),
        placements_per_s: per_s(placements),
        peak_rss_mib: 0.0,
        base_rss_mib: 0.0,
        calibration_s: 0.0,
        reference_calibration_s: super::calibration::REFERENCE_CALIBRATION_S,
        threads: rayon::current_num_threads(),
    }
}
