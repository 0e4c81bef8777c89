//! Optional host children for the exports (`landscape.host_parts`): each host's CPU sockets (its
//! cores split evenly among `host_types.sockets`), its memory and its NICs (`host_types.nics`,
//! each of `network_gbps`) as `HostPart` nodes the host `contains`. Added to a copy of the
//! graph that `dcsim landscape` exports; the run's graph and the dense `Fleet` never hold them.

use super::{Entity, Landscape, Relation};
use crate::scenario::HostTypeSpec;

/// Adds every host's parts to `l` (hosts of a type not in `types`, e.g. machines of a trace,
/// get none).
pub fn add_host_parts(l: &mut Landscape, types: &[HostTypeSpec]) {
    for h in 0..l.host_nodes.len() {
        let host = l.host_nodes[h];
        let Entity::Host {
            name, host_type, ..
        } = &l.graph[host]
        else {
            continue;
        };
        let Some(t) = types.iter().find(|t| &t.name == host_type) else {
            continue;
        };
        let name = name.clone();
        let sockets = t.sockets.0;
        let mut parts = Vec::new();
        for s in 0..sockets {
            let cores = t.cores.0 / sockets as f64;
            parts.push((
                format!("{name}-cpu{s}"),
                "cpu_socket",
                format!("{cores} cores"),
            ));
        }
        parts.push((
            format!("{name}-memory"),
            "memory",
            format!("{} GiB", t.memory_gib.0),
        ));
        for n in 0..t.nics.0 {
            let gbps = t.network_gbps.0;
            parts.push((format!("{name}-nic{n}"), "nic", format!("{gbps} Gbit/s")));
        }
        for (name, part, size) in parts {
            let node = l.graph.add_node(Entity::HostPart { name, part, size });
            l.graph.add_edge(host, node, Relation::Contains);
        }
    }
}
