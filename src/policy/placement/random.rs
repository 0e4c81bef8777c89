//! Random: a host drawn uniformly among those that fit. Rejection sampling (uniform draws until
//! one fits) is exact and O(1) while hosts have room; after 32 misses it falls back to listing
//! the hosts that fit, which keeps the choice uniform.

use crate::insight::InformationCore;
use crate::landscape::HostId;
use crate::policy::{Placement, View};
use crate::workload::WorkloadSpec;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

const TRIES: u32 = 32;

#[derive(Debug)]
pub struct RandomFit {
    rng: ChaCha8Rng,
    scratch: Vec<HostId>,
}

impl RandomFit {
    pub fn new(rng: ChaCha8Rng) -> RandomFit {
        RandomFit {
            rng,
            scratch: Vec::new(),
        }
    }
}

impl Placement for RandomFit {
    fn place(&mut self, w: &WorkloadSpec, view: &View, _: &InformationCore) -> Option<HostId> {
        let n = view.fleet.len() as u32;
        for _ in 0..TRIES {
            let h = HostId(self.rng.random_range(0..n));
            // The index says what a host offers: nothing while it is off, failed or cut off.
            if view.fleet.fits(h, w.request, w.features) && view.index.offers(h, w.request) {
                return Some(h);
            }
        }
        view.index
            .all_fitting(w.request, w.features, &mut self.scratch);
        if self.scratch.is_empty() {
            return None;
        }
        let i = self.rng.random_range(0..self.scratch.len());
        Some(self.scratch[i])
    }
}
