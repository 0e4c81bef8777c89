//! The failure model's state: which entities are down, the agenda of failures, repairs,
//! throttles and trips to come, which hosts are down (or impaired) because of them, and the
//! counts the summary reports. It knows nothing of workloads: it turns due steps into hosts
//! going down, coming up, and being cut off or throttled.

mod summary;

use super::stages::{HostChange, Impaired, Impairment};
use super::trace::{Target, TraceRow};
use crate::landscape::{DomainKind, FailureDomain, HostId};
use crate::time::SimTime;
use crate::workload::{Lifetime, WorkloadSpec};
use rand::rngs::ChaCha8Rng;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// What falls due; at one instant repairs come first, then trace rows, failures and trips.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Repair,
    Trace,
    Fail,
    Throttle,
    Trip,
}

/// One entry of the agenda: `id` is a domain (or a trace row); `epoch` guards against a step
/// made stale by a failure or repair that came first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Due {
    pub time: SimTime,
    pub step: Step,
    pub id: u32,
    pub epoch: u32,
}

/// A workload killed by a failure, waiting for its restart.
#[derive(Clone, Copy, Debug)]
pub struct Restart {
    pub spec: WorkloadSpec,
    /// When the restart is next tried.
    pub due: SimTime,
    pub killed_at: SimTime,
    /// Where it ran, from when (for its record if it is never restarted).
    pub host: HostId,
    pub placed_at: SimTime,
    /// Its planned end; `None` runs to the end of the run.
    pub end: Option<SimTime>,
}

/// Kinds of failure domain (`DomainKind::ALL`).
const KINDS: usize = DomainKind::ALL.len();

#[derive(Clone, Copy, Debug, Default)]
struct KindCounts {
    failures: u64,
    repairs: u64,
    up_s: f64,
    down_s: f64,
}

/// Failure and repair laws of one kind, and its random stream.
struct Law {
    mtbf: Lifetime,
    mttr: Lifetime,
}

pub struct FailureModel {
    pub(super) domains: Vec<FailureDomain>,
    laws: [Option<Law>; KINDS],
    /// One stream per kind: what one kind draws never shifts another's draws.
    rngs: Vec<ChaCha8Rng>,
    down: Vec<bool>,
    epoch: Vec<u32>,
    /// Cooling units whose racks' hosts have tripped, and those whose hosts are throttled.
    tripped: Vec<bool>,
    throttling: Vec<bool>,
    /// Since when each domain is in its present state.
    since: Vec<SimTime>,
    /// Per host, how many failed domains hold it down, and since when it is down.
    causes: Vec<u16>,
    host_down_since: Vec<SimTime>,
    host_down_s: f64,
    hosts_down: u32,
    entities_down: u32,
    agenda: BinaryHeap<Reverse<Due>>,
    /// The time of the `FailureDue` event in the engine's queue, if one is there.
    pub(super) scheduled: Option<SimTime>,
    trace: Vec<TraceRow>,
    counts: [KindCounts; KINDS],
    pub(super) restarts: VecDeque<Restart>,
    pub(super) detection_delay: SimTime,
    trip_delay: SimTime,
    throttle_delay: SimTime,
    /// Hosts cut off by a failed ToR switch, and hosts throttled by a failed cooling unit.
    pub(super) unreachable: Impaired,
    pub(super) throttled: Impaired,
    pub(super) kills: u64,
    pub(super) restarted: u64,
    pub(super) lost: u64,
    pub(super) lost_vm_s: f64,
    pub(super) restart_delay_s: f64,
    /// Scratch: hosts going down, coming up, impaired or no longer, in order.
    pub(super) changes: Vec<HostChange>,
    /// The run's first failure (its domain), once it happened, until its blast radius is taken.
    pub(super) first_failure: Option<usize>,
    pub(super) first_blast: Option<crate::metrics::FirstBlast>,
    blast_taken: bool,
}

impl FailureModel {
    pub fn build(
        spec: &crate::scenario::FailuresSpec,
        domains: Vec<FailureDomain>,
        trace: Vec<TraceRow>,
        hosts: usize,
        streams: crate::engine::RngStreams,
    ) -> FailureModel {
        let laws = spec.kinds().map(|(_, k)| {
            k.map(|k| Law {
                mtbf: Lifetime::from_spec(&k.mtbf),
                mttr: Lifetime::from_spec(&k.mttr),
            })
        });
        let n = domains.len();
        let mut m = FailureModel {
            domains,
            laws,
            rngs: (0..KINDS as u32)
                .map(|k| streams.substream(crate::engine::Purpose::Failures, k))
                .collect(),
            down: vec![false; n],
            epoch: vec![0; n],
            tripped: vec![false; n],
            throttling: vec![false; n],
            since: vec![SimTime::ZERO; n],
            causes: vec![0; hosts],
            host_down_since: vec![SimTime::ZERO; hosts],
            host_down_s: 0.0,
            hosts_down: 0,
            entities_down: 0,
            agenda: BinaryHeap::new(),
            scheduled: None,
            trace,
            counts: [KindCounts::default(); KINDS],
            restarts: VecDeque::new(),
            detection_delay: spec.detection_delay,
            trip_delay: spec.cooling_trip_delay,
            throttle_delay: spec.cooling_throttle_delay,
            unreachable: Impaired::new(hosts),
            throttled: Impaired::new(hosts),
            kills: 0,
            restarted: 0,
            lost: 0,
            lost_vm_s: 0.0,
            restart_delay_s: 0.0,
            changes: Vec::new(),
            first_failure: None,
            first_blast: None,
            blast_taken: false,
        };
        for d in 0..n {
            m.schedule_failure(d, SimTime::ZERO);
        }
        for (row, r) in m.trace.iter().enumerate() {
            m.agenda.push(Reverse(Due {
                time: r.time,
                step: Step::Trace,
                id: row as u32,
                epoch: 0,
            }));
        }
        m
    }

    fn kind(&self, d: usize) -> usize {
        self.domains[d].kind as usize
    }

    /// Draws domain `d`'s next time to failure, if its kind fails at random.
    fn schedule_failure(&mut self, d: usize, now: SimTime) {
        let k = self.kind(d);
        let Some(law) = &self.laws[k] else { return };
        let ttf = law.mtbf.sample(&mut self.rngs[k]);
        self.agenda.push(Reverse(Due {
            time: now.saturating_add(ttf),
            step: Step::Fail,
            id: d as u32,
            epoch: self.epoch[d],
        }));
    }

    /// The earliest step, if a `FailureDue` event must be queued for it (none is yet).
    pub fn wants_event(&mut self) -> Option<SimTime> {
        let next = self.agenda.peek()?.0.time;
        if self.scheduled.is_some_and(|s| s <= next) {
            return None;
        }
        self.scheduled = Some(next);
        Some(next)
    }

    /// The next step due at or before `now`.
    pub fn pop_due(&mut self, now: SimTime) -> Option<Due> {
        if self.agenda.peek()?.0.time > now {
            return None;
        }
        self.agenda.pop().map(|r| r.0)
    }

    /// Applies one due step; hosts that go down or come up are appended to `changes`.
    pub fn apply(&mut self, due: Due, now: SimTime) {
        let d = due.id as usize;
        match due.step {
            Step::Fail if !self.down[d] && self.epoch[d] == due.epoch => {
                let k = self.kind(d);
                let ttr = self.laws[k]
                    .as_ref()
                    .map(|l| l.mttr.sample(&mut self.rngs[k]))
                    .expect("random failures only for kinds with a law");
                self.fail(d, now, ttr);
            }
            Step::Repair if self.down[d] && self.epoch[d] == due.epoch => self.repair(d, now),
            Step::Throttle if self.down[d] && self.epoch[d] == due.epoch => {
                self.throttle(d, now, true);
            }
            Step::Trip if self.down[d] && self.epoch[d] == due.epoch && !self.tripped[d] => {
                // Throttled hosts trip: from now they are down, no longer throttled.
                self.throttle(d, now, false);
                self.tripped[d] = true;
                self.take_down(d, now);
            }
            Step::Trace => self.apply_trace(d, now),
            _ => {}
        }
    }

    fn apply_trace(&mut self, row: usize, now: SimTime) {
        let r = self.trace[row];
        match r.target {
            Target::Domain(d) => self.fail(d as usize, now, r.duration),
            Target::Kind { kind, fraction } => {
                let of_kind: Vec<usize> = (0..self.domains.len())
                    .filter(|&d| self.domains[d].kind == kind)
                    .collect();
                let n = of_kind.len();
                if n == 0 {
                    return;
                }
                let count = ((fraction * n as f64).round() as usize).clamp(1, n);
                let rng = &mut self.rngs[kind as usize];
                let mut picked = rand::seq::index::sample(rng, n, count).into_vec();
                picked.sort_unstable();
                for p in picked {
                    self.fail(of_kind[p], now, r.duration);
                }
            }
        }
    }

    /// Domain `d` fails now for `ttr` (a failure of something already down is ignored).
    fn fail(&mut self, d: usize, now: SimTime, ttr: SimTime) {
        if self.down[d] {
            return;
        }
        let k = self.kind(d);
        if !self.blast_taken {
            self.blast_taken = true;
            self.first_failure = Some(d);
        }
        self.counts[k].failures += 1;
        self.counts[k].up_s += (now - self.since[d]).as_secs_f64();
        self.down[d] = true;
        self.epoch[d] += 1;
        self.since[d] = now;
        self.entities_down += 1;
        let due = |time, step| {
            Reverse(Due {
                time,
                step,
                id: d as u32,
                epoch: self.epoch[d],
            })
        };
        let (repair, throttle, trip) = (
            due(now.saturating_add(ttr), Step::Repair),
            due(now.saturating_add(self.throttle_delay), Step::Throttle),
            due(now.saturating_add(self.trip_delay), Step::Trip),
        );
        self.agenda.push(repair);
        match self.domains[d].kind {
            // Heat builds: throttled after the throttle delay (if it comes before the trip),
            // tripped after the trip delay.
            DomainKind::Cooling => {
                if self.throttle_delay < self.trip_delay {
                    if self.throttle_delay.0 == 0 {
                        self.throttle(d, now, true);
                    } else {
                        self.agenda.push(throttle);
                    }
                }
                if self.trip_delay.0 == 0 {
                    self.tripped[d] = true;
                    self.take_down(d, now);
                } else {
                    self.agenda.push(trip);
                }
            }
            DomainKind::Tor | DomainKind::Agg => self.cut(d, now, true),
            _ => self.take_down(d, now),
        }
    }

    /// Domain `d`'s hosts are cut off (`on`) or reconnected.
    fn cut(&mut self, d: usize, now: SimTime, on: bool) {
        for k in 0..self.domains[d].hosts.len() {
            let h = self.domains[d].hosts[k];
            let changed = if on {
                self.unreachable.add(h, now)
            } else {
                self.unreachable.remove(h, now)
            };
            if changed {
                let c = HostChange::Impair(h, Impairment::Unreachable, on);
                self.changes.push(c);
            }
        }
    }

    /// Cooling unit `d`'s hosts are throttled (`on`) or no longer.
    fn throttle(&mut self, d: usize, now: SimTime, on: bool) {
        if self.throttling[d] == on {
            return;
        }
        self.throttling[d] = on;
        for k in 0..self.domains[d].hosts.len() {
            let h = self.domains[d].hosts[k];
            let changed = if on {
                self.throttled.add(h, now)
            } else {
                self.throttled.remove(h, now)
            };
            if changed {
                let c = HostChange::Impair(h, Impairment::Throttled, on);
                self.changes.push(c);
            }
        }
    }

    fn repair(&mut self, d: usize, now: SimTime) {
        let k = self.kind(d);
        self.counts[k].repairs += 1;
        self.counts[k].down_s += (now - self.since[d]).as_secs_f64();
        self.down[d] = false;
        self.epoch[d] += 1;
        self.since[d] = now;
        self.entities_down -= 1;
        match self.domains[d].kind {
            DomainKind::Tor | DomainKind::Agg => self.cut(d, now, false),
            DomainKind::Cooling => {
                self.throttle(d, now, false);
                if self.tripped[d] {
                    self.bring_up(d, now);
                }
            }
            _ => self.bring_up(d, now),
        }
        self.tripped[d] = false;
        self.schedule_failure(d, now);
    }

    fn take_down(&mut self, d: usize, now: SimTime) {
        for k in 0..self.domains[d].hosts.len() {
            let h = self.domains[d].hosts[k];
            let c = &mut self.causes[h.index()];
            *c += 1;
            if *c == 1 {
                self.hosts_down += 1;
                self.host_down_since[h.index()] = now;
                self.changes.push(HostChange::Down(h));
            }
        }
    }

    fn bring_up(&mut self, d: usize, now: SimTime) {
        for k in 0..self.domains[d].hosts.len() {
            let h = self.domains[d].hosts[k];
            let c = &mut self.causes[h.index()];
            *c -= 1;
            if *c == 0 {
                self.hosts_down -= 1;
                self.host_down_s += (now - self.host_down_since[h.index()]).as_secs_f64();
                self.changes.push(HostChange::Up(h));
            }
        }
    }

    pub fn trace_rows(&self) -> usize {
        self.trace.len()
    }

    pub fn failed_entities(&self) -> u32 {
        self.entities_down
    }

    pub fn failed_hosts(&self) -> u32 {
        self.hosts_down
    }

    /// Hosts cut off by a failed ToR switch now.
    pub fn cut_off_hosts(&self) -> u32 {
        self.unreachable.hosts
    }

    /// Hosts throttled by a failed cooling unit now (not yet tripped).
    pub fn throttled_hosts(&self) -> u32 {
        self.throttled.hosts
    }

    /// Whether host `h` is cut off or throttled now (it then offers nothing to placement).
    pub fn withheld(&self, h: HostId) -> bool {
        self.unreachable.holds(h) || self.throttled.holds(h)
    }

    /// (restarts, workloads taken off their hosts): the failure terms of conservation.
    pub fn balance(&self) -> (u64, u64) {
        (self.restarted, self.kills)
    }
}
