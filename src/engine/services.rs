//! Services in the engine: the `ServiceArrival` and `ServiceRetry` events. An instance's
//! replicas are placed by the placement policy, with the hosts of the failure domains already
//! holding a replica of the same component hidden from the fit index (anti-affinity); replicas
//! leave with their instance. Without `[[workload.services]]` none of this runs.

mod model;

pub use model::{SERVICE_CLASS, SERVICE_ID_BASE, ServiceModel, TraceServices, is_replica};

use super::sim::{EngineError, Simulation};
use super::{Event, RngStreams};
use crate::landscape::HostId;
use crate::metrics::{Outcome, ServiceSummary};
use crate::scenario::{LoadedScenario, ScenarioError};
use crate::workload::{Resources, WorkloadSpec};

impl ServiceModel {
    /// The model of a scenario's services, or `None` without any.
    pub fn new(
        s: &LoadedScenario,
        landscape: &crate::landscape::Landscape,
        streams: RngStreams,
    ) -> Result<Option<Box<ServiceModel>>, EngineError> {
        let sc = &s.scenario;
        let from_trace = sc.workload.trace.as_ref().and_then(|t| t.services.as_ref());
        if sc.workload.services.is_empty() && from_trace.is_none() {
            return Ok(None);
        }
        let sizes = |name: &str| {
            let v = sc
                .workload
                .vm_sizes
                .iter()
                .find(|v| v.name == name)
                .expect("validated: sizes exist");
            Resources::from_cores_gib(v.cores.0, v.memory_gib.0).unwrap_or(Resources::ZERO)
        };
        let domains = crate::landscape::failure_domains(landscape);
        let hosts = landscape.host_nodes.len();
        let model = ServiceModel::build(
            &sc.workload.services,
            &sizes,
            domains,
            hosts,
            sc.simulation.duration,
            streams,
        )
        .map_err(|(field, message)| {
            EngineError::FailureInput(ScenarioError {
                file: s.source.file.clone(),
                line: None,
                column: None,
                field: Some(field),
                message,
            })
        })?;
        let mut model = Box::new(model);
        model.trace = from_trace.map(|t| Box::new(TraceServices::new(t)));
        if let Some(t) = from_trace {
            model
                .set_trace_apart(t.anti_affinity, hosts)
                .map_err(|message| {
                    EngineError::FailureInput(ScenarioError {
                        file: s.source.file.clone(),
                        line: None,
                        column: None,
                        field: Some("workload.trace.services.anti_affinity".into()),
                        message,
                    })
                })?;
        }
        Ok(Some(model))
    }
}

impl Simulation<'_> {
    /// Queues a `ServiceArrival` for the next instance, unless one is queued for it.
    pub(super) fn schedule_services(&mut self) {
        let Some(m) = self.services.as_mut() else {
            return;
        };
        let Some(t) = m.next_arrival() else { return };
        if m.scheduled.is_some_and(|s| s <= t) {
            return;
        }
        m.scheduled = Some(t);
        self.events.push(t.max(self.now), Event::ServiceArrival);
    }

    /// Instances arriving now: each replica is placed (or waits for a retry).
    pub(super) fn on_service_arrival(&mut self) -> Result<(), EngineError> {
        let Some(m) = self.services.as_mut() else {
            return Ok(());
        };
        if m.scheduled == Some(self.now) {
            m.scheduled = None;
        }
        let mut specs = Vec::new();
        while m.next_arrival().is_some_and(|t| t <= self.now) {
            m.arrive(self.now, &mut specs, &mut self.landscape);
        }
        for spec in specs {
            self.place_replica(spec)?;
        }
        self.schedule_services();
        self.schedule_service_retry();
        Ok(())
    }

    /// Places one replica where the policy puts it apart from its siblings; `false` if nowhere.
    fn place_replica(&mut self, spec: WorkloadSpec) -> Result<bool, EngineError> {
        match self.choose_apart(&spec)? {
            Some(h) => {
                self.place_on(spec, h);
                if let Some(m) = self.services.as_mut() {
                    m.placed += 1;
                }
                Ok(true)
            }
            None => {
                let m = self.services.as_mut().expect("services on");
                m.count_unplaced(spec.id);
                m.pending.push((spec.id.0 - SERVICE_ID_BASE) as u32);
                Ok(false)
            }
        }
    }

    /// The policy's host for `spec`; for a service replica, with the hosts its anti-affinity
    /// rules out hidden from the fit index while the policy chooses (and refused if chosen).
    pub(super) fn choose_for(
        &mut self,
        spec: &WorkloadSpec,
    ) -> Result<Option<HostId>, EngineError> {
        let members_apart = || {
            self.services
                .as_ref()
                .and_then(|m| m.trace.as_ref())
                .is_some_and(|t| t.apart.is_some())
        };
        if !is_replica(spec.id) && !members_apart() {
            return self.choose_host(spec);
        }
        self.choose_apart(spec)
    }

    /// For a replica: hidden from its siblings' domains, then near its partner. For a trace
    /// member kept apart, see `choose_member_apart`.
    fn choose_apart(&mut self, spec: &WorkloadSpec) -> Result<Option<HostId>, EngineError> {
        let Some(m) = self.services.as_mut() else {
            return self.choose_host(spec);
        };
        if !is_replica(spec.id) {
            return self.choose_member_apart(spec);
        }
        m.forbid(spec.id);
        let forbidden = std::mem::take(&mut m.forbidden);
        let choice = self.choose_hiding(spec, &forbidden);
        let choice = choice?.filter(|h| forbidden.binary_search(h).is_err());
        let choice = self.near_partner(spec, choice, &forbidden);
        if let Some(m) = self.services.as_mut() {
            m.forbidden = forbidden;
        }
        Ok(choice)
    }

    /// The policy's choice for `spec` with the `forbidden` hosts hidden from the fit index.
    fn choose_hiding(
        &mut self,
        spec: &WorkloadSpec,
        forbidden: &[HostId],
    ) -> Result<Option<HostId>, EngineError> {
        for &h in forbidden {
            self.index.update(h, Resources::ZERO);
        }
        let choice = self.choose_host(spec);
        for &h in forbidden {
            self.publish(h);
        }
        choice
    }

    /// A trace member kept apart: the policy's choice if it is outside the domains of its
    /// component's other members (or it fits nowhere: the common case for a queue's head, at
    /// one call); else its choice with those domains hidden, and if nothing fits so, the first
    /// choice after all (counted in `replicas_not_apart`). At most two calls of the policy.
    fn choose_member_apart(&mut self, spec: &WorkloadSpec) -> Result<Option<HostId>, EngineError> {
        let m = self.services.as_mut().expect("services on");
        if !m.forbid_member(spec.id) {
            return self.choose_host(spec);
        }
        let forbidden = std::mem::take(&mut m.forbidden);
        let first = self.choose_host(spec);
        let choice = match first {
            Ok(Some(h)) if forbidden.binary_search(&h).is_ok() => {
                match self.choose_hiding(spec, &forbidden) {
                    Ok(Some(apart)) if forbidden.binary_search(&apart).is_err() => Ok(Some(apart)),
                    Ok(_) => {
                        self.services.as_mut().expect("on").count_not_apart();
                        Ok(Some(h))
                    }
                    Err(e) => Err(e),
                }
            }
            other => other,
        };
        self.services.as_mut().expect("services on").forbidden = forbidden;
        choice
    }

    /// Chatty-pair affinity: the policy's `choice` if it is in a domain of the replica's
    /// partner (or the replica has no partner with a live replica), else the tightest host of
    /// those domains that fits and is not `forbidden` (the hosts of one domain, never a scan of
    /// the fleet); the policy's choice if none does.
    fn near_partner(
        &mut self,
        spec: &WorkloadSpec,
        choice: Option<HostId>,
        forbidden: &[HostId],
    ) -> Option<HostId> {
        let m = self.services.as_mut().expect("services on");
        if !m.near_partner(spec.id) || m.near.is_empty() {
            return choice;
        }
        let near = std::mem::take(&mut m.near);
        if choice.is_some_and(|h| near.binary_search(&h).is_ok()) {
            self.services.as_mut().expect("on").near = near;
            return choice;
        }
        let need = self.holding(spec);
        let best = near
            .iter()
            .copied()
            .filter(|h| forbidden.binary_search(h).is_err())
            .filter(|&h| self.fleet.fits(h, need, spec.features) && self.index.offers(h, need))
            .min_by_key(|&h| (self.fleet.free(h).cpu, h));
        let m = self.services.as_mut().expect("on");
        m.near = near;
        if best.is_none() && choice.is_some() {
            m.count_away(spec.id);
        }
        best.or(choice)
    }

    fn schedule_service_retry(&mut self) {
        let Some(m) = self.services.as_mut() else {
            return;
        };
        if m.pending.is_empty() || m.retry_scheduled {
            return;
        }
        m.retry_scheduled = true;
        let at = self.now.saturating_add(self.sample_interval);
        self.events.push(at, Event::ServiceRetry);
    }

    /// Tries the replicas that found no host again (those whose instance has ended are dropped).
    pub(super) fn on_service_retry(&mut self) -> Result<(), EngineError> {
        let Some(m) = self.services.as_mut() else {
            return Ok(());
        };
        m.retry_scheduled = false;
        let pending = std::mem::take(&mut m.pending);
        let now = self.now;
        for r in pending {
            let m = self.services.as_ref().expect("services on");
            let spec = m.pending_spec(r, now);
            if m.still_wanted(spec.id, now) {
                self.place_replica(spec)?;
            }
        }
        self.schedule_service_retry();
        Ok(())
    }

    /// A workload starts (on a host, as a VM node) or stops running; a hook of `place_on` and
    /// `detach`.
    pub(super) fn service_replica_moved(
        &mut self,
        spec: &WorkloadSpec,
        at: Option<(HostId, petgraph::stable_graph::NodeIndex)>,
    ) {
        let Some(m) = self.services.as_mut() else {
            return;
        };
        if is_replica(spec.id) {
            m.moved(spec.id, at, self.now, &mut self.landscape);
        } else if let Some(t) = m.trace.as_mut() {
            t.moved(spec.id, at, self.now, &mut self.landscape);
        }
    }

    /// A live migration landed workload `id` on `to` as VM node `node`: its replica (or trace
    /// member) is there now, `part_of` its component again.
    pub(super) fn service_replica_migrated(
        &mut self,
        id: crate::workload::WorkloadId,
        to: HostId,
        node: petgraph::stable_graph::NodeIndex,
    ) {
        let Some(m) = self.services.as_mut() else {
            return;
        };
        if is_replica(id) {
            m.migrated(id, to, node, &mut self.landscape);
        } else if let Some(t) = m.trace.as_mut() {
            t.relinked(id, to, node, &mut self.landscape);
        }
    }

    /// Whether a live migration of `id` from `from` to `to` would break its component's
    /// anti-affinity or chatty-pair affinity, or a trace member's anti-affinity (a hook of
    /// `start_migration`; always `false` for a workload that is neither).
    pub(super) fn migration_breaks_rules(
        &self,
        id: crate::workload::WorkloadId,
        from: HostId,
        to: HostId,
    ) -> bool {
        self.services.as_ref().is_some_and(|m| {
            if is_replica(id) {
                m.move_breaks_rules(id, from, to)
            } else {
                m.member_move_breaks_rules(id, to)
            }
        })
    }

    /// A replica's live migration starts towards `to` (`Some`) or is abandoned (`None`).
    pub(super) fn replica_heading(&mut self, id: crate::workload::WorkloadId, to: Option<HostId>) {
        if let Some(m) = self.services.as_mut()
            && is_replica(id)
        {
            m.set_heading(id, to);
        }
    }

    /// A trace workload arrives (a hook of `on_arrival`): with `[workload.trace.services]`, it
    /// joins its service's component.
    pub(super) fn service_member_arrived(&mut self, spec: &WorkloadSpec) {
        let Some(t) = self.services.as_mut().and_then(|m| m.trace.as_mut()) else {
            return;
        };
        if let Some(group) = self.stream.take_group() {
            t.arrive(spec.id, group, self.now, &mut self.landscape);
        }
    }

    /// A workload's record is written (a hook of `record`): a trace service's member that
    /// ended, was rejected, expired or was never restarted is no longer wanted.
    pub(super) fn service_member_over(&mut self, spec: &WorkloadSpec, outcome: Outcome) {
        if matches!(outcome, Outcome::Running | Outcome::Queued) {
            return;
        }
        if let Some(t) = self.services.as_mut().and_then(|m| m.trace.as_mut()) {
            t.over(spec.id, self.now, &mut self.landscape);
        }
    }

    /// Replicas placed (first placements, not restarts), for conservation checks.
    pub(super) fn service_placements(&self) -> u64 {
        self.services.as_ref().map_or(0, |m| m.placed)
    }

    /// The service summary at the end of the run, and the SLA penalty of its downtime.
    pub(super) fn finish_services(&mut self) -> Option<(ServiceSummary, f64)> {
        let end = self.now;
        self.services.as_mut().map(|m| m.summary(end))
    }
}
