//! `Consolidation`: Beloglazov & Buyya's dynamic consolidation. Each round: find overloaded
//! hosts (a detector), pick VMs off them until they are not (a selector), place those by
//! power-aware best fit decreasing (PABFD), then vacate the least-utilised hosts whose VMs all
//! fit elsewhere.

use super::Profile;
use super::detect::{Detector, HostLoad};
use super::select::{Candidate, Selector};
use crate::insight::InformationCore;
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
        let mut best: Option<(f64, HostId)> = None;
        for h in f.hosts() {
            let i = h.index();
            if h == vm.host || plan.closed[i] || f.state[i] != PowerState::On {
                continue;
            }
            if plan.empty[i] && !plan.received[i] && !use_empty {
                continue;
            }
            if !f.features(h).covers(vm.features) || !vm.request.fits_in(plan.free[i]) {
                continue;
            }
            let after = plan.demand[i] + vm.demand as f64;
            if self.overloaded(plan, h, after) {
                continue;
            }
            let model = &f.type_of(h).power;
            let cap = f.physical_cpu[i] as f64;
            let increase = model.watts(after / cap) - model.watts(plan.demand[i] / cap);
            if best.is_none_or(|(b, _)| increase < b) {
                best = Some((increase, h));
            }
        }
        best.map(|(_, h)| h)
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
                    plan.demand[to.index()] += vm.demand as f64;
                    moves.push((i, to));
                }
                None if all => {
                    for (i, to) in moves {
                        let vm = &view.vms[i];
                        plan.free[to.index()] = plan.free[to.index()] + vm.request;
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
            out.push(Action::Migrate { workload, to });
        }
        true
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
        };
        let mut to_move = Vec::new();
        for h in f.hosts().filter(|h| !by_host[h.index()].is_empty()) {
            let demand = plan.demand[h.index()];
            if f.state[h.index()] == PowerState::On && self.overloaded(&mut plan, h, demand) {
                plan.closed[h.index()] = true;
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
            if !self.place(plan, &mut vms, true, out) {
                plan.closed[i] = false;
            }
        }
    }
}
