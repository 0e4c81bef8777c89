//! Building blocks of dynamic consolidation (Beloglazov & Buyya, CCPE 2012): host overload
//! detectors and VM selectors over utilisation histories, each in the physically right form and
//! in the form CloudSim 3/4 actually computes (`Profile::CloudsimCompat`).
//!
//! The periodic `Rebalance` loop that uses them is being built (issue: rebalancing); these
//! functions are pure and tested on hand-made histories.

pub mod detect;
pub mod select;
mod stats;

/// Which modelling choices to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Profile {
    /// What is physically and statistically right.
    #[default]
    Physical,
    /// What CloudSim's `power` package computes, to set results beside published tables.
    CloudsimCompat,
}
