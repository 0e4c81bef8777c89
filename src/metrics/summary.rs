//! `RunSummary`: every headline metric of a run, with units in the key names.

use super::{Counters, FacilityMeter, HostMeters};
use crate::cost::{TcoBreakdown, YEAR_S};
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
    /// IT energy (the servers' own draw).
    pub energy_kwh: f64,
    /// Mean IT power.
    pub mean_power_kw: f64,
    pub cooling_energy_kwh: f64,
    /// IT plus cooling.
    pub facility_energy_kwh: f64,
    /// Facility energy over IT energy.
    pub pue: f64,
    /// ∫ running workloads dt.
    pub delivered_vm_hours: f64,
    /// ∫ allocated vCPUs dt.
    pub delivered_core_hours: f64,
    /// ∫ workloads on overloaded hosts dt.
    pub sla_violation_vm_hours: f64,
    pub tco_usd: f64,
    pub tco_server_capex_usd: f64,
    pub tco_facility_capex_usd: f64,
    pub tco_facility_opex_usd: f64,
    pub tco_energy_usd: f64,
    pub tco_maintenance_usd: f64,
    pub tco_sla_penalty_usd: f64,
    /// TCO over delivered VM-hours.
    pub cost_per_vm_hour_usd: f64,
    /// TCO over delivered core-hours.
    pub cost_per_core_hour_usd: f64,
    /// Facility energy × grid intensity.
    pub operational_kgco2e: f64,
    /// Hosts' embodied carbon amortised over their lifetimes.
    pub embodied_kgco2e: f64,
    pub carbon_kgco2e: f64,
    /// Hosts booted and shut down (power.empty_host = "switch-off").
    pub host_boots: u64,
    pub host_shutdowns: u64,
    /// Mean time a host was on before each shutdown.
    pub mean_time_before_host_shutdown_seconds: f64,
    /// Live migrations completed, their mean copy time and the memory they moved.
    pub migrations: u64,
    pub mean_migration_seconds: f64,
    pub migrated_gib: f64,
    /// Mean time a VM stayed on a host before being migrated off it.
    pub mean_time_before_vm_migration_seconds: f64,
    /// SLA time per active host: mean over hosts of time at 100 % CPU over active time.
    pub slatah: f64,
    /// Performance degradation due to migrations: mean over VMs of CPU lost over CPU requested.
    pub pdm: f64,
    /// SLATAH × PDM.
    pub slav: f64,
    /// Energy (IT, kWh) × SLAV.
    pub esv: f64,
    pub rebalance_actions_rejected: u64,
    /// Workloads retired when their demand fell to zero (CloudSim-compatible profile only).
    pub workloads_retired: u64,
    /// Workloads ended early by the rebalancing policy (`Action::Kill`).
    pub workloads_killed: u64,
    /// ∫ workloads slowed by interference dt (present only with `[impact]` interference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interference_degraded_vm_hours: Option<f64>,
    /// ∫ Σ (1 − 1/slowdown) dt: VM-hours of work lost to interference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interference_lost_vm_hours: Option<f64>,
    /// Interference-slowed plus overloaded VM-hours (`sla_violation_vm_hours`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded_vm_hours: Option<f64>,
    /// Share of delivered VM-hours not slowed by interference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interference_free_fraction: Option<f64>,
    /// Workloads of classes interference can slow, judged against the interference SLA
    /// (`metrics::SlaClock`: ≥ 0.9 of demanded CPU delivered for ≥ 95 % of the time run), and
    /// how many were within it (present only with `[impact]` interference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interfering_workloads: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interfering_within_sla: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interfering_within_sla_fraction: Option<f64>,
    /// Host anomalies (only with `impact.anomalies` and `[insight]` on): hosts injected and
    /// begun, hosts the anomaly learner flags at the end, and its precision and recall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anomalous_hosts: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anomaly_flagged_hosts: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anomaly_precision: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anomaly_recall: Option<f64>,
    /// Failure metrics, present only with `[failures]`: written after the other keys of
    /// `summary.json` by `RunSummary::to_json`, kept out of the flat tables of experiments.
    #[serde(skip)]
    pub failures: Option<super::FailureSummary>,
    /// Service metrics, present only with `[[workload.services]]`, written as the failures are.
    #[serde(skip)]
    pub services: Option<super::ServiceSummary>,
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
    /// Cooling watts per IT watt, per host.
    pub cooling_per_it_watt: &'a [f64],
    pub facility: &'a FacilityMeter,
    pub tco: &'a TcoBreakdown,
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
        let cooling_j: f64 = m
            .energy_j
            .iter()
            .zip(i.cooling_per_it_watt)
            .map(|(e, c)| e * c)
            .sum();
        let vm_hours = m.workload_s.iter().sum::<f64>() / 3600.0;
        let core_hours = m.cpu_allocated.iter().sum::<f64>() / 1000.0 / 3600.0;
        let embodied: f64 = i
            .fleet
            .hosts()
            .map(|h| {
                let ty = i.fleet.type_of(h);
                ty.embodied_kgco2e * t / YEAR_S / ty.lifetime_years
            })
            .sum();
        let operational = i.facility.carbon_g / 1000.0;
        let tco = i.tco.total();
        let slatah = m.slatah();
        let pdm = c.pdm();
        let overload_vm_hours = m.overload_workload_s.iter().sum::<f64>() / 3600.0;
        let interference = (!m.interference_s.is_empty()).then(|| {
            (
                m.interference_s.iter().sum::<f64>() / 3600.0,
                m.interference_lost_s.iter().sum::<f64>() / 3600.0,
            )
        });
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
            cooling_energy_kwh: cooling_j / 3.6e6,
            facility_energy_kwh: (energy_j + cooling_j) / 3.6e6,
            pue: ratio(energy_j + cooling_j, energy_j),
            delivered_vm_hours: vm_hours,
            delivered_core_hours: core_hours,
            sla_violation_vm_hours: overload_vm_hours,
            tco_usd: tco,
            tco_server_capex_usd: i.tco.server_capex_usd,
            tco_facility_capex_usd: i.tco.facility_capex_usd,
            tco_facility_opex_usd: i.tco.facility_opex_usd,
            tco_energy_usd: i.tco.energy_usd,
            tco_maintenance_usd: i.tco.maintenance_usd,
            tco_sla_penalty_usd: i.tco.sla_penalty_usd,
            cost_per_vm_hour_usd: ratio(tco, vm_hours),
            cost_per_core_hour_usd: ratio(tco, core_hours),
            operational_kgco2e: operational,
            embodied_kgco2e: embodied,
            carbon_kgco2e: operational + embodied,
            host_boots: c.boots,
            host_shutdowns: c.shutdowns,
            mean_time_before_host_shutdown_seconds: c.mean_time_before_shutdown_s(),
            migrations: c.migrations,
            mean_migration_seconds: ratio(c.migration_s, c.migrations as f64),
            migrated_gib: c.migrated_mib as f64 / 1024.0,
            mean_time_before_vm_migration_seconds: c.mean_time_before_migration_s(),
            slatah,
            pdm,
            slav: slatah * pdm,
            esv: energy_j / 3.6e6 * slatah * pdm,
            rebalance_actions_rejected: c.actions_rejected,
            workloads_retired: c.retired,
            workloads_killed: c.killed,
            interference_degraded_vm_hours: interference.map(|(slowed, _)| slowed),
            interference_lost_vm_hours: interference.map(|(_, lost)| lost),
            degraded_vm_hours: interference.map(|(slowed, _)| slowed + overload_vm_hours),
            interference_free_fraction: interference.map(|(slowed, _)| {
                if vm_hours > 0.0 {
                    1.0 - slowed / vm_hours
                } else {
                    1.0
                }
            }),
            interfering_workloads: m.sla.is_on().then_some(m.sla.workloads),
            interfering_within_sla: m.sla.is_on().then_some(m.sla.within),
            interfering_within_sla_fraction: m.sla.is_on().then(|| m.sla.within_fraction()),
            anomalous_hosts: None,
            anomaly_flagged_hosts: None,
            anomaly_precision: None,
            anomaly_recall: None,
            failures: None,
            services: None,
        }
    }
}
