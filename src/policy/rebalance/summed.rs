//! `SummedHistory`: a host's utilisation history as CloudSim builds it for its adaptive
//! detectors (`PowerHostUtilizationHistory.getUtilizationHistory`): the sum over the VMs on the
//! host *now* of each VM's past utilisation × its MIPS / the host's, so that moving a VM moves
//! its past with it. Used by the CloudSim-compatible profile; the physical profile reads the
//! host's own measured past instead.

use crate::insight::{WINDOW, Window};
use crate::landscape::{Fleet, HostId};
use crate::policy::{RebalanceView, VmInfo};

#[derive(Debug, Default)]
pub struct SummedHistory {
    /// Per host, newest first, zero where no VM has a sample.
    sums: Vec<[f64; WINDOW]>,
    /// Scratch: one VM's samples, newest first.
    samples: Vec<f64>,
}

impl SummedHistory {
    /// Sums the histories of every VM on every host that is on, into `scratch` per host.
    pub fn reset(&mut self, view: &RebalanceView, scratch: &mut Vec<VmInfo>) {
        let f = view.fleet;
        self.sums.clear();
        self.sums.resize(f.len(), [0.0; WINDOW]);
        for h in f.hosts().filter(|h| f.workloads[h.index()] > 0) {
            view.vms.on_host(h, scratch);
            for vm in scratch.iter() {
                let w = view.vms.history(vm.key).copied().unwrap_or_default();
                self.add(f, h, vm, &w, 1.0);
            }
        }
    }

    /// Adds (`sign` 1) or removes (−1) `vm`'s history `w` to host `h`'s sum.
    pub fn add(&mut self, f: &Fleet, h: HostId, vm: &VmInfo, w: &Window, sign: f64) {
        let weight = sign * vm.size.cpu as f64 / f.physical_cpu[h.index()] as f64;
        w.newest_first(&mut self.samples);
        for (sum, u) in self.sums[h.index()].iter_mut().zip(&self.samples) {
            *sum += u * weight;
        }
    }

    /// Host `h`'s history, newest first, into `out`: with `extra` VM's history added when
    /// given, and without the run of zeros at the old end (CloudSim's `trimZeroTail`).
    pub fn history(
        &mut self,
        f: &Fleet,
        h: HostId,
        extra: Option<(&VmInfo, &Window)>,
        out: &mut Vec<f64>,
    ) {
        out.clear();
        out.extend_from_slice(&self.sums[h.index()]);
        if let Some((vm, w)) = extra {
            let weight = vm.size.cpu as f64 / f.physical_cpu[h.index()] as f64;
            w.newest_first(&mut self.samples);
            for (sum, u) in out.iter_mut().zip(&self.samples) {
                *sum += u * weight;
            }
        }
        // Sums of non-negative samples: a cancelled float rounds to a tiny value, not zero.
        let keep = out.iter().rposition(|&u| u > 1e-12).map_or(0, |i| i + 1);
        out.truncate(keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landscape::{FeatureMask, HostType, HostTypeId};
    use crate::policy::VmKey;
    use crate::workload::{Resources, WorkloadId};

    fn window(newest_first: &[f64]) -> Window {
        let mut w = Window::default();
        for &u in newest_first.iter().rev() {
            w.push(u);
        }
        w
    }

    fn vm(cores: u32) -> VmInfo {
        let r = Resources {
            cpu: cores * 1000,
            memory: 1,
        };
        VmInfo {
            id: WorkloadId(0),
            key: VmKey {
                handle: 0,
                generation: 0,
            },
            host: HostId(0),
            size: r,
            request: r,
            features: FeatureMask(0),
            demand: 0,
            migrating: false,
        }
    }

    #[test]
    fn weights_each_vm_by_its_share_of_the_host_and_trims_the_empty_past() {
        let mut f = Fleet::default();
        f.types.push(HostType::plain("h", 4.0, 8.0, (1.0, 2.0)));
        let cap = Resources::from_cores_gib(4.0, 8.0).unwrap();
        let h = f.push_host(HostTypeId(0), cap, cap.cpu);
        let mut s = SummedHistory {
            sums: vec![[0.0; WINDOW]],
            ..Default::default()
        };
        // A 2-core VM at 100 %, 50 % (newest first) and a 1-core one at 40 %, 40 %, 40 %.
        let (a, wa) = (vm(2), window(&[1.0, 0.5]));
        let (b, wb) = (vm(1), window(&[0.4, 0.4, 0.4]));
        s.add(&f, h, &a, &wa, 1.0);
        let mut out = Vec::new();
        s.history(&f, h, Some((&b, &wb)), &mut out);
        let expected = [0.5 + 0.1, 0.25 + 0.1, 0.1];
        assert_eq!(out.len(), 3);
        for (o, e) in out.iter().zip(expected) {
            assert!((o - e).abs() < 1e-6, "{out:?}");
        }
        // Taking A off again leaves nothing.
        s.add(&f, h, &a, &wa, -1.0);
        s.history(&f, h, None, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
