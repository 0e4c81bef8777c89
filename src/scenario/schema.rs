//! The scenario file's serde schema. Every table denies unknown keys; every optional key has a
//! default documented here and in `scenarios/reference.toml`.

use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use toml::Spanned;

pub use super::accounting::{Amortisation, CarbonSpec, CoolingModelSpec, CoolingSpec, CostSpec};
pub use super::failures_spec::{FailuresSpec, KindFailures};
pub use super::insight_spec::{
    AnomalySpec, ClassImpactSpec, ImpactSpec, InsightSpec, RecipeSpec, ResourceVector, Tolerance,
};
pub use super::services_spec::{
    AntiAffinity, ComponentSpec, ReplicaKind, ServiceSpec, TraceServicesSpec,
};
pub use super::trace_spec::{SizeAssignment, TraceFormat, TraceSpec};

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name of the run; outputs land in `results/<name>/`. Default: the file's stem.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub simulation: SimulationSpec,
    #[serde(default)]
    pub policy: PolicySpec,
    #[serde(default)]
    pub queue: QueueSpec,
    #[serde(default)]
    pub rebalance: RebalanceSpec,
    #[serde(default)]
    pub power: PowerSpec,
    /// Host hardware types; at least one.
    pub host_types: Vec<HostTypeSpec>,
    pub landscape: LandscapeSpec,
    pub workload: WorkloadSpecs,
    #[serde(default)]
    pub cooling: CoolingSpec,
    #[serde(default)]
    pub cost: CostSpec,
    #[serde(default)]
    pub carbon: CarbonSpec,
    #[serde(default)]
    pub output: OutputSpec,
    /// Ground truth of interference and feature speed-ups (issue 11). Default off.
    #[serde(default, skip_serializing_if = "ImpactSpec::is_off")]
    pub impact: ImpactSpec,
    /// The background flow (issue 11). Default off.
    #[serde(default, skip_serializing_if = "InsightSpec::is_default")]
    pub insight: InsightSpec,
    /// The failure model; absent, nothing fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<FailuresSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationSpec {
    /// Simulated horizon. Default "1d".
    #[serde(default = "defaults::duration")]
    pub duration: SimTime,
    /// Interval of usage refresh and time-series rows. Default "5m".
    #[serde(default = "defaults::sample_interval")]
    pub sample_interval: SimTime,
    /// Seed of every random stream. Default 1.
    #[serde(default = "defaults::seed")]
    pub seed: u64,
}

impl Default for SimulationSpec {
    fn default() -> Self {
        SimulationSpec {
            duration: defaults::duration(),
            sample_interval: defaults::sample_interval(),
            seed: defaults::seed(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    /// Placement policy: first-fit, best-fit, worst-fit, random, round-robin. Default best-fit.
    #[serde(default = "defaults::placement")]
    pub placement: Spanned<String>,
    /// Filters and scorers of "recipe" and "insight". Default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipe: Option<RecipeSpec>,
}

impl Default for PolicySpec {
    fn default() -> Self {
        PolicySpec {
            placement: Spanned::new(0..0, defaults::placement().into_inner()),
            recipe: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    /// When false, a request that fits nowhere is rejected at once. Default true.
    #[serde(default = "defaults::yes")]
    pub enabled: bool,
    /// A queued request still waiting after this long is rejected. Default: none (waits forever).
    #[serde(default)]
    pub max_wait: Option<SimTime>,
}

impl Default for QueueSpec {
    fn default() -> Self {
        QueueSpec {
            enabled: true,
            max_wait: None,
        }
    }
}

/// What an empty host (no workloads) draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum EmptyHostPower {
    /// It stays on and draws its idle power (physically right, and the default).
    #[default]
    Idle,
    /// It is switched off at once and draws nothing (an idealised consolidation bound).
    Off,
    /// Power states with delays: hosts start off, boot (`boot_time`) when a request needs them,
    /// and shut down (`shutdown_time`) after `idle_grace` empty. Needs `queue.enabled`.
    SwitchOff,
}

/// What a host draws while it boots or shuts down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TransitionPower {
    /// Its peak power (the conservative default).
    #[default]
    Peak,
    /// Its idle power.
    Idle,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PowerSpec {
    /// "idle" (default), "off" or "switch-off".
    #[serde(default)]
    pub empty_host: EmptyHostPower,
    /// Time from power-on to ready, for "switch-off". Default "60s".
    #[serde(default = "defaults::boot_time")]
    pub boot_time: SimTime,
    /// Time from shutdown to off, for "switch-off". Default "30s".
    #[serde(default = "defaults::shutdown_time")]
    pub shutdown_time: SimTime,
    /// How long an empty host stays on before it shuts down. Default "0s".
    #[serde(default)]
    pub idle_grace: SimTime,
    /// Watts drawn by a host that is off (standby). Default 0.
    #[serde(default)]
    pub off_w: NonNegative,
    /// Draw while booting or shutting down: "peak" (default) or "idle".
    #[serde(default)]
    pub transition_power: TransitionPower,
    /// Non-power-aware baseline ("npa"): every host that is on draws its peak power. Default false.
    #[serde(default)]
    pub non_power_aware: bool,
}

impl Default for PowerSpec {
    fn default() -> Self {
        PowerSpec {
            empty_host: EmptyHostPower::Idle,
            boot_time: defaults::boot_time(),
            shutdown_time: defaults::shutdown_time(),
            idle_grace: SimTime::ZERO,
            off_w: NonNegative(0.0),
            transition_power: TransitionPower::Peak,
            non_power_aware: false,
        }
    }
}

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

/// `[rebalance]`: the periodic foreground loop (dynamic consolidation).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RebalanceSpec {
    /// "none" (default), or "<detector>-<selector>" with detector thr, iqr, mad, lr, lrr and
    /// selector mmt, mu, rs, mc (Beloglazov & Buyya 2012), e.g. "thr-mmt".
    #[serde(default = "defaults::no_rebalance")]
    pub policy: Spanned<String>,
    /// How often the loop runs. Default "5m".
    #[serde(default = "defaults::sample_interval")]
    pub interval: SimTime,
    /// Utilisation threshold of "thr". Default 0.8.
    #[serde(default = "defaults::thr")]
    pub threshold: Fraction,
    /// Safety parameter of iqr (default 1.5), mad (2.5), lr and lrr (1.2).
    #[serde(default)]
    pub safety: Option<NonNegative>,
    /// Fraction of a migrating VM's CPU lost while it migrates. Default 0.1.
    #[serde(default = "defaults::penalty")]
    pub migration_cpu_penalty: Fraction,
    /// Vacate the least-utilised hosts when all their VMs fit elsewhere. Default true.
    #[serde(default = "defaults::yes")]
    pub underload: bool,
    /// "physical" (default) or "cloudsim-compat": CloudSim's modelling choices (a host at zero
    /// utilisation costs nothing, migrations get half the NIC, LR/LRR are plain least squares).
    #[serde(default)]
    pub profile: ModelProfile,
    /// Where a migrating VM goes: "pabfd" (default, power-aware best fit) or "recipe" (the
    /// placement recipe, `policy.placement = "recipe"` or "insight", scores PABFD's choice and
    /// hosts sampled among those with room; the highest total wins).
    #[serde(default)]
    pub destination: Destination,
}

/// How the rebalancing loop chooses a migration's destination (`rebalance.destination`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Destination {
    #[default]
    Pabfd,
    Recipe,
}

/// Which modelling choices a run follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ModelProfile {
    #[default]
    Physical,
    CloudsimCompat,
}

impl Default for RebalanceSpec {
    fn default() -> Self {
        toml::from_str("").expect("every rebalance key has a default")
    }
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadSpecs {
    /// The VM-size catalogue that classes (and traces without sizes) draw from. Default none.
    #[serde(default)]
    pub vm_sizes: Vec<VmSizeSpec>,
    /// Synthetic workload classes, each with its own arrival process. Default none.
    #[serde(default)]
    pub classes: Vec<ClassSpec>,
    /// A recorded trace to replay instead of synthetic classes. Default none.
    #[serde(default)]
    pub trace: Option<TraceSpec>,
    /// Service classes (components of replicated VMs), beside the classes or the trace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VmSizeSpec {
    pub name: String,
    /// Virtual CPUs (> 0; fractions allowed, kept to a thousandth of a core).
    pub cores: Positive,
    /// Memory in GiB (> 0).
    pub memory_gib: Positive,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    pub name: String,
    pub arrival: ArrivalSpec,
    pub lifetime: LifetimeSpec,
    /// Weighted choice among catalogue sizes.
    pub sizes: Vec<Spanned<WeightedSize>>,
    /// Platform features every host of this class must have. Default none.
    #[serde(default)]
    pub features: Vec<String>,
    /// CPU usage over time as a fraction of the request. Default constant 1.0.
    #[serde(default)]
    pub usage: UsageSpec,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WeightedSize {
    pub size: String,
    /// Relative weight (> 0). Default 1.
    #[serde(default = "defaults::one_f")]
    pub weight: Positive,
}

/// A Poisson arrival process, optionally modulated by the time of day.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalSpec {
    /// Mean arrivals per hour (> 0).
    pub rate_per_hour: Positive,
    /// Relative swing of the rate over the day, 0 ≤ a ≤ 1: λ(t) = λ·(1 + a·cos(2π(t − peak)/1d)).
    /// Default 0 (homogeneous Poisson).
    #[serde(default)]
    pub diurnal_amplitude: Fraction,
    /// Hour of day (0–24) at which the rate peaks. Default 12.
    #[serde(default = "defaults::noon")]
    pub peak_hour: f64,
    /// `N`: the class requests exactly N workloads, all at t = 0, and nothing after (the rate
    /// and the diurnal keys are then ignored). Default: absent (Poisson arrivals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_once: Option<u64>,
}

/// How long a workload runs once placed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "distribution", rename_all = "kebab-case", deny_unknown_fields)]
pub enum LifetimeSpec {
    /// Every workload lives exactly `value`.
    Fixed { value: SimTime },
    /// Exponential with the given mean.
    Exponential { mean: SimTime },
    /// Lognormal: ln(lifetime) ~ N(ln(median), sigma²).
    Lognormal { median: SimTime, sigma: Positive },
    /// Weibull with scale and shape k.
    Weibull { scale: SimTime, shape: Positive },
    /// Pareto (type I) with minimum `scale` and tail index `shape`.
    Pareto { scale: SimTime, shape: Positive },
    /// A weighted choice among listed lifetimes (an empirical table).
    Empirical {
        values: Vec<SimTime>,
        weights: Vec<Positive>,
    },
}

/// CPU usage profile: the fraction of requested cores a workload uses over time.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "profile", rename_all = "kebab-case", deny_unknown_fields)]
pub enum UsageSpec {
    /// A constant level; each workload's level is drawn uniformly in level ± jitter.
    Constant {
        level: Fraction,
        #[serde(default)]
        jitter: Fraction,
    },
    /// mean + amplitude·cos(2π(t − peak)/1d), clamped to [0, 1].
    Diurnal {
        mean: Fraction,
        amplitude: Fraction,
        #[serde(default = "defaults::noon")]
        peak_hour: f64,
        /// Standard deviation of noise added at every sample. Default 0.
        #[serde(default)]
        noise_sd: Fraction,
    },
    /// mean + Gaussian noise of standard deviation `sd` at every sample, clamped to [0, 1].
    Noisy { mean: Fraction, sd: Fraction },
}

impl Default for UsageSpec {
    fn default() -> Self {
        UsageSpec::Constant {
            level: Fraction(1.0),
            jitter: Fraction(0.0),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    /// Folder the run writes to. Default "results/<name>".
    #[serde(default)]
    pub dir: Option<String>,
    /// Write workloads.csv (one row per workload). Default true.
    #[serde(default = "defaults::yes_opt")]
    pub workloads_csv: Option<bool>,
}

macro_rules! checked_number {
    ($name:ident, $what:literal, $ok:expr) => {
        #[doc = concat!("A number that must be ", $what, ".")]
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Default)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = f64::deserialize(d)?;
                let ok: fn(f64) -> bool = $ok;
                if v.is_finite() && ok(v) {
                    Ok($name(v))
                } else {
                    Err(serde::de::Error::custom(format!(
                        concat!("expected a number ", $what, ", found {}"),
                        v
                    )))
                }
            }
        }
    };
}

checked_number!(Positive, "greater than zero", |v| v > 0.0);
checked_number!(NonNegative, "zero or greater", |v| v >= 0.0);
checked_number!(Fraction, "between 0 and 1", |v| (0.0..=1.0).contains(&v));

/// A whole number that must be at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PositiveInt(pub u32);

impl<'de> Deserialize<'de> for PositiveInt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        match u32::try_from(v) {
            Ok(n) if n >= 1 => Ok(PositiveInt(n)),
            _ => Err(serde::de::Error::custom(format!(
                "expected a whole number of at least 1, found {v}"
            ))),
        }
    }
}

mod defaults {
    use super::*;
    pub fn duration() -> SimTime {
        SimTime::from_secs(86_400)
    }
    pub fn no_rebalance() -> Spanned<String> {
        Spanned::new(0..0, "none".to_string())
    }
    pub fn thr() -> Fraction {
        Fraction(0.8)
    }
    pub fn penalty() -> Fraction {
        Fraction(0.1)
    }
    pub fn boot_time() -> SimTime {
        SimTime::from_secs(60)
    }
    pub fn shutdown_time() -> SimTime {
        SimTime::from_secs(30)
    }
    pub fn sample_interval() -> SimTime {
        SimTime::from_secs(300)
    }
    pub fn seed() -> u64 {
        1
    }
    pub fn placement() -> Spanned<String> {
        Spanned::new(0..0, "best-fit".to_string())
    }
    pub fn yes() -> bool {
        true
    }
    pub fn yes_opt() -> Option<bool> {
        Some(true)
    }
    pub fn datacenter() -> String {
        "dc-1".to_string()
    }
    pub fn room() -> String {
        "room-1".to_string()
    }
    pub fn one() -> PositiveInt {
        PositiveInt(1)
    }
    pub fn is_one(n: &PositiveInt) -> bool {
        n.0 == 1
    }
    pub fn four() -> PositiveInt {
        PositiveInt(4)
    }
    pub fn forty() -> PositiveInt {
        PositiveInt(40)
    }
    pub fn no_racks() -> Spanned<Vec<RackGroupSpec>> {
        Spanned::new(0..0, Vec::new())
    }
    pub fn one_f() -> Positive {
        Positive(1.0)
    }
    pub fn noon() -> f64 {
        12.0
    }
}
