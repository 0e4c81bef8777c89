//! The rebalancing round: record telemetry windows, show the policy the present, carry out the
//! actions it returns (each checked first), and schedule the next round.

use super::Event;
use super::sim::{EngineError, Simulation};
use crate::insight::Window;
use crate::landscape::{HostId, PowerState};
use crate::policy::{Action, RebalanceView, VmInfo};

impl Simulation<'_> {
    pub(super) fn on_rebalance(&mut self) -> Result<(), EngineError> {
        self.record_windows();
        let Some(mut policy) = self.rebalancer.take() else {
            return Ok(());
        };
        self.actions.clear();
        let view = RebalanceView {
            now: self.now,
            interval: self.rebalance_interval,
            fleet: &self.fleet,
            host_history: &self.host_history,
            vms: &self.vm_infos,
        };
        policy.plan(&view, &self.core, &mut self.actions);
        self.rebalancer = Some(policy);
        let actions = std::mem::take(&mut self.actions);
        for &action in &actions {
            if !self.apply(action) {
                self.counters.actions_rejected += 1;
            }
        }
        self.actions = actions;
        let next = self.now.saturating_add(self.rebalance_interval);
        if next <= self.end {
            self.events.push(next, Event::Rebalance);
        }
        Ok(())
    }

    /// Pushes this round's utilisation into every host's and workload's window and lists the
    /// running workloads for the policy.
    fn record_windows(&mut self) {
        for h in self.fleet.hosts() {
            let i = h.index();
            if self.fleet.state[i] == PowerState::On {
                let u = self.fleet.cpu_demand[i] as f64 / self.fleet.physical_cpu[i] as f64;
                self.host_history[i].push(u);
            } else {
                self.host_history[i].clear();
            }
        }
        self.vm_infos.clear();
        self.vm_keys.clear();
        for i in 0..self.live.len() {
            let (handle, generation) = self.live.key_at(i);
            let w = self.live.get_mut(handle, generation).expect("listed");
            let window = &mut self.vm_history[handle as usize];
            window.push(w.demand as f64 / w.spec.request.cpu.max(1) as f64);
            self.vm_infos.push(VmInfo {
                id: w.spec.id,
                host: w.host,
                request: w.held,
                features: w.spec.features,
                demand: w.demand,
                migrating: w.migrating_to.is_some(),
                history: *window,
            });
            self.vm_keys.insert(w.spec.id, (handle, generation));
        }
    }

    /// Carries out one action; `false` if it was not valid now.
    fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Migrate { workload, to } => match self.vm_keys.get(&workload) {
                Some(&(handle, generation)) => self.start_migration(handle, generation, to),
                None => false,
            },
            Action::PowerOff { host } => self.power_off(host),
            Action::PowerOn { host } => self.power_on(host),
        }
    }

    /// A fresh window for a workload that just got `handle`.
    pub(super) fn reset_vm_window(&mut self, handle: u32) {
        let h = handle as usize;
        if h >= self.vm_history.len() {
            self.vm_history.resize(h + 1, Window::default());
        }
        self.vm_history[h] = Window::default();
    }

    fn power_off(&mut self, host: HostId) -> bool {
        let i = host.index();
        let empty =
            i < self.fleet.len() && self.fleet.allocated[i] == crate::workload::Resources::ZERO;
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
