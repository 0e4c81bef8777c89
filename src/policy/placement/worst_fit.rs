//! Worst-fit: the host with the most free CPU (ties: most free memory, then highest id): spreads load.

use crate::insight::InformationCore;
use crate::landscape::HostId;
use crate::policy::{Placement, View};
use crate::workload::WorkloadSpec;

#[derive(Debug, Default)]
pub struct WorstFit;

impl Placement for WorstFit {
    fn place(&mut self, w: &WorkloadSpec, view: &View, _: &InformationCore) -> Option<HostId> {
        view.index.worst_fit(w.request, w.features)
    }
}
