//! Best-fit: the host left with the least free CPU after placement (ties: least free memory,
//! then lowest id), found through the fit index.

use crate::insight::InformationCore;
use crate::landscape::HostId;
use crate::policy::{Placement, View};
use crate::workload::WorkloadSpec;

#[derive(Debug, Default)]
pub struct BestFit;

impl Placement for BestFit {
    fn place(&mut self, w: &WorkloadSpec, view: &View, _: &InformationCore) -> Option<HostId> {
        view.index.best_fit(w.request, w.features)
    }
}
