//! GraphML export: every node with its kind, label and attributes, every edge with its relation,
//! in index order (readable by Gephi, yEd, NetworkX and Neo4j's import).

use super::{Entity, Landscape};
use std::fmt::Write;

/// XML text with `&`, `<`, `>` and `"` escaped.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The node's kind and its attributes beyond the label, as (key, value).
fn attributes(e: &Entity) -> (&'static str, Vec<(&'static str, String)>) {
    match e {
        Entity::Datacenter { .. } => ("datacenter", vec![]),
        Entity::Room { .. } => ("room", vec![]),
        Entity::Rack { .. } => ("rack", vec![]),
        Entity::Host { id, host_type, .. } => (
            "host",
            vec![
                ("host_id", id.0.to_string()),
                ("host_type", host_type.clone()),
            ],
        ),
        Entity::Pdu { .. } => ("pdu", vec![]),
        Entity::Ups { .. } => ("ups", vec![]),
        Entity::Switch { .. } => ("switch", vec![]),
        Entity::CoolingUnit { .. } => ("cooling_unit", vec![]),
        Entity::Vm { workload } => ("vm", vec![("workload", workload.to_string())]),
        Entity::Container { id } => ("container", vec![("container", id.to_string())]),
        Entity::Service { instance, .. } => ("service", vec![("instance", instance.to_string())]),
        Entity::Component { instance, .. } => {
            ("component", vec![("instance", instance.to_string())])
        }
        Entity::HostPart { part, size, .. } => (
            "host_part",
            vec![("part", part.to_string()), ("size", size.clone())],
        ),
    }
}

const NODE_KEYS: [&str; 9] = [
    "kind",
    "label",
    "host_id",
    "host_type",
    "workload",
    "container",
    "instance",
    "part",
    "size",
];

pub fn to_graphml(l: &Landscape) -> String {
    let g = &l.graph;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
    );
    for k in NODE_KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"{k}\" for=\"node\" attr.name=\"{k}\" attr.type=\"string\"/>"
        );
    }
    out.push_str(
        "  <key id=\"relation\" for=\"edge\" attr.name=\"relation\" attr.type=\"string\"/>\n",
    );
    out.push_str("  <graph id=\"landscape\" edgedefault=\"directed\">\n");
    for n in g.node_indices() {
        let e = &g[n];
        let (kind, attrs) = attributes(e);
        let _ = writeln!(out, "    <node id=\"n{}\">", n.index());
        let _ = writeln!(out, "      <data key=\"kind\">{kind}</data>");
        let _ = writeln!(
            out,
            "      <data key=\"label\">{}</data>",
            escape(&e.label())
        );
        for (k, v) in attrs {
            let _ = writeln!(out, "      <data key=\"{k}\">{}</data>", escape(&v));
        }
        out.push_str("    </node>\n");
    }
    for e in g.edge_indices() {
        let (a, b) = g.edge_endpoints(e).expect("edge exists");
        let rel = serde_json::to_value(g[e]).ok();
        let rel = rel.as_ref().and_then(|v| v.as_str()).unwrap_or("");
        let _ = writeln!(
            out,
            "    <edge id=\"e{}\" source=\"n{}\" target=\"n{}\"><data key=\"relation\">{rel}</data></edge>",
            e.index(),
            a.index(),
            b.index()
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
