//! Failures in the engine: the `FailureDue` and `Restart` events. A failed host (or every host
//! under a failed rack, PDU or tripped cooling unit, as the graph says) loses its VMs, draws
//! nothing and leaves the fit index; its VMs are restarted by the placement policy after the
//! detection delay; repaired, it comes back. A host cut off by a failed ToR switch, or
//! throttled by a failed cooling unit before it trips, runs on with its VMs but takes no new
//! work (and a cut-off host's replicas count as down for their services). Off (no `[failures]`)
//! none of this runs.

mod model;
mod stages;
pub mod trace;

pub use model::FailureModel;
use stages::HostChange;
pub use stages::Impairment;

use super::sim::{EngineError, Simulation};
use super::{Event, RngStreams};
use crate::landscape::{HostId, PowerState};
use crate::metrics::{FailureSummary, Outcome};
use crate::scenario::LoadedScenario;
use crate::workload::WorkloadSpec;
use model::Restart;

impl FailureModel {
    /// The model of a scenario's `[failures]`, or `None` without one.
    pub fn new(
        s: &LoadedScenario,
        landscape: &crate::landscape::Landscape,
        streams: RngStreams,
    ) -> Result<Option<Box<FailureModel>>, EngineError> {
        let Some(spec) = &s.scenario.failures else {
            return Ok(None);
        };
        let domains = crate::landscape::failure_domains(landscape);
        let rows = match &spec.trace {
            Some(file) => {
                let base = s.source.file.parent().unwrap_or(std::path::Path::new("."));
                trace::read(&base.join(file), &domains).map_err(EngineError::FailureInput)?
            }
            None => Vec::new(),
        };
        let hosts = landscape.host_nodes.len();
        Ok(Some(Box::new(FailureModel::build(
            spec, domains, rows, hosts, streams,
        ))))
    }
}

/// What `dcsim validate` says of the failure model (the trace is read and its names checked),
/// "" without one.
pub fn describe_failures(
    s: &LoadedScenario,
    landscape: &crate::landscape::Landscape,
) -> Result<String, EngineError> {
    let Some(spec) = &s.scenario.failures else {
        return Ok(String::new());
    };
    let model = FailureModel::new(s, landscape, RngStreams::new(0))?.expect("failures on");
    let random: Vec<&str> = spec
        .kinds()
        .iter()
        .filter(|(_, k)| k.is_some())
        .map(|(name, _)| *name)
        .collect();
    Ok(format!(
        "  failures: {} entities, random for {}, {} trace rows, detection delay {}\n",
        model.domains.len(),
        if random.is_empty() {
            "none".to_string()
        } else {
            random.join(", ")
        },
        model.trace_rows(),
        spec.detection_delay
    ))
}

impl Simulation<'_> {
    /// Queues a `FailureDue` event for the model's next step, unless one is queued for it.
    pub(super) fn schedule_failures(&mut self) {
        if let Some(t) = self.failures.as_mut().and_then(|m| m.wants_event()) {
            self.events.push(t, Event::FailureDue);
        }
    }

    /// Applies every failure, repair and trip due now, then takes hosts down and brings them up.
    pub(super) fn on_failure_due(&mut self) -> Result<(), EngineError> {
        let Some(m) = self.failures.as_mut() else {
            return Ok(());
        };
        if m.scheduled == Some(self.now) {
            m.scheduled = None;
        }
        while let Some(due) = m.pop_due(self.now) {
            m.apply(due, self.now);
        }
        if let Some(d) = m.first_failure.take() {
            self.take_first_blast(d);
        }
        let m = self.failures.as_mut().expect("checked above");
        let mut changes = std::mem::take(&mut m.changes);
        let kills_before = m.kills;
        let repaired = changes.iter().any(|c| matches!(c, HostChange::Up(_)));
        for &c in &changes {
            match c {
                HostChange::Down(h) => self.host_down(h),
                HostChange::Up(h) => self.host_up(h),
                HostChange::Impair(h, what, on) => self.host_impaired(h, what, on),
            }
        }
        changes.clear();
        let m = self.failures.as_mut().expect("checked above");
        m.changes = changes;
        if m.kills > kills_before {
            let at = self.now.saturating_add(m.detection_delay);
            self.events.push(at, Event::Restart);
        }
        // A repaired host offers room: VMs already detected as down try again now.
        if repaired && !m.restarts.is_empty() {
            let (now, delay) = (self.now, m.detection_delay);
            for r in m.restarts.iter_mut() {
                if r.killed_at.saturating_add(delay) <= now {
                    r.due = r.due.min(now);
                }
            }
            self.events.push(now, Event::Restart);
        }
        self.schedule_failures();
        self.place_waiting()
    }

    /// The blast radius of the run's first failure (domain `d`) on the landscape as it stands
    /// now, just before the failure takes effect, for report.html. Once a run.
    fn take_first_blast(&mut self, d: usize) {
        let m = self.failures.as_ref().expect("on");
        let (name, kind) = (m.domains[d].name.clone(), m.domains[d].kind.name());
        let services = self.services.as_deref();
        let min_live = |s: &str, c: &str| services.map_or(1, |m| m.min_live_of(s, c));
        let Some(b) = crate::landscape::blast::blast_radius(&self.landscape, &name, &min_live)
        else {
            return;
        };
        let blast = crate::metrics::FirstBlast {
            entity: name,
            kind: kind.to_string(),
            at_s: self.now.as_secs_f64(),
            counts: b.counts(),
            svg: b.to_svg(&self.landscape, 12),
        };
        self.failures.as_mut().expect("on").first_blast = Some(blast);
    }

    /// Host `h` goes down: its VMs are killed (and wait for their restart), it leaves both fit
    /// indexes and draws nothing.
    fn host_down(&mut self, h: HostId) {
        let victims: Vec<(u32, u32)> = self
            .live
            .on_host(h)
            .iter()
            .map(|r| (r.handle, r.generation))
            .collect();
        let (now, delay) = (
            self.now,
            self.failures.as_ref().expect("on").detection_delay,
        );
        for (handle, generation) in victims {
            let Some(w) = self.detach(handle, generation) else {
                continue;
            };
            let m = self.failures.as_mut().expect("on");
            m.kills += 1;
            m.restarts.push_back(Restart {
                spec: w.spec,
                due: now.saturating_add(delay),
                killed_at: now,
                host: h,
                placed_at: w.placed_at,
                end: w.spec.lifetime.map(|l| w.placed_at.saturating_add(l)),
            });
        }
        self.set_state(h, PowerState::Failed);
    }

    /// Host `h` is cut off or throttled (`on`), or no longer: it offers nothing to placement
    /// meanwhile; a cut-off host's replicas are down for their services. When the impairment
    /// ends, the time its VMs spent so is counted.
    fn host_impaired(&mut self, h: HostId, what: Impairment, on: bool) {
        if !on {
            let now = self.now;
            let m = self.failures.as_mut().expect("on");
            let meter = match what {
                Impairment::Unreachable => &mut m.unreachable,
                Impairment::Throttled => &mut m.throttled,
            };
            for r in self.live.on_host(h) {
                if let Some((w, _)) = self.live.by_handle(r.handle) {
                    meter.count_vm(h, w.on_host_since, now);
                }
            }
        }
        if what == Impairment::Unreachable
            && let Some(s) = self.services.as_mut()
        {
            for r in self.live.on_host(h) {
                s.set_reachable(r.id, !on, self.now, &mut self.landscape);
            }
        }
        self.publish(h);
    }

    /// Whether host `h` is cut off or throttled now (always `false` without failures).
    pub(super) fn withheld(&self, h: HostId) -> bool {
        self.failures.as_ref().is_some_and(|m| m.withheld(h))
    }

    /// A VM on `h` since `since` leaves it now: time it spent there cut off or throttled counts.
    pub(super) fn left_impaired_host(&mut self, h: HostId, since: crate::time::SimTime) {
        let now = self.now;
        if let Some(m) = self.failures.as_mut() {
            if m.unreachable.holds(h) {
                m.unreachable.count_vm(h, since, now);
            }
            if m.throttled.holds(h) {
                m.throttled.count_vm(h, since, now);
            }
        }
    }

    /// Host `h` is repaired: it comes back on (or off, when hosts have power states).
    fn host_up(&mut self, h: HostId) {
        if self.switching_off() {
            self.set_state(h, PowerState::Off);
        } else {
            self.on_since[h.index()] = self.now;
            self.set_state(h, PowerState::On);
        }
    }

    /// Restarts the killed VMs whose detection delay is over, each where the placement policy
    /// puts it; one that fits nowhere is tried again later (at repairs, and after the longer of
    /// the detection delay and the sample interval), until its planned end.
    pub(super) fn on_restart(&mut self) -> Result<(), EngineError> {
        let Some(mut m) = self.failures.take() else {
            return Ok(());
        };
        let result = self.restart_due(&mut m);
        self.failures = Some(m);
        result
    }

    fn restart_due(&mut self, m: &mut FailureModel) -> Result<(), EngineError> {
        let now = self.now;
        // A VM that fits nowhere is tried again at every repair and, failing that, after the
        // longer of the detection delay and the sample interval.
        let again = now.saturating_add(m.detection_delay.max(self.sample_interval));
        let mut retry = false;
        // One pass over the waiting VMs, in order; those not yet due go round again.
        for _ in 0..m.restarts.len() {
            let r = m.restarts.pop_front().expect("counted");
            if r.due > now {
                m.restarts.push_back(r);
                continue;
            }
            if let Some(end) = r.end.filter(|&e| e <= now) {
                m.lost += 1;
                m.lost_vm_s += (end - r.killed_at).as_secs_f64();
                self.give_up(&r);
                continue;
            }
            let spec = WorkloadSpec {
                lifetime: r.end.map(|e| e - now),
                ..r.spec
            };
            // Its lifetime is predicted at its age (since it first began running).
            self.policy.resumes(now.saturating_sub(r.placed_at));
            match self.choose_for(&spec)? {
                Some(h) => {
                    self.place_on(spec, h);
                    let waited = (now - r.killed_at).as_secs_f64();
                    m.restarted += 1;
                    m.lost_vm_s += waited;
                    m.restart_delay_s += waited;
                }
                None => {
                    retry = true;
                    m.restarts.push_back(Restart { due: again, ..r });
                }
            }
        }
        if retry {
            self.events.push(again, Event::Restart);
        }
        Ok(())
    }

    /// A killed VM is never restarted: it is reported as failed, ended when it was killed.
    fn give_up(&mut self, r: &Restart) {
        self.stream.release(&r.spec);
        self.record(
            &r.spec,
            Outcome::Failed,
            Some((r.host, r.placed_at)),
            Some(r.killed_at),
        );
    }

    /// A live migration whose target failed is abandoned: the VM stays where it is.
    pub(super) fn abort_migration(&mut self, handle: u32, generation: u32) {
        let now = self.now;
        let penalty = self.migration_penalty;
        let Some(w) = self.live.get_mut(handle, generation) else {
            return;
        };
        let Some(to) = w.migrating_to.take() else {
            return;
        };
        self.live.account(handle, now, penalty);
        let w = self.live.get_mut(handle, generation).expect("checked");
        let (from, reserved, id) = (w.host, std::mem::take(&mut w.reserved), w.spec.id);
        self.replica_heading(id, None);
        self.live.sync_resident(handle);
        self.fleet.migrating_out[from.index()] -= 1;
        self.cancel_migration(to, reserved);
    }

    /// At the end of the run: VMs still waiting for a restart are lost; VMs on hosts still cut
    /// off or throttled count to the end; the failure summary.
    pub(super) fn finish_failures(&mut self) -> Option<FailureSummary> {
        let mut m = self.failures.take()?;
        let end = self.now;
        for meter in [&mut m.unreachable, &mut m.throttled] {
            for h in meter.finish(end) {
                for r in self.live.on_host(h) {
                    if let Some((w, _)) = self.live.by_handle(r.handle) {
                        meter.count_vm(h, w.on_host_since, end);
                    }
                }
            }
        }
        while let Some(r) = m.restarts.pop_front() {
            let until = r.end.map_or(end, |e| e.min(end));
            m.lost += 1;
            m.lost_vm_s += (until - r.killed_at).as_secs_f64();
            self.give_up(&r);
        }
        let summary = m.summary(end);
        self.failures = Some(m);
        Some(summary)
    }
}
