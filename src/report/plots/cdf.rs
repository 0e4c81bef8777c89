//! The `host_utilisation_cdf` chart: the empirical CDF of hosts' mean CPU utilisation, for all
//! hosts and, when there are several, per host type.

use super::format::tick;
use super::legend::{self, Entry, Flow};
use super::style::{GRID, TEXT, caption_font, colour, desc_font, label_font, nice_max};
use super::{Canvas, DrawResult};
use crate::metrics::HostRow;
use plotters::prelude::*;

/// Most steps drawn per curve: larger fleets are thinned to every k-th host.
const MAX_STEPS: usize = 1000;

/// Step points (utilisation %, share of hosts %) of the empirical CDF of `values` (fractions);
/// non-finite values are left out. Thinned to at most `MAX_STEPS` steps, ending at 100 %.
pub fn cdf(values: &[f64]) -> Vec<(f64, f64)> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return Vec::new();
    }
    let stride = n.div_ceil(MAX_STEPS);
    let last = !(n - 1).is_multiple_of(stride);
    let picks = (0..n).step_by(stride).chain(last.then_some(n - 1));
    let mut points = Vec::with_capacity(2 * n / stride + 2);
    let mut y = 0.0;
    for j in picks {
        let x = 100.0 * v[j];
        points.push((x, y));
        y = 100.0 * (j + 1) as f64 / n as f64;
        points.push((x, y));
    }
    points
}

/// The curves: all hosts first, then one per host type (in order of first appearance) when
/// there are several types.
fn curves(hosts: &[HostRow]) -> Vec<(String, Vec<f64>)> {
    let all = hosts
        .iter()
        .map(|h| h.mean_cpu_utilisation)
        .collect::<Vec<_>>();
    let mut out = vec![(format!("all hosts ({})", hosts.len()), all)];
    let mut types: Vec<&str> = Vec::new();
    for h in hosts {
        if !types.contains(&h.host_type.as_str()) {
            types.push(&h.host_type);
        }
    }
    if types.len() > 1 {
        for t in types {
            let v: Vec<f64> = hosts
                .iter()
                .filter(|h| h.host_type == t)
                .map(|h| h.mean_cpu_utilisation)
                .collect();
            out.push((format!("{t} ({})", v.len()), v));
        }
    }
    out
}

pub fn draw<DB: DrawingBackend>(
    root: &Canvas<DB>,
    hosts: &[HostRow],
    title: &str,
) -> DrawResult<DB> {
    let curves: Vec<(String, Vec<(f64, f64)>)> = curves(hosts)
        .into_iter()
        .map(|(l, v)| (l, cdf(&v)))
        .collect();
    let data_max = curves
        .iter()
        .flat_map(|c| &c.1)
        .map(|p| p.0)
        .fold(0.0, f64::max);
    let x_max = nice_max(data_max, 100.0);
    let (_, h) = root.dim_in_pixel();
    let (plot, legend_area) = root.split_vertically(h - 40);
    let mut chart = ChartBuilder::on(&plot)
        .caption(title, caption_font())
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..x_max, 0.0..100.0)?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID)
        .x_desc("mean CPU utilisation of a host (%)")
        .y_desc("hosts at or below (%)")
        .axis_desc_style(desc_font())
        .label_style(label_font())
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .draw()?;
    // Per-type curves first, all hosts dashed on top of them.
    let mut entries = Vec::new();
    for (i, (label, points)) in curves.iter().enumerate().skip(1) {
        let tail = points.last().map(|_| (x_max, 100.0));
        let line = points.iter().copied().chain(tail);
        chart.draw_series(LineSeries::new(line, colour(i - 1).stroke_width(3)))?;
        entries.push(Entry::line(label, colour(i - 1)));
    }
    let (label, points) = &curves[0];
    let tail = points.last().map(|_| (x_max, 100.0));
    let line: Vec<(f64, f64)> = points.iter().copied().chain(tail).collect();
    chart.draw_series(DashedLineSeries::new(line, 8, 4, TEXT.stroke_width(2)))?;
    entries.insert(0, Entry::dashed(label, TEXT));
    if hosts.is_empty() {
        super::style::note(&plot, "no hosts")?;
    }
    legend::draw(&legend_area, &entries, Flow::Rows)
}

#[cfg(test)]
mod tests {
    use super::cdf;

    #[test]
    fn steps_at_each_value() {
        assert!(cdf(&[]).is_empty());
        assert_eq!(cdf(&[0.0]), vec![(0.0, 0.0), (0.0, 100.0)]);
        assert_eq!(
            cdf(&[0.5, 0.25, f64::NAN]),
            vec![(25.0, 0.0), (25.0, 50.0), (50.0, 50.0), (50.0, 100.0)]
        );
    }

    #[test]
    fn large_fleets_are_thinned_and_end_at_one() {
        let v: Vec<f64> = (0..100_001).map(|i| i as f64 / 100_000.0).collect();
        let p = cdf(&v);
        assert!(p.len() <= 2 * 1000 + 2, "{}", p.len());
        assert_eq!(*p.last().unwrap(), (100.0, 100.0));
        assert!(p.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
    }
}
