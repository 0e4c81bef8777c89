//! PABFD as the initial placement (Beloglazov & Buyya 2012; CloudSim's
//! `PowerVmAllocationPolicyMigrationAbstract.findHostForVm`): the host whose power rises least
//! by taking the workload at its full request, among the hosts it fits whose utilisation would
//! stay within the overload threshold (an empty host always qualifies). Ties: the lowest id.
//!
//! Only hosts with room are visited (through the fit index). With a linear power model every
//! host of a type rises by the same watts, so the first qualifying host of each linear type is
//! that type's best and the rest of the type is skipped; SPECpower tables are scanned in full.

use crate::impact::PowerModel;
use crate::insight::InformationCore;
use crate::landscape::HostId;
use crate::policy::{Placement, View};
use crate::workload::WorkloadSpec;

#[derive(Debug)]
pub struct Pabfd {
    /// Utilisation above which a host that already runs workloads does not qualify.
    threshold: f64,
    /// Scratch: host types whose best host is already known.
    settled: Vec<bool>,
}

impl Pabfd {
    pub fn new(threshold: f64) -> Pabfd {
        Pabfd {
            threshold,
            settled: Vec::new(),
        }
    }
}

impl Placement for Pabfd {
    fn place(&mut self, w: &WorkloadSpec, view: &View, _: &InformationCore) -> Option<HostId> {
        let f = view.fleet;
        self.settled.clear();
        self.settled.resize(f.types.len(), false);
        let all_linear = f
            .types
            .iter()
            .all(|t| matches!(t.power, PowerModel::Linear { .. }));
        let mut open_types = f.types.len();
        let mut best: Option<(f64, HostId)> = None;
        let mut next = HostId(0);
        while let Some(h) = view.index.next_fit(next, w.request, w.features) {
            next = HostId(h.0 + 1);
            let (i, t) = (h.index(), f.host_type[h.index()].0 as usize);
            let linear = matches!(f.types[t].power, PowerModel::Linear { .. });
            if linear && self.settled[t] {
                continue;
            }
            let cap = f.physical_cpu[i] as f64;
            let before = f.allocated[i].cpu as f64;
            let after = before + w.request.cpu as f64;
            if f.workloads[i] > 0 && after / cap > self.threshold {
                continue;
            }
            let rise = f.types[t].power.rise(cap, before, after);
            if best.is_none_or(|(b, _)| rise < b) {
                best = Some((rise, h));
            }
            if linear {
                self.settled[t] = true;
                open_types -= 1;
                if all_linear && open_types == 0 {
                    break;
                }
            }
        }
        best.map(|(_, h)| h)
    }

    fn orders_hosts_by_room(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landscape::{FeatureMask, FitIndex, Fleet, HostType, HostTypeId};
    use crate::time::SimTime;
    use crate::workload::{ClassId, Resources, UsageProfile, WorkloadId};

    fn host_type(name: &str, power: PowerModel) -> HostType {
        HostType {
            name: name.into(),
            cores: 8.0,
            memory_gib: 16.0,
            features: FeatureMask(0),
            price_usd: 0.0,
            power,
            lifetime_years: 4.0,
            embodied_kgco2e: 0.0,
            network_gbps: 1.0,
            max_request_cores: None,
        }
    }

    /// Hosts as (type, cores allocated).
    fn fleet(types: Vec<HostType>, hosts: &[(u16, f64)]) -> Fleet {
        let mut f = Fleet {
            types,
            ..Default::default()
        };
        let cap = Resources::from_cores_gib(8.0, 16.0).unwrap();
        for &(t, used) in hosts {
            let h = f.push_host(HostTypeId(t), cap, cap.cpu);
            f.allocated[h.index()] = Resources::from_cores_gib(used, 0.0).unwrap();
            f.workloads[h.index()] = u32::from(used > 0.0);
        }
        f
    }

    fn place(f: &Fleet, threshold: f64) -> Option<HostId> {
        let w = WorkloadSpec {
            id: WorkloadId(0),
            class: ClassId(0),
            arrival: SimTime::ZERO,
            lifetime: None,
            request: Resources::from_cores_gib(1.0, 1.0).unwrap(),
            features: FeatureMask(0),
            usage: UsageProfile::constant(1.0),
            subscription: None,
        };
        let index = FitIndex::new(f);
        let view = View {
            now: SimTime::ZERO,
            fleet: f,
            index: &index,
        };
        Pabfd::new(threshold).place(&w, &view, &InformationCore::default())
    }

    #[test]
    fn least_power_rise_among_hosts_within_the_threshold() {
        let a = host_type(
            "a",
            PowerModel::Linear {
                idle_w: 100.0,
                max_w: 200.0,
            },
        );
        let b = host_type(
            "b",
            PowerModel::Linear {
                idle_w: 80.0,
                max_w: 250.0,
            },
        );
        // Host 0: empty b (+170/8 W a core); host 1: a at 2 cores (+100/8 W); host 2: a at 7.
        let f = fleet(vec![a, b], &[(1, 0.0), (0, 2.0), (0, 7.0)]);
        // Host 2 would reach 100 % > 80 %: host 1 rises least.
        assert_eq!(place(&f, 0.8), Some(HostId(1)));
        // At 30 % host 1 would be overloaded too (3/8); an empty host always qualifies.
        assert_eq!(place(&f, 0.3), Some(HostId(0)));
    }

    #[test]
    fn a_specpower_table_is_scanned_for_its_cheapest_step() {
        // 10 W per 10 % except 5 W between 40 % and 50 %.
        let table = [
            0.0, 10.0, 20.0, 30.0, 40.0, 45.0, 55.0, 65.0, 75.0, 85.0, 95.0,
        ];
        let t = host_type("s", PowerModel::Specpower(table));
        // Host 0 at 10 % (a core costs 12.5 W), host 1 at 40 % (7.5 W): host 1, though later.
        let f = fleet(vec![t], &[(0, 0.8), (0, 3.2)]);
        assert_eq!(place(&f, 1.0), Some(HostId(1)));
    }
}
