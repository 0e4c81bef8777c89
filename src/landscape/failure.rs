//! Failure domains, derived from the graph (never declared twice): every host, rack, PDU, cooling
//! unit and UPS with the hosts its failure takes down (a rack its hosts, a PDU the hosts of the
//! racks it powers, a cooling unit the hosts of the racks it cools, a UPS those of its PDUs, a
//! ToR switch the hosts `connected_to` it: those it cuts off, leaving them running; an
//! aggregation switch the hosts of the ToR switches `connected_to` it, cut off likewise).

use super::{Entity, HostId, Landscape, Relation};
use petgraph::Direction;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;

/// What kind of entity a failure domain is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DomainKind {
    Host,
    Rack,
    Pdu,
    Cooling,
    Ups,
    /// A top-of-rack switch: its failure cuts its hosts off the network (they keep running).
    Tor,
    /// An aggregation switch: its failure cuts off the hosts of every ToR `connected_to` it.
    Agg,
}

impl DomainKind {
    pub const ALL: [DomainKind; 7] = [
        DomainKind::Host,
        DomainKind::Rack,
        DomainKind::Pdu,
        DomainKind::Cooling,
        DomainKind::Ups,
        DomainKind::Tor,
        DomainKind::Agg,
    ];

    /// The name used in scenario keys, failure traces and summary keys.
    pub fn name(self) -> &'static str {
        match self {
            DomainKind::Host => "host",
            DomainKind::Rack => "rack",
            DomainKind::Pdu => "pdu",
            DomainKind::Cooling => "cooling",
            DomainKind::Ups => "ups",
            DomainKind::Tor => "tor",
            DomainKind::Agg => "agg",
        }
    }

    pub fn from_name(name: &str) -> Option<DomainKind> {
        DomainKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One entity that can fail, and the hosts it takes down when it does.
#[derive(Clone, Debug, PartialEq)]
pub struct FailureDomain {
    pub kind: DomainKind,
    pub name: String,
    pub node: NodeIndex,
    /// In id order.
    pub hosts: Vec<HostId>,
}

/// Every failure domain of the landscape: hosts in id order, then racks, PDUs, cooling units,
/// UPSs and ToR switches in the order their first host appears.
pub fn failure_domains(l: &Landscape) -> Vec<FailureDomain> {
    let mut out: Vec<FailureDomain> = l
        .host_nodes
        .iter()
        .enumerate()
        .map(|(i, &node)| FailureDomain {
            kind: DomainKind::Host,
            name: l.graph[node].label(),
            node,
            hosts: vec![HostId(i as u32)],
        })
        .collect();
    for kind in [
        DomainKind::Rack,
        DomainKind::Pdu,
        DomainKind::Cooling,
        DomainKind::Ups,
        DomainKind::Tor,
        DomainKind::Agg,
    ] {
        let mut of_kind: Vec<FailureDomain> = Vec::new();
        let mut position: std::collections::BTreeMap<NodeIndex, usize> = Default::default();
        // A rack's PDU, UPS or cooling unit is looked up once per rack, not once per host: the
        // lookup walks the rack's edges, one per host it contains.
        let mut last: Option<(NodeIndex, Option<NodeIndex>)> = None;
        for (i, &rack) in l.host_racks.iter().enumerate() {
            if let Some((_, node)) = last.filter(|(r, _)| *r == rack) {
                if let Some(node) = node {
                    of_kind[position[&node]].hosts.push(HostId(i as u32));
                }
                continue;
            }
            let node = match kind {
                DomainKind::Rack => Some(rack),
                DomainKind::Pdu => l.target(rack, Relation::PoweredBy),
                DomainKind::Ups => l
                    .target(rack, Relation::PoweredBy)
                    .and_then(|pdu| l.target(pdu, Relation::PoweredBy)),
                DomainKind::Tor => l.target(l.host_nodes[i], Relation::ConnectedTo),
                DomainKind::Agg => l
                    .target(l.host_nodes[i], Relation::ConnectedTo)
                    .and_then(|tor| l.target(tor, Relation::ConnectedTo)),
                _ => l.target(rack, Relation::CooledBy),
            };
            last = Some((rack, node));
            let Some(node) = node else { continue };
            let h = HostId(i as u32);
            match position.get(&node) {
                Some(&p) => of_kind[p].hosts.push(h),
                None => {
                    position.insert(node, of_kind.len());
                    of_kind.push(FailureDomain {
                        kind,
                        name: l.graph[node].label(),
                        node,
                        hosts: vec![h],
                    });
                }
            }
        }
        out.extend(of_kind);
    }
    out
}

/// The hosts the graph says a PDU powers, by walking its edges: racks `powered_by` it, then the
/// hosts those racks contain (a second derivation, for checks).
pub fn hosts_powered_by(l: &Landscape, pdu: NodeIndex) -> Vec<HostId> {
    let mut hosts: Vec<HostId> = l
        .graph
        .edges_directed(pdu, Direction::Incoming)
        .filter(|e| *e.weight() == Relation::PoweredBy)
        .flat_map(|e| l.graph.edges(e.source()).collect::<Vec<_>>())
        .filter(|e| *e.weight() == Relation::Contains)
        .filter_map(|e| match &l.graph[e.target()] {
            Entity::Host { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    hosts.sort_unstable();
    hosts
}
