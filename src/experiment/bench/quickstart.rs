//! The quickstart scenario scaled to a fleet size (`dcsim bench --quickstart`): events/s and
//! placements/s of whole runs, and the cost of one placement through the fit index on a
//! half-full fleet (ns per placement), at each fleet size.

use crate::engine::{Purpose, RngStreams};
use crate::insight::InformationCore;
use crate::landscape::{self, FitIndex, HostId};
use crate::policy::{self, View};
use crate::scenario::{self, LoadedScenario, Override};
use crate::time::SimTime;
use crate::workload::{ClassId, Resources, UsageProfile, WorkloadId, WorkloadSpec};
use rand::RngExt;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

const QUICKSTART: &str = include_str!("../../../scenarios/quickstart.toml");
/// Cores of the quickstart fleet, whose arrival rates are scaled with the fleet.
const QUICKSTART_CORES: f64 = 240.0 * 64.0 + 40.0 * 96.0;
const QUICKSTART_RATES: [f64; 3] = [800.0, 300.0, 6.0];

/// One measured row.
#[derive(Debug, Clone, Serialize)]
pub struct BenchRow {
    pub hosts: u64,
    pub policy: String,
    pub events: u64,
    pub placements: u64,
    pub run_seconds: f64,
    pub events_per_second: f64,
    pub placements_per_second: f64,
    /// Mean cost of one placement decision plus index update on a half-full fleet.
    pub placement_ns: f64,
    pub peak_memory_mib: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub workload: &'static str,
    pub rows: Vec<BenchRow>,
}

/// The quickstart scenario scaled to about `hosts` hosts (6 general racks to 2 SR-IOV racks of
/// half the height, as in the quickstart), with arrival rates scaled by cores.
pub fn scaled_quickstart(
    hosts: u32,
    policy: &str,
) -> Result<LoadedScenario, scenario::ScenarioError> {
    let sriov_racks = (hosts as f64 / 7.0 / 20.0).round().max(1.0) as u32;
    let general_racks = ((hosts as f64 - sriov_racks as f64 * 20.0) / 40.0)
        .round()
        .max(1.0) as u32;
    let cores = general_racks as f64 * 40.0 * 64.0 + sriov_racks as f64 * 20.0 * 96.0;
    let scale = cores / QUICKSTART_CORES;
    let mut sets = vec![
        format!("landscape.racks.0.count={general_racks}"),
        format!("landscape.racks.1.count={sriov_racks}"),
        format!("policy.placement=\"{policy}\""),
        "output.workloads_csv=false".to_string(),
    ];
    for (i, rate) in QUICKSTART_RATES.iter().enumerate() {
        sets.push(format!(
            "workload.classes.{i}.arrival.rate_per_hour={}",
            rate * scale
        ));
    }
    let overrides: Vec<Override> = sets
        .iter()
        .map(|s| Override::parse(s).expect("well-formed"))
        .collect();
    scenario::parse(
        QUICKSTART,
        Path::new("scenarios/quickstart.toml"),
        "bench",
        &overrides,
    )
}

/// Runs every (fleet size, policy) pair; `log` hears about each as it starts.
pub fn run_suite(
    hosts: &[u32],
    policies: &[String],
    log: &mut dyn FnMut(String),
) -> Result<BenchReport, crate::Error> {
    let mut rows = Vec::new();
    for &n in hosts {
        for p in policies {
            log(format!("bench: {n} hosts, {p}"));
            let loaded = scaled_quickstart(n, p)?;
            let started = Instant::now();
            let result = crate::simulate(&loaded)?;
            let secs = started.elapsed().as_secs_f64();
            let s = &result.summary;
            rows.push(BenchRow {
                hosts: s.hosts,
                policy: p.clone(),
                events: s.events_processed,
                placements: s.workloads_placed,
                run_seconds: secs,
                events_per_second: s.events_processed as f64 / secs,
                placements_per_second: s.workloads_placed as f64 / secs,
                placement_ns: placement_cost(&loaded, 200_000),
                peak_memory_mib: super::memory::peak_rss_mib(),
            });
        }
    }
    Ok(BenchReport {
        workload: "quickstart scaled, 1 simulated day",
        rows,
    })
}

/// Mean nanoseconds per placement (policy decision + fit-index update) on the scenario's fleet,
/// first filled to about half its CPU with small and medium requests, over `rounds` rounds
/// of one placement and one removal.
pub fn placement_cost(loaded: &LoadedScenario, rounds: u32) -> f64 {
    let (_, mut fleet, _) = landscape::build(&loaded.scenario).expect("bench scenario builds");
    let mut index = FitIndex::new(&fleet);
    let name = loaded.scenario.policy.placement.get_ref();
    let streams = RngStreams::new(7);
    let mut policy = policy::placement_by_name(name, streams.stream(Purpose::Policy), 1.0)
        .expect("known policy");
    let mut rng = streams.stream(Purpose::Sizes);
    let core = InformationCore::default();
    let total: u64 = fleet.capacity.iter().map(|r| r.cpu as u64).sum();
    let mut placed: Vec<(HostId, Resources)> = Vec::new();
    let mut allocated = 0u64;
    let request = |rng: &mut rand::rngs::ChaCha8Rng| {
        let cores = [1.0, 2.0, 4.0, 8.0][rng.random_range(0..4usize)];
        Resources::from_cores_gib(cores, cores * 4.0).expect("small")
    };
    let place = |fleet: &mut landscape::Fleet,
                 index: &mut FitIndex,
                 r: Resources,
                 policy: &mut Box<dyn policy::Placement>| {
        let w = WorkloadSpec {
            id: WorkloadId(0),
            class: ClassId(0),
            arrival: SimTime::ZERO,
            lifetime: None,
            request: r,
            features: Default::default(),
            usage: UsageProfile::constant(1.0),
            subscription: None,
        };
        let view = View {
            now: SimTime::ZERO,
            fleet,
            index,
        };
        let h = policy.place(&w, &view, &core)?;
        fleet.allocated[h.index()] = fleet.allocated[h.index()] + r;
        index.update(h, fleet.free(h));
        Some(h)
    };
    while allocated * 2 < total {
        let r = request(&mut rng);
        let Some(h) = place(&mut fleet, &mut index, r, &mut policy) else {
            break;
        };
        placed.push((h, r));
        allocated += r.cpu as u64;
    }
    let started = Instant::now();
    for _ in 0..rounds {
        let r = request(&mut rng);
        if let Some(h) = place(&mut fleet, &mut index, r, &mut policy) {
            placed.push((h, r));
        }
        let victim = rng.random_range(0..placed.len());
        let (h, r) = placed.swap_remove(victim);
        fleet.allocated[h.index()] = fleet.allocated[h.index()].saturating_sub(r);
        index.update(h, fleet.free(h));
    }
    started.elapsed().as_secs_f64() * 1e9 / rounds as f64
}

/// The report as a text table.
pub fn table(r: &BenchReport) -> String {
    let mut t = format!("workload: {}\n", r.workload);
    t += &format!(
        "{:>8} {:<12} {:>11} {:>10} {:>9} {:>12} {:>13} {:>13} {:>9}\n",
        "hosts",
        "policy",
        "events",
        "placed",
        "wall s",
        "events/s",
        "placements/s",
        "ns/placement",
        "peak MiB"
    );
    for row in &r.rows {
        t += &format!(
            "{:>8} {:<12} {:>11} {:>10} {:>9.3} {:>12.0} {:>13.0} {:>13.0} {:>9.0}\n",
            row.hosts,
            row.policy,
            row.events,
            row.placements,
            row.run_seconds,
            row.events_per_second,
            row.placements_per_second,
            row.placement_ns,
            row.peak_memory_mib
        );
    }
    t
}
