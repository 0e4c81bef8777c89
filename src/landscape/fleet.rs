//! The `Fleet`: dense per-host state in `Vec`s indexed by `HostId`, read on every hot path.

use super::{FeatureMask, HostId};
use crate::impact::PowerModel;
use crate::workload::Resources;

/// Index into `Fleet::types`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct HostTypeId(pub u16);

/// A kind of server, as the scenario declares it.
#[derive(Clone, Debug)]
pub struct HostType {
    pub name: String,
    pub cores: f64,
    pub memory_gib: f64,
    pub features: FeatureMask,
    pub price_usd: f64,
    pub power: PowerModel,
    /// Years over which price and embodied carbon are amortised.
    pub lifetime_years: f64,
    pub embodied_kgco2e: f64,
    /// NIC bandwidth, Gbit/s.
    pub network_gbps: f64,
    /// The largest single CPU request (cores) a host of this type accepts, and the most CPU one
    /// workload gets on it: its per-core speed where a workload is one core of a given speed
    /// (CloudSim's PE MIPS). `None`: no limit.
    pub max_request_cores: Option<f64>,
}

impl HostType {
    /// A plain type for unit tests: `cores` and `memory_gib`, a linear power model from
    /// `idle_w` to `max_w`, no features, no price, 4-year life, 1 Gb/s.
    #[cfg(test)]
    pub fn plain(name: &str, cores: f64, memory_gib: f64, (idle_w, max_w): (f64, f64)) -> HostType {
        HostType {
            name: name.into(),
            cores,
            memory_gib,
            features: crate::landscape::FeatureMask(0),
            price_usd: 0.0,
            power: PowerModel::Linear { idle_w, max_w },
            lifetime_years: 4.0,
            embodied_kgco2e: 0.0,
            network_gbps: 1.0,
            max_request_cores: None,
        }
    }
}

/// Per-host state. Capacities are in integer units (millicores, MiB) so that allocation
/// bookkeeping is exact.
#[derive(Clone, Debug, Default)]
pub struct Fleet {
    pub types: Vec<HostType>,
    pub host_type: Vec<HostTypeId>,
    /// Allocatable capacity (physical × over-commit ratio).
    pub capacity: Vec<Resources>,
    /// Physical CPU in millicores (the 100 % of utilisation).
    pub physical_cpu: Vec<u32>,
    pub allocated: Vec<Resources>,
    /// Current CPU demand of the host's workloads, in millicores.
    pub cpu_demand: Vec<u64>,
    pub workloads: Vec<u32>,
    /// Workloads on the host that want more CPU than its per-core limit gives one workload.
    pub short_workloads: Vec<u32>,
    /// Workloads migrating off the host now.
    pub migrating_out: Vec<u32>,
    /// Workloads migrating onto the host now.
    pub migrating_in: Vec<u32>,
    /// Current power draw in watts.
    pub power_w: Vec<f64>,
    pub state: Vec<PowerState>,
    /// Workloads by class per host and what interference does to them (empty unless needed).
    pub mix: super::ClassMix,
}

/// A host's power state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PowerState {
    #[default]
    On,
    Off,
    Booting,
    ShuttingDown,
    /// Down: it, or an entity it depends on (rack, PDU, cooling unit), has failed. It draws
    /// nothing and is no placement target until repaired (`[failures]` only).
    Failed,
}

impl Fleet {
    pub fn len(&self) -> usize {
        self.host_type.len()
    }

    pub fn is_empty(&self) -> bool {
        self.host_type.is_empty()
    }

    pub fn hosts(&self) -> impl Iterator<Item = HostId> + use<> {
        (0..self.len() as u32).map(HostId)
    }

    pub fn push_host(&mut self, t: HostTypeId, capacity: Resources, physical_cpu: u32) -> HostId {
        let id = HostId(self.len() as u32);
        self.host_type.push(t);
        self.capacity.push(capacity);
        self.physical_cpu.push(physical_cpu);
        self.allocated.push(Resources::ZERO);
        self.cpu_demand.push(0);
        self.workloads.push(0);
        self.short_workloads.push(0);
        self.migrating_out.push(0);
        self.migrating_in.push(0);
        self.power_w.push(0.0);
        self.state.push(PowerState::On);
        id
    }

    pub fn type_of(&self, h: HostId) -> &HostType {
        &self.types[self.host_type[h.index()].0 as usize]
    }

    pub fn features(&self, h: HostId) -> FeatureMask {
        self.type_of(h).features
    }

    /// One workload's CPU, (what it gets, what it wants), joins host `i`'s demand and its count
    /// of workloads short of CPU.
    pub fn add_cpu(&mut self, i: usize, (demand, wants): (u32, u32)) {
        self.cpu_demand[i] += demand as u64;
        self.short_workloads[i] += u32::from(wants > demand);
    }

    /// The reverse of `add_cpu`.
    pub fn remove_cpu(&mut self, i: usize, (demand, wants): (u32, u32)) {
        self.cpu_demand[i] -= demand as u64;
        self.short_workloads[i] -= u32::from(wants > demand);
    }

    /// Capacity not yet allocated.
    pub fn free(&self, h: HostId) -> Resources {
        self.capacity[h.index()].saturating_sub(self.allocated[h.index()])
    }

    /// Does a request of `need` with features `features` fit on `h` now?
    pub fn fits(&self, h: HostId, need: Resources, features: FeatureMask) -> bool {
        self.features(h).covers(features)
            && need.cpu <= self.request_limit(h)
            && need.fits_in(self.free(h))
    }

    /// `max_request_cores` of `h`'s type in millicores (`u32::MAX` without a limit).
    pub fn request_limit(&self, h: HostId) -> u32 {
        self.type_of(h).max_request_cores.map_or(u32::MAX, |c| {
            (c * 1000.0).round().min(u32::MAX as f64) as u32
        })
    }

    /// CPU utilisation in [0, 1]: demand over physical capacity, capped at 1.
    pub fn cpu_utilisation(&self, h: HostId) -> f64 {
        let cap = self.physical_cpu[h.index()] as f64;
        (self.cpu_demand[h.index()] as f64 / cap).min(1.0)
    }

    /// Checks that no host holds more than its capacity; the first offender, if any.
    pub fn over_capacity_host(&self) -> Option<HostId> {
        self.hosts()
            .find(|&h| !self.allocated[h.index()].fits_in(self.capacity[h.index()]))
    }
}
