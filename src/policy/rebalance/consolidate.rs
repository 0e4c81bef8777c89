//! `Consolidation`: Beloglazov & Buyya's dynamic consolidation. Each round: find overloaded
//! hosts (a detector), pick VMs off them until they are not (a selector), place those by
//! power-aware best fit decreasing (PABFD), then vacate the least-utilised hosts whose VMs all
//! fit elsewhere.

use super::Profile;
use super::detect::{Detector, HostLoad};
use super::select::{Candidate, Selector};
use crate::impact::PowerModel;
use crate::insight::InformationCore;
use crate::landscape::max_tree::MaxTree;
use crate::landscape::{HostId, PowerState};
use crate::policy::{Action, Rebalance, RebalanceView, VmInfo};
use crate::workload::Resources;
use rand::rngs::ChaCha8Rng;

pub struct Consolidation {
    detector: Detector,
    selector: Selector,
    profile: Profile,
    underload: bool,
    rng: ChaCha8Rng,
    /// Tests only: scan every host in PABFD (the reference the shortcut must agree with).
    full_scan: bool,
}

/// The round's working copy of the fleet: free allocation and demand after planned moves.
struct Plan<'v> {
    view: &'v RebalanceView<'v>,
    free: Vec<Resources>,
    demand: Vec<f64>,
    /// Hosts that may not receive VMs (overloaded or being vacated) or be vacated (received).
    closed: Vec<bool>,
    received: Vec<bool>,
    /// Hosts with no workloads: vacating a host onto one of them saves nothing, so only
    /// overload relief may use them (as CloudSim excludes "switched-off" hosts there).
    empty: Vec<bool>,
    history: Vec<f64>,
    /// Scratch of `pabfd`: host types whose best destination is already known.
    type_settled: Vec<bool>,
    /// Free capacity of the hosts that may receive VMs now (on, not closed), as a max tree, to
    /// visit only hosts with room; `busy_tree` leaves out the empty ones (for vacating).
    free_tree: MaxTree,
    busy_tree: MaxTree,
}

impl Plan<'_> {
    /// What host `i` offers each tree now.
    fn offers(&self, i: usize) -> (Resources, Resources) {
        let on = self.view.fleet.state[i] == PowerState::On && !self.closed[i];
        let any = if on { self.free[i] } else { Resources::ZERO };
        let busy = if !self.empty[i] || self.received[i] {
            any
        } else {
            Resources::ZERO
        };
        (any, busy)
    }

    /// Brings both trees in line with host `i`.
    fn refresh(&mut self, i: usize) {
        let (any, busy) = self.offers(i);
        self.free_tree.set(i, any);
        self.busy_tree.set(i, busy);
    }
}

impl Consolidation {
    pub fn new(
        profile: Profile,
        detector: Detector,
        selector: Selector,
        underload: bool,
        rng: ChaCha8Rng,
    ) -> Consolidation {
        Consolidation {
            detector,
            selector,
            profile,
            underload,
            rng,
            full_scan: false,
        }
    }

    fn overloaded(&self, plan: &mut Plan, h: HostId, demand: f64) -> bool {
        let f = plan.view.fleet;
        plan.view.host_history[h.index()].newest_first(&mut plan.history);
        let load = HostLoad {
            current: demand / f.physical_cpu[h.index()] as f64,
            history: &plan.history,
            migration_intervals: 1.0,
        };
        self.detector.is_overloaded(&load, self.profile)
    }

    /// VMs to move off host `h` until it is no longer overloaded.
    fn select_from(&mut self, plan: &mut Plan, h: HostId, vms: &[usize], out: &mut Vec<usize>) {
        let view = plan.view;
        let mut left: Vec<usize> = vms
            .iter()
            .copied()
            .filter(|&i| !view.vms[i].migrating)
            .collect();
        let mut histories: Vec<Vec<f64>> = left.iter().map(|&i| history_of(&view.vms[i])).collect();
        while !left.is_empty() {
            let candidates: Vec<Candidate> = left
                .iter()
                .zip(&histories)
                .map(|(&i, hist)| candidate(&view.vms[i], hist))
                .collect();
            let Some(pick) = self.selector.select(&candidates, &mut self.rng) else {
                break;
            };
            let vm = left.remove(pick);
            histories.remove(pick);
            plan.demand[h.index()] -= view.vms[vm].demand as f64;
            out.push(vm);
            let demand = plan.demand[h.index()];
            if !self.overloaded(plan, h, demand) {
                break;
            }
        }
    }

    /// The host whose power rises least by taking `vm` (power-aware best fit), if any.
    fn pabfd(&self, plan: &mut Plan, vm: &VmInfo, use_empty: bool) -> Option<HostId> {
        let f = plan.view.fleet;
        // Under a detector that keeps every destination at or below 100 %, a linear power model
        // raises power by the same amount on every host of its type, so the first eligible host
        // of each linear type (in id order) is that type's best: the scan skips the rest and
        // stops once every type has its candidate. Same answer as the full scan, far fewer hosts.
        let shortcut = !self.full_scan
            && matches!(
                self.detector,
                Detector::Thr { .. } | Detector::Iqr { .. } | Detector::Mad { .. }
            );
        let mut settled = std::mem::take(&mut plan.type_settled);
        settled.clear();
        settled.resize(f.types.len(), false);
        let mut open_types = f.types.len();
        let mut best: Option<(f64, HostId)> = None;
        let mut next = 0;
        loop {
            // Only hosts with room for the request are visited (the full scan visits all).
            let found = if self.full_scan {
                (next < f.len()).then_some(next)
            } else {
                let tree = if use_empty {
                    &plan.free_tree
                } else {
                    &plan.busy_tree
                };
                tree.first_from(next, vm.request)
            };
            let Some(i) = found else { break };
            next = i + 1;
            let h = HostId(i as u32);
            let t = f.host_type[i].0 as usize;
            let linear = shortcut && matches!(f.types[t].power, PowerModel::Linear { .. });
            if linear && settled[t] {
                continue;
            }
            if !self.eligible(plan, vm, h, use_empty) {
                continue;
            }
            let after = plan.demand[i] + vm.demand as f64;
            let increase = power_increase(
                &f.types[t].power,
                f.physical_cpu[i] as f64,
                plan.demand[i],
                after,
            );
            if best.is_none_or(|(b, _)| increase < b) {
                best = Some((increase, h));
            }
            if linear {
                settled[t] = true;
                open_types -= 1;
                if open_types == 0
                    && f.types
                        .iter()
                        .all(|ty| matches!(ty.power, PowerModel::Linear { .. }))
                {
                    break;
                }
            }
        }
        plan.type_settled = settled;
        best.map(|(_, h)| h)
    }

    /// Can host `h` take `vm` now (on, open, fitting, not overloaded after)?
    fn eligible(&self, plan: &mut Plan, vm: &VmInfo, h: HostId, use_empty: bool) -> bool {
        let f = plan.view.fleet;
        let i = h.index();
        if h == vm.host || plan.closed[i] || f.state[i] != PowerState::On {
            return false;
        }
        if plan.empty[i] && !plan.received[i] && !use_empty {
            return false;
        }
        if !f.features(h).covers(vm.features) || !vm.request.fits_in(plan.free[i]) {
            return false;
        }
        let after = plan.demand[i] + vm.demand as f64;
        !self.overloaded(plan, h, after)
    }

    /// Places `vms` (largest demand first); all or nothing when `all` is set.
    fn place(&self, plan: &mut Plan, vms: &mut [usize], all: bool, out: &mut Vec<Action>) -> bool {
        let view = plan.view;
        vms.sort_by_key(|&i| std::cmp::Reverse(view.vms[i].demand));
        // Tentative moves, undone entry by entry if `all` fails (no copy of the whole plan).
        let mut moves: Vec<(usize, HostId)> = Vec::new();
        for &i in vms.iter() {
            let vm = &view.vms[i];
            match self.pabfd(plan, vm, !all) {
                Some(to) => {
                    plan.free[to.index()] = plan.free[to.index()].saturating_sub(vm.request);
                    plan.refresh(to.index());
                    plan.demand[to.index()] += vm.demand as f64;
                    moves.push((i, to));
                }
                None if all => {
                    for (i, to) in moves {
                        let vm = &view.vms[i];
                        plan.free[to.index()] = plan.free[to.index()] + vm.request;
                        plan.refresh(to.index());
                        plan.demand[to.index()] -= vm.demand as f64;
                    }
                    return false;
                }
                None => {}
            }
        }
        let moves = moves.into_iter().map(|(i, to)| (view.vms[i].id, to));
        for (workload, to) in moves {
            plan.received[to.index()] = true;
            plan.refresh(to.index());
            out.push(Action::Migrate { workload, to });
        }
        true
    }
}

/// Watts a host of `model` and physical CPU `cap` gains going from demand `before` to `after`
/// (utilisation capped at 100 %). Linear models in closed form, so that every host of a type
/// gets the very same number.
fn power_increase(model: &PowerModel, cap: f64, before: f64, after: f64) -> f64 {
    match model {
        PowerModel::Linear { idle_w, max_w } => {
            (max_w - idle_w) * (after.min(cap) - before.min(cap)) / cap
        }
        PowerModel::Specpower(_) => model.watts(after / cap) - model.watts(before / cap),
    }
}

fn history_of(vm: &VmInfo) -> Vec<f64> {
    let mut h = Vec::new();
    vm.history.newest_first(&mut h);
    h
}

fn candidate<'a>(vm: &VmInfo, history: &'a [f64]) -> Candidate<'a> {
    Candidate {
        memory_mb: vm.request.memory as f64,
        utilisation: vm.demand as f64 / vm.request.cpu.max(1) as f64,
        history,
        migrating: vm.migrating,
    }
}

impl Rebalance for Consolidation {
    fn plan(&mut self, view: &RebalanceView, _: &InformationCore, out: &mut Vec<Action>) {
        let f = view.fleet;
        let mut by_host: Vec<Vec<usize>> = vec![Vec::new(); f.len()];
        for (i, vm) in view.vms.iter().enumerate() {
            by_host[vm.host.index()].push(i);
        }
        let mut plan = Plan {
            view,
            free: f.hosts().map(|h| f.free(h)).collect(),
            demand: f.cpu_demand.iter().map(|&d| d as f64).collect(),
            closed: vec![false; f.len()],
            received: vec![false; f.len()],
            empty: by_host.iter().map(Vec::is_empty).collect(),
            history: Vec::new(),
            type_settled: Vec::new(),
            free_tree: MaxTree::default(),
            busy_tree: MaxTree::default(),
        };
        plan.free_tree = MaxTree::new((0..f.len()).map(|i| plan.offers(i).0));
        plan.busy_tree = MaxTree::new((0..f.len()).map(|i| plan.offers(i).1));
        let mut to_move = Vec::new();
        for h in f.hosts().filter(|h| !by_host[h.index()].is_empty()) {
            let demand = plan.demand[h.index()];
            if f.state[h.index()] == PowerState::On && self.overloaded(&mut plan, h, demand) {
                plan.closed[h.index()] = true;
                plan.refresh(h.index());
                self.select_from(&mut plan, h, &by_host[h.index()], &mut to_move);
            }
        }
        self.place(&mut plan, &mut to_move, false, out);
        if self.underload {
            self.vacate_underloaded(&mut plan, &by_host, out);
        }
    }
}

impl Consolidation {
    /// From the least utilised host up, moves every VM off a host when all of them fit elsewhere.
    fn vacate_underloaded(&self, plan: &mut Plan, by_host: &[Vec<usize>], out: &mut Vec<Action>) {
        let f = plan.view.fleet;
        let mut hosts: Vec<HostId> = f
            .hosts()
            .filter(|h| f.state[h.index()] == PowerState::On && !by_host[h.index()].is_empty())
            .collect();
        hosts.sort_by(|a, b| {
            let u = |h: &HostId| plan.demand[h.index()] / f.physical_cpu[h.index()] as f64;
            u(a).total_cmp(&u(b)).then(a.cmp(b))
        });
        for h in hosts {
            let i = h.index();
            if plan.closed[i] || plan.received[i] {
                continue;
            }
            let mut vms: Vec<usize> = by_host[i]
                .iter()
                .copied()
                .filter(|&v| !plan.view.vms[v].migrating)
                .collect();
            if vms.len() != by_host[i].len() {
                continue;
            }
            plan.closed[i] = true;
            plan.refresh(i);
            if !self.place(plan, &mut vms, true, out) {
                plan.closed[i] = false;
                plan.refresh(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Purpose, RngStreams};
    use crate::insight::Window;
    use crate::landscape::{FeatureMask, Fleet, HostType, HostTypeId};
    use crate::workload::WorkloadId;
    use proptest::prelude::*;

    fn fleet(hosts: &[(u16, u32)]) -> Fleet {
        let mut f = Fleet::default();
        for (name, idle, max) in [("a", 100.0, 200.0), ("b", 80.0, 250.0)] {
            f.types.push(HostType {
                name: name.into(),
                cores: 8.0,
                memory_gib: 16.0,
                features: FeatureMask(0),
                price_usd: 0.0,
                power: PowerModel::Linear {
                    idle_w: idle,
                    max_w: max,
                },
                lifetime_years: 4.0,
                embodied_kgco2e: 0.0,
                network_gbps: 1.0,
                max_request_cores: None,
            });
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
                    request: Resources { cpu: d, memory: d },
                    features: FeatureMask(0),
                    demand: d,
                    migrating: false,
                    history: Window::default(),
                })
                .collect();
            for vm in &infos {
                let i = vm.host.index();
                f.workloads[i] += 1;
            }
            let history = vec![Window::default(); f.len()];
            let view = RebalanceView { now: Default::default(), interval: Default::default(), fleet: &f, host_history: &history, vms: &infos };
            let plan = |full_scan: bool| {
                let rng = RngStreams::new(1).stream(Purpose::Rebalance);
                let mut c = Consolidation::new(Profile::Physical, Detector::Thr { threshold }, Selector::Mmt, true, rng);
                c.full_scan = full_scan;
                let mut out = Vec::new();
                c.plan(&view, &InformationCore::default(), &mut out);
                out
            };
            prop_assert_eq!(plan(false), plan(true));
        }
    }
}
