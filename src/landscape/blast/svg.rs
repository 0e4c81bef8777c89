//! The blast radius as a picture of its own (no Graphviz needed) for report.html: five columns,
//! the failed entity, the hosts it takes down or cuts off, their VMs, the service components hit
//! and their services, each box coloured by its effect, with the edges among them (`runs_on`,
//! `part_of`) and from the entity to its hosts.

use super::{BlastRadius, Effect};
use crate::landscape::{Entity, Landscape, Relation};
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::BTreeMap;
use std::fmt::Write;

const COLUMN_X: [f64; 5] = [20.0, 215.0, 410.0, 605.0, 800.0];
const BOX_W: f64 = 175.0;
const ROW_H: f64 = 28.0;
const TITLES: [&str; 5] = [
    "failed",
    "hosts",
    "VMs, containers",
    "components",
    "services",
];

fn column(e: &Entity) -> usize {
    match e {
        Entity::Host { .. } => 1,
        Entity::Vm { .. } | Entity::Container { .. } => 2,
        Entity::Component { .. } => 3,
        Entity::Service { .. } => 4,
        _ => 0,
    }
}

fn fill(e: Effect) -> &'static str {
    match e {
        Effect::Failed => "#e53935",
        Effect::Down => "#ff7f66",
        Effect::Unreachable => "#ffb74d",
        Effect::Degraded => "#ffe066",
    }
}

impl BlastRadius {
    /// An SVG of the blast radius on `l` (the landscape it was computed on), at most `max_rows`
    /// boxes a column (the rest counted).
    pub fn to_svg(&self, l: &Landscape, max_rows: usize) -> String {
        let g = &l.graph;
        let mut rows = [0usize; 5];
        let mut hidden = [0usize; 5];
        let mut place: BTreeMap<NodeIndex, (usize, usize)> = BTreeMap::new();
        for &n in self.nodes.keys() {
            let c = column(&g[n]);
            if rows[c] < max_rows {
                place.insert(n, (c, rows[c]));
                rows[c] += 1;
            } else {
                hidden[c] += 1;
            }
        }
        let tallest = (0..5)
            .map(|c| rows[c] + usize::from(hidden[c] > 0))
            .max()
            .unwrap_or(1)
            .max(1);
        let height = 60.0 + ROW_H * tallest as f64;
        let centre = |(c, r): (usize, usize)| (COLUMN_X[c], 34.0 + ROW_H * r as f64 + 11.0);
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\"{height:.0}\" \
             viewBox=\"0 0 1000 {height:.0}\" font-family=\"sans-serif\" font-size=\"12\">\n"
        );
        for (c, title) in TITLES.iter().enumerate() {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"18\" font-weight=\"bold\" fill=\"#444\">{title}</text>",
                COLUMN_X[c]
            );
        }
        let line = |s: &mut String, a: (usize, usize), b: (usize, usize), colour: &str| {
            let ((xa, ya), (xb, yb)) = (centre(a), centre(b));
            let (x1, x2) = if xa < xb {
                (xa + BOX_W, xb)
            } else {
                (xa, xb + BOX_W)
            };
            let _ = writeln!(
                s,
                "<line x1=\"{x1:.0}\" y1=\"{ya:.0}\" x2=\"{x2:.0}\" y2=\"{yb:.0}\" stroke=\"{colour}\" stroke-width=\"1\"/>"
            );
        };
        let failed: Vec<(usize, usize)> = place.values().filter(|p| p.0 == 0).copied().collect();
        for (&n, &p) in &place {
            if p.0 == 1 {
                for &f in &failed {
                    line(&mut s, f, p, "#c62828");
                }
            }
            for e in g.edges(n) {
                let rel = *e.weight();
                if !matches!(rel, Relation::RunsOn | Relation::PartOf) {
                    continue;
                }
                if let Some(&q) = place.get(&e.target()) {
                    line(&mut s, p, q, "#999");
                }
            }
        }
        for (&n, &p) in &place {
            let (x, y) = centre(p);
            let label: String = g[n].label().chars().take(26).collect();
            let _ = writeln!(
                s,
                "<rect x=\"{x:.0}\" y=\"{:.0}\" width=\"{BOX_W:.0}\" height=\"22\" rx=\"4\" fill=\"{}\" stroke=\"#888\"/>\
                 <text x=\"{:.0}\" y=\"{:.0}\">{}</text>",
                y - 11.0,
                fill(self.nodes[&n]),
                x + 6.0,
                y + 4.0,
                escape(&label)
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
        let legend = [
            (Effect::Failed, "failed"),
            (Effect::Down, "down"),
            (Effect::Unreachable, "cut off (running, unreachable)"),
            (Effect::Degraded, "degraded (up, fewer replicas)"),
        ];
        let mut x = 20.0;
        for (e, text) in legend {
            let _ = writeln!(
                s,
                "<rect x=\"{x:.0}\" y=\"{:.0}\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"#888\"/>\
                 <text x=\"{:.0}\" y=\"{:.0}\" fill=\"#444\">{text}</text>",
                height - 22.0,
                fill(e),
                x + 16.0,
                height - 12.0
            );
            x += 30.0 + 7.0 * text.len() as f64;
        }
        s.push_str("</svg>\n");
        s
    }

    /// How many entities of each column it hits, and the components and services down and
    /// degraded: (hosts, VMs, components down, degraded, services down, degraded).
    pub fn counts(&self) -> [usize; 6] {
        let of = |m: &BTreeMap<String, Effect>, e: Effect| m.values().filter(|&&v| v == e).count();
        [
            self.hosts.len(),
            self.vms.len(),
            of(&self.components, Effect::Down),
            of(&self.components, Effect::Degraded),
            of(&self.services, Effect::Down),
            of(&self.services, Effect::Degraded),
        ]
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
