//! Workloads: `WorkloadSpec`, `Resources`, usage profiles, and the streaming synthetic generator.

mod lifetime;
mod spec;
mod synthetic;
pub mod trace;
mod usage;
mod usage_store;

pub use lifetime::Lifetime;
pub use spec::{ClassId, Resources, SubscriptionId, WorkloadId, WorkloadSpec};
pub use synthetic::{SyntheticWorkload, WorkloadClass};
pub use trace::{TraceError, TraceStream};
pub use usage::{DayPhase, UsageProfile, UsageShape, noise_time, normal_at, with_noise};
pub use usage_store::{SeriesReading, UsageStore};

/// A stream of workloads sorted by arrival time. Only the next workload is held in memory.
#[derive(Debug)]
pub enum WorkloadStream {
    Synthetic(SyntheticWorkload, UsageStore),
    Trace(Box<TraceStream>),
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

    /// The name of one class.
    pub fn class_name(&self, class: ClassId) -> &str {
        match self {
            WorkloadStream::Synthetic(s, _) => s.class_name(class),
            WorkloadStream::Trace(t) => t.class_name(class),
        }
    }

    /// Sets how recorded series are read between samples.
    pub fn set_series_reading(&mut self, reading: SeriesReading) {
        match self {
            WorkloadStream::Synthetic(_, store) => store.set_reading(reading),
            WorkloadStream::Trace(t) => t.set_series_reading(reading),
        }
    }

    /// Recorded usage series of live workloads.
    pub fn usage_store(&self) -> &UsageStore {
        match self {
            WorkloadStream::Synthetic(_, store) => store,
            WorkloadStream::Trace(t) => t.usage_store(),
        }
    }

    /// The service group of the workload `next_workload` last returned (traces with
    /// `[workload.trace.services]` only).
    pub fn take_group(&mut self) -> Option<trace::TraceGroup> {
        match self {
            WorkloadStream::Trace(t) => t.take_group(),
            WorkloadStream::Synthetic(..) => None,
        }
    }

    /// The trace's own key (a hash of its subscription id) of dense subscription `s`.
    pub fn subscription_key(&self, s: SubscriptionId) -> u64 {
        match self {
            WorkloadStream::Trace(t) => t.subscription_key(s),
            WorkloadStream::Synthetic(..) => 0,
        }
    }

    /// A workload has left: frees what the stream holds for it.
    pub fn release(&mut self, w: &WorkloadSpec) {
        if let WorkloadStream::Trace(t) = self {
            t.release(w);
        }
    }

    /// Whether usage readings arrive separately (`usage_until`).
    pub fn has_usage_feed(&self) -> bool {
        matches!(self, WorkloadStream::Trace(t) if t.has_usage_feed())
    }

    /// Usage readings up to `until`, for live or past workloads.
    pub fn usage_until(
        &mut self,
        until: crate::time::SimTime,
        out: &mut Vec<(WorkloadId, f64)>,
    ) -> Result<(), TraceError> {
        match self {
            WorkloadStream::Trace(t) => t.usage_until(until, out),
            WorkloadStream::Synthetic(..) => Ok(()),
        }
    }

    /// What the stream assumed where its source is silent.
    pub fn assumptions(&self) -> Vec<String> {
        match self {
            WorkloadStream::Synthetic(..) => Vec::new(),
            WorkloadStream::Trace(t) => t.assumptions(),
        }
    }
}
