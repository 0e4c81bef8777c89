//! `HostMeters`: energy, CPU, memory, active and overload time per host, each integrated exactly
//! (value × Δt) whenever the host's state is about to change. `Counters`: what happened to workloads.

use crate::landscape::{Fleet, HostId};
use crate::time::SimTime;

/// Per-host integrals, in dense arrays indexed by `HostId`.
#[derive(Clone, Debug, Default)]
pub struct HostMeters {
    last: Vec<SimTime>,
    /// Joules.
    pub energy_j: Vec<f64>,
    /// ∫ min(demand, physical) dt, in millicore·seconds.
    pub cpu_used: Vec<f64>,
    /// ∫ allocated memory dt, in MiB·seconds.
    pub memory_allocated: Vec<f64>,
    /// Seconds with at least one workload.
    pub active_s: Vec<f64>,
    /// Seconds with CPU demand above physical capacity (possible only with over-commitment).
    pub overload_s: Vec<f64>,
    /// Workloads ever placed on the host.
    pub placements: Vec<u64>,
    /// Seconds while holding workloads that the host could not give them all they want: at
    /// 100 % CPU or more, a workload held to the per-core limit, or (when
    /// `migrations_fall_short`) a workload migrating onto it (SLATAH's numerator).
    pub full_s: Vec<f64>,
    /// Count a migration's destination as active and short of CPU, as CloudSim does: the
    /// incoming VM is in the destination's list from the copy's start, allocated 10 % of what it
    /// requests (`VmSchedulerTimeSharedOverSubscription`), while the source's utilisation still
    /// counts all of it (`HostDynamicWorkload` divides the 90 % it allocates by 0.9).
    pub migrations_fall_short: bool,
    /// SLATAH as CloudSim 3.0.3 computes it (`Helper.getSlaTimePerActiveHost`): time short of
    /// CPU over active time, both summed over hosts, instead of the mean of each host's ratio.
    pub slatah_of_totals: bool,
    /// ∫ running workloads dt, workload·seconds.
    pub workload_s: Vec<f64>,
    /// ∫ allocated CPU dt, millicore·seconds.
    pub cpu_allocated: Vec<f64>,
    /// ∫ workloads on the host while it is overloaded dt, workload·seconds (SLA violation).
    pub overload_workload_s: Vec<f64>,
    /// ∫ residents slowed by interference dt, workload·seconds (empty unless `[impact]` is on).
    pub interference_s: Vec<f64>,
    /// ∫ Σ (1 − 1/slowdown) dt over residents: workload·seconds of work lost to interference.
    pub interference_lost_s: Vec<f64>,
    /// Per-workload interference SLA clocks (off unless `[impact]` interference is on).
    pub sla: super::SlaClock,
}

impl HostMeters {
    pub fn new(hosts: usize) -> HostMeters {
        HostMeters {
            last: vec![SimTime::ZERO; hosts],
            energy_j: vec![0.0; hosts],
            cpu_used: vec![0.0; hosts],
            memory_allocated: vec![0.0; hosts],
            active_s: vec![0.0; hosts],
            overload_s: vec![0.0; hosts],
            placements: vec![0; hosts],
            full_s: vec![0.0; hosts],
            workload_s: vec![0.0; hosts],
            cpu_allocated: vec![0.0; hosts],
            overload_workload_s: vec![0.0; hosts],
            interference_s: Vec::new(),
            interference_lost_s: Vec::new(),
            sla: Default::default(),
            migrations_fall_short: false,
            slatah_of_totals: false,
        }
    }

    /// Integrates host `h`'s current state from its last change up to `now`.
    pub fn advance(&mut self, h: HostId, now: SimTime, fleet: &Fleet) {
        let i = h.index();
        let dt = now.saturating_sub(self.last[i]).as_secs_f64();
        self.last[i] = now;
        if dt == 0.0 {
            return;
        }
        let demand = fleet.cpu_demand[i] as f64;
        let physical = fleet.physical_cpu[i] as f64;
        self.energy_j[i] += fleet.power_w[i] * dt;
        self.cpu_used[i] += demand.min(physical) * dt;
        self.memory_allocated[i] += fleet.allocated[i].memory as f64 * dt;
        self.cpu_allocated[i] += fleet.allocated[i].cpu as f64 * dt;
        let workloads = fleet.workloads[i] as f64;
        self.workload_s[i] += workloads * dt;
        if self.busy(i, fleet) {
            self.active_s[i] += dt;
            if self.short_of_cpu(i, fleet) {
                self.full_s[i] += dt;
            }
        }
        if demand > physical {
            self.overload_s[i] += dt;
            self.overload_workload_s[i] += workloads * dt;
        }
        if let Some(e) = fleet.mix.effect.get(i)
            && !self.interference_s.is_empty()
        {
            self.interference_s[i] += e.slowed as f64 * dt;
            self.interference_lost_s[i] += e.lost * dt;
        }
        if self.sla.is_on() {
            let share = if demand > physical {
                physical / demand
            } else {
                1.0
            };
            self.sla.advance(i, dt, share);
        }
    }

    /// Whether host `i` holds workloads (or, see `migrations_fall_short`, receives one).
    fn busy(&self, i: usize, fleet: &Fleet) -> bool {
        fleet.workloads[i] > 0 || (self.migrations_fall_short && fleet.migrating_in[i] > 0)
    }

    /// Whether host `i` cannot give its workloads all they want now (see `full_s`).
    pub fn short_of_cpu(&self, i: usize, fleet: &Fleet) -> bool {
        let migrating = self.migrations_fall_short && fleet.migrating_in[i] > 0;
        fleet.cpu_demand[i] >= fleet.physical_cpu[i] as u64
            || fleet.short_workloads[i] > 0
            || migrating
    }

    /// Energy, SLATAH and hosts short of CPU up to `now`, without advancing (one pass).
    /// SLATAH is the mean over hosts that have held workloads of the share of that time they
    /// were short of CPU.
    pub fn so_far(&self, now: SimTime, fleet: &Fleet) -> SoFar {
        let mut out = SoFar::default();
        let mut slatah = Slatah::default();
        for i in 0..self.active_s.len() {
            let since = now.saturating_sub(self.last[i]).as_secs_f64();
            out.energy_j += self.energy_j[i] + fleet.power_w[i] * since;
            let busy = self.busy(i, fleet);
            let short = busy && self.short_of_cpu(i, fleet);
            out.hosts_short += u32::from(short);
            let active = self.active_s[i] + if busy { since } else { 0.0 };
            slatah.add(self.full_s[i] + if short { since } else { 0.0 }, active);
        }
        out.slatah = slatah.value(self.slatah_of_totals);
        out
    }

    /// SLATAH over the whole run, for meters advanced to its end.
    pub fn slatah(&self) -> f64 {
        let mut slatah = Slatah::default();
        for (full, active) in self.full_s.iter().zip(&self.active_s) {
            slatah.add(*full, *active);
        }
        slatah.value(self.slatah_of_totals)
    }

    /// Integrates every host up to `now`.
    pub fn advance_all(&mut self, now: SimTime, fleet: &Fleet) {
        for h in fleet.hosts() {
            self.advance(h, now, fleet);
        }
    }
}

/// SLATAH's sums over hosts that have held workloads.
#[derive(Default)]
struct Slatah {
    ratios: f64,
    hosts: usize,
    short_s: f64,
    active_s: f64,
}

impl Slatah {
    fn add(&mut self, short_s: f64, active_s: f64) {
        if active_s > 0.0 {
            self.ratios += short_s / active_s;
            self.hosts += 1;
            self.short_s += short_s;
            self.active_s += active_s;
        }
    }

    /// The mean of the hosts' ratios (the paper's definition), or the ratio of the sums.
    fn value(&self, of_totals: bool) -> f64 {
        match (of_totals, self.hosts) {
            (_, 0) => 0.0,
            (true, _) => self.short_s / self.active_s,
            (false, n) => self.ratios / n as f64,
        }
    }
}

/// What `HostMeters::so_far` reports.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SoFar {
    pub energy_j: f64,
    pub slatah: f64,
    /// Hosts holding workloads that they cannot give all they want now.
    pub hosts_short: u32,
}

/// Counts of what happened to workloads, and running totals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counters {
    pub events: u64,
    pub arrived: u64,
    pub placed: u64,
    /// Rejected at arrival (no queue) plus expired in the queue.
    pub rejected: u64,
    pub expired_in_queue: u64,
    /// Workloads that could not be placed at arrival and joined the queue.
    pub waited: u64,
    pub departed: u64,
    /// Sum of waits of placed workloads, in seconds.
    pub total_wait_s: f64,
    pub active_hosts: u32,
    pub peak_active_hosts: u32,
    /// Power-state transitions ("switch-off" only).
    pub boots: u64,
    pub shutdowns: u64,
    /// Sum over shutdowns of how long the host had been on.
    pub on_before_shutdown_s: f64,
    /// Live migrations completed, their copy time, memory moved, and time on the source before.
    pub migrations: u64,
    pub migration_s: f64,
    pub migrated_mib: u64,
    pub time_before_migration_s: f64,
    /// Rebalancing actions refused by the engine (not valid when carried out).
    pub actions_rejected: u64,
    pub retired: u64,
    /// Workloads ended by `Action::Kill`.
    pub killed: u64,
    /// Σ over finished workloads of (CPU lost to migrations / CPU requested), and their count.
    pub pdm_sum: f64,
    pub pdm_count: u64,
    /// Σ over finished workloads of CPU lost to migrations and of CPU requested (millicore-s).
    pub pdm_lost_mcs: f64,
    pub pdm_requested_mcs: f64,
    /// PDM as CloudSim 3.0.3 computes it (`Helper.getSlaMetrics`): CPU lost to migrations over
    /// CPU requested, summed over every VM, instead of the mean of each VM's ratio.
    pub pdm_of_totals: bool,
}

impl Counters {
    /// Adds a workload's performance degradation due to migrations (Beloglazov & Buyya's PDM).
    /// Mean time hosts had been on when they shut down, seconds (0 before the first).
    pub fn mean_time_before_shutdown_s(&self) -> f64 {
        mean(self.on_before_shutdown_s, self.shutdowns)
    }

    /// Mean time workloads had been on their host when a migration moved them, seconds.
    pub fn mean_time_before_migration_s(&self) -> f64 {
        mean(self.time_before_migration_s, self.migrations)
    }

    /// PDM so far: the mean over finished workloads of the share of their CPU lost to
    /// migrations.
    pub fn pdm(&self) -> f64 {
        if self.pdm_of_totals {
            return if self.pdm_requested_mcs > 0.0 {
                self.pdm_lost_mcs / self.pdm_requested_mcs
            } else {
                0.0
            };
        }
        if self.pdm_count > 0 {
            self.pdm_sum / self.pdm_count as f64
        } else {
            0.0
        }
    }

    /// Adds a workload's ∫ demand dt and ∫ (CPU lost to migration) dt, millicore·seconds.
    pub fn add_pdm(&mut self, requested_mcs: f64, degraded_mcs: f64) {
        if requested_mcs > 0.0 {
            self.pdm_sum += degraded_mcs / requested_mcs;
            self.pdm_count += 1;
            self.pdm_lost_mcs += degraded_mcs;
            self.pdm_requested_mcs += requested_mcs;
        }
    }
}

/// `sum / n`, 0 when `n` is 0.
fn mean(sum: f64, n: u64) -> f64 {
    if n > 0 { sum / n as f64 } else { 0.0 }
}
