//! Services from a trace's own groups (`[workload.trace.services]`): each trace service (a Google
//! collection or job, an Alibaba job or online app, an Azure deployment) has one component per
//! task group the trace names. Its members are the trace's ordinary workloads; this only counts
//! them. A member is *wanted* from its arrival until it departs, is rejected, expires, is killed
//! for good or never restarted; it is *live* while it runs on a reachable host. A component with
//! wanted members is up while at least `min_live_fraction` of them (rounded up, at least one)
//! are live; a service is alive while any member is wanted and up while alive with every such
//! component up. While alive it is in the landscape graph (a `Service` node, its `Component`
//! nodes, its VMs `part_of` them). With `anti_affinity`, a member is placed (and migrated)
//! outside the domains holding its component's other members where the landscape has room.
//! Members are looked up by workload id in a dense window (`members.rs`): no hashing on the
//! hot path.

use crate::landscape::{DomainKind, Entity, HostId, Landscape, Relation};
use crate::scenario::TraceServicesSpec;
use crate::time::SimTime;
use crate::workload::WorkloadId;
use crate::workload::trace::TraceGroup;
use members::{Member, Members};
use petgraph::stable_graph::NodeIndex;
use std::collections::HashMap;

mod members;
mod summary;

/// FNV-1a over a service name's bytes: trace ids are short, and SipHash cost a tenth of a
/// run with trace services. The map is looked up, never iterated, so no order can show.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type NameIndex = HashMap<String, u32, std::hash::BuildHasherDefault<Fnv>>;

struct TraceComponent {
    name: String,
    wanted: u32,
    live: u32,
    /// Down: wanted members, too few of them live.
    down: bool,
    since: SimTime,
    down_s: f64,
    node: Option<NodeIndex>,
    /// With anti-affinity: the hosts its placed members run on (one entry each).
    hosts: Vec<HostId>,
}

struct TraceService {
    name: String,
    components: Vec<TraceComponent>,
    members: u64,
    alive: bool,
    up: bool,
    alive_since: SimTime,
    up_since: SimTime,
    alive_s: f64,
    up_s: f64,
    node: Option<NodeIndex>,
}

pub struct TraceServices {
    name: String,
    min_fraction: Option<f64>,
    sla_usd_per_down_hour: f64,
    /// Each service's index by its trace name (looked up, never iterated).
    index: NameIndex,
    services: Vec<TraceService>,
    /// Wanted members by workload id (a dense window).
    members: Members,
    /// `anti_affinity`: the kind of domain a component's members keep apart across.
    pub(in crate::engine::services) apart: Option<DomainKind>,
    /// Members placed in a domain holding another member of their component, for want of room
    /// elsewhere.
    pub(in crate::engine::services) not_apart: u64,
}

impl TraceServices {
    pub fn new(spec: &TraceServicesSpec) -> TraceServices {
        TraceServices {
            name: spec.name.clone(),
            min_fraction: spec.min_live_fraction.map(|f| f.0),
            sla_usd_per_down_hour: spec.sla_usd_per_down_hour.0,
            index: NameIndex::default(),
            services: Vec::new(),
            members: Members::default(),
            apart: None,
            not_apart: 0,
        }
    }

    /// The hosts of the other placed members of member `id`'s component (`None` if `id` is
    /// no member, or without anti-affinity).
    pub(in crate::engine::services) fn siblings(&self, id: WorkloadId) -> Option<&[HostId]> {
        self.apart?;
        let m = self.members.get(id)?;
        Some(&self.services[m.service as usize].components[m.component as usize].hosts)
    }

    /// Where member `id` runs, if it is a placed member.
    pub(in crate::engine::services) fn host_of(&self, id: WorkloadId) -> Option<HostId> {
        self.members.get(id).filter(|m| m.placed).map(|m| m.host)
    }

    /// Workload `id` of `group` arrives now: it is wanted from now on.
    pub fn arrive(&mut self, id: WorkloadId, group: TraceGroup, now: SimTime, g: &mut Landscape) {
        let s = match self.index.get(&group.service) {
            Some(&s) => s,
            None => {
                let s = self.services.len() as u32;
                self.index.insert(group.service.clone(), s);
                self.services.push(TraceService::new(group.service, now));
                s
            }
        };
        let svc = &mut self.services[s as usize];
        let c = match svc
            .components
            .iter()
            .position(|c| c.name == group.component)
        {
            Some(c) => c,
            None => {
                svc.components.push(TraceComponent {
                    name: group.component,
                    wanted: 0,
                    live: 0,
                    down: false,
                    since: now,
                    down_s: 0.0,
                    node: None,
                    hosts: Vec::new(),
                });
                svc.components.len() - 1
            }
        };
        svc.members += 1;
        svc.components[c].wanted += 1;
        let member = Member {
            service: s,
            component: c.min(u16::MAX as usize) as u16,
            placed: false,
            reachable: true,
            host: HostId(0),
        };
        self.members.insert(id, member);
        self.evaluate(s as usize, now, g);
    }

    /// Member `id` starts running (`Some`: on a host, as VM node) or stops; others are ignored.
    pub fn moved(
        &mut self,
        id: WorkloadId,
        at: Option<(HostId, NodeIndex)>,
        now: SimTime,
        g: &mut Landscape,
    ) {
        let apart = self.apart.is_some();
        let Some(m) = self.members.get_mut(id) else {
            return;
        };
        let was_live = m.placed && m.reachable;
        let was = m.placed.then_some(m.host);
        m.placed = at.is_some();
        m.reachable = true;
        if let Some((h, _)) = at {
            m.host = h;
        }
        let (s, c) = (m.service as usize, m.component as usize);
        let comp = &mut self.services[s].components[c];
        if apart {
            comp.moved(was, at.map(|(h, _)| h));
        }
        let at = at.map(|(_, n)| n);
        match (was_live, at.is_some()) {
            (false, true) => comp.live += 1,
            (true, false) => comp.live -= 1,
            _ => {}
        }
        if let (Some(vm), Some(node)) = (at, comp.node) {
            g.graph.add_edge(vm, node, Relation::PartOf);
        }
        self.evaluate(s, now, g);
    }

    /// A member moved to `to` as a new VM node (a live migration): it is `part_of` its
    /// component again.
    pub fn relinked(&mut self, id: WorkloadId, to: HostId, vm: NodeIndex, g: &mut Landscape) {
        let apart = self.apart.is_some();
        let Some(m) = self.members.get_mut(id) else {
            return;
        };
        let was = m.placed.then_some(m.host);
        m.host = to;
        let (s, c) = (m.service as usize, m.component as usize);
        let comp = &mut self.services[s].components[c];
        if apart {
            comp.moved(was, Some(to));
        }
        if let Some(node) = comp.node {
            g.graph.add_edge(vm, node, Relation::PartOf);
        }
    }

    /// A member's host is cut off (`reachable` false) or reconnected.
    pub fn set_reachable(
        &mut self,
        id: WorkloadId,
        reachable: bool,
        now: SimTime,
        g: &mut Landscape,
    ) {
        let Some(m) = self.members.get_mut(id) else {
            return;
        };
        if !m.placed || m.reachable == reachable {
            return;
        }
        m.reachable = reachable;
        let (s, c) = (m.service as usize, m.component as usize);
        let comp = &mut self.services[s].components[c];
        if reachable {
            comp.live += 1;
        } else {
            comp.live -= 1;
        }
        self.evaluate(s, now, g);
    }

    /// Member `id` is over (departed, rejected, expired, killed, never restarted).
    pub fn over(&mut self, id: WorkloadId, now: SimTime, g: &mut Landscape) {
        let Some(m) = self.members.remove(id) else {
            return;
        };
        let (s, c) = (m.service as usize, m.component as usize);
        let comp = &mut self.services[s].components[c];
        if self.apart.is_some() && m.placed {
            comp.moved(Some(m.host), None);
        }
        comp.wanted -= 1;
        if m.placed && m.reachable {
            comp.live -= 1;
        }
        self.evaluate(s, now, g);
    }

    /// Live members a component needs out of `wanted`, with `min_fraction`.
    fn need(min_fraction: Option<f64>, wanted: u32) -> u32 {
        match min_fraction {
            None => 1,
            Some(f) => ((f * wanted as f64).ceil() as u32).max(1),
        }
    }

    /// Brings service `s`'s states up to date at `now`, accounting the time spent in those it
    /// leaves, and its nodes in the graph.
    fn evaluate(&mut self, s: usize, now: SimTime, g: &mut Landscape) {
        let fraction = self.min_fraction;
        let svc = &mut self.services[s];
        let mut alive = false;
        let mut up = true;
        for c in svc.components.iter_mut() {
            let down = c.wanted > 0 && c.live < Self::need(fraction, c.wanted);
            alive |= c.wanted > 0;
            up &= !down;
            if down != c.down {
                if c.down {
                    c.down_s += now.saturating_sub(c.since).as_secs_f64();
                }
                c.since = now;
                c.down = down;
            }
        }
        let up = alive && up;
        if up != svc.up {
            if svc.up {
                svc.up_s += now.saturating_sub(svc.up_since).as_secs_f64();
            }
            svc.up_since = now;
            svc.up = up;
        }
        if alive != svc.alive {
            if svc.alive {
                svc.alive_s += now.saturating_sub(svc.alive_since).as_secs_f64();
            }
            svc.alive_since = now;
            svc.alive = alive;
        }
        svc.sync_nodes(s as u32, g);
    }

    /// Its entry's name under `services`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl TraceComponent {
    /// A placed member left host `from` and/or now runs on `to`.
    fn moved(&mut self, from: Option<HostId>, to: Option<HostId>) {
        if let Some(h) = from
            && let Some(i) = self.hosts.iter().position(|&x| x == h)
        {
            self.hosts.swap_remove(i);
        }
        self.hosts.extend(to);
    }
}

impl TraceService {
    fn new(name: String, now: SimTime) -> TraceService {
        TraceService {
            name,
            components: Vec::new(),
            members: 0,
            alive: false,
            up: false,
            alive_since: now,
            up_since: now,
            alive_s: 0.0,
            up_s: 0.0,
            node: None,
        }
    }

    /// Alive: a `Service` node and a `Component` node per component; otherwise none.
    fn sync_nodes(&mut self, s: u32, g: &mut Landscape) {
        let graph = &mut g.graph;
        if !self.alive {
            if let Some(n) = self.node.take() {
                graph.remove_node(n);
            }
            for c in &mut self.components {
                if let Some(n) = c.node.take() {
                    graph.remove_node(n);
                }
            }
            return;
        }
        let service = *self.node.get_or_insert_with(|| {
            graph.add_node(Entity::Service {
                name: self.name.clone(),
                instance: s,
            })
        });
        for c in &mut self.components {
            if c.node.is_none() {
                let n = graph.add_node(Entity::Component {
                    name: c.name.clone(),
                    instance: s,
                });
                graph.add_edge(n, service, Relation::PartOf);
                c.node = Some(n);
            }
        }
    }
}
