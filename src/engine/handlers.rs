//! What each event does to the world: arrivals, departures, queue expiry, usage samples.

use super::Event;
use super::sim::{EngineError, Simulation};
use crate::landscape::HostId;
use crate::metrics::{Outcome, TimeseriesRow, WorkloadRecord};
use crate::policy::View;
use crate::time::SimTime;
use crate::workload::WorkloadSpec;

impl Simulation<'_> {
    pub(super) fn schedule_next_arrival(&mut self) -> Result<(), EngineError> {
        self.pending = self.stream.next_workload()?;
        if let Some(w) = &self.pending {
            self.events.push(w.arrival.max(self.now), Event::Arrival);
        }
        Ok(())
    }

    pub(super) fn on_arrival(&mut self) -> Result<(), EngineError> {
        let spec = self
            .pending
            .take()
            .expect("an Arrival event always has a pending workload");
        self.service_member_arrived(&spec);
        self.note_class(spec.class);
        self.bind_subscription(spec.subscription);
        self.schedule_next_arrival()?;
        self.counters.arrived += 1;
        // Strict FIFO: nobody overtakes a workload that is already waiting.
        if self.waiting.is_empty()
            && let Some(h) = self.choose_for(&spec)?
        {
            self.start(spec, h);
            return Ok(());
        }
        if self.queue_enabled {
            self.counters.waited += 1;
            self.boot_for(&spec);
            self.waiting.push_back(spec);
            if let Some(max) = self.max_wait {
                self.events
                    .push(self.now.saturating_add(max), Event::QueueExpiry);
            }
        } else {
            self.counters.rejected += 1;
            self.record(&spec, Outcome::Rejected, None, None);
        }
        Ok(())
    }

    /// Asks the policy and checks its answer.
    pub(super) fn choose_host(
        &mut self,
        spec: &WorkloadSpec,
    ) -> Result<Option<HostId>, EngineError> {
        let holds = self.holding(spec);
        let spec = &WorkloadSpec {
            request: holds,
            ..*spec
        };
        let view = View {
            now: self.now,
            fleet: &self.fleet,
            index: &self.index,
        };
        let first_after =
            self.explanation.is_none() && self.options.explain_at.is_some_and(|t| self.now >= t);
        let choice = if self.options.explain_workload == Some(spec.id.0) || first_after {
            let mut e = crate::policy::recipe::Explanation::default();
            let choice = self.policy.place_explained(spec, &view, &self.core, &mut e);
            self.explanation = Some(e);
            choice
        } else {
            self.policy.place(spec, &view, &self.core)
        };
        match choice {
            Some(h)
                if h.index() >= self.fleet.len()
                    || !self.fleet.fits(h, spec.request, spec.features) =>
            {
                Err(EngineError::InvalidPlacement {
                    policy: self.policy_name.clone(),
                    workload: spec.id.0,
                    host: h.0,
                })
            }
            other => Ok(other),
        }
    }

    /// Places `spec` on `h` now and schedules its departure.
    fn start(&mut self, spec: WorkloadSpec, h: HostId) {
        self.place_on(spec, h);
        self.counters.placed += 1;
        self.counters.total_wait_s += (self.now - spec.arrival).as_secs_f64();
    }

    /// Puts `spec` on `h` now and schedules its departure (a first start or a restart).
    pub(super) fn place_on(&mut self, spec: WorkloadSpec, h: HostId) {
        let i = h.index();
        self.meters.advance(h, self.now, &self.fleet);
        let wants = demand_from(&spec, spec.usage.at(self.now, self.stream.usage_store()));
        let wants = super::background::scaled(&self.impact, &self.fleet, spec.class, h, wants);
        let demand = wants.min(self.fleet.request_limit(h));
        let mut held = self.holding(&spec);
        if self.allocate_by_demand && !self.cloudsim_compat {
            held.cpu = demand;
        }
        self.fleet.allocated[i] = self.fleet.allocated[i] + held;
        self.fleet.add_cpu(i, (demand, wants));
        self.fleet.workloads[i] += 1;
        if self.fleet.workloads[i] == 1 {
            self.counters.active_hosts += 1;
            self.counters.peak_active_hosts = self
                .counters
                .peak_active_hosts
                .max(self.counters.active_hosts);
        }
        self.meters.placements[i] += 1;
        self.mix_change(h, &spec, self.now, true);
        self.refresh_power(h);
        self.publish(h);
        let node = self.landscape.add_vm(spec.id.0, h);
        self.service_replica_moved(&spec, Some((h, node)));
        let (handle, generation) = self.live.insert(spec, h, self.now, (demand, held), node);
        let mark = self.sla_reading(h, spec.class);
        let work_mark = self.meters.sla.work_reading(i, spec.class.0 as usize);
        let due = spec
            .lifetime
            .map_or(SimTime::MAX, |l| self.now.saturating_add(l));
        self.live.set_cpu(handle, (demand, wants));
        if let Some(w) = self.live.get_mut(handle, generation) {
            w.sla_mark = mark;
            w.work_mark = work_mark;
            w.due = due;
        }
        self.reset_vm_window(handle);
        if let Some(feed) = &mut self.feed {
            feed.handles.insert(spec.id, (handle, generation));
        }
        if let Some(end) = spec
            .lifetime
            .map(|l| self.now.saturating_add(l))
            .filter(|&e| e <= self.end)
        {
            self.events
                .push(end, Event::Departure { handle, generation });
        }
    }

    pub(super) fn on_departure(&mut self, handle: u32, generation: u32) -> Result<(), EngineError> {
        if !self.work_finished(handle, generation) {
            return Ok(());
        }
        self.end_workload(handle, generation, Outcome::Departed)
            .map(|_| ())
    }

    /// Ends a running workload now (it departs, or is killed); `false` if it was not running.
    pub(super) fn end_workload(
        &mut self,
        handle: u32,
        generation: u32,
        outcome: Outcome,
    ) -> Result<bool, EngineError> {
        let Some(w) = self.detach(handle, generation) else {
            return Ok(false);
        };
        let (h, i) = (w.host, w.host.index());
        self.stream.release(&w.spec);
        if outcome == Outcome::Killed {
            self.counters.killed += 1;
        } else {
            self.counters.departed += 1;
        }
        if self.fleet.workloads[i] == 0 {
            self.host_emptied(h);
        }
        self.judge_sla(w.spec.class, w.sla_short_s, w.placed_at);
        self.record(&w.spec, outcome, Some((h, w.placed_at)), Some(self.now));
        self.place_waiting()?;
        Ok(true)
    }

    /// Takes a running workload off its host now, with all the bookkeeping of the host, the
    /// graph and the usage feed; `None` if it was not running.
    pub(super) fn detach(
        &mut self,
        handle: u32,
        generation: u32,
    ) -> Option<crate::engine::LiveWorkload> {
        if self.live.get_mut(handle, generation).is_some() {
            self.live.account(handle, self.now, self.migration_penalty);
        }
        let (mut w, cpu) = self.live.remove(handle, generation)?;
        self.counters.add_pdm(cpu.requested_mcs, w.degraded_mcs);
        if let Some(to) = w.migrating_to {
            self.cancel_migration(to, w.reserved);
        }
        if let Some(first) = w.first_leg {
            self.meters.advance(first, self.now, &self.fleet);
            self.fleet.migrating_in[first.index()] -= 1;
        }
        let (h, i) = (w.host, w.host.index());
        self.meters.advance(h, self.now, &self.fleet);
        w.sla_short_s += self.sla_reading(h, w.spec.class) - w.sla_mark;
        self.fleet.allocated[i] = self.fleet.allocated[i].saturating_sub(w.held);
        self.fleet.remove_cpu(i, (cpu.demand, cpu.wants));
        self.fleet.workloads[i] -= 1;
        self.fleet.migrating_out[i] -= u32::from(w.migrating_to.is_some());
        if self.fleet.workloads[i] == 0 {
            self.counters.active_hosts -= 1;
        }
        self.mix_change(h, &w.spec, w.placed_at, false);
        self.saw_departure(&w.spec, self.now - w.placed_at);
        self.refresh_power(h);
        self.publish(h);
        self.landscape.remove_vm(w.node);
        if let Some(feed) = &mut self.feed {
            feed.handles.remove(&w.spec.id);
        }
        self.service_replica_moved(&w.spec, None);
        self.left_impaired_host(h, w.on_host_since);
        Some(w)
    }

    /// Places queued workloads, head first, until the head fits nowhere.
    pub(super) fn place_waiting(&mut self) -> Result<(), EngineError> {
        while let Some(head) = self.waiting.front() {
            let spec = *head;
            match self.choose_for(&spec)? {
                Some(h) => {
                    self.waiting.pop_front();
                    self.start(spec, h);
                }
                None => {
                    self.boot_for(&spec);
                    break;
                }
            }
        }
        Ok(())
    }

    /// Rejects queued workloads that have waited `max_wait`. All share one limit, so they expire
    /// in queue order and only the head need be looked at.
    pub(super) fn on_queue_expiry(&mut self) {
        let Some(max) = self.max_wait else { return };
        while let Some(head) = self.waiting.front() {
            if head.arrival.saturating_add(max) > self.now {
                break;
            }
            let spec = *head;
            self.waiting.pop_front();
            self.counters.rejected += 1;
            self.counters.expired_in_queue += 1;
            self.record(&spec, Outcome::Expired, None, Some(self.now));
        }
    }

    pub(super) fn timeseries_row(&self) -> TimeseriesRow {
        let f = &self.fleet;
        let mut t = [0.0f64; 7];
        let mut hosts_on = 0u32;
        for i in 0..f.len() {
            let (alloc, cap) = (f.allocated[i], f.capacity[i]);
            t[0] += (f.cpu_demand[i] as f64).min(f.physical_cpu[i] as f64);
            t[1] += f.physical_cpu[i] as f64;
            t[2] += alloc.cpu as f64;
            t[3] += cap.cpu as f64;
            t[4] += alloc.memory as f64;
            t[5] += cap.memory as f64;
            t[6] += f.power_w[i];
            hosts_on += u32::from(f.state[i] == crate::landscape::PowerState::On);
        }
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let so_far = self.meters.so_far(self.now, f);
        let pdm = self.counters.pdm();
        TimeseriesRow {
            time_s: self.now.as_secs_f64(),
            running_workloads: self.live.len() as u64,
            queued_workloads: self.waiting.len() as u64,
            active_hosts: self.counters.active_hosts,
            cpu_utilisation: ratio(t[0], t[1]),
            cpu_allocated: ratio(t[2], t[3]),
            memory_utilisation: ratio(t[4], t[5]),
            power_kw: t[6] / 1000.0,
            facility_power_kw: self.facility.power_w() / 1000.0,
            energy_kwh: so_far.energy_j / 3.6e6,
            arrived: self.counters.arrived,
            placed: self.counters.placed,
            rejected: self.counters.rejected,
            hosts_on,
            hosts_at_full_cpu: so_far.hosts_short,
            migrations: self.counters.migrations,
            host_boots: self.counters.boots,
            host_shutdowns: self.counters.shutdowns,
            mean_time_before_shutdown_s: self.counters.mean_time_before_shutdown_s(),
            mean_time_before_migration_s: self.counters.mean_time_before_migration_s(),
            slatah: so_far.slatah,
            pdm,
            slav: so_far.slatah * pdm,
            failed_entities: self.failures.as_ref().map(|f| f.failed_entities()),
            failed_hosts: self.failures.as_ref().map(|f| f.failed_hosts()),
            cut_off_hosts: self.failures.as_ref().map(|f| f.cut_off_hosts()),
            throttled_hosts: self.failures.as_ref().map(|f| f.throttled_hosts()),
        }
    }

    /// Sets host `h`'s power from its current utilisation (its meters must be up to date).
    pub(super) fn refresh_power(&mut self, h: HostId) {
        let i = h.index();
        let watts = self.state_watts(h) * super::background::power_factor(&self.impact, h);
        let delta = watts - self.fleet.power_w[i];
        if delta != 0.0 {
            self.facility
                .change(self.now, delta * (1.0 + self.cooling[i]));
        }
        self.fleet.power_w[i] = watts;
    }

    /// Reports the workloads still running or queued when the run ends, in id order.
    pub(super) fn report_unfinished(&mut self) {
        let (end, penalty) = (self.now, self.migration_penalty);
        self.live.account_all(end, penalty);
        for w in self.live.iter() {
            let requested = self.live.requested_mcs(w.handle());
            self.counters.add_pdm(requested, w.degraded_mcs);
        }
        let mut running: Vec<_> = self
            .live
            .iter()
            .map(|w| (w.spec, w.host, w.placed_at))
            .collect();
        if self.meters.sla.is_on() {
            let judged: Vec<_> = self
                .live
                .iter()
                .map(|w| {
                    let short = w.sla_short_s + self.sla_reading(w.host, w.spec.class) - w.sla_mark;
                    (w.spec.class, short, w.placed_at)
                })
                .collect();
            for (class, short, placed) in judged {
                self.judge_sla(class, short, placed);
            }
        }
        running.sort_by_key(|(s, _, _)| s.id);
        for (spec, h, at) in running {
            self.record(&spec, Outcome::Running, Some((h, at)), None);
        }
        let queued: Vec<WorkloadSpec> = self.waiting.iter().copied().collect();
        for spec in queued {
            self.record(&spec, Outcome::Queued, None, None);
        }
    }

    pub(super) fn record(
        &mut self,
        spec: &WorkloadSpec,
        outcome: Outcome,
        placed: Option<(HostId, SimTime)>,
        ended: Option<SimTime>,
    ) {
        let wait_end = placed.map(|(_, at)| at).or(ended).unwrap_or(self.now);
        let r = WorkloadRecord {
            id: spec.id.0,
            class: spec.class.0,
            arrival_s: spec.arrival.as_secs_f64(),
            cores: spec.request.cores(),
            memory_gib: spec.request.gib(),
            outcome,
            host: placed.map(|(h, _)| h.0),
            placed_s: placed.map(|(_, at)| at.as_secs_f64()),
            ended_s: ended.map(SimTime::as_secs_f64),
            wait_s: wait_end.saturating_sub(spec.arrival).as_secs_f64(),
        };
        self.observer
            .workload_finished(&r, self.stream.class_name(spec.class));
        self.service_member_over(spec, outcome);
    }
}

/// usage × request in millicores, rounded half up (usage is never negative).
fn demand_from(spec: &WorkloadSpec, usage: f64) -> u32 {
    demand_of(usage, spec.request.cpu)
}

/// usage × a request of `cpu` millicores, rounded half up.
pub(super) fn demand_of(usage: f64, cpu: u32) -> u32 {
    (usage * cpu as f64 + 0.5) as u32
}

impl Simulation<'_> {
    /// What a workload takes of its host's allocation now: its request, or (allocating by
    /// demand) its current CPU demand and its memory.
    pub(super) fn holding(&self, spec: &WorkloadSpec) -> crate::workload::Resources {
        // CloudSim allocates a VM being instantiated its full MIPS; demand only from then on.
        if !self.allocate_by_demand || self.cloudsim_compat {
            return spec.request;
        }
        let cpu = demand_from(spec, spec.usage.at(self.now, self.stream.usage_store()));
        crate::workload::Resources {
            cpu,
            memory: spec.request.memory,
        }
    }
}
