//! `FailureSummary`: what failures cost a run (`[failures]` only), the failure part of
//! `summary.json`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

impl super::RunSummary {
    /// The contents of `summary.json`: every field in struct order, then (with `[failures]`)
    /// the failure keys. Without failures, byte for byte the summary alone.
    pub fn to_json(&self) -> SummaryJson<'_> {
        SummaryJson {
            summary: self,
            failures: self.failures.as_ref(),
            services: self.services.as_ref(),
        }
    }
}

/// A summary with its failure keys, for `summary.json`.
#[derive(Serialize)]
pub struct SummaryJson<'a> {
    #[serde(flatten)]
    summary: &'a super::RunSummary,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    failures: Option<&'a FailureSummary>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    services: Option<&'a super::ServiceSummary>,
}

/// Failure metrics, appended to `summary.json` when the scenario has `[failures]`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FailureSummary {
    /// Workloads taken off their host by a failure (each time it happened).
    pub vms_killed_by_failures: u64,
    /// Of those, restarted on another host by the placement policy.
    pub vm_restarts: u64,
    /// Killed by a failure and never restarted (their end or the run's came first).
    pub vms_lost_to_failures: u64,
    /// ∫ workloads killed and not yet restarted dt (up to their planned end or the run's end).
    pub lost_vm_hours: f64,
    /// Mean time from a kill to the restart, over restarts.
    pub mean_restart_delay_seconds: f64,
    /// Host-seconds up over host-seconds in the run (a host is down while it, or what it depends
    /// on, has failed).
    pub host_availability: f64,
    pub host_down_hours: f64,
    /// ∫ VMs on hosts cut off by a failed ToR switch dt: running (and drawing power), but
    /// unreachable; not restarted.
    pub unreachable_vm_hours: f64,
    /// ∫ hosts cut off dt.
    pub unreachable_host_hours: f64,
    /// ∫ VMs on hosts throttled by a failed cooling unit dt (before the hosts trip).
    pub throttled_vm_hours: f64,
    /// ∫ hosts throttled dt.
    pub throttled_host_hours: f64,
    /// Per entity kind (host, rack, pdu, cooling): failures, repairs and the observed means.
    pub failures_by_kind: BTreeMap<String, KindFailureStats>,
    /// The blast radius of the run's first failure, for report.html (not in summary.json).
    #[serde(skip)]
    pub first_blast: Option<FirstBlast>,
}

/// The first failure of a run and its blast radius on the landscape as it stood just before.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FirstBlast {
    pub entity: String,
    pub kind: String,
    pub at_s: f64,
    /// Hosts, VMs, components down, degraded, services down, degraded.
    pub counts: [usize; 6],
    /// Its picture (`BlastRadius::to_svg`).
    pub svg: String,
}

/// Observed failure statistics of one kind of entity.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct KindFailureStats {
    pub entities: u64,
    pub failures: u64,
    pub repairs: u64,
    /// Up time of every entity of the kind over its failures (the exponential MLE of the MTBF;
    /// 0 without failures).
    pub observed_mtbf_hours: f64,
    /// Down time over failures (the MLE of the MTTR, repairs still running counted to the end).
    pub observed_mttr_hours: f64,
    /// Up time over the kind's entity-time.
    pub availability: f64,
}
