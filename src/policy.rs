//! Policies of the foreground loop: the `Placement` trait, the built-in placement policies
//! (one file each under `placement/`), and a registry by name.

mod placement;
pub mod rebalance;

pub use placement::{BestFit, FirstFit, RandomFit, RoundRobin, WorstFit};

use crate::insight::InformationCore;
use crate::landscape::{FitIndex, Fleet, HostId};
use crate::time::SimTime;
use crate::workload::WorkloadSpec;
use rand::rngs::ChaCha8Rng;

/// What a policy may see of the world: read-only, the present only.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub now: SimTime,
    pub fleet: &'a Fleet,
    pub index: &'a FitIndex,
}

/// Chooses a host for a workload on arrival (and on each retry from the queue).
pub trait Placement {
    /// The host to place `w` on, or `None` if it fits nowhere (or the policy declines).
    fn place(&mut self, w: &WorkloadSpec, view: &View, core: &InformationCore) -> Option<HostId>;
}

/// Names accepted by `placement_by_name`.
pub const PLACEMENT_POLICIES: [&str; 5] = [
    "first-fit",
    "best-fit",
    "worst-fit",
    "random",
    "round-robin",
];

/// The placement policy called `name`; `rng` is its own random stream (used by `random`).
pub fn placement_by_name(name: &str, rng: ChaCha8Rng) -> Option<Box<dyn Placement>> {
    Some(match name {
        "first-fit" => Box::new(FirstFit),
        "best-fit" => Box::new(BestFit),
        "worst-fit" => Box::new(WorstFit),
        "random" => Box::new(RandomFit::new(rng)),
        "round-robin" => Box::new(RoundRobin::default()),
        _ => return None,
    })
}
