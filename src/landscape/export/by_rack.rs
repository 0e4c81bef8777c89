//! The landscape collapsed to racks: hosts (and VMs) folded into their rack, whose label says
//! how many hosts of which types it holds; datacenter, rooms, PDUs and cooling units kept. A
//! fleet of hundreds of hosts then draws as a picture one can read, as DOT, JSON or an SVG of
//! its own (no Graphviz needed) for report.html.

use crate::landscape::{Entity, Landscape, Relation};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One node of the collapsed view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ViewNode {
    pub kind: &'static str,
    pub name: String,
    /// Racks: hosts by host type (sorted by type name).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub hosts: BTreeMap<String, u32>,
}

impl ViewNode {
    /// "rack-000: 35 × general-64" for racks, the name otherwise.
    pub fn label(&self) -> String {
        if self.hosts.is_empty() {
            return self.name.clone();
        }
        let types: Vec<String> = self
            .hosts
            .iter()
            .map(|(t, n)| format!("{n} × {t}"))
            .collect();
        format!("{}: {}", self.name, types.join(", "))
    }

    /// Left-to-right column of the picture.
    fn column(&self) -> usize {
        match self.kind {
            "datacenter" => 0,
            "room" => 1,
            "rack" => 2,
            _ => 3,
        }
    }
}

/// The collapsed graph: nodes in graph order, edges between them (`contains`, `powered_by`,
/// `cooled_by`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RackView {
    pub nodes: Vec<ViewNode>,
    pub edges: Vec<(usize, usize, Relation)>,
}

/// Folds every host into its rack.
pub fn rack_view(l: &Landscape) -> RackView {
    let g = &l.graph;
    let mut index = BTreeMap::new();
    let mut view = RackView::default();
    for n in g.node_indices() {
        let (kind, name) = match &g[n] {
            Entity::Datacenter { name } => ("datacenter", name),
            Entity::Room { name } => ("room", name),
            Entity::Rack { name } => ("rack", name),
            Entity::Pdu { name } => ("pdu", name),
            Entity::CoolingUnit { name } => ("cooling_unit", name),
            Entity::Ups { name } => ("ups", name),
            Entity::Switch { name, .. } => ("switch", name),
            Entity::Host { .. }
            | Entity::Vm { .. }
            | Entity::Container { .. }
            | Entity::Service { .. }
            | Entity::Component { .. }
            | Entity::HostPart { .. } => continue,
        };
        index.insert(n, view.nodes.len());
        view.nodes.push(ViewNode {
            kind,
            name: name.clone(),
            hosts: BTreeMap::new(),
        });
    }
    for e in g.edge_references() {
        match (index.get(&e.source()), index.get(&e.target())) {
            (Some(&a), Some(&b)) => view.edges.push((a, b, *e.weight())),
            (Some(&rack), None) => {
                if let Entity::Host { host_type, .. } = &g[e.target()] {
                    *view.nodes[rack].hosts.entry(host_type.clone()).or_insert(0) += 1;
                }
            }
            _ => {}
        }
    }
    view
}

impl RackView {
    /// Graphviz DOT, left to right.
    pub fn to_dot(&self) -> String {
        let mut out =
            String::from("digraph landscape_by_rack {\n  rankdir=LR;\n  node [shape=box];\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let _ = writeln!(
                out,
                "  n{i} [label=\"{}\", kind=\"{}\"];",
                n.label(),
                n.kind
            );
        }
        for (a, b, rel) in &self.edges {
            let rel = serde_json::to_value(rel).ok();
            let rel = rel.as_ref().and_then(|v| v.as_str()).unwrap_or("");
            let _ = writeln!(out, "  n{a} -> n{b} [label=\"{rel}\"];");
        }
        out.push_str("}\n");
        out
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("view serialises") + "\n"
    }

    /// An SVG picture: one column per level (datacenter, rooms, racks, PDUs and cooling
    /// units), a line per relation. At most `max_rows` nodes a column; the rest are counted.
    pub fn to_svg(&self, max_rows: usize) -> String {
        const COLUMN_X: [f64; 4] = [20.0, 200.0, 380.0, 760.0];
        const BOX_W: [f64; 4] = [150.0, 150.0, 340.0, 220.0];
        const ROW_H: f64 = 30.0;
        let mut rows = [0usize; 4];
        let mut hidden = [0usize; 4];
        let mut place: Vec<Option<(usize, usize)>> = vec![None; self.nodes.len()];
        // PDUs before cooling units in the last column; graph order otherwise.
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        order.sort_by_key(|&i| (self.nodes[i].column(), self.nodes[i].kind == "cooling_unit"));
        for i in order {
            let c = self.nodes[i].column();
            if rows[c] < max_rows {
                place[i] = Some((c, rows[c]));
                rows[c] += 1;
            } else {
                hidden[c] += 1;
            }
        }
        let tallest = rows
            .iter()
            .zip(hidden)
            .map(|(r, h)| r + usize::from(h > 0))
            .max()
            .unwrap_or(0);
        let height = 40.0 + ROW_H * tallest.max(1) as f64;
        let centre = |(c, r): (usize, usize)| (COLUMN_X[c], 34.0 + ROW_H * r as f64 + 11.0);
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\"{height:.0}\" \
             viewBox=\"0 0 1000 {height:.0}\" font-family=\"sans-serif\" font-size=\"12\">\n"
        );
        for (i, title) in [
            "datacenter",
            "rooms",
            "racks (hosts by type)",
            "PDUs, cooling units",
        ]
        .iter()
        .enumerate()
        {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"18\" font-weight=\"bold\" fill=\"#444\">{title}</text>",
                COLUMN_X[i]
            );
        }
        for (a, b, rel) in &self.edges {
            let (Some(pa), Some(pb)) = (place[*a], place[*b]) else {
                continue;
            };
            // Who contains a PDU or cooling unit is in the DOT; drawn, it crosses the racks.
            if *rel == Relation::Contains && pb.0 == 3 {
                continue;
            }
            let ((xa, ya), (xb, yb)) = (centre(pa), centre(pb));
            let (x1, x2) = if xa < xb {
                (xa + BOX_W[pa.0], xb)
            } else {
                (xa, xb + BOX_W[pb.0])
            };
            let colour = match rel {
                Relation::PoweredBy => "#d08a2e",
                Relation::CooledBy => "#3b7dd8",
                _ => "#999",
            };
            let _ = writeln!(
                s,
                "<line x1=\"{x1:.0}\" y1=\"{ya:.0}\" x2=\"{x2:.0}\" y2=\"{yb:.0}\" stroke=\"{colour}\" stroke-width=\"1\"/>"
            );
        }
        for (n, p) in self.nodes.iter().zip(&place) {
            let Some(p) = *p else { continue };
            let (x, y) = centre(p);
            let fill = match n.kind {
                "pdu" => "#fdf1e2",
                "cooling_unit" => "#e6effb",
                _ => "#f5f5f5",
            };
            let _ = writeln!(
                s,
                "<rect x=\"{x:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"22\" rx=\"4\" fill=\"{fill}\" stroke=\"#888\"/>\
                 <text x=\"{:.0}\" y=\"{:.0}\">{}</text>",
                y - 11.0,
                BOX_W[p.0],
                x + 6.0,
                y + 4.0,
                escape(&n.label())
            );
        }
        for (c, h) in hidden.iter().enumerate().filter(|(_, h)| **h > 0) {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{:.0}\" fill=\"#666\">… and {h} more</text>",
                COLUMN_X[c],
                34.0 + ROW_H * rows[c] as f64 + 15.0
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"20\" y=\"{:.0}\" fill=\"#666\">grey: contains · orange: powered by · blue: cooled by</text>",
            height - 4.0
        );
        s.push_str("</svg>\n");
        s
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quickstart_collapses_to_its_racks() {
        let loaded =
            crate::scenario::load(std::path::Path::new("scenarios/quickstart.toml"), &[]).unwrap();
        let (graph, fleet) = crate::engine::landscape_of(&loaded).unwrap();
        let view = rack_view(&graph);
        let racks: Vec<&ViewNode> = view.nodes.iter().filter(|n| n.kind == "rack").collect();
        // 280 hosts in 8 racks, every one counted once in its rack.
        assert_eq!(racks.len(), 8);
        let hosts: u32 = racks.iter().flat_map(|r| r.hosts.values()).sum();
        assert_eq!(hosts as usize, fleet.len());
        assert!(!view.nodes.iter().any(|n| n.kind == "host"));
        // Each rack keeps its PDU and cooling unit.
        for rel in [Relation::PoweredBy, Relation::CooledBy] {
            assert_eq!(view.edges.iter().filter(|e| e.2 == rel).count(), 8);
        }
        let dot = view.to_dot();
        assert!(dot.lines().count() < 60, "{} lines", dot.lines().count());
        let svg = view.to_svg(40);
        assert_eq!(svg.matches("<rect").count(), view.nodes.len());
    }
}
