//! One failure's blast radius on the landscape as it stands: what the failure of a named entity
//! takes down (or cuts off), which VMs and containers run there, which service components lose replicas (down
//! below their `min_live`, or degraded), and which services go down with them, their
//! `depends_on` followed. Computed on the graph alone; DOT (coloured), JSON and SVG forms.

mod svg;

use super::{DomainKind, Entity, HostId, Landscape, Relation, failure_domains};
use petgraph::Direction;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// What the failure does to an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The entity that fails.
    Failed,
    /// Down: a host (and its VMs) taken down, a component below `min_live`, a service down.
    Down,
    /// Running but cut off (the hosts and VMs behind a failed ToR switch).
    Unreachable,
    /// Still up with fewer live replicas (a component), or with such a component (a service).
    Degraded,
}

/// The blast radius of one entity's failure.
#[derive(Clone, Debug, Serialize)]
pub struct BlastRadius {
    pub entity: String,
    pub kind: &'static str,
    /// How its hosts are hit: down, or (a ToR switch) unreachable. A cooling unit's hosts
    /// throttle first and go down once `failures.cooling_trip_delay` has passed.
    pub host_effect: Effect,
    pub hosts: Vec<String>,
    /// Workload ids of the VMs on those hosts.
    pub vms: Vec<u64>,
    /// Ids of the containers on those hosts or their VMs (`ctr-<id>`; service replicas with
    /// `replica = "container"` or `"host-container"`).
    pub containers: Vec<u64>,
    /// Components and services hit, by label ("frontend-3", "shop-3"), with the effect.
    pub components: BTreeMap<String, Effect>,
    pub services: BTreeMap<String, Effect>,
    #[serde(skip)]
    nodes: BTreeMap<NodeIndex, Effect>,
}

/// The blast radius of `entity`'s failure on `l`, or `None` if no entity of that name can fail.
/// `min_live(service, component)` gives a component's k of n.
pub fn blast_radius(
    l: &Landscape,
    entity: &str,
    min_live: &dyn Fn(&str, &str) -> u32,
) -> Option<BlastRadius> {
    let domain = failure_domains(l).into_iter().find(|d| d.name == entity)?;
    let host_effect = match domain.kind {
        DomainKind::Tor | DomainKind::Agg => Effect::Unreachable,
        _ => Effect::Down,
    };
    let g = &l.graph;
    let mut nodes = BTreeMap::from([(domain.node, Effect::Failed)]);
    let mut vms = Vec::new();
    let mut containers = Vec::new();
    // Replicas each component loses.
    let mut lost: BTreeMap<NodeIndex, u32> = BTreeMap::new();
    for &h in &domain.hosts {
        let host = l.host_nodes[h.index()];
        nodes.entry(host).or_insert(host_effect);
        for e in g.edges_directed(host, Direction::Incoming) {
            let on = e.source();
            if *e.weight() != Relation::RunsOn {
                continue;
            }
            match &g[on] {
                Entity::Vm { workload } => vms.push(*workload),
                Entity::Container { id } => containers.push(*id),
                _ => continue,
            }
            nodes.insert(on, host_effect);
            if let Some(c) = l.target(on, Relation::PartOf) {
                *lost.entry(c).or_default() += 1;
            }
            // The containers on a VM go with it.
            for e in g.edges_directed(on, Direction::Incoming) {
                let ctr = e.source();
                if let (Relation::RunsOn, Entity::Container { id }) = (*e.weight(), &g[ctr]) {
                    containers.push(*id);
                    nodes.insert(ctr, host_effect);
                    if let Some(c) = l.target(ctr, Relation::PartOf) {
                        *lost.entry(c).or_default() += 1;
                    }
                }
            }
        }
    }
    vms.sort_unstable();
    containers.sort_unstable();
    let components = component_effects(l, &lost, min_live);
    let mut services = BTreeMap::new();
    let mut by_label = (BTreeMap::new(), BTreeMap::new());
    for (&c, &effect) in &components {
        nodes.insert(c, effect);
        by_label.0.insert(g[c].label(), effect);
        if let Some(s) = l.target(c, Relation::PartOf) {
            let e = services.entry(s).or_insert(effect);
            *e = (*e).min(effect); // down before degraded
        }
    }
    for (&s, &effect) in &services {
        nodes.insert(s, effect);
        by_label.1.insert(g[s].label(), effect);
    }
    Some(BlastRadius {
        entity: entity.to_string(),
        kind: domain.kind.name(),
        host_effect,
        hosts: domain.hosts.iter().map(|&h| host_label(l, h)).collect(),
        vms,
        containers,
        components: by_label.0,
        services: by_label.1,
        nodes,
    })
}

fn host_label(l: &Landscape, h: HostId) -> String {
    l.graph[l.host_nodes[h.index()]].label()
}

/// Each component the failure changes: down if it was up and falls below `min_live` (or a
/// component it depends on goes down), degraded if it loses replicas but stays up.
fn component_effects(
    l: &Landscape,
    lost: &BTreeMap<NodeIndex, u32>,
    min_live: &dyn Fn(&str, &str) -> u32,
) -> BTreeMap<NodeIndex, Effect> {
    let g = &l.graph;
    let comps: Vec<NodeIndex> = g
        .node_indices()
        .filter(|&n| matches!(g[n], Entity::Component { .. }))
        .collect();
    // (live before, live after, k) per component.
    let counts: BTreeMap<NodeIndex, (u32, u32, u32)> = comps
        .iter()
        .map(|&c| {
            let live = g
                .edges_directed(c, Direction::Incoming)
                .filter(|e| *e.weight() == Relation::PartOf)
                .count() as u32;
            let service = l.target(c, Relation::PartOf).map(|s| &g[s]);
            let k = match (service, &g[c]) {
                (Some(Entity::Service { name: s, .. }), Entity::Component { name, .. }) => {
                    min_live(s, name)
                }
                _ => 1,
            };
            (c, (live, live - lost.get(&c).copied().unwrap_or(0), k))
        })
        .collect();
    let up = |after: bool| {
        let mut up: BTreeMap<NodeIndex, bool> = counts
            .iter()
            .map(|(&c, &(b, a, k))| (c, if after { a } else { b } >= k))
            .collect();
        // Down spreads along depends_on until nothing changes (the specs have no cycle).
        loop {
            let mut changed = false;
            for &c in &comps {
                let deps_up = g
                    .edges(c)
                    .filter(|e| *e.weight() == Relation::DependsOn)
                    .all(|e| up.get(&e.target()).copied().unwrap_or(true));
                if up[&c] && !deps_up {
                    up.insert(c, false);
                    changed = true;
                }
            }
            if !changed {
                return up;
            }
        }
    };
    let (before, after) = (up(false), up(true));
    let mut out = BTreeMap::new();
    for &c in &comps {
        if before[&c] && !after[&c] {
            out.insert(c, Effect::Down);
        } else if after[&c] && lost.contains_key(&c) {
            out.insert(c, Effect::Degraded);
        }
    }
    out
}

impl BlastRadius {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("serialises") + "\n"
    }

    /// DOT of the entities hit, coloured by effect, with the racks of their hosts for context
    /// and the edges among them.
    pub fn to_dot(&self, l: &Landscape) -> String {
        let g = &l.graph;
        let mut shown: BTreeSet<NodeIndex> = self.nodes.keys().copied().collect();
        for (&n, _) in self.nodes.iter().filter(|(n, _)| is_host(&g[**n])) {
            shown.extend(
                g.edges_directed(n, Direction::Incoming)
                    .filter(|e| *e.weight() == Relation::Contains)
                    .map(|e| e.source()),
            );
        }
        let mut out = format!(
            "digraph blast_radius {{\n  rankdir=LR;\n  label=\"blast radius of {}\";\n  \
             node [style=filled, fillcolor=white];\n",
            self.entity
        );
        for &n in &shown {
            let colour = match self.nodes.get(&n) {
                Some(Effect::Failed) => "red",
                Some(Effect::Down) => "tomato",
                Some(Effect::Unreachable) => "orange",
                Some(Effect::Degraded) => "gold",
                None => "white",
            };
            let effect = self.nodes.get(&n).map_or("context", |e| match e {
                Effect::Failed => "failed",
                Effect::Down => "down",
                Effect::Unreachable => "unreachable",
                Effect::Degraded => "degraded",
            });
            let _ = writeln!(
                out,
                "  n{} [label=\"{}\", fillcolor={colour}, effect=\"{effect}\"];",
                n.index(),
                g[n].label()
            );
        }
        for e in g.edge_indices() {
            let (a, b) = g.edge_endpoints(e).expect("edge exists");
            if shown.contains(&a) && shown.contains(&b) {
                let rel = serde_json::to_value(g[e]).ok();
                let rel = rel.as_ref().and_then(|v| v.as_str()).unwrap_or("");
                let _ = writeln!(out, "  n{} -> n{} [label=\"{rel}\"];", a.index(), b.index());
            }
        }
        out.push_str(
            "  legend [shape=note, label=\"red: failed; tomato: down; orange: unreachable; \
             gold: degraded; white: context\"];\n}\n",
        );
        out
    }
}

fn is_host(e: &Entity) -> bool {
    matches!(e, Entity::Host { .. })
}
