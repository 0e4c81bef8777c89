//! Workloads: `WorkloadSpec`, `Resources`, usage profiles, and the streaming synthetic generator.

mod lifetime;
mod spec;
mod synthetic;
pub mod trace;
mod usage;
mod usage_store;

pub use lifetime::Lifetime;
pub use spec::{ClassId, Resources, WorkloadId, WorkloadSpec};
pub use synthetic::{SyntheticWorkload, WorkloadClass};
pub use trace::{TraceError, TraceStream};
pub use usage::{DayPhase, UsageProfile, UsageShape};
pub use usage_store::UsageStore;

/// A stream of workloads sorted by arrival time. Only the next workload is held in memory.
#[derive(Debug)]
pub enum WorkloadStream {
    Synthetic(SyntheticWorkload, UsageStore),
    Trace(TraceStream),
}

impl WorkloadStream {
    /// The next workload, or `None` when the stream is exhausted.
    pub fn next_workload(&mut self) -> Result<Option<WorkloadSpec>, TraceError> {
        match self {
            WorkloadStream::Synthetic(s, _) => Ok(s.next_workload()),
            WorkloadStream::Trace(t) => t.next_workload(),
        }
    }

    /// Names of the workload classes, indexed by `ClassId`.
    pub fn class_names(&self) -> Vec<String> {
        match self {
            WorkloadStream::Synthetic(s, _) => s.class_names(),
            WorkloadStream::Trace(t) => t.class_names(),
        }
    }

    /// Recorded usage series of live workloads.
    pub fn usage_store(&self) -> &UsageStore {
        match self {
            WorkloadStream::Synthetic(_, store) => store,
            WorkloadStream::Trace(t) => t.usage_store(),
        }
    }

    /// A workload has left: frees what the stream holds for it.
    pub fn release(&mut self, w: &WorkloadSpec) {
        if let WorkloadStream::Trace(t) = self {
            t.release(w);
        }
    }

    /// What the stream assumed where its source is silent.
    pub fn assumptions(&self) -> Vec<String> {
        match self {
            WorkloadStream::Synthetic(..) => Vec::new(),
            WorkloadStream::Trace(t) => t.assumptions().to_vec(),
        }
    }
}
