//! A replica's nodes in the landscape graph: a VM replica is `part_of` its component; a host
//! container's workload node is a `Container`; a VM of containers holds `Container` nodes that
//! `runs_on` it and are `part_of` the component, made when the VM starts (kept across a live
//! migration) and removed when it stops.

use super::ServiceModel;
use crate::landscape::{Entity, Landscape, Relation};
use crate::scenario::ReplicaKind;
use petgraph::stable_graph::NodeIndex;

impl ServiceModel {
    /// Replica `r` runs as workload node `vm`: a VM is `part_of` its component; a host
    /// container's node becomes a `Container`; a VM of containers gets its `Container` nodes
    /// (made now, or kept from before a live migration), each `runs_on` it and `part_of` the
    /// component.
    pub(super) fn link(&mut self, r: usize, vm: NodeIndex, graph: &mut Landscape) {
        let rep = self.replicas[r];
        let inst = &self.instances[rep.instance as usize];
        let Some(&comp) = inst.nodes.get(1 + rep.component as usize) else {
            return;
        };
        let kind = self.classes[inst.class as usize].components[rep.component as usize].kind;
        let g = &mut graph.graph;
        match kind {
            ReplicaKind::Vm => {
                g.add_edge(vm, comp, Relation::PartOf);
            }
            ReplicaKind::HostContainer => {
                let id = u64::from(rep.first_container);
                g[vm] = Entity::Container { id };
                g.add_edge(vm, comp, Relation::PartOf);
            }
            ReplicaKind::Container => {
                let first = rep.first_container as usize;
                for (k, slot) in self.container_nodes[first..first + rep.weight as usize]
                    .iter_mut()
                    .enumerate()
                {
                    let node = *slot.get_or_insert_with(|| {
                        let id = (first + k) as u64;
                        let n = g.add_node(Entity::Container { id });
                        g.add_edge(n, comp, Relation::PartOf);
                        n
                    });
                    g.add_edge(node, vm, Relation::RunsOn);
                }
            }
        }
    }

    /// Replica `r`'s workload left its host (its node is gone): a VM of containers' `Container`
    /// nodes go with it.
    pub(super) fn unlink(&mut self, r: usize, graph: &mut Landscape) {
        let rep = self.replicas[r];
        let first = rep.first_container as usize;
        let inst = &self.instances[rep.instance as usize];
        let kind = self.classes[inst.class as usize].components[rep.component as usize].kind;
        if kind == ReplicaKind::Container {
            for slot in &mut self.container_nodes[first..first + rep.weight as usize] {
                if let Some(n) = slot.take() {
                    graph.graph.remove_node(n);
                }
            }
        }
    }
}
