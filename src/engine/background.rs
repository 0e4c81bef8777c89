//! The engine's side of issue 11: the class mix per host (co-location) and what interference
//! does to it, CPU factors of platform features, and the background flow's `Learn` event, which
//! hands the learners telemetry of the present (and departures seen since the last round).
//! With `[impact]`, `[insight]` and the recipe policies all off, none of this runs.

use super::Event;
use super::sim::{EngineError, Simulation};
use crate::impact::WorkloadImpact;
use crate::insight::{DepartureObservation, UsageObservation};
use crate::landscape::{Fleet, HostId};
use crate::time::SimTime;
use crate::workload::{ClassId, WorkloadSpec};

/// The background flow's schedule and what it has seen since its last round.
#[derive(Debug)]
pub(super) struct Learning {
    pub interval: SimTime,
    pub departures: Vec<DepartureObservation>,
}

/// `wants` millicores scaled by the CPU factor of `class` on host `h` (no-op without factors).
pub(super) fn scaled(
    impact: &Option<Box<WorkloadImpact>>,
    fleet: &Fleet,
    class: ClassId,
    h: HostId,
    wants: u32,
) -> u32 {
    match impact.as_ref().and_then(|i| i.cpu_factors.as_ref()) {
        Some(f) => {
            let t = fleet.host_type[h.index()].0 as usize;
            (wants as f64 * f.of(class.0 as usize, t) + 0.5) as u32
        }
        None => wants,
    }
}

/// Host `h`'s power factor from injected anomalies (1 without).
pub(super) fn power_factor(impact: &Option<Box<WorkloadImpact>>, h: HostId) -> f64 {
    impact
        .as_ref()
        .map_or(1.0, |i| i.anomalies.factor(h.index()))
}

impl Simulation<'_> {
    /// Begins the injected anomalies due by now (each host's meters advanced, then its power
    /// re-drawn). Called at every sample: an anomaly begins at most one interval late.
    pub(super) fn begin_anomalies(&mut self) {
        let (now, hosts) = (self.now, self.fleet.len());
        while let Some(h) = self
            .impact
            .as_mut()
            .and_then(|i| i.anomalies.begin_next(now, hosts))
        {
            let h = HostId(h);
            self.meters.advance(h, now, &self.fleet);
            self.refresh_power(h);
        }
    }

    /// The anomaly learner's flags against the injected anomalies begun by the end: hosts
    /// injected, flagged, precision and recall, into `summary` (only with `impact.anomalies`
    /// and `[insight]` on).
    pub(super) fn score_anomalies(&self, summary: &mut crate::metrics::RunSummary) {
        let Some(truth) = self.impact.as_ref().map(|i| &i.anomalies) else {
            return;
        };
        if truth.is_empty() || self.learning.is_none() {
            return;
        }
        let injected = truth.begun_by(self.end);
        let flagged = self.core.anomalies.flagged();
        let hits = flagged.iter().filter(|h| injected.contains(h)).count() as f64;
        let ratio = |n: usize| if n == 0 { 1.0 } else { hits / n as f64 };
        summary.anomalous_hosts = Some(injected.len() as u64);
        summary.anomaly_flagged_hosts = Some(flagged.len() as u64);
        summary.anomaly_precision = Some(ratio(flagged.len()));
        summary.anomaly_recall = Some(ratio(injected.len()));
    }

    /// A workload joins or leaves host `h` (whose meters are up to date): the class mix and the
    /// interference effect on the host's residents follow.
    pub(super) fn mix_change(
        &mut self,
        h: HostId,
        spec: &WorkloadSpec,
        placed: SimTime,
        joins: bool,
    ) {
        if !self.fleet.mix.is_on() {
            return;
        }
        let class = spec.class.0 as usize;
        self.fleet
            .mix
            .change(h, class, spec.request.cpu, placed.as_secs_f64(), joins);
        if spec.subscription.is_some() {
            let term = self.subscription_term(h, spec);
            if term != 0.0 {
                let hosts = self.fleet.len();
                let extra = &mut self.fleet.mix.subscription_cpu;
                if extra.is_empty() {
                    *extra = vec![0.0; hosts];
                }
                extra[h.index()] += if joins { term } else { -term };
            }
        }
        if let Some(i) = self.impact.as_ref().and_then(|x| x.interference.as_ref()) {
            let e = i.host_effect(self.fleet.mix.counts(h));
            self.fleet.mix.effect[h.index()] = e;
            let sla = &mut self.meters.sla;
            if sla.is_on() {
                i.each_slowdown(self.fleet.mix.counts(h), |c, s| {
                    sla.set_slowdown(h.index(), c, s)
                });
            }
        }
    }

    /// What a workload of a trace subscription adds on host `h` to the class-level learned
    /// demand (`ClassMix::subscription_cpu`): its requested CPU × (its subscription's effective
    /// utilisation − its class's on `h`'s kind), 0 until the subscription's is learned.
    fn subscription_term(&self, h: HostId, spec: &WorkloadSpec) -> f64 {
        let Some(own) = self.core.subscription_effective(spec.subscription) else {
            return 0.0;
        };
        let class = self
            .core
            .effective_utilisation(spec.class, self.fleet.features(h))
            .unwrap_or(1.0);
        spec.request.cpu as f64 * (own - class)
    }

    /// After a learning round, each host's `subscription_cpu` anew from its residents (the
    /// learned values changed): one pass over the running workloads, only with subscriptions.
    fn recount_subscription_cpu(&mut self) {
        if self.core.subscriptions.is_empty() || !self.fleet.mix.is_on() {
            return;
        }
        let mut extra = std::mem::take(&mut self.fleet.mix.subscription_cpu);
        extra.clear();
        extra.resize(self.fleet.len(), 0.0);
        for w in self.live.iter() {
            if w.spec.subscription.is_some() {
                extra[w.host.index()] += self.subscription_term(w.host, &w.spec);
            }
        }
        self.fleet.mix.subscription_cpu = extra;
    }

    /// Host `h`'s SLA clock for `class` now (its meters advanced to now; 0 when off).
    pub(super) fn sla_reading(&self, h: HostId, class: ClassId) -> f64 {
        self.meters.sla.reading(h.index(), class.0 as usize)
    }

    /// A departure event for this workload fired now: whether its work is done. Without
    /// `impact.fixed_work` (or interference) always. Otherwise a stale event (before its
    /// latest due time) is ignored, and a job short of work (slowed since it was scheduled) is
    /// given a new due time: its remaining work at its rate now, re-checked at least every
    /// sample interval (so a later speed-up ends it at most one interval late). No allocation:
    /// one event pushed.
    pub(super) fn work_finished(&mut self, handle: u32, generation: u32) -> bool {
        if !self.impact.as_ref().is_some_and(|i| i.fixed_work) {
            return true;
        }
        let Some(w) = self.live.get_mut(handle, generation) else {
            return true;
        };
        let (Some(life), h, c) = (w.spec.lifetime, w.host, w.spec.class.0 as usize) else {
            return true;
        };
        if self.now < w.due {
            return false;
        }
        self.meters.advance(h, self.now, &self.fleet);
        let w = self.live.get_mut(handle, generation).expect("checked");
        let done = w.work_done_s + self.meters.sla.work_reading(h.index(), c) - w.work_mark;
        let left = life.as_secs_f64() - done;
        // Work is counted to the microsecond of simulated time.
        if left <= 1e-6 {
            return true;
        }
        let rate = self.meters.sla.rate(h.index(), c).max(1e-9);
        let wait = (left / rate).min(self.sample_interval.as_secs_f64().max(1e-6));
        w.due = self
            .now
            .saturating_add(SimTime::from_secs_f64(wait).max(SimTime(1)));
        if w.due <= self.end {
            let due = w.due;
            self.events
                .push(due, Event::Departure { handle, generation });
        }
        false
    }

    /// A workload that ran from `placed` until now, `short_s` of it short of its demand, is
    /// judged against the interference SLA.
    pub(super) fn judge_sla(&mut self, class: ClassId, short_s: f64, placed: SimTime) {
        if self.meters.sla.is_on() {
            let life = self.now.saturating_sub(placed).as_secs_f64();
            self.meters.sla.judge(class.0 as usize, short_s, life);
        }
    }

    /// A workload departed (or was killed) after `lifetime`: the background flow will see it.
    pub(super) fn saw_departure(&mut self, spec: &WorkloadSpec, lifetime: SimTime) {
        if let Some(l) = &mut self.learning {
            l.departures.push(DepartureObservation {
                time: self.now,
                class: spec.class,
                subscription: spec.subscription,
                lifetime,
            });
        }
    }

    /// A workload of a class not seen before arrived (a trace names its classes as it goes):
    /// the core and the class mix widen to the stream's classes, when anything reads them.
    pub(super) fn note_class(&mut self, class: ClassId) {
        let c = class.0 as usize;
        if c < self.fleet.mix.classes() && c < self.core.classes.len() {
            return;
        }
        // The mix was set up (for the learners or a recipe) with the classes known then.
        let wanted = self.learning.is_some() || !self.fleet.mix.effect.is_empty();
        if !wanted || self.impact.is_some() {
            return;
        }
        let names = self.stream.class_names();
        self.core.add_classes(&names);
        if c >= self.fleet.mix.classes() {
            self.fleet.mix = self.fleet.mix.widened(names.len());
        }
    }

    /// A workload of trace subscription `s` arrived: the core learns that subscription under
    /// the trace's key the first time (once per subscription; nothing without one).
    pub(super) fn bind_subscription(&mut self, s: Option<crate::workload::SubscriptionId>) {
        if let Some(s) = s
            && !self.core.is_bound(s)
        {
            let key = self.stream.subscription_key(s);
            self.core.bind_subscription(s, key);
        }
    }

    /// The background flow's round: every running workload's telemetry now, then the
    /// departures seen since the last round. One pass over the running workloads.
    pub(super) fn on_learn(&mut self) -> Result<(), EngineError> {
        let Some(learning) = &mut self.learning else {
            return Ok(());
        };
        let now = self.now;
        let interference = self.impact.as_ref().and_then(|x| x.interference.as_ref());
        for w in self.live.iter() {
            let mix = self.fleet.mix.counts(w.host);
            let slowdown = interference.map_or(1.0, |i| i.slowdown(w.spec.class.0 as usize, mix));
            let o = UsageObservation {
                time: now,
                class: w.spec.class,
                subscription: w.spec.subscription,
                host_features: self.fleet.features(w.host),
                utilisation: self.live.cpu_of(w.handle()).1 as f64
                    / w.spec.request.cpu.max(1) as f64,
                slowdown,
            };
            self.core.observe_usage(&o, mix, now)?;
        }
        for d in learning.departures.drain(..) {
            self.core.observe_departure(&d, now)?;
        }
        // Each busy host's power and utilisation: the anomaly learner's telemetry.
        for h in self.fleet.hosts() {
            let i = h.index();
            if self.fleet.workloads[i] > 0
                && self.fleet.state[i] == crate::landscape::PowerState::On
            {
                let (t, u) = (
                    self.fleet.host_type[i].0 as usize,
                    self.fleet.cpu_utilisation(h),
                );
                self.core
                    .observe_host((now, now), i, t, (u, self.fleet.power_w[i]))?;
            }
        }
        self.core.end_round(now);
        let next = now.saturating_add(learning.interval);
        self.recount_subscription_cpu();
        if next <= self.end {
            self.events.push(next, Event::Learn);
        }
        Ok(())
    }
}

impl Simulation<'_> {
    /// Resolves `[impact]` and `[insight]` (warm start included) for this run.
    pub(super) fn set_up_background(
        &mut self,
        s: &crate::scenario::LoadedScenario,
    ) -> Result<(), EngineError> {
        let sc = &s.scenario;
        let names = self.stream.class_names();
        let type_features: Vec<u32> = self.fleet.types.iter().map(|t| t.features.0).collect();
        self.impact = WorkloadImpact::from_scenario(sc, &names, &type_features).map(Box::new);
        let interferes = self
            .impact
            .as_ref()
            .is_some_and(|i| i.interference.is_some());
        let q = sc.insight.effective_quantile.0;
        if sc.insight.enabled {
            self.learning = Some(Learning {
                interval: sc.insight.interval,
                departures: Vec::new(),
            });
            self.core = crate::insight::InformationCore::new(&names, q);
        }
        if let Some(path) = &sc.insight.warm_start {
            let base = s.source.file.parent().unwrap_or(std::path::Path::new("."));
            self.core = crate::insight::InformationCore::load(&base.join(path), &names)?;
            self.core.effective_quantile = q;
            self.core.refresh();
        }
        let recipe = crate::policy::uses_class_mix(&self.policy_name);
        if interferes || sc.insight.enabled || recipe {
            self.fleet.mix = crate::landscape::ClassMix::new(self.fleet.len(), names.len());
        }
        if interferes {
            self.meters.interference_s = vec![0.0; self.fleet.len()];
            self.meters.interference_lost_s = vec![0.0; self.fleet.len()];
            let i = self.impact.as_ref().and_then(|x| x.interference.as_ref());
            let counted = i.map_or(Vec::new(), |i| {
                i.sensitivity
                    .iter()
                    .map(|s| s.iter().any(|&v| v > 0.0))
                    .collect()
            });
            self.meters.sla = crate::metrics::SlaClock::new(self.fleet.len(), counted);
        }
        Ok(())
    }
}
