//! `Consolidation`: Beloglazov & Buyya's dynamic consolidation. Each round: find overloaded
//! hosts (a detector), pick VMs off them until they are not (a selector), place those by
//! power-aware best fit decreasing (PABFD), then vacate the least-utilised hosts whose VMs all
//! fit elsewhere. A round's cost is O(hosts) plus the VMs of the hosts it looks at: the
//! working arrays are kept between rounds and VMs are read host by host.

use super::Profile;
use super::detect::Detector;
use super::select::{Candidate, Selector};
use super::summed::SummedHistory;
use crate::impact::PowerModel;
use crate::insight::{InformationCore, Window};
use crate::landscape::max_tree::MaxTree;
use crate::landscape::{Fleet, HostId, PowerState};
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
    plan: Plan,
    /// Scratch, kept between rounds: a host's VMs, the VMs to move, tentative moves, hosts in
    /// the order the vacating pass visits them.
    host_vms: Vec<VmInfo>,
    to_move: Vec<VmInfo>,
    moves: Vec<(VmInfo, HostId)>,
    /// This round's overload-relief moves (the CloudSim-compatible vacating pass re-plans
    /// those that landed on a host it vacates).
    relief: Vec<(VmInfo, HostId)>,
    order: Vec<u128>,
    /// Hosts the vacating pass has closed but not yet taken out of the plan's trees.
    unrefreshed: Vec<usize>,
    /// `rebalance.destination = "recipe"`: the placement recipe re-scores each destination.
    recipe: Option<Box<crate::policy::Recipe>>,
    /// Scratch of `destination`: the hosts it scores.
    sampled: Vec<HostId>,
}

/// The round's working copy of the fleet: free allocation and demand after planned moves.
#[derive(Default)]
struct Plan {
    free: Vec<Resources>,
    demand: Vec<f64>,
    /// Hosts that may not receive VMs (overloaded or being vacated) or be vacated (received).
    closed: Vec<bool>,
    received: Vec<bool>,
    /// Hosts with no workloads when the round began: vacating a host onto one of them saves
    /// nothing, so only overload relief may use them, and they stay out of vacating even once
    /// relief has sent them VMs (as CloudSim excludes hosts at zero utilisation there).
    empty: Vec<bool>,
    /// Each host's overload limit this round (`Detector::limit`), NaN until first needed.
    limit: Vec<f64>,
    history: Vec<f64>,
    /// Scratch of `pabfd`: host types whose best destination is already known.
    type_settled: Vec<bool>,
    /// Free capacity of the hosts that may receive VMs now (on, not closed), as a max tree, to
    /// visit only hosts with room; `busy_tree` leaves out the empty ones (for vacating).
    free_tree: MaxTree,
    busy_tree: MaxTree,
    /// What each host offers `busy_tree`, and their sum (CPU, memory).
    busy_offer: Vec<Resources>,
    busy_total: (u64, u64),
    /// Under the CloudSim-compatible profile, adaptive detectors read each host's history as
    /// the sum of its current VMs' (kept up to date as the plan moves VMs).
    summed: SummedHistory,
    /// `free_tree` is up to date: it is built when overload relief first needs it, and not kept
    /// once vacating begins (which reads only `busy_tree`).
    free_tree_kept: bool,
}

impl Plan {
    /// Refills every array from the fleet as it is now, reusing their memory.
    fn reset(&mut self, f: &Fleet) {
        let n = f.len();
        self.free.clear();
        self.free.extend(f.hosts().map(|h| f.free(h)));
        self.demand.clear();
        self.demand.extend(f.cpu_demand.iter().map(|&d| d as f64));
        for v in [&mut self.closed, &mut self.received] {
            v.clear();
            v.resize(n, false);
        }
        self.empty.clear();
        self.empty.extend(f.workloads.iter().map(|&w| w == 0));
        self.limit.clear();
        self.limit.resize(n, f64::NAN);
        self.free_tree_kept = false;
        let mut offer = std::mem::take(&mut self.busy_offer);
        offer.clear();
        offer.extend((0..n).map(|i| self.offers(f, i).1));
        self.busy_total = offer
            .iter()
            .fold((0, 0), |t, o| (t.0 + o.cpu as u64, t.1 + o.memory as u64));
        self.busy_tree.rebuild(offer.iter().copied());
        self.busy_offer = offer;
    }

    /// Builds `free_tree` from the plan as it is now, unless it is already kept up to date.
    fn keep_free_tree(&mut self, f: &Fleet) {
        if !self.free_tree_kept {
            let mut any = std::mem::take(&mut self.free_tree);
            any.rebuild((0..f.len()).map(|i| self.offers(f, i).0));
            self.free_tree = any;
            self.free_tree_kept = true;
        }
    }

    /// What host `i` offers each tree now.
    fn offers(&self, f: &Fleet, i: usize) -> (Resources, Resources) {
        let on = f.state[i] == PowerState::On && !self.closed[i];
        let any = if on { self.free[i] } else { Resources::ZERO };
        let busy = if !self.empty[i] { any } else { Resources::ZERO };
        (any, busy)
    }

    /// Brings the trees in line with host `i` (`free_tree` only while it is kept).
    fn refresh(&mut self, f: &Fleet, i: usize) {
        let (any, busy) = self.offers(f, i);
        if self.free_tree_kept {
            self.free_tree.set(i, any);
        }
        let old = std::mem::replace(&mut self.busy_offer[i], busy);
        self.busy_total.0 = self.busy_total.0 + busy.cpu as u64 - old.cpu as u64;
        self.busy_total.1 = self.busy_total.1 + busy.memory as u64 - old.memory as u64;
        self.busy_tree.set(i, busy);
    }

    /// Books `vm` onto host `to` (or, with `undo`, takes it back off).
    fn book(&mut self, f: &Fleet, vm: &VmInfo, to: HostId, undo: bool) {
        let t = to.index();
        if undo {
            self.free[t] = self.free[t] + vm.request;
            self.demand[t] -= vm.demand as f64;
        } else {
            self.free[t] = self.free[t].saturating_sub(vm.request);
            self.demand[t] += vm.demand as f64;
        }
        self.refresh(f, t);
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
            plan: Plan::default(),
            host_vms: Vec::new(),
            to_move: Vec::new(),
            relief: Vec::new(),
            moves: Vec::new(),
            order: Vec::new(),
            unrefreshed: Vec::new(),
            recipe: None,
            sampled: Vec::new(),
        }
    }

    /// Whether host histories are the sum of their current VMs' (CloudSim's adaptive detectors).
    fn summed_history(&self) -> bool {
        self.profile == Profile::CloudsimCompat && self.detector.uses_history()
    }

    /// Is host `h` overloaded at CPU demand `demand`? Its limit is computed once per round (or
    /// once per change of its VMs, when histories follow the VMs).
    fn overloaded(&self, plan: &mut Plan, view: &RebalanceView, h: HostId, demand: f64) -> bool {
        let i = h.index();
        if plan.limit[i].is_nan() {
            plan.history.clear();
            if self.summed_history() {
                plan.summed.history(view.fleet, h, None, &mut plan.history);
            } else if self.detector.uses_history() {
                view.host_history[i].newest_first(&mut plan.history);
            }
            plan.limit[i] = self.detector.limit(&plan.history, 1.0, self.profile);
        }
        demand / view.fleet.physical_cpu[i] as f64 > plan.limit[i]
    }

    /// Is host `h` overloaded once it also runs `vm` (at CPU demand `after`)? With histories
    /// that follow the VMs, `vm`'s past joins the host's, as CloudSim checks it.
    fn overloaded_with(
        &self,
        plan: &mut Plan,
        view: &RebalanceView,
        h: HostId,
        vm: &VmInfo,
        after: f64,
    ) -> bool {
        if !self.summed_history() {
            return self.overloaded(plan, view, h, after);
        }
        let w = vm_window(view, vm);
        plan.summed
            .history(view.fleet, h, Some((vm, &w)), &mut plan.history);
        let limit = self.detector.limit(&plan.history, 1.0, self.profile);
        after / view.fleet.physical_cpu[h.index()] as f64 > limit
    }

    /// Moves `vm`'s past onto (`sign` 1) or off (−1) host `h`'s summed history.
    fn shift_history(
        &self,
        plan: &mut Plan,
        view: &RebalanceView,
        vm: &VmInfo,
        h: HostId,
        sign: f64,
    ) {
        if self.summed_history() {
            let w = vm_window(view, vm);
            plan.summed.add(view.fleet, h, vm, &w, sign);
            plan.limit[h.index()] = f64::NAN;
        }
    }

    /// VMs to move off host `h` (its movable VMs in `vms`) until it is no longer overloaded.
    fn select_from(&mut self, view: &RebalanceView, h: HostId, vms: &mut Vec<VmInfo>) {
        vms.retain(|v| !v.migrating);
        vms.sort_unstable_by_key(|v| v.id);
        let mut histories: Vec<Vec<f64>> = vms
            .iter()
            .map(|v| {
                let mut out = Vec::new();
                if self.selector == Selector::Mc
                    && let Some(w) = view.vms.history(v.key)
                {
                    w.newest_first(&mut out);
                }
                out
            })
            .collect();
        let mut plan = std::mem::take(&mut self.plan);
        while !vms.is_empty() {
            let candidates: Vec<Candidate> = vms
                .iter()
                .zip(&histories)
                .map(|(v, hist)| candidate(v, hist))
                .collect();
            let Some(pick) = self.selector.select(&candidates, &mut self.rng) else {
                break;
            };
            let vm = vms.remove(pick);
            histories.remove(pick);
            plan.demand[h.index()] -= vm.demand as f64;
            self.shift_history(&mut plan, view, &vm, h, -1.0);
            self.to_move.push(vm);
            let demand = plan.demand[h.index()];
            if !self.overloaded(&mut plan, view, h, demand) {
                break;
            }
        }
        self.plan = plan;
    }

    /// The host whose power rises least by taking `vm` (power-aware best fit), if any.
    fn pabfd(
        &self,
        plan: &mut Plan,
        view: &RebalanceView,
        vm: &VmInfo,
        use_empty: bool,
    ) -> Option<HostId> {
        let f = view.fleet;
        // Under a detector that keeps every destination at or below 100 %, a linear power model
        // raises power by the same amount on every host of its type, so the first eligible host
        // of each linear type (in id order) is that type's best: the scan skips the rest and
        // stops once every type has its candidate. Same answer as the full scan, far fewer hosts.
        let compat = self.profile == Profile::CloudsimCompat;
        let shortcut = !self.full_scan
            && !compat
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
        if use_empty {
            plan.keep_free_tree(f);
        }
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
            // Without the shortcut, the (cheap) rise comes first: a host that cannot beat the
            // best so far is never chosen, so its (costly) eligibility need not be known.
            if linear && !self.eligible(plan, view, vm, h, use_empty) {
                continue;
            }
            let after = plan.demand[i] + vm.demand as f64;
            // CloudSim measures the rise from the host's power at its last update, before any
            // move planned this round.
            let before = if compat {
                f.cpu_demand[i] as f64
            } else {
                plan.demand[i]
            };
            let increase = f.types[t]
                .power
                .rise(f.physical_cpu[i] as f64, before, after);
            if best.is_some_and(|(b, _)| increase >= b) {
                continue;
            }
            if !linear && !self.eligible(plan, view, vm, h, use_empty) {
                continue;
            }
            best = Some((increase, h));
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
    fn eligible(
        &self,
        plan: &mut Plan,
        view: &RebalanceView,
        vm: &VmInfo,
        h: HostId,
        use_empty: bool,
    ) -> bool {
        let f = view.fleet;
        let i = h.index();
        if h == vm.host || plan.closed[i] || f.state[i] != PowerState::On {
            return false;
        }
        if plan.empty[i] && !use_empty {
            return false;
        }
        if !f.features(h).covers(vm.features) || !vm.request.fits_in(plan.free[i]) {
            return false;
        }
        let after = plan.demand[i] + vm.demand as f64;
        !self.overloaded_with(plan, view, h, vm, after)
    }

    /// Places `vms` (largest demand first); all or nothing when `all` is set.
    fn place(
        &mut self,
        (view, core): (&RebalanceView, &InformationCore),
        vms: &mut [VmInfo],
        all: bool,
        out: &mut Vec<Action>,
    ) -> bool {
        let f = view.fleet;
        // Largest demand first, ties by id (one u128 key: the cheapest comparison).
        vms.sort_unstable_by_key(|v| ((u32::MAX - v.demand) as u128) << 64 | v.id.0 as u128);
        let mut plan = std::mem::take(&mut self.plan);
        // Tentative moves, undone entry by entry if `all` fails (no copy of the whole plan).
        self.moves.clear();
        let mut complete = true;
        for (k, vm) in vms.iter().enumerate() {
            // Room only shrinks as VMs are booked: all or nothing fails as soon as one of the
            // VMs still to place is larger than every host's room.
            let room = plan.busy_tree.max();
            let doomed = all && vms[k..].iter().any(|v| !v.request.fits_in(room));
            let found = if doomed {
                None
            } else {
                let best = self.pabfd(&mut plan, view, vm, !all);
                self.destination(&mut plan, (view, core), vm, (!all, best))
            };
            match found {
                Some(to) => {
                    plan.book(f, vm, to, false);
                    self.shift_history(&mut plan, view, vm, to, 1.0);
                    self.moves.push((*vm, to));
                }
                None if all => {
                    let mut moves = std::mem::take(&mut self.moves);
                    for (vm, to) in moves.drain(..) {
                        plan.book(f, &vm, to, true);
                        self.shift_history(&mut plan, view, &vm, to, -1.0);
                    }
                    self.moves = moves;
                    complete = false;
                    break;
                }
                None => {}
            }
        }
        // CloudSim excludes from vacating the hosts that vacating sends VMs to, but not those
        // that overload relief does (`getMigrationMapFromUnderUtilizedHosts` adds the hosts
        // of a migration map it has just created empty): under its profile they stay
        // candidates.
        let mark = all || self.profile != Profile::CloudsimCompat;
        for &(vm, to) in &self.moves {
            plan.received[to.index()] |= mark;
            plan.refresh(f, to.index());
            out.push(Action::Migrate { vm: vm.key, to });
        }
        self.plan = plan;
        complete
    }
}

/// `vm`'s recorded utilisation (empty if none is kept).
fn vm_window(view: &RebalanceView, vm: &VmInfo) -> Window {
    view.vms.history(vm.key).copied().unwrap_or_default()
}

fn candidate<'a>(vm: &VmInfo, history: &'a [f64]) -> Candidate<'a> {
    Candidate {
        memory_mb: vm.size.memory as f64,
        utilisation: vm.demand as f64 / vm.size.cpu.max(1) as f64,
        history,
        migrating: vm.migrating,
    }
}

impl Rebalance for Consolidation {
    fn plan(&mut self, view: &RebalanceView, core: &InformationCore, out: &mut Vec<Action>) {
        let f = view.fleet;
        self.plan.reset(f);
        self.to_move.clear();
        let mut vms = std::mem::take(&mut self.host_vms);
        if self.summed_history() {
            self.plan.summed.reset(view, &mut vms);
        }
        // The plan is taken out of `self` for the scan (and put back only while an overloaded
        // host's VMs are selected): moving it in and out per host cost more than the test.
        let mut plan = std::mem::take(&mut self.plan);
        for h in f.hosts() {
            let i = h.index();
            if f.workloads[i] == 0 || f.state[i] != PowerState::On {
                continue;
            }
            let demand = plan.demand[i];
            if self.overloaded(&mut plan, view, h, demand) {
                plan.closed[i] = true;
                plan.refresh(f, i);
                self.plan = plan;
                view.vms.on_host(h, &mut vms);
                self.select_from(view, h, &mut vms);
                plan = std::mem::take(&mut self.plan);
            }
        }
        self.plan = plan;
        let mut to_move = std::mem::take(&mut self.to_move);
        self.place((view, core), &mut to_move, false, out);
        self.to_move = to_move;
        self.relief.clear();
        if self.profile == Profile::CloudsimCompat {
            self.relief.extend_from_slice(&self.moves);
        }
        if self.underload {
            self.vacate_underloaded((view, core), &mut vms, out);
        }
        self.host_vms = vms;
    }

    fn wants_vm_history(&self) -> bool {
        self.selector == Selector::Mc || self.summed_history()
    }
}

mod destination;
mod vacate;

#[cfg(test)]
mod tests;
