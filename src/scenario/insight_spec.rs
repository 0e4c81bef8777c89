//! The scenario keys of issue 11: `[impact]` (hidden ground truth: interference and platform
//! feature speed-ups per class), `[insight]` (the background flow) and `[policy.recipe]`
//! (filters and weighted scorers). Every section is off or empty by default, and skipped when
//! the resolved scenario is written, so a scenario without them is unchanged.

use super::schema::{Fraction, NonNegative, Positive, PositiveInt};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[impact]`: what workloads do to each other and what host features do for them.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImpactSpec {
    /// Pressure a host absorbs per shared resource before its residents slow down.
    /// Default 1.0 on each resource.
    #[serde(default)]
    pub tolerance: Tolerance,
    /// Per workload class (by name): pressure, sensitivity and CPU factors. Default none.
    #[serde(default)]
    pub classes: BTreeMap<String, ClassImpactSpec>,
    /// A workload with a lifetime has that much work to do at full speed: slowed by
    /// interference it runs longer, finishing when its delivered work reaches it. Default true
    /// (with interference on; nothing changes without it).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub fixed_work: bool,
    /// Hosts that draw more power than their load explains (failed fans, a bad PSU), from an
    /// instant on: `[{ host = 17, from = "6h", power_factor = 1.3 }]`. Default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anomalies: Vec<AnomalySpec>,
}

/// One injected host anomaly.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AnomalySpec {
    /// The host, by id (0-based, in landscape order).
    pub host: u32,
    /// From when. Default "0s".
    #[serde(default)]
    pub from: SimTime,
    /// Its power × this while on.
    pub power_factor: Positive,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Default for ImpactSpec {
    fn default() -> Self {
        ImpactSpec {
            tolerance: Tolerance::default(),
            classes: BTreeMap::new(),
            fixed_work: true,
            anomalies: Vec::new(),
        }
    }
}

impl ImpactSpec {
    pub fn is_off(&self) -> bool {
        self.classes.is_empty() && self.anomalies.is_empty()
    }
}

/// One class's ground truth.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClassImpactSpec {
    /// What one workload of the class puts on each shared resource. Default 0.
    #[serde(default)]
    pub pressure: ResourceVector,
    /// How much it slows per unit of co-located pressure beyond the tolerance. Default 0.
    #[serde(default)]
    pub sensitivity: ResourceVector,
    /// Multiplier of its CPU demand on a host with the named feature (e.g. `sriov = 0.5`: half
    /// the cores for the same work). Several features multiply. Default none (1.0).
    #[serde(default)]
    pub cpu_factor: BTreeMap<String, Positive>,
}

/// A value per shared resource; each defaults to 0.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ResourceVector {
    pub llc: NonNegative,
    pub membw: NonNegative,
    pub net: NonNegative,
    pub disk: NonNegative,
}

impl ResourceVector {
    pub fn values(&self) -> [f64; 4] {
        [self.llc.0, self.membw.0, self.net.0, self.disk.0]
    }
}

/// A host's tolerance per shared resource; each defaults to 1.0.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Tolerance {
    pub llc: NonNegative,
    pub membw: NonNegative,
    pub net: NonNegative,
    pub disk: NonNegative,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            llc: NonNegative(1.0),
            membw: NonNegative(1.0),
            net: NonNegative(1.0),
            disk: NonNegative(1.0),
        }
    }
}

impl Tolerance {
    pub fn values(&self) -> [f64; 4] {
        [self.llc.0, self.membw.0, self.net.0, self.disk.0]
    }
}

/// `[insight]`: the background flow.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InsightSpec {
    /// Run the learners. Default false.
    #[serde(default)]
    pub enabled: bool,
    /// Interval of the `Learn` event. Default "15m".
    #[serde(default = "default_learn_interval")]
    pub interval: SimTime,
    /// The usage quantile taken as a class's effective demand. Default 0.95.
    #[serde(default = "default_quantile")]
    pub effective_quantile: Fraction,
    /// An `information_core.json` (relative to the scenario file) to start from. Default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_start: Option<String>,
}

impl Default for InsightSpec {
    fn default() -> Self {
        InsightSpec {
            enabled: false,
            interval: default_learn_interval(),
            effective_quantile: default_quantile(),
            warm_start: None,
        }
    }
}

impl InsightSpec {
    pub fn is_default(&self) -> bool {
        *self == InsightSpec::default()
    }
}

fn default_learn_interval() -> SimTime {
    SimTime::from_secs(900)
}

fn default_quantile() -> Fraction {
    Fraction(0.95)
}

/// `[policy.recipe]`: the placement recipe (`policy.placement = "recipe"`), and the candidate
/// set and filters of the `insight` preset.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecipeSpec {
    /// Candidate hosts scored per placement, drawn from the fit index. Default 16.
    #[serde(default = "default_candidates")]
    pub candidates: PositiveInt,
    /// Classes of which a host holds at most one workload (anti-affinity across hosts).
    #[serde(default)]
    pub anti_affinity: Vec<String>,
    /// Classes of which a rack holds at most one workload (anti-affinity across racks: one
    /// rack's failure takes at most one of them). Default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rack_anti_affinity: Vec<String>,
    /// Learned demand above this fraction of a host's physical CPU fails the learned-fit
    /// filter (only once the class's usage is learned). Default: no such filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_learned_utilisation: Option<Positive>,
    /// Set: the interference scorer is cautious — each learned slowdown is read at the upper
    /// end of its 95 % interval, and a co-location (a count of a class beside another) not yet
    /// seen enough is presumed to slow its victim by this much. Default: none (point
    /// estimates, the unseen presumed harmless).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unseen_interference: Option<NonNegative>,
    /// Scorer name → weight. See `policy::recipe::SCORERS`. Default none (for "recipe") or the
    /// preset's weights (for "insight").
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
}

impl Default for RecipeSpec {
    fn default() -> Self {
        RecipeSpec {
            candidates: default_candidates(),
            anti_affinity: Vec::new(),
            rack_anti_affinity: Vec::new(),
            max_learned_utilisation: None,
            unseen_interference: None,
            weights: BTreeMap::new(),
        }
    }
}

fn default_candidates() -> PositiveInt {
    PositiveInt(16)
}

/// Cross-key checks of `[impact]`, `[insight]` and `[policy.recipe]`.
pub(super) fn validate(
    s: &super::Scenario,
    src: &super::SourceMap,
) -> Result<(), super::ScenarioError> {
    let synthetic = s.workload.trace.is_none();
    let known_class = |n: &String| !synthetic || s.workload.classes.iter().any(|c| c.name == *n);
    let class_list = || {
        s.workload
            .classes
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (name, c) in &s.impact.classes {
        let field = format!("impact.classes.{name}");
        if !known_class(name) {
            return Err(src.error(
                Some(&field),
                format!(
                    "unknown workload class {name:?}: expected one of {}",
                    class_list()
                ),
            ));
        }
        for f in c.cpu_factor.keys() {
            if !s.host_types.iter().any(|t| t.features.contains(f)) {
                return Err(src.error(
                    Some(&format!("{field}.cpu_factor.{f}")),
                    format!("feature {f:?} is on no host type: expected a feature a [[host_types]] entry lists"),
                ));
            }
        }
    }
    if s.landscape.from_trace.is_none() {
        let hosts: u64 = s
            .landscape
            .racks
            .get_ref()
            .iter()
            .map(|g| g.count.0 as u64 * g.hosts_per_rack.0 as u64)
            .sum();
        for (i, a) in s.impact.anomalies.iter().enumerate() {
            if a.host as u64 >= hosts {
                return Err(src.error(
                    Some(&format!("impact.anomalies.{i}.host")),
                    format!(
                        "host {} is not in the landscape: expected a host id below {hosts}",
                        a.host
                    ),
                ));
            }
        }
    }
    if s.insight.interval.0 == 0 {
        return Err(src.error(
            Some("insight.interval"),
            "expected a duration greater than zero",
        ));
    }
    if s.insight.effective_quantile.0 == 0.0 {
        return Err(src.error(
            Some("insight.effective_quantile"),
            "expected a quantile above 0 and at most 1",
        ));
    }
    if let Some(r) = &s.policy.recipe {
        for name in r.weights.keys() {
            if !super::names::SCORERS.contains(&name.as_str()) {
                return Err(src.error(
                    Some(&format!("policy.recipe.weights.{name}")),
                    format!(
                        "unknown scorer {name:?}: expected one of {}",
                        super::names::SCORERS.join(", ")
                    ),
                ));
            }
        }
        let listed = [
            ("anti_affinity", &r.anti_affinity),
            ("rack_anti_affinity", &r.rack_anti_affinity),
        ];
        for (key, name, i) in listed
            .iter()
            .flat_map(|(k, v)| v.iter().enumerate().map(move |(i, n)| (k, n, i)))
        {
            if !known_class(name) {
                return Err(src.error(
                    Some(&format!("policy.recipe.{key}.{i}")),
                    format!(
                        "unknown workload class {name:?}: expected one of {}",
                        class_list()
                    ),
                ));
            }
        }
    }
    Ok(())
}
