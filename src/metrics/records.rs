//! Rows of the run's tables: time series, hosts, workloads.

use serde::Serialize;

/// One row of `timeseries.csv`, taken at every sample.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TimeseriesRow {
    pub time_s: f64,
    pub running_workloads: u64,
    pub queued_workloads: u64,
    pub active_hosts: u32,
    /// Delivered CPU over physical CPU of all hosts.
    pub cpu_utilisation: f64,
    /// Allocated CPU over allocatable CPU of all hosts.
    pub cpu_allocated: f64,
    /// Allocated memory over allocatable memory of all hosts.
    pub memory_utilisation: f64,
    /// IT power of all hosts.
    pub power_kw: f64,
    /// IT plus cooling power.
    pub facility_power_kw: f64,
    /// Cumulative IT energy.
    pub energy_kwh: f64,
    pub arrived: u64,
    pub placed: u64,
    pub rejected: u64,
    /// Hosts powered on (not off, booting or shutting down).
    pub hosts_on: u32,
    /// Hosts holding workloads that they cannot give all they want (SLATAH's numerator).
    pub hosts_at_full_cpu: u32,
    /// Live migrations completed so far.
    pub migrations: u64,
    /// Host power-state transitions so far ("switch-off" only).
    pub host_boots: u64,
    pub host_shutdowns: u64,
    /// Mean time before a host shutdown and before a VM migration, over those so far, seconds.
    pub mean_time_before_shutdown_s: f64,
    pub mean_time_before_migration_s: f64,
    /// SLATAH, PDM (over workloads finished so far) and SLAV up to this time.
    pub slatah: f64,
    pub pdm: f64,
    pub slav: f64,
    /// Entities (hosts, racks, PDUs, cooling units) failed now, and hosts down now (their own
    /// failure or one above them); columns present only with `[failures]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_entities: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_hosts: Option<u32>,
    /// Hosts cut off by a failed ToR switch now, and hosts throttled by a failed cooling unit
    /// (before they trip); running, not down. Only with `[failures]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cut_off_hosts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttled_hosts: Option<u32>,
}

/// One row of `hosts.csv`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HostRow {
    pub host: u32,
    pub name: String,
    pub rack: String,
    pub host_type: String,
    pub cores: f64,
    pub memory_gib: f64,
    pub mean_cpu_utilisation: f64,
    pub mean_memory_utilisation: f64,
    pub active_seconds: f64,
    pub overload_seconds: f64,
    pub energy_kwh: f64,
    pub workloads_placed: u64,
    /// The anomaly learner's score at the end (`[insight]` on): the weighted mean of the host's
    /// observed over predicted power − 1 (0 for a host never scored); column absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anomaly_score: Option<f64>,
}

/// What became of a workload.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Departed,
    /// Ended early by a rebalancing policy (`Action::Kill`).
    Killed,
    /// Fitted nowhere and there was no queue.
    Rejected,
    /// Waited in the queue longer than `queue.max_wait`.
    Expired,
    /// Still running at the end of the simulation.
    Running,
    /// Still queued at the end of the simulation.
    Queued,
    /// Killed by a failure of its host (or what its host depends on) and not restarted before
    /// its end or the end of the run.
    Failed,
}

/// One row of `workloads.csv`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WorkloadRecord {
    pub id: u64,
    /// Index into the run's class names.
    pub class: u16,
    pub arrival_s: f64,
    pub cores: f64,
    pub memory_gib: f64,
    pub outcome: Outcome,
    pub host: Option<u32>,
    pub placed_s: Option<f64>,
    pub ended_s: Option<f64>,
    pub wait_s: f64,
}
