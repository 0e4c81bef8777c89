//! The rebalancing round: record telemetry windows, show the policy the present, carry out the
//! actions it returns (each checked first), and schedule the next round.

use super::Event;
use super::handlers::demand_of;
use super::live::LiveSet;
use super::migration::need_on_destination;
use super::sim::{EngineError, Simulation};
use crate::insight::Window;
use crate::landscape::{HostId, PowerState};
use crate::metrics::Outcome;
use crate::policy::{Action, RebalanceView, Residents, VmInfo, VmKey};
use crate::workload::Resources;

/// The engine's live set as the policy sees it.
struct LiveResidents<'a> {
    live: &'a LiveSet,
    history: Option<&'a [Window]>,
    cloudsim_compat: bool,
}

impl Residents for LiveResidents<'_> {
    fn on_host(&self, h: HostId, out: &mut Vec<VmInfo>) {
        out.clear();
        out.extend(self.live.on_host(h).iter().map(|r| VmInfo {
            id: r.id,
            key: VmKey {
                handle: r.handle,
                generation: r.generation,
            },
            host: h,
            size: r.size,
            request: need_on_destination(r.held, self.cloudsim_compat),
            features: r.features,
            demand: self.live.demand_of(r.handle),
            migrating: r.migrating,
        }));
    }

    fn all_movable_within(&self, h: HostId, room: Resources) -> bool {
        // Each fits ⟺ the largest CPU and the largest memory fit (summaries are fresh: the
        // round refreshed them before the policy looked).
        let s = self.live.host_summary(h);
        !s.migrating && need_on_destination(s.max_held, self.cloudsim_compat).fits_in(room)
    }

    fn class_of(&self, vm: VmKey) -> Option<crate::workload::ClassId> {
        let (w, generation) = self.live.by_handle(vm.handle)?;
        (generation == vm.generation).then_some(w.spec.class)
    }

    fn started(
        &self,
        vm: VmKey,
    ) -> Option<(
        crate::time::SimTime,
        Option<crate::workload::SubscriptionId>,
    )> {
        let (w, generation) = self.live.by_handle(vm.handle)?;
        (generation == vm.generation).then_some((w.placed_at, w.spec.subscription))
    }

    fn history(&self, vm: VmKey) -> Option<&Window> {
        let (_, generation) = self.live.by_handle(vm.handle)?;
        (generation == vm.generation).then(|| self.history?.get(vm.handle as usize))?
    }
}

impl Simulation<'_> {
    pub(super) fn on_rebalance(&mut self) -> Result<(), EngineError> {
        let Some(mut policy) = self.rebalancer.take() else {
            return Ok(());
        };
        let vm_history = self.vm_history_wanted;
        self.record_windows(vm_history);
        self.live.refresh_summaries();
        self.actions.clear();
        let residents = LiveResidents {
            live: &self.live,
            history: vm_history.then_some(self.vm_history.as_slice()),
            cloudsim_compat: self.cloudsim_compat,
        };
        let view = RebalanceView {
            now: self.now,
            interval: self.rebalance_interval,
            fleet: &self.fleet,
            host_history: &self.host_history,
            vms: &residents,
        };
        policy.plan(&view, &self.core, &mut self.actions);
        self.rebalancer = Some(policy);
        let actions = std::mem::take(&mut self.actions);
        for &action in &actions {
            if !self.apply(action)? {
                self.counters.actions_rejected += 1;
            }
        }
        self.actions = actions;
        // A resize may have freed room for a queued request.
        self.place_waiting()?;
        let next = self.now.saturating_add(self.rebalance_interval);
        if next <= self.end {
            self.events.push(next, Event::Rebalance);
        }
        Ok(())
    }

    /// Pushes this round's utilisation into every host's window and, if the policy reads them,
    /// every running workload's.
    fn record_windows(&mut self, vms: bool) {
        for h in self.fleet.hosts() {
            let i = h.index();
            if self.fleet.state[i] == PowerState::On {
                let u = self.fleet.cpu_demand[i] as f64 / self.fleet.physical_cpu[i] as f64;
                self.host_history[i].push(u);
            } else {
                self.host_history[i].clear();
            }
        }
        if !vms {
            return;
        }
        for w in self.live.iter() {
            let h = w.handle() as usize;
            if h >= self.vm_history.len() {
                self.vm_history.resize(h + 1, Window::default());
            }
            let demand = self.live.demand_of(w.handle());
            self.vm_history[h].push(demand as f64 / w.spec.request.cpu.max(1) as f64);
        }
    }

    /// Carries out one action; `false` if it was not valid now.
    fn apply(&mut self, action: Action) -> Result<bool, EngineError> {
        Ok(match action {
            Action::Migrate { vm, to } => self.start_migration(vm.handle, vm.generation, to),
            Action::Kill { vm } => self.end_workload(vm.handle, vm.generation, Outcome::Killed)?,
            Action::Resize { vm, to } => self.resize(vm, to),
            Action::PowerOff { host } => self.power_off(host),
            Action::PowerOn { host } => self.power_on(host),
        })
    }

    /// Gives a running workload the request `to` where it runs; `false` if it is gone,
    /// migrating, or its host lacks the room or the per-core speed.
    fn resize(&mut self, vm: VmKey, to: Resources) -> bool {
        let Some(w) = self.live.get_mut(vm.handle, vm.generation) else {
            return false;
        };
        let (h, old_held, migrating) = (w.host, w.held, w.migrating_to.is_some());
        let i = h.index();
        let usage = w.spec.usage.at(self.now, self.stream.usage_store());
        let (old_spec, placed_at) = (w.spec, w.placed_at);
        let wants = demand_of(usage, to.cpu);
        let wants = super::background::scaled(&self.impact, &self.fleet, old_spec.class, h, wants);
        let demand = wants.min(self.fleet.request_limit(h));
        let held = if self.allocate_by_demand && !self.cloudsim_compat {
            Resources {
                cpu: demand,
                memory: to.memory,
            }
        } else {
            to
        };
        let others = self.fleet.allocated[i].saturating_sub(old_held);
        let fits = to.cpu <= self.fleet.request_limit(h)
            && (others + held).fits_in(self.fleet.capacity[i]);
        if migrating || to.cpu == 0 || !fits {
            return false;
        }
        self.meters.advance(h, self.now, &self.fleet);
        let penalty = self.migration_penalty;
        self.live.account(vm.handle, self.now, penalty);
        let old = self.live.cpu_of(vm.handle);
        let w = self
            .live
            .get_mut(vm.handle, vm.generation)
            .expect("checked");
        w.spec.request = to;
        w.held = held;
        self.live.set_cpu(vm.handle, (demand, wants));
        self.fleet.allocated[i] = others + held;
        self.fleet.remove_cpu(i, old);
        self.fleet.add_cpu(i, (demand, wants));
        self.live.sync_resident(vm.handle);
        self.live.sync_usage(vm.handle);
        self.mix_change(h, &old_spec, placed_at, false);
        let resized = crate::workload::WorkloadSpec {
            request: to,
            ..old_spec
        };
        self.mix_change(h, &resized, placed_at, true);
        self.refresh_power(h);
        self.publish(h);
        true
    }

    /// A fresh window for a workload that just got `handle`.
    pub(super) fn reset_vm_window(&mut self, handle: u32) {
        if !self.vm_history_wanted {
            return;
        }
        let h = handle as usize;
        if h >= self.vm_history.len() {
            self.vm_history.resize(h + 1, Window::default());
        }
        self.vm_history[h] = Window::default();
    }

    fn power_off(&mut self, host: HostId) -> bool {
        let i = host.index();
        let empty = i < self.fleet.len() && self.fleet.allocated[i] == Resources::ZERO;
        if !empty || self.fleet.state[i] != PowerState::On {
            return false;
        }
        self.begin_shutdown(host);
        true
    }

    fn power_on(&mut self, host: HostId) -> bool {
        let i = host.index();
        if i >= self.fleet.len() || self.fleet.state[i] != PowerState::Off {
            return false;
        }
        self.boot(host);
        true
    }
}
