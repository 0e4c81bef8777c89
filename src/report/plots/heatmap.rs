//! The landscape heatmaps: racks as columns, host slots as rows (slot 0 on top), each cell
//! coloured on a scale shown beside it: `landscape_heatmap` by the host's mean CPU utilisation
//! (0–100 %), `anomaly_heatmap` by the anomaly learner's score (excess power over what the
//! host's load predicts, 0–50 %).

use super::style::{GRID, TEXT, caption_font, desc_font, label_font};
use super::{Canvas, DrawResult};
use crate::metrics::HostRow;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::HashMap;
use std::ops::Range;

/// Most columns drawn: larger landscapes put several neighbouring racks in one column.
const MAX_COLUMNS: usize = 120;

/// Hosts laid out by rack (column) and slot (row).
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// Each column's label: its (first) rack.
    pub columns: Vec<String>,
    pub racks_per_column: usize,
    pub rows: usize,
    /// Mean utilisation (0–1) of cell (column c, row r) at `c * rows + r`; None where no host.
    pub values: Vec<Option<f64>>,
}

/// Racks in order of first appearance; a host's slot is its position among its rack's hosts.
/// With more than `max_columns` racks, k neighbouring racks share a column (mean per slot).
pub fn grid(hosts: &[HostRow], max_columns: usize, layer: Layer) -> Grid {
    let mut racks: Vec<&str> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut filled: Vec<usize> = Vec::new();
    let mut cells = Vec::with_capacity(hosts.len());
    for h in hosts {
        let r = *index.entry(h.rack.as_str()).or_insert_with(|| {
            racks.push(&h.rack);
            filled.push(0);
            racks.len() - 1
        });
        cells.push((r, filled[r], layer.value(h)));
        filled[r] += 1;
    }
    let k = racks.len().div_ceil(max_columns.max(1)).max(1);
    let rows = filled.iter().copied().max().unwrap_or(0);
    let columns: Vec<String> = racks.iter().step_by(k).map(|r| r.to_string()).collect();
    let mut sums = vec![(0.0, 0u32); columns.len() * rows];
    for (rack, slot, v) in cells.into_iter().filter(|c| c.2.is_finite()) {
        let cell = &mut sums[rack / k * rows + slot];
        *cell = (cell.0 + v, cell.1 + 1);
    }
    Grid {
        columns,
        racks_per_column: k,
        rows,
        values: sums
            .into_iter()
            .map(|(s, n)| (n > 0).then(|| s / f64::from(n)))
            .collect(),
    }
}

/// What a heatmap's cells show, as a fraction of its scale's top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Utilisation,
    Anomaly,
}

/// The anomaly scale's top: 50 % more power than the load predicts.
const ANOMALY_TOP: f64 = 0.5;

impl Layer {
    fn value(self, h: &HostRow) -> f64 {
        match self {
            Layer::Utilisation => h.mean_cpu_utilisation,
            Layer::Anomaly => h.anomaly_score.map_or(f64::NAN, |s| s / ANOMALY_TOP),
        }
    }

    /// The scale's description and its tick labels at 0, 0.2, …, 1.
    fn legend(self) -> (&'static str, f64) {
        match self {
            Layer::Utilisation => ("mean CPU utilisation of the host (%)", 100.0),
            Layer::Anomaly => (
                "excess power over what its load predicts (%)",
                100.0 * ANOMALY_TOP,
            ),
        }
    }
}

/// Viridis, from dark purple (0, idle) to yellow (1, busy).
pub fn scale(v: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let t = if v.is_finite() {
        v.clamp(0.0, 1.0) * 4.0
    } else {
        0.0
    };
    let i = (t.floor() as usize).min(3);
    let f = t - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Margin and height of the x labels of the map, which the colour scale lines up with.
const MARGIN: i32 = 12;
const X_LABELS: i32 = 45;

/// An axis of `n` unit cells from 0 to `n`, ticked at the centres of the cells `ticks`.
struct Cells {
    n: f64,
    ticks: Vec<f64>,
}

impl Cells {
    fn new(n: usize, ticks: impl Iterator<Item = usize>) -> Cells {
        Cells {
            n: n as f64,
            ticks: ticks.map(|i| i as f64 + 0.5).collect(),
        }
    }
}

impl Ranged for Cells {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;
    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        limit.0 + ((limit.1 - limit.0) as f64 * v / self.n).round() as i32
    }
    fn key_points<H: KeyPointHint>(&self, _: H) -> Vec<f64> {
        self.ticks.clone()
    }
    fn range(&self) -> Range<f64> {
        0.0..self.n
    }
}

pub fn draw<DB: DrawingBackend>(
    root: &Canvas<DB>,
    hosts: &[HostRow],
    title: &str,
    layer: Layer,
) -> DrawResult<DB> {
    let g = grid(hosts, MAX_COLUMNS, layer);
    let body = root.margin(10, 0, 0, 0).titled(title, caption_font())?;
    let (w, _) = body.dim_in_pixel();
    let (map_area, scale_area) = body.split_horizontally(w - 150);
    draw_map(&map_area, &g)?;
    if hosts.is_empty() {
        super::style::note(&map_area, "no hosts")?;
    }
    draw_scale(&scale_area, layer)
}

fn draw_map<DB: DrawingBackend>(area: &Canvas<DB>, g: &Grid) -> DrawResult<DB> {
    let (cols, rows) = (g.columns.len().max(1), g.rows.max(1));
    let x_ticks = (0..cols).step_by(cols.div_ceil(10));
    let y_ticks = (0..rows)
        .step_by(rows.div_ceil(20))
        .map(|slot| rows - 1 - slot);
    let (x, y) = (Cells::new(cols, x_ticks), Cells::new(rows, y_ticks));
    let mut chart = ChartBuilder::on(area)
        .margin(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(70)
        .build_cartesian_2d(x, y)?;
    let x_desc = match g.racks_per_column {
        1 => "rack".to_string(),
        k => format!("rack (each column: {k} racks, mean per slot)"),
    };
    let column = |v: &f64| g.columns.get(*v as usize).cloned().unwrap_or_default();
    let slot = |v: &f64| format!("h{:02}", rows - 1 - (*v as usize).min(rows - 1));
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_desc)
        .y_desc("host slot in rack")
        .axis_desc_style(desc_font())
        .label_style(label_font())
        .x_label_formatter(&column)
        .y_label_formatter(&slot)
        .draw()?;
    let cells = (0..g.columns.len()).flat_map(|c| (0..g.rows).map(move |r| (c, r)));
    chart.draw_series(cells.map(|(c, r)| {
        let top = (rows - r) as f64;
        let corners = [(c as f64, top), (c as f64 + 1.0, top - 1.0)];
        match g.values[c * g.rows + r] {
            Some(v) => Rectangle::new(corners, scale(v).filled()),
            None => Rectangle::new(corners, GRID.filled()),
        }
    }))?;
    Ok(())
}

/// The colour scale, aligned with the map's plotting area (same margins and label area).
fn draw_scale<DB: DrawingBackend>(area: &Canvas<DB>, layer: Layer) -> DrawResult<DB> {
    let (text, top_pct) = layer.legend();
    let (_, h) = area.dim_in_pixel();
    let (top, bottom) = (MARGIN, h as i32 - MARGIN - X_LABELS);
    let (x0, x1) = (10, 34);
    let y_of = |v: f64| bottom - ((bottom - top) as f64 * v).round() as i32;
    for i in 0..100 {
        let v = i as f64 / 100.0;
        let band = [(x0, y_of(v + 0.01)), (x1, y_of(v))];
        area.draw(&Rectangle::new(band, scale(v + 0.005).filled()))?;
    }
    area.draw(&Rectangle::new(
        [(x0, top), (x1, bottom)],
        TEXT.stroke_width(1),
    ))?;
    let font = label_font().pos(Pos::new(HPos::Left, VPos::Center));
    for step in 0..=5 {
        let v = f64::from(step) / 5.0;
        let y = y_of(v);
        area.draw(&PathElement::new(vec![(x1, y), (x1 + 4, y)], TEXT))?;
        let pct = (v * top_pct).round();
        area.draw(&Text::new(format!("{pct} %"), (x1 + 8, y), font.clone()))?;
    }
    let desc = desc_font()
        .transform(FontTransform::Rotate90)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(text, (x1 + 80, (top + bottom) / 2), desc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(rack: &str, u: f64) -> HostRow {
        HostRow {
            host: 0,
            name: String::new(),
            rack: rack.into(),
            host_type: "t".into(),
            cores: 1.0,
            memory_gib: 1.0,
            mean_cpu_utilisation: u,
            mean_memory_utilisation: 0.0,
            active_seconds: 0.0,
            overload_seconds: 0.0,
            energy_kwh: 0.0,
            workloads_placed: 0,
            anomaly_score: None,
        }
    }

    #[test]
    fn the_anomaly_layer_colours_by_score_and_leaves_unscored_hosts_grey() {
        // Rack a: two hosts, the second drawing 26 % more than predicted; rack b: one host
        // scored slightly below its prediction, one never scored (no score: no colour).
        let scored = |rack: &str, s: Option<f64>| HostRow {
            anomaly_score: s,
            ..host(rack, 0.5)
        };
        let hosts = [
            scored("a", Some(0.01)),
            scored("a", Some(0.26)),
            scored("b", Some(-0.02)),
            scored("b", None),
        ];
        let g = grid(&hosts, 10, Layer::Anomaly);
        // Cells (column c, row r) at c * rows + r; scores over the scale's top of 0.5.
        assert_eq!(g.values, vec![Some(0.02), Some(0.52), Some(-0.04), None]);
        let hottest = (0..4).max_by(|&a, &b| {
            let v = |i: usize| g.values[i].unwrap_or(f64::NEG_INFINITY);
            v(a).total_cmp(&v(b))
        });
        assert_eq!(hottest, Some(1));
        assert_ne!(scale(0.52), scale(0.02));
    }

    #[test]
    fn racks_are_columns_and_slots_rows() {
        let hosts = [
            host("a", 0.1),
            host("a", 0.2),
            host("a", 0.3),
            host("b", 0.9),
        ];
        let g = grid(&hosts, 10, Layer::Utilisation);
        assert_eq!(g.columns, ["a", "b"]);
        assert_eq!((g.rows, g.racks_per_column), (3, 1));
        assert_eq!(
            g.values,
            [Some(0.1), Some(0.2), Some(0.3), Some(0.9), None, None]
        );
    }

    #[test]
    fn many_racks_share_columns() {
        let hosts: Vec<HostRow> = (0..5).map(|i| host(&format!("r{i}"), i as f64)).collect();
        let g = grid(&hosts, 2, Layer::Utilisation);
        assert_eq!(g.columns, ["r0", "r3"]);
        assert_eq!(g.racks_per_column, 3);
        assert_eq!(g.values, [Some(1.0), Some(3.5)]);
        assert!(grid(&[], 10, Layer::Utilisation).values.is_empty());
    }

    #[test]
    fn the_scale_runs_from_purple_to_yellow() {
        assert_eq!(scale(0.0), RGBColor(68, 1, 84));
        assert_eq!(scale(1.0), RGBColor(253, 231, 37));
        assert_eq!(scale(2.0), scale(1.0));
        assert_eq!(scale(f64::NAN), scale(0.0));
    }
}
