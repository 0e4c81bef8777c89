//! `ServiceSummary`: availability of services (`[[workload.services]]` and
//! `[workload.trace.services]`), the service part of `summary.json`, and `services.csv`'s rows.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Service metrics, appended to `summary.json` when the scenario has services.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ServiceSummary {
    /// Instance-time up over instance-time alive, over every service class.
    pub service_availability: f64,
    pub service_down_hours: f64,
    /// Down hours × each class's `sla_usd_per_down_hour` (also in `tco_sla_penalty_usd`).
    pub service_sla_penalty_usd: f64,
    /// Per service class.
    pub services: BTreeMap<String, ServiceClassStats>,
    /// Per service of `[workload.trace.services]`, in order of first arrival (`services.csv`,
    /// not summary.json).
    #[serde(skip)]
    pub trace_services: Vec<TraceServiceRow>,
}

/// One service of a trace (`services.csv`).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct TraceServiceRow {
    /// The trace's id of the service (job, collection, deployment, app).
    pub service: String,
    pub components: u32,
    /// Workloads of the trace in it (each once, whatever its restarts).
    pub members: u64,
    /// Time any member was wanted (arrived, not yet over).
    pub alive_hours: f64,
    pub down_hours: f64,
    /// Up over alive (1 for a service never alive in the run).
    pub availability: f64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One service class: an instance is up while every component is (a component is up while it
/// has `min_live` live replicas and every component it depends on is up).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ServiceClassStats {
    pub instances: u64,
    pub availability: f64,
    /// −log10(1 − availability), at most 9.
    pub nines: f64,
    pub down_hours: f64,
    /// Replica placements that found no host (each retry that failed counts once more).
    pub replicas_unplaced: u64,
    /// Replicas of a component with a chatty partner (`near`) placed outside the partner's
    /// domain because none of its hosts had room (the partner had a live replica).
    pub replicas_away_from_partner: u64,
    /// Trace services with `anti_affinity`: members placed in a domain holding another member
    /// of their component because no host elsewhere had room (absent when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub replicas_not_apart: u64,
    pub sla_penalty_usd: f64,
    /// Per component, instance-hours down (its own replicas short, or a dependency down).
    pub component_down_hours: BTreeMap<String, f64>,
}
