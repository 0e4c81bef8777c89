//! Export of the landscape graph as Graphviz DOT, JSON or GraphML (nodes and edges, in index
//! order; GraphML is what Gephi, yEd, NetworkX and Neo4j import).

mod by_rack;

pub use by_rack::{RackView, ViewNode, rack_view};

use super::Landscape;
use serde::Serialize;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Dot,
    Json,
    Graphml,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: usize,
    #[serde(flatten)]
    entity: &'a super::Entity,
}

#[derive(Serialize)]
struct JsonEdge {
    from: usize,
    to: usize,
    relation: super::Relation,
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge>,
}

/// The graph as text in `format`.
pub fn export(l: &Landscape, format: ExportFormat) -> String {
    match format {
        ExportFormat::Dot => to_dot(l),
        ExportFormat::Json => to_json(l),
        ExportFormat::Graphml => super::graphml::to_graphml(l),
    }
}

fn to_dot(l: &Landscape) -> String {
    let g = &l.graph;
    let mut out = String::from("digraph landscape {\n  rankdir=LR;\n");
    for n in g.node_indices() {
        let e = &g[n];
        let kind = serde_json::to_value(e)
            .ok()
            .and_then(|v| v["kind"].as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  n{} [label=\"{}\", kind=\"{kind}\"];",
            n.index(),
            e.label()
        );
    }
    for e in g.edge_indices() {
        let (a, b) = g.edge_endpoints(e).expect("edge exists");
        let rel = serde_json::to_value(g[e]).ok();
        let rel = rel.as_ref().and_then(|v| v.as_str()).unwrap_or("");
        let _ = writeln!(out, "  n{} -> n{} [label=\"{rel}\"];", a.index(), b.index());
    }
    out.push_str("}\n");
    out
}

fn to_json(l: &Landscape) -> String {
    let g = &l.graph;
    let graph = JsonGraph {
        nodes: g
            .node_indices()
            .map(|n| JsonNode {
                id: n.index(),
                entity: &g[n],
            })
            .collect(),
        edges: g
            .edge_indices()
            .map(|e| {
                let (a, b) = g.edge_endpoints(e).expect("edge exists");
                JsonEdge {
                    from: a.index(),
                    to: b.index(),
                    relation: g[e],
                }
            })
            .collect(),
    };
    serde_json::to_string_pretty(&graph).expect("graph serialises") + "\n"
}
