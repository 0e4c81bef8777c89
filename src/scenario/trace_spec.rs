//! Scenario keys for replaying a recorded trace (`[workload.trace]`).

use super::schema::{Positive, WeightedSize};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The trace formats dcsim reads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum TraceFormat {
    /// dcsim's own CSV (what `dcsim trace convert` writes).
    Native,
    /// Azure Public Dataset V1 (2017): vmtable.csv(.gz), optional vm_cpu_readings-*.csv(.gz).
    #[value(name = "azure-v1")]
    #[serde(rename = "azure-v1")]
    AzureV1,
    /// Azure Public Dataset V2 (2019): as V1, with bucketed core and memory counts (">24").
    #[value(name = "azure-v2")]
    #[serde(rename = "azure-v2")]
    AzureV2,
    /// Azure packing trace 2020: the `vm` and `vmType` tables as CSV.
    #[value(name = "azure-packing-2020")]
    #[serde(rename = "azure-packing-2020")]
    AzurePacking2020,
    /// Google cluster data 2011: task_events (+ machine_events, task_usage).
    #[value(name = "google-2011")]
    #[serde(rename = "google-2011")]
    Google2011,
    /// Google cluster data 2019: instance_events / machine_events as CSV or JSON lines.
    #[value(name = "google-2019")]
    #[serde(rename = "google-2019")]
    Google2019,
    /// Alibaba cluster trace 2018: machine_meta, container_meta, batch_task/batch_instance, usage.
    #[value(name = "alibaba-2018")]
    #[serde(rename = "alibaba-2018")]
    Alibaba2018,
    /// Alibaba GPU trace 2023 (OpenB): node list and pod list.
    #[value(name = "alibaba-gpu-2023")]
    #[serde(rename = "alibaba-gpu-2023")]
    AlibabaGpu2023,
    /// GWA-T-12 Bitbrains: a folder of per-VM files (`;\t`-separated).
    Bitbrains,
    /// PlanetLab (CoMon): a folder of per-VM files, 288 CPU % samples at 300 s.
    Planetlab,
    /// Standard Workload Format 2.2.
    Swf,
    /// Huawei Cloud 2021 VM trace: `vmid,cpu,memory,time,type` create/delete events.
    #[value(name = "huawei-2021")]
    #[serde(rename = "huawei-2021")]
    Huawei2021,
}

/// How workloads of a trace without sizes get a size from `sizes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SizeAssignment {
    /// Drawn at random by weight (the `sizes` random stream).
    #[default]
    Weighted,
    /// The i-th workload gets size i mod (number of sizes).
    RoundRobin,
    /// Consecutive blocks: the first ⌈n/k⌉ workloads size 0, the next size 1, … (needs `expected_workloads`).
    Blocks,
}

/// `[workload.trace]`: replay a recorded trace instead of (not beside) synthetic classes.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TraceSpec {
    pub format: TraceFormat,
    /// The trace file or folder, relative to the scenario file. `.gz` files are read transparently.
    pub path: Spanned<String>,
    /// Usage readings (e.g. Azure vm_cpu_readings, Google task_usage), relative to the scenario. Default none.
    #[serde(default)]
    pub usage_path: Option<String>,
    /// Machine table (Google machine_events, Alibaba machine_meta, OpenB node list). Default none.
    #[serde(default)]
    pub machines_path: Option<String>,
    /// Catalogue sizes (names from `workload.vm_sizes`) for traces that carry no sizes. Default none.
    #[serde(default)]
    pub sizes: Vec<Spanned<WeightedSize>>,
    /// How sizes are given to workloads of a trace without sizes. Default "weighted".
    #[serde(default)]
    pub size_assignment: SizeAssignment,
    /// Number of workloads the trace holds, for `size_assignment = "blocks"`. Default none.
    #[serde(default)]
    pub expected_workloads: Option<u64>,
    /// Rows held back to sort arrivals that are slightly out of order; a row earlier than that is an error. Default 10000.
    #[serde(default = "default_window")]
    pub reorder_window: u32,
    /// Stop after this many workloads. Default: all.
    #[serde(default)]
    pub max_workloads: Option<u64>,
    /// Cores per normalised CPU unit, for traces with normalised sizes (Google). Default 1.
    #[serde(default = "one")]
    pub cpu_scale: Positive,
    /// GiB per normalised memory unit, for traces with normalised sizes. Default 1.
    #[serde(default = "one")]
    pub memory_scale_gib: Positive,
    /// Skip this much of the trace's start (its arrivals are shifted back by it). Default 0.
    #[serde(default)]
    pub skip: SimTime,
    /// Services from the trace's own groups (`[workload.trace.services]`). Default none.
    #[serde(default)]
    pub services: Option<super::services_spec::TraceServicesSpec>,
}

fn default_window() -> u32 {
    10_000
}

fn one() -> Positive {
    Positive(1.0)
}
