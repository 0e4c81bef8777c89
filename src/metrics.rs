//! Run accumulators and their results: per-host meters integrated exactly over piecewise-constant
//! state, run counters, time-series rows, per-host and per-workload records, and the `RunSummary`.

mod meters;
mod records;
mod summary;

pub use meters::{Counters, HostMeters};
pub use records::{HostRow, Outcome, TimeseriesRow, WorkloadRecord};
pub use summary::{RunSummary, SummaryInputs};
