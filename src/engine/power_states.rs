//! Host power states for `power.empty_host = "switch-off"`: hosts start off, boot when a waiting
//! request needs one, and shut down once empty for `idle_grace`; each state draws its own power.

use super::Event;
use super::sim::{EngineError, Simulation};
use crate::landscape::{HostId, PowerState};
use crate::scenario::{EmptyHostPower, TransitionPower};
use crate::workload::{Resources, WorkloadSpec};

impl Simulation<'_> {
    /// Hosts have power states. Not under the CloudSim-compatible profile: CloudSim's hosts
    /// are always available, and one without load draws nothing.
    pub(super) fn switching_off(&self) -> bool {
        self.power.empty_host == EmptyHostPower::SwitchOff && !self.cloudsim_compat
    }

    /// Tells both fit indexes what host `h` offers now: free capacity if it is on, its whole
    /// capacity to the index of hosts that could be booted if it is off.
    pub(super) fn publish(&mut self, h: HostId) {
        let state = self.fleet.state[h.index()];
        let on = if state == PowerState::On && !self.withheld(h) {
            self.fleet.free(h)
        } else {
            Resources::ZERO
        };
        self.index.update(h, on);
        if let Some(off) = &mut self.off_index {
            let cap = if state == PowerState::Off {
                self.fleet.capacity[h.index()]
            } else {
                Resources::ZERO
            };
            off.update(h, cap);
        }
    }

    /// Boots an off host that fits `spec`, unless enough hosts are already booting for the queue.
    pub(super) fn boot_for(&mut self, spec: &WorkloadSpec) {
        let Some(off) = &self.off_index else { return };
        if self.booting as usize > self.waiting.len() {
            return;
        }
        let Some(h) = off.first_fit(spec.request, spec.features) else {
            return;
        };
        self.boot(h);
    }

    pub(super) fn boot(&mut self, h: HostId) {
        self.set_state(h, PowerState::Booting);
        self.booting += 1;
        self.counters.boots += 1;
        self.events.push(
            self.now.saturating_add(self.power.boot_time),
            Event::BootDone { host: h.0 },
        );
    }

    pub(super) fn on_boot_done(&mut self, host: u32) -> Result<(), EngineError> {
        let h = HostId(host);
        self.booting -= 1;
        if self.fleet.state[h.index()] == PowerState::Failed {
            return Ok(()); // it failed while booting; its repair brings it back
        }
        self.on_since[h.index()] = self.now;
        self.set_state(h, PowerState::On);
        self.place_waiting()?;
        if self.fleet.workloads[h.index()] == 0 {
            self.host_emptied(h);
        }
        Ok(())
    }

    /// Host `h` has no workloads left: it shuts down now or after the grace period.
    pub(super) fn host_emptied(&mut self, h: HostId) {
        let reserved = self.fleet.allocated[h.index()] != crate::workload::Resources::ZERO;
        if !self.switching_off() || self.fleet.state[h.index()] != PowerState::On || reserved {
            return;
        }
        self.idle_since[h.index()] = self.now;
        if self.power.idle_grace.0 == 0 {
            self.begin_shutdown(h);
        } else {
            self.events.push(
                self.now.saturating_add(self.power.idle_grace),
                Event::IdleCheck { host: h.0 },
            );
        }
    }

    pub(super) fn on_idle_check(&mut self, host: u32) {
        let h = HostId(host);
        let i = h.index();
        let still_idle = self.fleet.state[i] == PowerState::On
            && self.fleet.allocated[i] == crate::workload::Resources::ZERO
            && self.idle_since[i].saturating_add(self.power.idle_grace) <= self.now;
        if still_idle {
            self.begin_shutdown(h);
        }
    }

    pub(super) fn begin_shutdown(&mut self, h: HostId) {
        self.set_state(h, PowerState::ShuttingDown);
        self.counters.shutdowns += 1;
        self.counters.on_before_shutdown_s += (self.now - self.on_since[h.index()]).as_secs_f64();
        self.events.push(
            self.now.saturating_add(self.power.shutdown_time),
            Event::ShutdownDone { host: h.0 },
        );
    }

    pub(super) fn on_shutdown_done(&mut self, host: u32) -> Result<(), EngineError> {
        if self.fleet.state[host as usize] == PowerState::Failed {
            return Ok(()); // it failed while shutting down; its repair brings it back
        }
        self.set_state(HostId(host), PowerState::Off);
        // A request may have been waiting for just this host's kind of capacity.
        self.place_waiting()
    }

    pub(super) fn set_state(&mut self, h: HostId, state: PowerState) {
        self.meters.advance(h, self.now, &self.fleet);
        self.fleet.state[h.index()] = state;
        self.refresh_power(h);
        self.publish(h);
    }

    /// Watts host `h` draws in its current state.
    pub(super) fn state_watts(&self, h: HostId) -> f64 {
        let i = h.index();
        let model = &self.fleet.type_of(h).power;
        if self.energy_ends_at.is_some_and(|t| self.now >= t) {
            return 0.0;
        }
        match self.fleet.state[i] {
            PowerState::On
                if self.fleet.workloads[i] == 0 && self.power.empty_host == EmptyHostPower::Off =>
            {
                0.0
            }
            PowerState::On if self.power.non_power_aware => model.watts(1.0),
            // CloudSim charges nothing for an interval that starts at zero utilisation.
            PowerState::On if self.cloudsim_compat && self.fleet.cpu_demand[i] == 0 => 0.0,
            PowerState::On => model.watts(self.fleet.cpu_utilisation(h)),
            PowerState::Off => self.power.off_w.0,
            PowerState::Failed => 0.0,
            PowerState::Booting | PowerState::ShuttingDown => match self.power.transition_power {
                TransitionPower::Peak => model.watts(1.0),
                TransitionPower::Idle => model.watts(0.0),
            },
        }
    }
}
