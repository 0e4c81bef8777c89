//! The vacating pass of a consolidation round: from the least utilised host up, every VM off a
//! host when all of them fit elsewhere (under the CloudSim-compatible profile, with the VMs
//! overload relief planned onto it).

use super::{Consolidation, Profile};
use crate::insight::InformationCore;
use crate::landscape::{HostId, PowerState};
use crate::policy::{Action, RebalanceView, VmInfo};

/// Sorts hosts by utilisation, then id: the bits of a non-negative float order like the
/// number, so one integer comparison does.
fn order_key(utilisation: f64, h: HostId) -> u128 {
    debug_assert!(utilisation >= 0.0);
    ((utilisation.to_bits() as u128) << 32) | h.0 as u128
}

impl Consolidation {
    /// From the least utilised host up, moves every VM off a host when all of them fit elsewhere.
    /// As in CloudSim, every host the pass reaches stops being a destination, whether or not it
    /// could be vacated: VMs move only to hosts more utilised than their own, and the room the
    /// pass can use only shrinks, so a host whose VMs do not fit in it now never will.
    pub(super) fn vacate_underloaded(
        &mut self,
        (view, core): (&RebalanceView, &InformationCore),
        vms: &mut Vec<VmInfo>,
        out: &mut Vec<Action>,
    ) {
        let f = view.fleet;
        self.plan.free_tree_kept = false;
        let mut order = std::mem::take(&mut self.order);
        order.clear();
        let plan = &self.plan;
        let compat = self.profile == Profile::CloudsimCompat;
        order.extend(
            f.hosts()
                .filter(|h| {
                    let i = h.index();
                    f.state[i] == PowerState::On && f.workloads[i] > 0 && !plan.closed[i]
                })
                .map(|h| {
                    let i = h.index();
                    // CloudSim ranks hosts by their utilisation at the last update, before
                    // this round's moves; dcsim by their planned demand.
                    let demand = if compat {
                        f.cpu_demand[i] as f64
                    } else {
                        plan.demand[i]
                    };
                    (demand / f.physical_cpu[i] as f64, h)
                })
                .filter(|&(u, _)| u < 1.0)
                .map(|(u, h)| order_key(u, h)),
        );
        order.sort_unstable();
        // Closing a host takes its room out of the plan's tree and totals; that is put off
        // until a host passes `may_vacate` on the room still counted (which can only overstate
        // the room there is: a host that fails there fails on the true room too). Most hosts
        // fail, so most closings never touch the tree. The plan is left with the last ones
        // still counted: the round ends here, and the next one rebuilds it.
        let mut unrefreshed = std::mem::take(&mut self.unrefreshed);
        unrefreshed.clear();
        for &key in &order {
            let h = HostId(key as u32);
            let i = h.index();
            if self.plan.received[i] {
                continue;
            }
            self.plan.closed[i] = true;
            unrefreshed.push(i);
            if !self.may_vacate(view, h) {
                continue;
            }
            for &j in &unrefreshed {
                self.plan.refresh(f, j);
            }
            unrefreshed.clear();
            if self.may_vacate(view, h) {
                view.vms.on_host(h, vms);
                self.vacate_with_relief((view, core), h, vms, out);
            }
        }
        self.unrefreshed = unrefreshed;
        self.order = order;
    }

    /// Plans `vms` (host `h`'s residents) away, all or nothing. Under the CloudSim-compatible
    /// profile the VMs overload relief planned onto `h` go too, as CloudSim's vacating pass
    /// moves every VM in the host's list, planned ones included (the engine then redirects
    /// their copies and counts both legs).
    fn vacate_with_relief(
        &mut self,
        (view, core): (&RebalanceView, &InformationCore),
        h: HostId,
        vms: &mut Vec<VmInfo>,
        out: &mut Vec<Action>,
    ) {
        let f = view.fleet;
        let first = vms.len();
        if !self.relief.iter().any(|(_, to)| *to == h) {
            // Nothing relief planned lands on `h` (always so under the physical profile): plan
            // its residents as they are, without moving the whole plan out and back twice.
            self.place((view, core), vms, true, out);
            return;
        }
        let mut plan = std::mem::take(&mut self.plan);
        for &(vm, to) in self.relief.iter().filter(|(_, to)| *to == h) {
            plan.book(f, &vm, to, true);
            self.shift_history(&mut plan, view, &vm, to, -1.0);
            vms.push(vm);
        }
        self.plan = plan;
        if self.place((view, core), vms, true, out) || vms.len() == first {
            return;
        }
        let mut plan = std::mem::take(&mut self.plan);
        for &(vm, to) in self.relief.iter().filter(|(_, to)| *to == h) {
            plan.book(f, &vm, to, false);
            self.shift_history(&mut plan, view, &vm, to, 1.0);
        }
        self.plan = plan;
    }

    /// Quick tests before planning host `h`'s VMs one by one: together they fit in the room
    /// left on all open hosts, none is migrating, and each fits in the largest room left (its
    /// largest VM, at least their average, first). A host with a migration landing on it counts
    /// the reservation, so it is rarely tried: like a host that received VMs this round.
    fn may_vacate(&self, view: &RebalanceView, h: HostId) -> bool {
        let f = view.fleet;
        let i = h.index();
        let (room, total) = (self.plan.busy_tree.max(), self.plan.busy_total);
        let (n, held) = (f.workloads[i], f.allocated[i]);
        // Under CloudSim's profile a running VM needs no memory on another host.
        let memory_free = self.profile == Profile::CloudsimCompat;
        held.cpu as u64 <= total.0
            && (memory_free || held.memory as u64 <= total.1)
            && held.cpu.div_ceil(n) <= room.cpu
            && (memory_free || held.memory.div_ceil(n) <= room.memory)
            && view.vms.all_movable_within(h, room)
    }
}
