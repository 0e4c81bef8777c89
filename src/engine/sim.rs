//! `Simulation`: the world of one run and the event loop that advances it.

use super::{Event, EventQueue, LiveSet, Purpose, RngStreams};
use crate::cost::{CostDrivers, TcoBreakdown};
use crate::insight::InformationCore;
use crate::landscape::{self, FitIndex, Fleet, Landscape};
use crate::metrics::{
    Counters, FacilityMeter, HostMeters, RunSummary, SummaryInputs, TimeseriesRow, WorkloadRecord,
};
use crate::policy::{self, Placement};
use crate::scenario::LoadedScenario;
use crate::time::SimTime;
use crate::workload::{SyntheticWorkload, TraceError, TraceStream, WorkloadSpec, WorkloadStream};
use std::collections::VecDeque;

/// Why a run stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("building the landscape: {0}")]
    Landscape(#[from] landscape::BuildError),
    #[error(transparent)]
    Trace(#[from] TraceError),
    #[error(
        "policy {policy:?} chose host {host} for workload {workload}, which does not fit there"
    )]
    InvalidPlacement {
        policy: String,
        workload: u64,
        host: u32,
    },
    #[error(transparent)]
    Insight(#[from] crate::insight::InsightError),
    #[error(transparent)]
    FailureInput(crate::scenario::ScenarioError),
    /// The scenario implies more memory than the run may use.
    #[error(transparent)]
    TooLarge(crate::scenario::ScenarioError),
    #[error("invariant broken at t={time}: {what}")]
    Invariant { time: SimTime, what: String },
    /// `DCSIM_THREADS` is set to something other than a whole number from 1 to 8.
    #[error(
        "environment variable DCSIM_THREADS: expected a whole number from 1 to {max} (the usage pass's threads), got {0:?}",
        max = super::sampling::MAX_PASS_THREADS
    )]
    BadThreads(String),
}

impl EngineError {
    /// True when the user's input was at fault (exit status 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            EngineError::Landscape(_)
                | EngineError::Trace(_)
                | EngineError::FailureInput(_)
                | EngineError::TooLarge(_)
                | EngineError::Insight(_)
                | EngineError::BadThreads(_)
        )
    }
}

/// Hooks through which a run reports as it goes; the engine itself never prints or writes.
pub trait RunObserver {
    /// A workload's fate is settled (or the run ended with it running or queued).
    fn workload_finished(&mut self, _record: &WorkloadRecord, _class: &str) {}
    /// Simulated time advanced; called every few thousand events.
    fn progress(&mut self, _now: SimTime, _end: SimTime) {}
}

/// An observer that ignores everything.
pub struct NoObserver;
impl RunObserver for NoObserver {}

/// Options that change how a run is checked, not what it computes.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// After every event, check capacity and conservation (O(hosts) per event: tests only).
    pub check_invariants: bool,
    /// Record how the placement policy decided on the workload with this id (`dcsim explain`).
    pub explain_workload: Option<u64>,
    /// Record the first placement decision at or after this instant (`dcsim explain --at`).
    pub explain_at: Option<SimTime>,
    /// Refuse to start when the scenario's memory estimate exceeds this many bytes (`None`:
    /// this machine's memory).
    pub max_memory: Option<u64>,
}

/// What a run produced.
#[derive(Debug)]
pub struct RunResult {
    pub summary: RunSummary,
    pub tco: TcoBreakdown,
    pub timeseries: Vec<TimeseriesRow>,
    pub fleet: Fleet,
    pub meters: HostMeters,
    pub landscape: Landscape,
    pub class_names: Vec<String>,
    /// What the workload source assumed where it was silent.
    pub assumptions: Vec<String>,
    /// What the background flow learned (`[insight]` on), for `information_core.json`.
    pub information_core: Option<InformationCore>,
    /// The decision `RunOptions::explain_workload` asked about (its last attempt), or the first
    /// at or after `explain_at`, if it came.
    pub explanation: Option<crate::policy::recipe::Explanation>,
}

/// The landscape of a scenario, with the machines of its trace when `landscape.from_trace` is set.
pub fn landscape_of(s: &LoadedScenario) -> Result<(Landscape, Fleet), EngineError> {
    let streams = RngStreams::new(s.scenario.simulation.seed);
    let (_, landscape, fleet) = open_workload(s, streams, None)?;
    Ok((landscape, fleet))
}

/// How long after each scheduling interval CloudSim's updates fall (its minimum time between
/// events); the CloudSim-compatible profile reads usage series at that offset.
pub(super) const CLOUDSIM_UPDATE_OFFSET: SimTime = SimTime(100_000);

/// The workload stream and the landscape: a trace is opened first, since it may list the machines.
fn open_workload(
    s: &LoadedScenario,
    streams: RngStreams,
    max_memory: Option<u64>,
) -> Result<(WorkloadStream, Landscape, Fleet), EngineError> {
    let sc = &s.scenario;
    let limit = crate::scenario::footprint::memory_limit(max_memory);
    crate::scenario::Footprint::of(sc)
        .check(limit, &s.source)
        .map_err(EngineError::TooLarge)?;
    let Some(trace) = &sc.workload.trace else {
        let (landscape, fleet, features) = landscape::build(sc)?;
        let synthetic = SyntheticWorkload::new(sc, &features, streams);
        return Ok((
            WorkloadStream::Synthetic(synthetic, Default::default()),
            landscape,
            fleet,
        ));
    };
    let base = s.source.file.parent().unwrap_or(std::path::Path::new("."));
    let sizes = streams.stream(Purpose::Sizes);
    let mut stream = TraceStream::open(trace, &sc.workload, base, sc.simulation.duration, sizes)?;
    let machines = if sc.landscape.from_trace.is_some() {
        stream.machines()?
    } else {
        Vec::new()
    };
    let (landscape, fleet, _) = landscape::build_with_machines(sc, &machines)?;
    Ok((WorkloadStream::Trace(Box::new(stream)), landscape, fleet))
}

/// Live workloads by id, for usage readings that name workloads by id.
#[derive(Debug, Default)]
pub(super) struct UsageFeed {
    pub handles: std::collections::HashMap<crate::workload::WorkloadId, (u32, u32)>,
    pub readings: Vec<(crate::workload::WorkloadId, f64)>,
}
/// The state of one run.
pub struct Simulation<'o> {
    pub(super) now: SimTime,
    pub(super) end: SimTime,
    pub(super) sample_interval: SimTime,
    pub(super) events: EventQueue,
    pub(super) fleet: Fleet,
    pub(super) index: FitIndex,
    pub(super) landscape: Landscape,
    pub(super) stream: WorkloadStream,
    pub(super) pending: Option<WorkloadSpec>,
    pub(super) policy: Box<dyn Placement>,
    pub(super) policy_name: String,
    pub(super) core: InformationCore,
    pub(super) live: LiveSet,
    /// Workloads waiting for capacity, in arrival order.
    pub(super) waiting: VecDeque<WorkloadSpec>,
    pub(super) queue_enabled: bool,
    pub(super) max_wait: Option<SimTime>,
    pub(super) power: crate::scenario::PowerSpec,
    /// Hosts that are off, by the capacity they would offer once booted ("switch-off" only).
    pub(super) off_index: Option<FitIndex>,
    /// Hosts now booting.
    pub(super) booting: u32,
    pub(super) idle_since: Vec<SimTime>,
    /// Scratch of `on_sample`: hosts whose demand changed this sample, and a mark per host.
    pub(super) changed_hosts: Vec<crate::landscape::HostId>,
    /// Scratch of `on_sample`: workloads to retire (CloudSim-compatible profile).
    pub(super) retiring: Vec<u32>,
    /// Hosts the usage pass under way has already listed in `changed_hosts` (all false
    /// between passes).
    pub(super) host_listed: Vec<bool>,
    /// The usage pass's per-shard accumulators.
    pub(super) pass_shards: super::sampling::PassShards,
    /// Each host's per-core request limit in millicores (`Fleet::request_limit`), for the
    /// usage pass; filled at the first sample.
    pub(super) request_limits: Vec<u32>,
    /// The rebalancing policy ("none" leaves it empty) and its round's scratch.
    pub(super) rebalancer: Option<Box<dyn crate::policy::Rebalance>>,
    pub(super) rebalance_interval: SimTime,
    /// The first rebalancing round is still to be scheduled (by the first sample).
    pub(super) first_round_due: bool,
    pub(super) migration_penalty: f64,
    /// `landscape.cpu_allocation = "demand"`: CPU is allocated by current demand.
    pub(super) allocate_by_demand: bool,
    /// `rebalance.profile = "cloudsim-compat"`.
    pub(super) cloudsim_compat: bool,
    /// CloudSim-compatible profile: the instant of CloudSim's last update before the end, after
    /// which it integrates no more energy (its power meter stops there).
    pub(super) energy_ends_at: Option<SimTime>,
    /// CloudSim-compatible profile: VMs whose usage falls to zero are retired (not under the
    /// non-power-aware baseline, whose datacenter never removes VMs).
    pub(super) retire_idle_vms: bool,
    pub(super) host_history: Vec<crate::insight::Window>,
    pub(super) vm_history: Vec<crate::insight::Window>,
    /// The policy reads workloads' windows (else none is kept).
    pub(super) vm_history_wanted: bool,
    pub(super) actions: Vec<crate::policy::Action>,
    pub(super) on_since: Vec<SimTime>,
    pub(super) meters: HostMeters,
    /// Cooling watts per IT watt of each host.
    pub(super) cooling: Vec<f64>,
    pub(super) facility: FacilityMeter,
    cost_spec: crate::scenario::CostSpec,
    pub(super) counters: Counters,
    pub(super) timeseries: Vec<TimeseriesRow>,
    pub(super) options: RunOptions,
    /// For streams whose usage readings arrive separately: live handles by workload id.
    pub(super) feed: Option<UsageFeed>,
    pub(super) observer: &'o mut dyn RunObserver,
    /// Ground truth of `[impact]` (interference, CPU factors); `None` when off.
    pub(super) impact: Option<Box<crate::impact::WorkloadImpact>>,
    /// The background flow (`[insight]`); `None` when off.
    pub(super) learning: Option<super::background::Learning>,
    pub(super) explanation: Option<crate::policy::recipe::Explanation>,
    /// The failure model (`[failures]`); `None` costs nothing.
    pub(super) failures: Option<Box<super::failures::FailureModel>>,
    /// The services (`[[workload.services]]`); `None` costs nothing.
    pub(super) services: Option<Box<super::services::ServiceModel>>,
    scenario_name: String,
    seed: u64,
}

const PROGRESS_EVERY: u64 = 1 << 14;

impl<'o> Simulation<'o> {
    /// Builds the world of a validated scenario.
    pub fn new(
        s: &LoadedScenario,
        options: RunOptions,
        observer: &'o mut dyn RunObserver,
    ) -> Result<Self, EngineError> {
        let sc = &s.scenario;
        let streams = RngStreams::new(sc.simulation.seed);
        let (stream, landscape, fleet) = open_workload(s, streams, options.max_memory)?;
        let cooling = crate::impact::cooling_per_it_watt(&landscape, &sc.cooling);
        let policy_name = sc.policy.placement.get_ref().clone();
        let threshold = policy::rebalance::placement_threshold(
            sc.rebalance.policy.get_ref(),
            sc.rebalance.threshold.0,
        );
        let class_names = stream.class_names();
        let host_racks: Vec<u32> = landscape
            .host_racks
            .iter()
            .map(|r| r.index() as u32)
            .collect();
        let policy = policy::placement_for(
            sc,
            (&class_names, &host_racks),
            streams.stream(Purpose::Policy),
            threshold,
        )
        .expect("validated: policy name is known");
        let hosts = fleet.len();
        let mut sim = Simulation {
            now: SimTime::ZERO,
            end: sc.simulation.duration,
            sample_interval: sc.simulation.sample_interval,
            events: EventQueue::with_capacity(1024),
            index: if policy.orders_hosts_by_room() {
                FitIndex::new(&fleet)
            } else {
                FitIndex::new(&fleet).without_ordered_sets()
            },
            fleet,
            landscape,
            stream,
            pending: None,
            policy,
            policy_name,
            core: InformationCore::default(),
            live: LiveSet::default(),
            waiting: VecDeque::new(),
            queue_enabled: sc.queue.enabled,
            max_wait: sc.queue.max_wait,
            power: sc.power.clone(),
            off_index: None,
            booting: 0,
            idle_since: vec![SimTime::ZERO; hosts],
            changed_hosts: Vec::new(),
            retiring: Vec::new(),
            host_listed: vec![false; hosts],
            pass_shards: super::sampling::PassShards::new(),
            request_limits: Vec::new(),
            rebalancer: policy::rebalance_for(
                sc,
                (&class_names, &host_racks),
                streams.stream(Purpose::Rebalance),
            ),
            rebalance_interval: sc.rebalance.interval,
            first_round_due: false,
            migration_penalty: sc.rebalance.migration_cpu_penalty.0,
            cloudsim_compat: sc.rebalance.profile == crate::scenario::ModelProfile::CloudsimCompat,
            energy_ends_at: None,
            retire_idle_vms: false,
            allocate_by_demand: sc.landscape.cpu_allocation
                == crate::scenario::CpuAllocation::Demand,
            host_history: vec![Default::default(); hosts],
            vm_history: Vec::new(),
            vm_history_wanted: false,
            actions: Vec::new(),
            on_since: vec![SimTime::ZERO; hosts],
            meters: HostMeters::new(hosts),
            cooling,
            facility: FacilityMeter::new(s.electricity_price.clone(), s.carbon_intensity.clone()),
            cost_spec: sc.cost.clone(),
            counters: Counters::default(),
            timeseries: Vec::new(),
            options,
            feed: None,
            observer,
            impact: None,
            learning: None,
            explanation: None,
            failures: None,
            services: None,
            scenario_name: s.name.clone(),
            seed: sc.simulation.seed,
        };
        sim.vm_history_wanted = sim
            .rebalancer
            .as_ref()
            .is_some_and(|p| p.wants_vm_history());
        sim.meters.migrations_fall_short = sim.cloudsim_compat;
        if sim.cloudsim_compat {
            sim.retire_idle_vms = !sim.power.non_power_aware;
            sim.counters.pdm_of_totals = true;
            sim.meters.slatah_of_totals = true;
            // CloudSim updates at k × interval + 0.1 s and stops at the end: its last update is
            // the last such instant before the end (86,100.1 s of a day in 5-minute steps).
            let step = sim.sample_interval.0.max(1);
            let last = (sim.end.0.saturating_sub(CLOUDSIM_UPDATE_OFFSET.0 + 1) / step) * step;
            sim.energy_ends_at = Some(SimTime(last));
            // CloudSim reads PlanetLab usage linearly between samples, at its updates 0.1 s
            // (its minimum time between events) after each scheduling interval.
            sim.stream
                .set_series_reading(crate::workload::SeriesReading::Linear {
                    offset: CLOUDSIM_UPDATE_OFFSET,
                });
        }
        if sim.switching_off() {
            sim.fleet.state.fill(crate::landscape::PowerState::Off);
            // Asked first-fit questions only (`boot_for`).
            sim.off_index = Some(FitIndex::new(&sim.fleet).without_ordered_sets());
        }
        for h in sim.fleet.hosts() {
            sim.refresh_power(h);
            sim.publish(h);
        }
        if sim.stream.has_usage_feed() {
            sim.feed = Some(UsageFeed::default());
        }
        sim.set_up_background(s)?;
        sim.failures = super::failures::FailureModel::new(s, &sim.landscape, streams)?;
        sim.services = super::services::ServiceModel::new(s, &sim.landscape, streams)?;
        Ok(sim)
    }

    /// Replaces the scenario's rebalancing policy with `policy` (a policy of the caller's own:
    /// the engine still checks every action it returns).
    pub fn set_rebalancer(&mut self, policy: Box<dyn crate::policy::Rebalance>) {
        self.vm_history_wanted = policy.wants_vm_history();
        self.rebalancer = Some(policy);
    }

    /// Runs to the end of the horizon and returns what was measured.
    pub fn run(mut self) -> Result<RunResult, EngineError> {
        self.schedule_next_arrival()?;
        self.events.push(SimTime::ZERO, Event::Sample);
        self.schedule_failures();
        self.schedule_services();
        // The first round is scheduled by the first sample, so that when a round and a sample
        // fall at the same instant the sample comes first: rounds see the present demand.
        self.first_round_due = self.rebalancer.is_some();
        if let Some(l) = &self.learning {
            self.events.push(l.interval.min(self.end), Event::Learn);
        }
        while let Some((time, event)) = self.events.pop() {
            if time > self.end {
                break;
            }
            self.now = time;
            self.counters.events += 1;
            self.handle(event)?;
            if self.options.check_invariants {
                self.check_invariants()?;
            }
            if self.counters.events.is_multiple_of(PROGRESS_EVERY) {
                self.observer.progress(self.now, self.end);
            }
        }
        Ok(self.finish())
    }

    fn handle(&mut self, event: Event) -> Result<(), EngineError> {
        match event {
            Event::Arrival => self.on_arrival(),
            Event::Departure { handle, generation } => self.on_departure(handle, generation),
            Event::QueueExpiry => {
                self.on_queue_expiry();
                Ok(())
            }
            Event::Sample => self.on_sample(),
            Event::BootDone { host } => self.on_boot_done(host),
            Event::IdleCheck { host } => {
                self.on_idle_check(host);
                Ok(())
            }
            Event::ShutdownDone { host } => self.on_shutdown_done(host),
            Event::Rebalance => self.on_rebalance(),
            Event::MigrationDone { handle, generation } => {
                self.on_migration_done(handle, generation)
            }
            Event::Learn => self.on_learn(),
            Event::FailureDue => self.on_failure_due(),
            Event::Restart => self.on_restart(),
            Event::ServiceArrival => self.on_service_arrival(),
            Event::ServiceRetry => self.on_service_retry(),
        }
    }

    fn finish(mut self) -> RunResult {
        self.now = self.end;
        self.meters.advance_all(self.end, &self.fleet);
        self.facility.advance(self.end);
        self.report_unfinished();
        let failures = self.finish_failures();
        let services = self.finish_services();
        let drivers = CostDrivers {
            horizon_s: self.end.as_secs_f64(),
            energy_usd: self.facility.energy_usd,
            rejected: self.counters.rejected,
            violation_vm_hours: self.meters.overload_workload_s.iter().sum::<f64>() / 3600.0,
            interference_vm_hours: self.meters.interference_s.iter().sum::<f64>() / 3600.0,
        };
        let mut tco = crate::cost::tco(&self.fleet, &self.cost_spec, &drivers);
        if let Some((_, penalty)) = &services {
            tco.sla_penalty_usd += penalty;
        }
        self.observer.progress(self.end, self.end);
        let mut summary = RunSummary::compute(&SummaryInputs {
            scenario: &self.scenario_name,
            seed: self.seed,
            policy: &self.policy_name,
            duration: self.end,
            fleet: &self.fleet,
            meters: &self.meters,
            counters: &self.counters,
            queued_at_end: self.waiting.len() as u64,
            running_at_end: self.live.len() as u64,
            cooling_per_it_watt: &self.cooling,
            facility: &self.facility,
            tco: &tco,
        });
        summary.failures = failures;
        summary.services = services.map(|(s, _)| s);
        self.score_anomalies(&mut summary);
        RunResult {
            summary,
            tco,
            timeseries: self.timeseries,
            fleet: self.fleet,
            meters: self.meters,
            landscape: self.landscape,
            class_names: self.stream.class_names(),
            assumptions: self.stream.assumptions(),
            information_core: self.learning.is_some().then_some(self.core),
            explanation: self.explanation,
        }
    }

    fn check_invariants(&self) -> Result<(), EngineError> {
        let broken = |what: String| {
            Err(EngineError::Invariant {
                time: self.now,
                what,
            })
        };
        let over = if self.allocate_by_demand {
            self.fleet.hosts().find(|&h| {
                self.fleet.allocated[h.index()].memory > self.fleet.capacity[h.index()].memory
            })
        } else {
            self.fleet.over_capacity_host()
        };
        if let Some(h) = over {
            return broken(format!("host {} holds more than its capacity", h.0));
        }
        let misfiled = self.fleet.hosts().find(|&h| {
            self.live.on_host(h).len() != self.fleet.workloads[h.index()] as usize
                || !self.live.residents_consistent(h)
        });
        if let Some(h) = misfiled {
            return broken(format!("host {} lists other workloads than it runs", h.0));
        }
        let mut counts = vec![(0u32, 0u32, 0u32); self.fleet.len()];
        for w in self.live.iter() {
            let c = &mut counts[w.host.index()];
            let (demand, wants) = self.live.cpu_of(w.handle());
            c.0 += u32::from(wants > demand);
            c.1 += u32::from(w.migrating_to.is_some());
            for to in w.migrating_to.iter().chain(&w.first_leg) {
                counts[to.index()].2 += 1;
            }
        }
        let f = &self.fleet;
        let miscounted = f.hosts().find(|h| {
            let i = h.index();
            counts[i] != (f.short_workloads[i], f.migrating_out[i], f.migrating_in[i])
        });
        if let Some(h) = miscounted {
            return broken(format!(
                "host {} miscounts workloads short of CPU, leaving or arriving",
                h.0
            ));
        }
        let c = &self.counters;
        let accounted = c.placed + c.rejected + self.waiting.len() as u64;
        if c.arrived != accounted {
            return broken(format!(
                "arrived {} != placed {} + rejected {} + queued {}",
                c.arrived,
                c.placed,
                c.rejected,
                self.waiting.len()
            ));
        }
        // A failure takes workloads off their hosts and a restart puts them back.
        let (restarted, taken) = self.failures.as_ref().map_or((0, 0), |f| f.balance());
        let restarted = restarted + self.service_placements();
        if c.placed + restarted != c.departed + c.killed + taken + self.live.len() as u64 {
            return broken(format!(
                "placed {} + restarted or service replicas {restarted} != departed {} + killed {} + taken by failures {taken} + running {}",
                c.placed,
                c.departed,
                c.killed,
                self.live.len()
            ));
        }
        Ok(())
    }
}
