//! The `tco_breakdown` chart: one stacked bar of the TCO terms in US dollars (the first term on
//! top, negative terms such as credits below zero), a legend with each term's amount and share.

use super::format::{share, usd, usd_tick};
use super::legend::{self, Entry, Flow};
use super::style::{GRID, caption_font, colour, desc_font, label_font, nice_max};
use super::{Canvas, DrawResult};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One term's slice of the bar, from `lo` to `hi` dollars.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub term: usize,
    pub lo: f64,
    pub hi: f64,
}

/// Stacks positive terms up from zero and negative ones down, the first term farthest out;
/// zero and non-finite terms get no segment.
pub fn stack(terms: &[(&str, f64)]) -> Vec<Segment> {
    let (mut up, mut down) = (0.0, 0.0);
    let mut out = Vec::new();
    for (term, &(_, v)) in terms.iter().enumerate().rev() {
        if !v.is_finite() || v == 0.0 {
            continue;
        }
        let base = if v > 0.0 { &mut up } else { &mut down };
        let (lo, hi) = if v > 0.0 {
            (*base, *base + v)
        } else {
            (*base + v, *base)
        };
        *base += v;
        out.push(Segment { term, lo, hi });
    }
    out
}

pub fn draw<DB: DrawingBackend>(
    root: &Canvas<DB>,
    terms: &[(&str, f64)],
    title: &str,
) -> DrawResult<DB> {
    let total: f64 = terms.iter().map(|t| t.1).filter(|v| v.is_finite()).sum();
    let segments = stack(terms);
    let top = segments.iter().map(|s| s.hi).fold(0.0, f64::max);
    let bottom = segments.iter().map(|s| s.lo).fold(0.0, f64::min);
    let y_max = nice_max(top * 1.05, if bottom < 0.0 { 0.0 } else { 1.0 });
    let y_min = if bottom < 0.0 {
        -nice_max(-bottom * 1.05, 0.0)
    } else {
        0.0
    };
    let body = root.margin(10, 0, 0, 0).titled(title, caption_font())?;
    let (bar_area, legend_area) = body.split_horizontally(440);
    let mut chart = ChartBuilder::on(&bar_area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..1.0, y_min..y_max)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID)
        .x_labels(0)
        .x_desc(format!("total {}", usd(total)))
        .y_desc("cost (USD)")
        .axis_desc_style(desc_font())
        .label_style(label_font())
        .y_label_formatter(&|v| usd_tick(*v))
        .draw()?;
    let label = label_font()
        .color(&WHITE)
        .pos(Pos::new(HPos::Center, VPos::Center));
    for s in &segments {
        let c = colour(s.term);
        chart.draw_series([
            Rectangle::new([(0.25, s.lo), (0.75, s.hi)], c.filled()),
            Rectangle::new([(0.25, s.lo), (0.75, s.hi)], WHITE.stroke_width(1)),
        ])?;
        let (_, y_hi) = chart.backend_coord(&(0.5, s.hi));
        let (_, y_lo) = chart.backend_coord(&(0.5, s.lo));
        if (y_lo - y_hi).abs() >= 18 {
            let text = share(terms[s.term].1, total);
            let at = (0.5, (s.lo + s.hi) / 2.0);
            chart.draw_series(std::iter::once(Text::new(text, at, label.clone())))?;
        }
    }
    let entries: Vec<Entry> = terms
        .iter()
        .enumerate()
        .map(|(i, &(name, v))| {
            let text = format!("{name}: {} ({})", usd(v), share(v, total));
            Entry::block(text, colour(i))
        })
        .collect();
    if entries.is_empty() {
        let text = Text::new("no TCO terms", (10, 20), label_font());
        return legend_area.draw(&text);
    }
    legend::draw(&legend_area, &entries, Flow::Column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_with_the_first_term_on_top() {
        let s = stack(&[("a", 1.0), ("b", 2.0), ("c", 0.0), ("d", -3.0)]);
        assert_eq!(
            s,
            vec![
                Segment {
                    term: 3,
                    lo: -3.0,
                    hi: 0.0
                },
                Segment {
                    term: 1,
                    lo: 0.0,
                    hi: 2.0
                },
                Segment {
                    term: 0,
                    lo: 2.0,
                    hi: 3.0
                },
            ]
        );
        assert!(stack(&[("nan", f64::NAN), ("zero", 0.0)]).is_empty());
    }
}
