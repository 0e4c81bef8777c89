//! The names a scenario may use for policies: placement policies, rebalancing detectors and
//! selectors, recipe scorers. The scenario owns this vocabulary, so validating a scenario never
//! reaches into `policy`; `policy` builds its objects from these names (and re-exports them).

/// Names accepted by `placement.policy` (`policy::placement_by_name`).
pub const PLACEMENT_POLICIES: [&str; 8] = [
    "first-fit",
    "best-fit",
    "worst-fit",
    "random",
    "round-robin",
    "pabfd",
    "recipe",
    "insight",
];

/// Detector names, for `rebalance.policy`.
pub const DETECTORS: [&str; 5] = ["thr", "iqr", "mad", "lr", "lrr"];
/// Selector names, for `rebalance.policy`.
pub const SELECTORS: [&str; 4] = ["mmt", "mu", "rs", "mc"];

/// A `rebalance.policy` name's parts: `None` for an unknown name, `Some(None)` for "none".
pub fn parse_rebalance_name(name: &str) -> Option<Option<(&str, &str)>> {
    if name == "none" {
        return Some(None);
    }
    let (d, s) = name.split_once('-')?;
    (DETECTORS.contains(&d) && SELECTORS.contains(&s)).then_some(Some((d, s)))
}

/// Scorer names, as `[policy.recipe.weights]` takes them.
pub const SCORERS: [&str; 9] = [
    "least_allocated",
    "most_allocated",
    "balanced",
    "tetris",
    "power_rise",
    "learned_fit",
    "interference",
    "feature_benefit",
    "lifetime",
];
