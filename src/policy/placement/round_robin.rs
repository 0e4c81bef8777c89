//! Round-robin: the first host that fits at or after the one after the last choice, wrapping.

use crate::insight::InformationCore;
use crate::landscape::HostId;
use crate::policy::{Placement, View};
use crate::workload::WorkloadSpec;

#[derive(Debug, Default)]
pub struct RoundRobin {
    next: u32,
}

impl Placement for RoundRobin {
    fn place(&mut self, w: &WorkloadSpec, view: &View, _: &InformationCore) -> Option<HostId> {
        let start = HostId(self.next % view.fleet.len() as u32);
        let chosen = view.index.first_fit_from(start, w.request, w.features)?;
        self.next = chosen.0 + 1;
        Some(chosen)
    }
}
