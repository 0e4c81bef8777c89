//! First-fit: the lowest-numbered host that fits (fit index, O(log n)).

use crate::insight::InformationCore;
use crate::landscape::HostId;
use crate::policy::{Placement, View};
use crate::workload::WorkloadSpec;

#[derive(Debug, Default)]
pub struct FirstFit;

impl Placement for FirstFit {
    fn place(&mut self, w: &WorkloadSpec, view: &View, _: &InformationCore) -> Option<HostId> {
        view.index.first_fit(w.request, w.features)
    }

    fn orders_hosts_by_room(&self) -> bool {
        false
    }
}
