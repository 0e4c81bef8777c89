//! Live migration: the VM holds its allocation on both hosts while its memory is copied
//! (memory / the slower NIC's bandwidth), loses a fraction of its CPU meanwhile (for PDM), then
//! moves; and the accounting of each migration.

use super::Event;
use super::sim::Simulation;
use crate::landscape::{HostId, PowerState};
use crate::time::SimTime;
use crate::workload::Resources;

/// What a workload holding `held` needs on the host it migrates to: the same, or under the
/// CloudSim-compatible profile no memory (CloudSim's running VMs request no RAM: their RAM
/// utilisation model is null, so only the first host holds their memory).
pub(super) fn need_on_destination(held: Resources, cloudsim_compat: bool) -> Resources {
    if cloudsim_compat {
        Resources {
            cpu: held.cpu,
            memory: 0,
        }
    } else {
        held
    }
}

impl Simulation<'_> {
    /// Starts moving the workload (handle, generation) to `to`; `false` if the move is not valid
    /// (gone, already moving, same host, target not on or without room).
    pub(super) fn start_migration(&mut self, handle: u32, generation: u32, to: HostId) -> bool {
        let Some(w) = self.live.get_mut(handle, generation) else {
            return false;
        };
        if self.cloudsim_compat
            && w.migrating_to.is_some_and(|t| t != to)
            && w.migration_started == self.now
        {
            return self.redirect_migration(handle, generation, to);
        }
        let (from, request, features, memory, id) = (
            w.host,
            need_on_destination(w.held, self.cloudsim_compat),
            w.spec.features,
            w.spec.request.memory,
            w.spec.id,
        );
        let valid = w.migrating_to.is_none()
            && from != to
            && to.index() < self.fleet.len()
            && self.fleet.state[to.index()] == PowerState::On
            && self.fleet.fits(to, request, features);
        // Nothing moves to or from a host cut off or throttled by a failure, nor breaks a
        // service component's anti-affinity or chatty-pair affinity.
        if !valid
            || self.withheld(to)
            || self.withheld(from)
            || self.migration_breaks_rules(id, from, to)
        {
            return false;
        }
        self.replica_heading(id, Some(to));
        let now = self.now;
        let penalty = self.migration_penalty;
        self.live.account(handle, now, penalty);
        let w = self
            .live
            .get_mut(handle, generation)
            .expect("checked above");
        w.migrating_to = Some(to);
        w.migration_started = now;
        w.reserved = request;
        self.live.sync_resident(handle);
        self.meters.advance(from, now, &self.fleet);
        self.fleet.migrating_out[from.index()] += 1;
        self.reserve(to, request);
        let duration = self.migration_time(memory, from, to);
        self.events.push(
            now.saturating_add(duration),
            Event::MigrationDone { handle, generation },
        );
        true
    }

    /// memory (MiB) × 8 / the slower NIC's Gbit/s.
    fn migration_time(&self, memory_mib: u32, from: HostId, to: HostId) -> SimTime {
        let gbps = self
            .fleet
            .type_of(from)
            .network_gbps
            .min(self.fleet.type_of(to).network_gbps);
        if self.cloudsim_compat {
            // CloudSim gives a migration half of the host's bandwidth, and divides megabytes of
            // RAM by megabits per second / 8 (`RAM / (BW / (2 × 8000))`, BW in kbit/s).
            let megabits = memory_mib as f64 * 8.0;
            return SimTime::from_secs_f64(megabits / (gbps / 2.0 * 1e3));
        }
        let bits = memory_mib as f64 * 1024.0 * 1024.0 * 8.0;
        SimTime::from_secs_f64(bits / (gbps * 1e9))
    }

    pub(super) fn on_migration_done(
        &mut self,
        handle: u32,
        generation: u32,
    ) -> Result<(), super::EngineError> {
        let now = self.now;
        let penalty = self.migration_penalty;
        let Some(w) = self.live.get_mut(handle, generation) else {
            return Ok(());
        };
        let (Some(to), from) = (w.migrating_to, w.host) else {
            return Ok(());
        };
        if self.fleet.state[to.index()] == PowerState::Failed
            || self.withheld(to)
            || self.withheld(from)
        {
            self.abort_migration(handle, generation);
            return self.place_waiting();
        }
        self.live.account(handle, now, penalty);
        let (demand, wants) = self.live.cpu_of(handle);
        let w = self
            .live
            .get_mut(handle, generation)
            .expect("checked above");
        let (from, held, since, old_node, id) =
            (w.host, w.held, w.on_host_since, w.node, w.spec.id.0);
        let memory = w.spec.request.memory;
        let (spec, placed_at) = (w.spec, w.placed_at);
        w.held = w.reserved;
        w.reserved = Resources::ZERO;
        w.migrating_to = None;
        let first_leg = w.first_leg.take();
        w.on_host_since = now;
        self.live.move_to(handle, generation, to);
        self.counters.migrations += 1;
        self.counters.migrated_mib += memory as u64;
        self.counters.time_before_migration_s += (now - since).as_secs_f64();
        self.counters.migration_s += self.migration_time(memory, from, to).as_secs_f64();
        for h in [from, to] {
            self.meters.advance(h, now, &self.fleet);
        }
        let (left, landed) = (
            self.sla_reading(from, spec.class),
            self.sla_reading(to, spec.class),
        );
        let c = spec.class.0 as usize;
        let work = (
            self.meters.sla.work_reading(from.index(), c),
            self.meters.sla.work_reading(to.index(), c),
        );
        if let Some(w) = self.live.get_mut(handle, generation) {
            w.sla_short_s += left - w.sla_mark;
            w.sla_mark = landed;
            w.work_done_s += work.0 - w.work_mark;
            w.work_mark = work.1;
        }
        let (f, t) = (from.index(), to.index());
        // On the new host the workload gets at most its per-core limit.
        let new_wants = match &self.impact {
            Some(_) => {
                let usage = spec.usage.at(now, self.stream.usage_store());
                let base = super::handlers::demand_of(usage, spec.request.cpu);
                super::background::scaled(&self.impact, &self.fleet, spec.class, to, base)
            }
            None => wants,
        };
        let landed = new_wants.min(self.fleet.request_limit(to));
        self.fleet.allocated[f] = self.fleet.allocated[f].saturating_sub(held);
        self.fleet.remove_cpu(f, (demand, wants));
        self.fleet.workloads[f] -= 1;
        self.fleet.migrating_out[f] -= 1;
        self.fleet.migrating_in[t] -= 1;
        if let Some(first) = first_leg {
            self.meters.advance(first, now, &self.fleet);
            self.fleet.migrating_in[first.index()] -= 1;
        }
        self.fleet.add_cpu(t, (landed, new_wants));
        self.mix_change(from, &spec, placed_at, false);
        self.mix_change(to, &spec, placed_at, true);
        self.fleet.workloads[t] += 1;
        if self.fleet.workloads[t] == 1 {
            self.counters.active_hosts += 1;
            self.counters.peak_active_hosts = self
                .counters
                .peak_active_hosts
                .max(self.counters.active_hosts);
        }
        if self.fleet.workloads[f] == 0 {
            self.counters.active_hosts -= 1;
        }
        self.landscape.remove_vm(old_node);
        let node = self.landscape.add_vm(id, to);
        self.service_replica_migrated(spec.id, to, node);
        if let Some(w) = self.live.get_mut(handle, generation) {
            w.node = node;
            self.live.set_cpu(handle, (landed, new_wants));
        }
        for h in [from, to] {
            self.refresh_power(h);
            self.publish(h);
        }
        if self.fleet.workloads[f] == 0 {
            self.host_emptied(from);
        }
        self.place_waiting()
    }

    /// CloudSim-compatible profile: a second move of a VM in the round that started its
    /// migration. CloudSim's vacating pass can plan a VM that overload relief has just planned
    /// onto the host being vacated; both entries of its migration map are carried out, one
    /// after the other at the same instant, so the VM lands on the second host and two
    /// migrations are counted. Here the copy is redirected (same duration: both hosts' NICs are
    /// assumed alike) and the first leg is counted.
    fn redirect_migration(&mut self, handle: u32, generation: u32, to: HostId) -> bool {
        let Some(w) = self.live.get_mut(handle, generation) else {
            return false;
        };
        let (from, first, reserved, features, id) = (
            w.host,
            w.migrating_to,
            w.reserved,
            w.spec.features,
            w.spec.id,
        );
        let Some(first) = first else {
            return false;
        };
        let valid = from != to
            && to.index() < self.fleet.len()
            && self.fleet.state[to.index()] == PowerState::On
            && self.fleet.fits(to, reserved, features);
        if !valid || self.migration_breaks_rules(id, from, to) {
            return false;
        }
        self.replica_heading(id, Some(to));
        // CloudSim's first destination keeps the VM in its list, at 10 % of its request, until
        // the copies end: it stays busy and short of CPU meanwhile (SLATAH). A VM redirected
        // before keeps only its first such host.
        let keep_incoming = self.live.get_mut(handle, generation).is_some_and(|w| {
            let keep = w.first_leg.is_none();
            w.first_leg = w.first_leg.or(Some(first));
            w.migrating_to = Some(to);
            keep
        });
        self.release(first, reserved, keep_incoming);
        self.reserve(to, reserved);
        self.live.sync_resident(handle);
        self.counters.migrations += 1;
        true
    }

    /// A workload leaves while migrating: the target's reservation is released.
    pub(super) fn cancel_migration(&mut self, to: HostId, request: Resources) {
        self.release(to, request, false);
    }

    /// Holds `request` on `to` for a workload migrating onto it.
    fn reserve(&mut self, to: HostId, request: Resources) {
        self.meters.advance(to, self.now, &self.fleet);
        self.fleet.migrating_in[to.index()] += 1;
        self.fleet.allocated[to.index()] = self.fleet.allocated[to.index()] + request;
        self.refresh_power(to);
        self.publish(to);
    }

    /// Gives back what `reserve` held on `to`; `still_incoming`: the host goes on counting the
    /// workload as arriving (a redirected copy's first host, under CloudSim's profile).
    fn release(&mut self, to: HostId, request: Resources, still_incoming: bool) {
        let t = to.index();
        self.meters.advance(to, self.now, &self.fleet);
        self.fleet.migrating_in[t] -= u32::from(!still_incoming);
        self.fleet.allocated[t] = self.fleet.allocated[t].saturating_sub(request);
        self.refresh_power(to);
        self.publish(to);
        if self.fleet.workloads[t] == 0 && !still_incoming {
            self.host_emptied(to);
        }
    }
}
