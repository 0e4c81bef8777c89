//! The landscape: the entity graph (datacenter → room → rack → host, PDUs, cooling units, VMs),
//! its builder from a scenario, the dense `Fleet` state, the fit index and graph export.

pub mod blast;
mod build;
mod class_mix;
mod export;
pub mod failure;
mod fit_index;
mod fleet;
mod graph;
mod graphml;
mod host_parts;
pub mod max_tree;

pub use build::{BuildError, Machine, build, build_with_machines};
pub use class_mix::ClassMix;
pub use export::{ExportFormat, RackView, ViewNode, export, rack_view};
pub use failure::{DomainKind, FailureDomain, failure_domains};
pub use fit_index::FitIndex;
pub use fleet::{Fleet, HostType, HostTypeId, PowerState};
pub use graph::{Entity, Landscape, Relation};
pub use host_parts::add_host_parts;

use serde::Serialize;

/// Index of a host in every dense per-host array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct HostId(pub u32);

impl HostId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A set of platform features (e.g. `sriov`, `gpu`) as bits; names live in `FeatureNames`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeatureMask(pub u32);

impl FeatureMask {
    /// True when every feature of `needed` is in `self`.
    pub fn covers(self, needed: FeatureMask) -> bool {
        self.0 & needed.0 == needed.0
    }
}

/// The feature names of a scenario, sorted, each given one bit.
#[derive(Clone, Debug, Default)]
pub struct FeatureNames(pub Vec<String>);

impl FeatureNames {
    pub const MAX: usize = 32;

    /// Collects every name in sorted order; `None` when there are more than 32.
    pub fn collect<'a>(names: impl Iterator<Item = &'a String>) -> Option<FeatureNames> {
        let set: std::collections::BTreeSet<&String> = names.collect();
        (set.len() <= Self::MAX).then(|| FeatureNames(set.into_iter().cloned().collect()))
    }

    pub fn mask<'a>(&self, names: impl IntoIterator<Item = &'a String>) -> FeatureMask {
        let mut bits = 0;
        for n in names {
            if let Some(i) = self.0.iter().position(|x| x == n) {
                bits |= 1 << i;
            }
        }
        FeatureMask(bits)
    }
}
