//! Scenario keys of the synthetic workload: `[workload]`'s VM sizes and classes, their
//! arrivals, lifetimes and usage.

use super::schema::{Fraction, Positive, ServiceSpec, TraceSpec, defaults};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use toml::Spanned;

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
