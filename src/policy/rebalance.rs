//! Building blocks of dynamic consolidation (Beloglazov & Buyya, CCPE 2012): host overload
//! detectors and VM selectors over utilisation histories, each in the physically right form and
//! in the form CloudSim 3/4 actually computes (`Profile::CloudsimCompat`).
//!
//! The periodic `Rebalance` loop that uses them is being built (issue: rebalancing); these
//! functions are pure and tested on hand-made histories.

mod consolidate;
pub mod detect;
pub mod select;
mod stats;
mod summed;

pub use consolidate::Consolidation;
use detect::Detector;
use select::Selector;

pub use crate::scenario::names::{DETECTORS, SELECTORS, parse_rebalance_name as parse_name};

/// The detector and selector of a "<detector>-<selector>" name, with the scenario's parameters.
pub fn components(name: &str, threshold: f64, safety: Option<f64>) -> Option<(Detector, Selector)> {
    let (d, s) = parse_name(name)??;
    let detector = match d {
        "thr" => Detector::Thr { threshold },
        "iqr" => Detector::Iqr {
            safety: safety.unwrap_or(1.5),
        },
        "mad" => Detector::Mad {
            safety: safety.unwrap_or(2.5),
        },
        "lr" => Detector::Lr {
            safety: safety.unwrap_or(1.2),
        },
        _ => Detector::Lrr {
            safety: safety.unwrap_or(1.2),
        },
    };
    let selector = match s {
        "mmt" => Selector::Mmt,
        "mu" => Selector::Mu,
        "rs" => Selector::Rs,
        _ => Selector::Mc,
    };
    Some((detector, selector))
}

/// The overload threshold PABFD placement applies: THR's own, or for the adaptive detectors
/// the static fallback they use without history (a placement has no history to go on).
pub fn placement_threshold(policy: &str, threshold: f64) -> f64 {
    match parse_name(policy) {
        Some(Some((d, _))) if d != "thr" => detect::FALLBACK_THRESHOLD,
        _ => threshold,
    }
}

/// Which modelling choices to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Profile {
    /// What is physically and statistically right.
    #[default]
    Physical,
    /// What CloudSim's `power` package computes, to set results beside published tables.
    CloudsimCompat,
}
