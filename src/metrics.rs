//! Run accumulators and their results: per-host meters integrated exactly over piecewise-constant
//! state, the facility meter (cost and carbon of energy), run counters, time-series rows, per-host and per-workload records, and the `RunSummary`.

mod facility;
mod failures;
mod meters;
mod records;
mod services;
mod sla;
mod summary;

pub use facility::FacilityMeter;
pub use failures::{FailureSummary, FirstBlast, KindFailureStats, SummaryJson};
pub use meters::{Counters, HostMeters, SoFar};
pub use records::{HostRow, Outcome, TimeseriesRow, WorkloadRecord};
pub use services::{ServiceClassStats, ServiceSummary, TraceServiceRow};
pub use sla::{SLA_DELIVERED, SLA_SHARE_OF_LIFE, SlaClock};
pub use summary::{RunSummary, SummaryInputs};
