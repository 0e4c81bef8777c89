//! `RunSummary`: every headline metric of a run, with units in the key names.

use super::{Counters, HostMeters};
use crate::landscape::Fleet;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// The contents of `summary.json`. Key order is fixed by this struct.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RunSummary {
    pub scenario: String,
    pub seed: u64,
    pub placement_policy: String,
    pub hosts: u64,
    pub simulated_seconds: f64,
    pub events_processed: u64,
    pub workloads_arrived: u64,
    pub workloads_placed: u64,
    pub workloads_rejected: u64,
    pub workloads_queued_at_end: u64,
    pub workloads_expired_in_queue: u64,
    pub workloads_waited: u64,
    pub workloads_departed: u64,
    pub workloads_running_at_end: u64,
    /// Rejected over arrived.
    pub rejected_fraction: f64,
    /// Arrivals that could not be placed at once (joined the queue), over arrived.
    pub waited_fraction: f64,
    /// Mean wait of placed workloads, in seconds.
    pub mean_wait_seconds: f64,
    /// Time-average of delivered CPU over physical CPU of all hosts.
    pub mean_cpu_utilisation: f64,
    /// Delivered CPU over physical CPU of hosts while they held workloads.
    pub mean_cpu_utilisation_active_hosts: f64,
    /// Time-average of allocated memory over allocatable memory of all hosts.
    pub mean_memory_utilisation: f64,
    pub mean_active_hosts: f64,
    pub peak_active_hosts: u64,
    /// Host-seconds spent with CPU demand above capacity (over-commitment only).
    pub overload_host_seconds: f64,
    pub energy_kwh: f64,
    pub mean_power_kw: f64,
}

/// Everything the summary is computed from.
pub struct SummaryInputs<'a> {
    pub scenario: &'a str,
    pub seed: u64,
    pub policy: &'a str,
    pub duration: SimTime,
    pub fleet: &'a Fleet,
    pub meters: &'a HostMeters,
    pub counters: &'a Counters,
    pub queued_at_end: u64,
    pub running_at_end: u64,
}

impl RunSummary {
    pub fn compute(i: &SummaryInputs) -> RunSummary {
        let t = i.duration.as_secs_f64();
        let c = i.counters;
        let m = i.meters;
        let physical_cpu: f64 = i.fleet.physical_cpu.iter().map(|&x| x as f64).sum();
        let memory: f64 = i.fleet.capacity.iter().map(|r| r.memory as f64).sum();
        let cpu_used: f64 = m.cpu_used.iter().sum();
        let active_cpu: f64 = i
            .fleet
            .hosts()
            .map(|h| i.fleet.physical_cpu[h.index()] as f64 * m.active_s[h.index()])
            .sum();
        let energy_j: f64 = m.energy_j.iter().sum();
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        RunSummary {
            scenario: i.scenario.to_string(),
            seed: i.seed,
            placement_policy: i.policy.to_string(),
            hosts: i.fleet.len() as u64,
            simulated_seconds: t,
            events_processed: c.events,
            workloads_arrived: c.arrived,
            workloads_placed: c.placed,
            workloads_rejected: c.rejected,
            workloads_queued_at_end: i.queued_at_end,
            workloads_expired_in_queue: c.expired_in_queue,
            workloads_waited: c.waited,
            workloads_departed: c.departed,
            workloads_running_at_end: i.running_at_end,
            rejected_fraction: ratio(c.rejected as f64, c.arrived as f64),
            waited_fraction: ratio(c.waited as f64, c.arrived as f64),
            mean_wait_seconds: ratio(c.total_wait_s, c.placed as f64),
            mean_cpu_utilisation: ratio(cpu_used, physical_cpu * t),
            mean_cpu_utilisation_active_hosts: ratio(cpu_used, active_cpu),
            mean_memory_utilisation: ratio(m.memory_allocated.iter().sum(), memory * t),
            mean_active_hosts: ratio(m.active_s.iter().sum(), t),
            peak_active_hosts: c.peak_active_hosts as u64,
            overload_host_seconds: m.overload_s.iter().sum(),
            energy_kwh: energy_j / 3.6e6,
            mean_power_kw: ratio(energy_j, t) / 1000.0,
        }
    }
}
