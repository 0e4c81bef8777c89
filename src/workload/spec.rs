//! `WorkloadSpec`: what a workload asks for, when it arrives and how long it lives.

use super::UsageProfile;
use crate::landscape::FeatureMask;
use crate::time::SimTime;
use serde::Serialize;

/// A workload's identity, unique in a run, in arrival order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct WorkloadId(pub u64);

/// Index of a workload class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ClassId(pub u16);

/// A trace's subscription (Azure) or user, numbered densely in first-seen order within a run
/// (`TraceStream`); the trace's own id is kept once per subscription, never per workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SubscriptionId(pub u32);

/// Multi-dimensional capacity in integer units: CPU in millicores, memory in MiB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Resources {
    pub cpu: u32,
    pub memory: u32,
}

impl Resources {
    pub const ZERO: Resources = Resources { cpu: 0, memory: 0 };

    /// From cores and GiB, rounded to the millicore and the MiB; `None` if out of range.
    pub fn from_cores_gib(cores: f64, gib: f64) -> Option<Resources> {
        let cpu = (cores * 1000.0).round();
        let memory = (gib * 1024.0).round();
        let ok = |v: f64| v.is_finite() && v >= 0.0 && v <= u32::MAX as f64;
        (ok(cpu) && ok(memory)).then_some(Resources {
            cpu: cpu as u32,
            memory: memory as u32,
        })
    }

    pub fn fits_in(self, free: Resources) -> bool {
        self.cpu <= free.cpu && self.memory <= free.memory
    }

    pub fn saturating_sub(self, o: Resources) -> Resources {
        Resources {
            cpu: self.cpu.saturating_sub(o.cpu),
            memory: self.memory.saturating_sub(o.memory),
        }
    }

    pub fn cores(self) -> f64 {
        self.cpu as f64 / 1000.0
    }

    pub fn gib(self) -> f64 {
        self.memory as f64 / 1024.0
    }
}

/// One workload (a VM) as the stream delivers it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorkloadSpec {
    pub id: WorkloadId,
    pub class: ClassId,
    pub arrival: SimTime,
    /// How long it runs once placed; `None` runs to the end of the simulation.
    pub lifetime: Option<SimTime>,
    pub request: Resources,
    /// Platform features its host must have.
    pub features: FeatureMask,
    pub usage: UsageProfile,
    /// The trace subscription or user it belongs to; `None` for synthetic workloads and traces
    /// without one.
    pub subscription: Option<SubscriptionId>,
}

impl std::ops::Add for Resources {
    type Output = Resources;
    fn add(self, o: Resources) -> Resources {
        Resources {
            cpu: self.cpu + o.cpu,
            memory: self.memory + o.memory,
        }
    }
}
