//! The service model's state: service classes and their arrival streams, instances with their
//! components' live replica counts, each replica's host, and the availability integrals.
//! It knows which replica is where; the engine places and removes them. A component of
//! containers (`replica = "container"`) places one workload per VM holding `containers_per_vm`
//! of them: the VM counts for that many replicas, and its `Container` nodes run on it.

mod affinity;
mod build;
mod containers;
mod from_trace;
mod summary;

pub use from_trace::TraceServices;

use crate::landscape::{DomainKind, Entity, FailureDomain, HostId, Landscape, Relation};
use crate::scenario::ReplicaKind;
use crate::time::SimTime;
use crate::workload::{ClassId, Lifetime, Resources, UsageProfile, WorkloadId, WorkloadSpec};
use petgraph::stable_graph::NodeIndex;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};

/// Service replicas' workload ids start here (plain workloads count up from 0).
pub const SERVICE_ID_BASE: u64 = 1 << 48;
/// The class index service replicas carry in `WorkloadSpec` and `workloads.csv`.
pub const SERVICE_CLASS: ClassId = ClassId(u16::MAX);

pub fn is_replica(id: WorkloadId) -> bool {
    id.0 >= SERVICE_ID_BASE
}

struct Component {
    name: String,
    /// Workloads placed per instance: one per replica VM or host container, one per VM of
    /// containers.
    replicas: u32,
    /// Replicas per instance (VMs or containers): `min_live` counts these.
    count: u32,
    /// Containers one VM holds (1 unless `kind` is `Container`).
    per_unit: u32,
    kind: ReplicaKind,
    min_live: u32,
    /// One replica's (a VM of containers holds `per_unit` times as much).
    request: Resources,
    usage: f64,
    deps: Vec<usize>,
    /// First replica's offset within an instance's replicas.
    offset: u32,
    /// Chatty partner: its replicas' domain of this kind is where this one's go.
    near: Option<(usize, DomainKind)>,
}

struct ServiceClass {
    name: String,
    rate_per_s: f64,
    at_once_left: Option<u64>,
    next_s: f64,
    arrivals: ChaCha8Rng,
    lifetimes: ChaCha8Rng,
    lifetime: Lifetime,
    apart: Option<DomainKind>,
    sla_usd_per_down_hour: f64,
    components: Vec<Component>,
    /// Components in an order where each comes after those it depends on.
    order: Vec<usize>,
    instances: u64,
    up_s: f64,
    life_s: f64,
    component_down_s: Vec<f64>,
    unplaced: u64,
    away_from_partner: u64,
}

struct Instance {
    class: u16,
    start: SimTime,
    end: SimTime,
    first_replica: u32,
    live: Vec<u32>,
    component_up: Vec<bool>,
    up: bool,
    /// Since when `up` and each of `component_up` hold.
    since: SimTime,
    component_since: Vec<SimTime>,
    /// Its nodes in the landscape graph: the service, then each component.
    nodes: Vec<NodeIndex>,
}

#[derive(Clone, Copy)]
struct Replica {
    instance: u32,
    component: u16,
    host: Option<HostId>,
    /// `false` while its host is cut off (a failed ToR switch): running, but not live.
    reachable: bool,
    /// Where a live migration is taking it (its siblings keep apart from there too).
    heading: Option<HostId>,
    /// Replicas it stands for: the containers of a VM of containers, else 1.
    weight: u32,
    /// Its first container's slot in `container_nodes` (containers only).
    first_container: u32,
}

pub struct ServiceModel {
    classes: Vec<ServiceClass>,
    domains: Vec<FailureDomain>,
    /// Per kind, each host's domain (an index into `domains`); empty for kinds no class uses.
    domain_of: [Vec<u32>; DomainKind::ALL.len()],
    instances: Vec<Instance>,
    replicas: Vec<Replica>,
    /// Each container's node while its VM runs (`Container` node `ctr-<slot>`).
    container_nodes: Vec<Option<NodeIndex>>,
    horizon: SimTime,
    /// The time of the `ServiceArrival` event in the queue.
    pub(super) scheduled: Option<SimTime>,
    /// Replicas that found no host yet, retried at every `ServiceRetry`.
    pub(super) pending: Vec<u32>,
    pub(super) retry_scheduled: bool,
    pub(super) placed: u64,
    /// Scratch: hosts a replica may not go to, and those near its chatty partner.
    pub(super) forbidden: Vec<HostId>,
    pub(super) near: Vec<HostId>,
    /// Services from the trace's groups (`[workload.trace.services]`).
    pub(super) trace: Option<Box<TraceServices>>,
}

impl ServiceModel {
    /// When the next instance arrives (within the horizon).
    pub fn next_arrival(&self) -> Option<SimTime> {
        self.classes
            .iter()
            .map(|c| c.next_s)
            .filter(|t| t.is_finite())
            .min_by(f64::total_cmp)
            .map(SimTime::from_secs_f64)
            .filter(|&t| t <= self.horizon)
    }

    /// Creates the instance arriving now (the earliest class; ties: lower index) and returns its
    /// replicas' specs, in component order, into `out`.
    pub fn arrive(&mut self, now: SimTime, out: &mut Vec<WorkloadSpec>, graph: &mut Landscape) {
        let Some(ci) = (0..self.classes.len())
            .filter(|&i| SimTime::from_secs_f64(self.classes[i].next_s) <= now)
            .min_by(|&a, &b| self.classes[a].next_s.total_cmp(&self.classes[b].next_s))
        else {
            return;
        };
        let class = &mut self.classes[ci];
        let end = now.saturating_add(class.lifetime.sample(&mut class.lifetimes));
        class.advance();
        class.instances += 1;
        let n = class.components.len();
        let instance = self.instances.len() as u32;
        let first = self.replicas.len() as u32;
        for (j, c) in class.components.iter().enumerate() {
            for u in 0..c.replicas {
                let r = self.replicas.len() as u64;
                let weight = (c.count - u * c.per_unit).min(c.per_unit);
                let first_container = self.container_nodes.len() as u32;
                if c.kind != ReplicaKind::Vm {
                    self.container_nodes
                        .extend(std::iter::repeat_n(None, weight as usize));
                }
                self.replicas.push(Replica {
                    instance,
                    component: j as u16,
                    host: None,
                    reachable: true,
                    heading: None,
                    weight,
                    first_container,
                });
                out.push(WorkloadSpec {
                    id: WorkloadId(SERVICE_ID_BASE + r),
                    class: SERVICE_CLASS,
                    arrival: now,
                    lifetime: Some(end - now),
                    request: c.request_of(weight),
                    features: Default::default(),
                    usage: UsageProfile::constant(c.usage),
                    subscription: None,
                });
            }
        }
        let g = &mut graph.graph;
        let service = g.add_node(Entity::Service {
            name: class.name.clone(),
            instance,
        });
        let mut nodes = vec![service];
        for c in &class.components {
            let node = g.add_node(Entity::Component {
                name: c.name.clone(),
                instance,
            });
            g.add_edge(node, service, Relation::PartOf);
            nodes.push(node);
        }
        for (j, c) in class.components.iter().enumerate() {
            for &d in &c.deps {
                g.add_edge(nodes[1 + j], nodes[1 + d], Relation::DependsOn);
            }
        }
        self.instances.push(Instance {
            nodes,
            class: ci as u16,
            start: now,
            end,
            first_replica: first,
            live: vec![0; n],
            component_up: vec![false; n],
            up: false,
            since: now,
            component_since: vec![now; n],
        });
    }

    /// A replica is placed on a host as a VM node (`Some`: the VM is made `part_of` its
    /// component) or taken off its host (`None`) at `now`. An ended instance whose last replica
    /// left leaves the graph.
    pub fn moved(
        &mut self,
        id: WorkloadId,
        at: Option<(HostId, NodeIndex)>,
        now: SimTime,
        graph: &mut Landscape,
    ) {
        let r = (id.0 - SERVICE_ID_BASE) as usize;
        let host = at.map(|(h, _)| h);
        let rep = &mut self.replicas[r];
        let was_live = rep.host.is_some() && rep.reachable;
        let was_placed = rep.host.is_some();
        rep.host = host;
        rep.heading = None;
        // Placed only where it is reachable; taken off, it forgets its host's condition.
        rep.reachable = true;
        let (i, c, w) = (rep.instance as usize, rep.component as usize, rep.weight);
        let live = host.is_some();
        if was_placed == live {
            return;
        }
        match (was_live, live) {
            (false, true) => self.instances[i].live[c] += w,
            (true, false) => self.instances[i].live[c] -= w,
            _ => {}
        }
        match at {
            Some((_, vm)) => self.link(r, vm, graph),
            None => self.unlink(r, graph),
        }
        self.evaluate(i, now);
        let inst = &mut self.instances[i];
        if now >= inst.end && inst.live.iter().all(|&l| l == 0) {
            for n in inst.nodes.drain(..) {
                graph.graph.remove_node(n);
            }
        }
    }

    /// A live migration put replica `id` on `to` as VM node `vm`: siblings placed later keep
    /// apart from its new domain, and the VM is `part_of` its component.
    pub fn migrated(&mut self, id: WorkloadId, to: HostId, vm: NodeIndex, graph: &mut Landscape) {
        let r = (id.0 - SERVICE_ID_BASE) as usize;
        let rep = &mut self.replicas[r];
        rep.host = Some(to);
        rep.heading = None;
        self.link(r, vm, graph);
    }

    /// A running workload's host is cut off (`reachable` false) or reconnected at `now`: a
    /// replica (or trace service member) there stops (or starts again) counting as live.
    pub fn set_reachable(
        &mut self,
        id: WorkloadId,
        reachable: bool,
        now: SimTime,
        graph: &mut Landscape,
    ) {
        if !is_replica(id) {
            if let Some(t) = self.trace.as_mut() {
                t.set_reachable(id, reachable, now, graph);
            }
            return;
        }
        let rep = &mut self.replicas[(id.0 - SERVICE_ID_BASE) as usize];
        if rep.host.is_none() || rep.reachable == reachable {
            return;
        }
        rep.reachable = reachable;
        let (i, c, w) = (rep.instance as usize, rep.component as usize, rep.weight);
        if reachable {
            self.instances[i].live[c] += w;
        } else {
            self.instances[i].live[c] -= w;
        }
        self.evaluate(i, now);
    }

    /// Brings instance `i`'s component and service states up to date, accounting the time
    /// spent in the states they leave (never past the instance's end).
    fn evaluate(&mut self, i: usize, now: SimTime) {
        let inst = &mut self.instances[i];
        let class = &mut self.classes[inst.class as usize];
        let t = now.min(inst.end);
        for &c in &class.order {
            let comp = &class.components[c];
            let up =
                inst.live[c] >= comp.min_live && comp.deps.iter().all(|&d| inst.component_up[d]);
            if up != inst.component_up[c] {
                if !up {
                    inst.component_since[c] = t;
                } else {
                    class.component_down_s[c] +=
                        t.saturating_sub(inst.component_since[c]).as_secs_f64();
                }
                inst.component_up[c] = up;
            }
        }
        let up = inst.component_up.iter().all(|&u| u);
        if up != inst.up {
            if !up {
                class.up_s += t.saturating_sub(inst.since).as_secs_f64();
            }
            inst.since = t;
            inst.up = up;
        }
    }

    /// The k of n of component `component` of service class `service` (1 if unknown, e.g. a
    /// trace service's).
    pub fn min_live_of(&self, service: &str, component: &str) -> u32 {
        self.classes
            .iter()
            .find(|c| c.name == service)
            .and_then(|c| c.components.iter().find(|x| x.name == component))
            .map_or(1, |c| c.min_live)
    }

    /// Whether a pending replica's instance still lives at `now`.
    pub fn still_wanted(&self, id: WorkloadId, now: SimTime) -> bool {
        let r = &self.replicas[(id.0 - SERVICE_ID_BASE) as usize];
        self.instances[r.instance as usize].end > now
    }

    /// The spec of pending replica `r` to place at `now` (what is left of its instance's life).
    pub fn pending_spec(&self, r: u32, now: SimTime) -> WorkloadSpec {
        let rep = self.replicas[r as usize];
        let inst = &self.instances[rep.instance as usize];
        let c = &self.classes[inst.class as usize].components[rep.component as usize];
        WorkloadSpec {
            id: WorkloadId(SERVICE_ID_BASE + r as u64),
            class: SERVICE_CLASS,
            arrival: inst.start,
            lifetime: Some(inst.end.saturating_sub(now)),
            request: c.request_of(rep.weight),
            features: Default::default(),
            usage: UsageProfile::constant(c.usage),
            subscription: None,
        }
    }

    pub fn count_unplaced(&mut self, id: WorkloadId) {
        let r = &self.replicas[(id.0 - SERVICE_ID_BASE) as usize];
        let class = self.instances[r.instance as usize].class as usize;
        self.classes[class].unplaced += 1;
    }
}

impl Component {
    /// What a workload standing for `weight` replicas requests.
    fn request_of(&self, weight: u32) -> Resources {
        (1..weight).fold(self.request, |sum, _| sum + self.request)
    }
}

impl ServiceClass {
    /// The next Poisson arrival, or the next of the burst at t = 0.
    fn advance(&mut self) {
        if let Some(left) = &mut self.at_once_left {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.next_s = f64::INFINITY;
            }
            return;
        }
        let gap: f64 = Exp1.sample(&mut self.arrivals);
        self.next_s += gap / self.rate_per_s;
    }
}
