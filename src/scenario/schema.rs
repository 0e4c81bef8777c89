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
pub use super::landscape_spec::{
    CpuAllocation, FromTraceSpec, HostTypeSpec, LandscapeSpec, PowerModelSpec, RackGroupSpec,
};
pub use super::services_spec::{
    AntiAffinity, ComponentSpec, ReplicaKind, ServiceSpec, TraceServicesSpec,
};
pub use super::trace_spec::{SizeAssignment, TraceFormat, TraceSpec};
pub use super::workload_spec::{
    ArrivalSpec, ClassSpec, LifetimeSpec, UsageSpec, VmSizeSpec, WeightedSize, WorkloadSpecs,
};

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

pub(super) mod defaults {
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
