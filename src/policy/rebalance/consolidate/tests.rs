//! Unit tests of the consolidation policy: PABFD's shortcut against the full scan, CloudSim's
//! power-rise baseline, relief destinations.

use super::*;
use crate::engine::{Purpose, RngStreams};
use crate::insight::Window;
use crate::landscape::{FeatureMask, Fleet, HostType, HostTypeId};
use crate::workload::WorkloadId;
use proptest::prelude::*;

fn fleet(hosts: &[(u16, u32)]) -> Fleet {
    let mut f = Fleet::default();
    for (name, idle, max) in [("a", 100.0, 200.0), ("b", 80.0, 250.0)] {
        f.types.push(HostType::plain(name, 8.0, 16.0, (idle, max)));
    }
    let cap = Resources::from_cores_gib(8.0, 16.0).unwrap();
    for &(t, used) in hosts {
        let h = f.push_host(HostTypeId(t), cap, cap.cpu);
        f.allocated[h.index()] = Resources {
            cpu: used,
            memory: used * 2,
        };
        f.cpu_demand[h.index()] = used as u64;
    }
    f
}

/// Host 0 (8 cores) runs eight 1-core VMs at full use; hosts 1 and 2 half a core each. THR
/// at 50 % sheds four VMs from host 0; returns how many land on hosts 1 and 2.
fn relief_destinations(profile: Profile) -> (usize, usize) {
    let mut f = fleet(&[(0, 8000), (0, 500), (0, 500)]);
    f.workloads = vec![8, 1, 1];
    let vms: Vec<VmInfo> = (0..8)
        .map(|i| {
            let r = Resources {
                cpu: 1000,
                memory: 1000,
            };
            VmInfo {
                id: WorkloadId(i),
                key: crate::policy::VmKey {
                    handle: i as u32,
                    generation: 0,
                },
                host: HostId(0),
                size: r,
                request: r,
                features: FeatureMask(0),
                demand: 1000,
                migrating: false,
            }
        })
        .collect();
    let table = VmTable(vms);
    let history = vec![Window::default(); f.len()];
    let view = RebalanceView {
        now: Default::default(),
        interval: Default::default(),
        fleet: &f,
        host_history: &history,
        vms: &table,
    };
    let rng = RngStreams::new(1).stream(Purpose::Rebalance);
    let thr = Detector::Thr { threshold: 0.5 };
    let mut c = Consolidation::new(profile, thr, Selector::Mmt, false, rng);
    let mut out = Vec::new();
    c.plan(&view, &InformationCore::default(), &mut out);
    let to = |h: u32| {
        out.iter()
            .filter(|a| matches!(a, Action::Migrate { to, .. } if to.0 == h))
            .count()
    };
    (to(1), to(2))
}

#[test]
fn cloudsim_measures_a_power_rise_from_the_last_update() {
    // Physically, each VM goes where the marginal rise is least: with equal linear hosts the
    // first that stays within 50 %, so host 1 takes three (0.5 + 3 = 3.5 of 8 cores).
    assert_eq!(relief_destinations(Profile::Physical), (3, 1));
    // CloudSim counts the VMs it already planned for a host in that host's rise, so the
    // second VM prefers host 2, the third ties (host 1), the fourth goes to host 2.
    assert_eq!(relief_destinations(Profile::CloudsimCompat), (2, 2));
}

/// Residents listed by hand.
struct VmTable(Vec<VmInfo>);

impl crate::policy::Residents for VmTable {
    fn on_host(&self, h: HostId, out: &mut Vec<VmInfo>) {
        out.clear();
        out.extend(self.0.iter().filter(|v| v.host == h));
    }

    fn history(&self, _: crate::policy::VmKey) -> Option<&Window> {
        None
    }
}

proptest! {
    #[test]
    fn the_pabfd_shortcut_agrees_with_the_full_scan(
        hosts in prop::collection::vec((0u16..2, 0u32..8000), 2..30),
        vms in prop::collection::vec((0usize..30, 100u32..3000), 1..40),
        threshold in 0.5f64..1.0,
    ) {
        let mut f = fleet(&hosts);
        let infos: Vec<VmInfo> = vms
            .iter()
            .enumerate()
            .map(|(i, &(h, d))| VmInfo {
                id: WorkloadId(i as u64),
                host: HostId((h % f.len()) as u32),
                size: Resources { cpu: d, memory: d },
                request: Resources { cpu: d, memory: d },
                features: FeatureMask(0),
                demand: d,
                migrating: false,
                key: crate::policy::VmKey { handle: i as u32, generation: 0 },
            })
            .collect();
        for vm in &infos {
            let i = vm.host.index();
            f.workloads[i] += 1;
        }
        let history = vec![Window::default(); f.len()];
        let table = VmTable(infos);
        let view = RebalanceView { now: Default::default(), interval: Default::default(), fleet: &f, host_history: &history, vms: &table };
        let consolidation = |full_scan: bool| {
            let rng = RngStreams::new(1).stream(Purpose::Rebalance);
            let mut c = Consolidation::new(Profile::Physical, Detector::Thr { threshold }, Selector::Mmt, true, rng);
            c.full_scan = full_scan;
            c
        };
        let round = |c: &mut Consolidation| {
            let mut out = Vec::new();
            c.plan(&view, &InformationCore::default(), &mut out);
            out
        };
        let mut fast = consolidation(false);
        let first = round(&mut fast);
        prop_assert_eq!(&first, &round(&mut consolidation(true)));
        // The arrays kept between rounds start each round afresh.
        prop_assert_eq!(&first, &round(&mut fast));
    }
}
