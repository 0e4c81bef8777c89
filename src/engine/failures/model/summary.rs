//! The failure summary at the end of a run: per kind the entities, failures, repairs, observed
//! MTBF and MTTR and availability; host availability; what failures cost in VM-hours.

use super::{FailureModel, KINDS};
use crate::landscape::DomainKind;
use crate::metrics::{FailureSummary, KindFailureStats};
use crate::time::SimTime;

impl FailureModel {
    /// The summary at the end of the run (`end`), down and up times counted to the end.
    pub fn summary(&mut self, end: SimTime) -> FailureSummary {
        let mut entities = [0u64; KINDS];
        for d in 0..self.domains.len() {
            let k = self.kind(d);
            entities[k] += 1;
            let t = (end - self.since[d]).as_secs_f64();
            if self.down[d] {
                self.counts[k].down_s += t;
            } else {
                self.counts[k].up_s += t;
            }
        }
        for h in 0..self.causes.len() {
            if self.causes[h] > 0 {
                self.host_down_s += (end - self.host_down_since[h]).as_secs_f64();
            }
        }
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let horizon = end.as_secs_f64();
        let failures_by_kind = DomainKind::ALL
            .iter()
            .filter(|&&k| entities[k as usize] > 0)
            .map(|&k| {
                let c = self.counts[k as usize];
                let stats = KindFailureStats {
                    entities: entities[k as usize],
                    failures: c.failures,
                    repairs: c.repairs,
                    observed_mtbf_hours: ratio(c.up_s, c.failures as f64) / 3600.0,
                    observed_mttr_hours: ratio(c.down_s, c.failures as f64) / 3600.0,
                    availability: ratio(c.up_s, entities[k as usize] as f64 * horizon),
                };
                (k.name().to_string(), stats)
            })
            .collect();
        let host_s = self.causes.len() as f64 * horizon;
        FailureSummary {
            vms_killed_by_failures: self.kills,
            vm_restarts: self.restarted,
            vms_lost_to_failures: self.lost,
            lost_vm_hours: self.lost_vm_s / 3600.0,
            mean_restart_delay_seconds: ratio(self.restart_delay_s, self.restarted as f64),
            host_availability: ratio(host_s - self.host_down_s, host_s),
            host_down_hours: self.host_down_s / 3600.0,
            unreachable_vm_hours: self.unreachable.vm_s / 3600.0,
            unreachable_host_hours: self.unreachable.host_s / 3600.0,
            throttled_vm_hours: self.throttled.vm_s / 3600.0,
            throttled_host_hours: self.throttled.host_s / 3600.0,
            failures_by_kind,
            first_blast: self.first_blast.take(),
        }
    }
}
