//! The entity graph: every datacenter entity as a node, relations as directed edges.

use super::HostId;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use serde::Serialize;

/// A node of the landscape.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entity {
    Datacenter {
        name: String,
    },
    Room {
        name: String,
    },
    Rack {
        name: String,
    },
    Host {
        name: String,
        id: HostId,
        host_type: String,
    },
    Pdu {
        name: String,
    },
    /// A top-of-rack network switch (`landscape.tor_switches`).
    Switch {
        name: String,
    },
    /// An uninterruptible power supply feeding PDUs (`landscape.pdus_per_ups`).
    Ups {
        name: String,
    },
    CoolingUnit {
        name: String,
    },
    Vm {
        workload: u64,
    },
    /// A container replica of a service component (`replica = "container"` or
    /// `"host-container"`): it `runs_on` a VM (or straight on a host) and is `part_of` its
    /// component. `id` numbers the run's container slots.
    Container {
        id: u64,
    },
    /// A running service instance (`[[workload.services]]`).
    Service {
        name: String,
        instance: u32,
    },
    /// A component of a service instance; its replicas are VMs `part_of` it.
    Component {
        name: String,
        instance: u32,
    },
    /// A part of a host, which `contains` it (`landscape.host_parts`, in exports only): a CPU
    /// socket, its memory or a NIC, with its size ("32 cores", "256 GiB", "10 Gbit/s").
    HostPart {
        name: String,
        part: &'static str,
        size: String,
    },
}

impl Entity {
    pub fn label(&self) -> String {
        match self {
            Entity::Datacenter { name }
            | Entity::Room { name }
            | Entity::Rack { name }
            | Entity::Host { name, .. }
            | Entity::Pdu { name }
            | Entity::Ups { name }
            | Entity::Switch { name }
            | Entity::CoolingUnit { name }
            | Entity::HostPart { name, .. } => name.clone(),
            Entity::Vm { workload } => format!("vm-{workload}"),
            Entity::Container { id } => format!("ctr-{id}"),
            Entity::Service { name, instance } => format!("{name}-{instance}"),
            Entity::Component { name, instance } => format!("{name}-{instance}"),
        }
    }
}

/// A directed relation between two entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Parent contains child (datacenter → room → rack → host).
    Contains,
    /// Rack is fed by a PDU; a PDU by a UPS.
    PoweredBy,
    /// Rack is cooled by a cooling unit.
    CooledBy,
    /// A VM runs on a host; a container on a VM or a host.
    RunsOn,
    /// A host is wired to a network switch.
    ConnectedTo,
    /// A VM or container is a replica of a component; a component is part of a service
    /// instance.
    PartOf,
    /// A component needs another component of its service.
    DependsOn,
}

/// The topology, source of truth for who contains, feeds, cools and hosts whom.
#[derive(Debug, Clone, Default)]
pub struct Landscape {
    pub graph: StableDiGraph<Entity, Relation>,
    /// Node of each host, indexed by `HostId`.
    pub host_nodes: Vec<NodeIndex>,
    /// Rack node of each host, indexed by `HostId`.
    pub host_racks: Vec<NodeIndex>,
}

impl Landscape {
    /// Adds a VM node running on `host`; the graph reuses freed slots, so steady state does not allocate.
    pub fn add_vm(&mut self, workload: u64, host: HostId) -> NodeIndex {
        let vm = self.graph.add_node(Entity::Vm { workload });
        self.graph
            .add_edge(vm, self.host_nodes[host.index()], Relation::RunsOn);
        vm
    }

    /// Removes a VM node (and its `runs_on` edge).
    pub fn remove_vm(&mut self, node: NodeIndex) {
        self.graph.remove_node(node);
    }

    /// Number of nodes of each kind, for summaries and tests.
    pub fn count(&self, kind: fn(&Entity) -> bool) -> usize {
        self.graph.node_weights().filter(|e| kind(e)).count()
    }

    /// The entity at the other end of an outgoing `relation` edge from `node`, if any.
    pub fn target(&self, node: NodeIndex, relation: Relation) -> Option<NodeIndex> {
        self.graph
            .edges(node)
            .find(|e| *e.weight() == relation)
            .map(|e| petgraph::visit::EdgeRef::target(&e))
    }

    /// Name of a host's rack.
    pub fn rack_name(&self, host: HostId) -> String {
        self.graph[self.host_racks[host.index()]].label()
    }
}
