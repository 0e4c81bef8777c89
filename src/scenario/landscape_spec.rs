//! Scenario keys of the physical landscape: host types and their power models, and
//! `[landscape]` (racks, PDUs, UPSs, cooling, switches, host parts, machines from a trace).

use super::schema::{NonNegative, Positive, PositiveInt, defaults};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A kind of server.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HostTypeSpec {
    pub name: String,
    /// Physical cores (> 0).
    pub cores: Positive,
    /// Memory in GiB (> 0).
    pub memory_gib: Positive,
    /// Platform features such as "sriov", "gpu", "nvme". Default none.
    #[serde(default)]
    pub features: Vec<String>,
    /// Purchase price in US dollars. Default 0.
    #[serde(default)]
    pub price_usd: NonNegative,
    pub power: PowerModelSpec,
    /// Years over which the price (and embodied carbon) is amortised. Default `cost.server_lifetime_years`.
    #[serde(default)]
    pub lifetime_years: Option<Positive>,
    /// Carbon emitted making the server, kg CO2e. Default `carbon.embodied_kgco2e_per_host`.
    #[serde(default)]
    pub embodied_kgco2e: Option<NonNegative>,
    /// NIC bandwidth in Gbit/s, for live migration. Default 1.
    #[serde(default = "defaults::one_f")]
    pub network_gbps: Positive,
    /// CPU sockets (its cores split evenly among them) and NICs, as host parts in the exports
    /// when `landscape.host_parts` asks for them. Default 1 each.
    #[serde(default = "defaults::one", skip_serializing_if = "defaults::is_one")]
    pub sockets: PositiveInt,
    #[serde(default = "defaults::one", skip_serializing_if = "defaults::is_one")]
    pub nics: PositiveInt,
    /// The largest single CPU request (cores) a host of this type accepts, which is also the
    /// most CPU one workload gets on it: the per-core speed of a host whose workloads are one
    /// core each (CloudSim's PE MIPS, in the unit the scenario counts cores in). Default: none.
    #[serde(default)]
    pub max_request_cores: Option<Positive>,
}

/// How a host's power follows its CPU utilisation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "model", rename_all = "kebab-case", deny_unknown_fields)]
pub enum PowerModelSpec {
    /// P(u) = idle_w + (max_w − idle_w)·u.
    Linear {
        idle_w: NonNegative,
        max_w: NonNegative,
    },
    /// Eleven watt readings at 0 %, 10 %, … 100 % load, interpolated linearly (SPECpower_ssj2008).
    Specpower { watts: Vec<NonNegative> },
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LandscapeSpec {
    /// Name of the datacenter node. Default "dc-1".
    #[serde(default = "defaults::datacenter")]
    pub datacenter: String,
    /// Racks fed by one PDU. Default 1.
    #[serde(default = "defaults::one")]
    pub racks_per_pdu: PositiveInt,
    /// Racks cooled by one cooling unit. Default 4.
    #[serde(default = "defaults::four")]
    pub racks_per_cooling_unit: PositiveInt,
    /// PDUs fed by one UPS (`powered_by` edges from PDU to UPS). Default: no UPS in the graph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdus_per_ups: Option<PositiveInt>,
    /// One top-of-rack switch per rack, its hosts `connected_to` it (a failure domain: a failed
    /// switch cuts its hosts off). Default false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tor_switches: bool,
    /// Racks whose ToR switches are `connected_to` one aggregation switch (`agg-000`, …; with
    /// `tor_switches`): a failed aggregation switch cuts all their hosts off. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub racks_per_aggregation: Option<PositiveInt>,
    /// `dcsim landscape` exports each host's parts as its children: CPU sockets, memory, NICs
    /// (`host_types.sockets`, `.nics`). Exports only: the run never holds them. Default false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub host_parts: bool,
    /// CPU allocatable per physical core (1.0 = no over-commitment). Default 1.0.
    #[serde(default = "defaults::one_f")]
    pub cpu_overcommit: Positive,
    /// Memory allocatable per physical GiB. Default 1.0.
    #[serde(default = "defaults::one_f")]
    pub memory_overcommit: Positive,
    /// "request" (default): a workload holds its requested CPU. "demand": it holds its current
    /// CPU demand (as CloudSim's power experiments allocate), so demand that grows after placement
    /// can overload a host.
    #[serde(default)]
    pub cpu_allocation: CpuAllocation,
    /// Groups of identical racks, in order; hosts are numbered in this order. Default none
    /// (then `from_trace` must be set).
    #[serde(default = "defaults::no_racks")]
    pub racks: Spanned<Vec<RackGroupSpec>>,
    /// Build hosts from the machines a trace lists (Google, Alibaba, OpenB), after any `racks`.
    #[serde(default)]
    pub from_trace: Option<FromTraceSpec>,
}

/// What a workload holds of its host's CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CpuAllocation {
    #[default]
    Request,
    Demand,
}

/// `[landscape.from_trace]`: one host per machine of the trace.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FromTraceSpec {
    /// A `[[host_types]]` entry whose power model, price, features and lifetime every trace
    /// machine takes; cores and memory come from the trace.
    pub host_type: Spanned<String>,
    /// Machines per rack, in trace order. Default 40.
    #[serde(default = "defaults::forty")]
    pub hosts_per_rack: PositiveInt,
    /// Room of the trace's racks. Default "room-1".
    #[serde(default = "defaults::room")]
    pub room: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RackGroupSpec {
    /// Number of racks in the group. Default 1.
    #[serde(default = "defaults::one")]
    pub count: PositiveInt,
    /// Room the racks stand in. Default "room-1".
    #[serde(default = "defaults::room")]
    pub room: String,
    pub hosts_per_rack: PositiveInt,
    /// Name of a `[[host_types]]` entry.
    pub host_type: Spanned<String>,
    /// Host types taken in turn instead (host k of the group gets entry k mod n), e.g. CloudSim's
    /// alternating G4/G5 hosts. Default none.
    #[serde(default)]
    pub host_type_cycle: Vec<Spanned<String>>,
}
