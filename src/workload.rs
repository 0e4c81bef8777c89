//! Workloads: `WorkloadSpec`, `Resources`, usage profiles, and the streaming synthetic generator.

mod lifetime;
mod spec;
mod synthetic;
mod usage;

pub use lifetime::Lifetime;
pub use spec::{ClassId, Resources, WorkloadId, WorkloadSpec};
pub use synthetic::{SyntheticWorkload, WorkloadClass};
pub use usage::{DayPhase, UsageProfile, UsageShape};

/// A stream of workloads sorted by arrival time. Only the next workload is held in memory.
#[derive(Debug)]
pub enum WorkloadStream {
    Synthetic(SyntheticWorkload),
}

impl WorkloadStream {
    /// The next workload, or `None` when the stream is exhausted.
    pub fn next_workload(&mut self) -> Option<WorkloadSpec> {
        match self {
            WorkloadStream::Synthetic(s) => s.next_workload(),
        }
    }

    /// Names of the workload classes, indexed by `ClassId`.
    pub fn class_names(&self) -> Vec<String> {
        match self {
            WorkloadStream::Synthetic(s) => s.class_names(),
        }
    }
}
