//! Legends drawn in their own strip beside or below a chart, so they never cover data.

use super::style::{TEXT, label_font};
use super::{Canvas, DrawResult};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How an entry's colour is shown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
    /// A short thick line, for line series.
    Line,
    /// A dashed line, for series on a secondary axis.
    Dashed,
    /// A filled box, for bars and areas.
    Block,
}

pub struct Entry {
    pub label: String,
    pub colour: RGBColor,
    pub swatch: Swatch,
}

impl Entry {
    pub fn line(label: impl Into<String>, colour: RGBColor) -> Entry {
        Entry {
            label: label.into(),
            colour,
            swatch: Swatch::Line,
        }
    }
    pub fn dashed(label: impl Into<String>, colour: RGBColor) -> Entry {
        Entry {
            label: label.into(),
            colour,
            swatch: Swatch::Dashed,
        }
    }
    pub fn block(label: impl Into<String>, colour: RGBColor) -> Entry {
        Entry {
            label: label.into(),
            colour,
            swatch: Swatch::Block,
        }
    }
}

/// Entries side by side, wrapped and centred (`Rows`), or one per line, left-aligned (`Column`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Flow {
    Rows,
    Column,
}

const SWATCH_W: i32 = 26;
const GAP: i32 = 6;
const SPACING: i32 = 28;
const LINE_H: i32 = 22;

/// Draws `entries` in `area`, the block of lines centred vertically.
pub fn draw<DB: DrawingBackend>(
    area: &Canvas<DB>,
    entries: &[Entry],
    flow: Flow,
) -> DrawResult<DB> {
    let font = label_font().pos(Pos::new(HPos::Left, VPos::Center));
    let widths = entries
        .iter()
        .map(|e| Ok(SWATCH_W + GAP + area.estimate_text_size(&e.label, &font)?.0 as i32))
        .collect::<Result<Vec<i32>, _>>()?;
    let (w, h) = area.dim_in_pixel();
    let lines = match flow {
        Flow::Rows => wrap(&widths, w as i32 - 20),
        Flow::Column => (0..entries.len()).map(|i| vec![i]).collect(),
    };
    let mut y = (h as i32 - LINE_H * lines.len() as i32) / 2 + LINE_H / 2;
    for line in &lines {
        let total: i32 = line.iter().map(|&i| widths[i] + SPACING).sum::<i32>() - SPACING;
        let mut x = match flow {
            Flow::Rows => (w as i32 - total) / 2,
            Flow::Column => 10,
        };
        for &i in line {
            draw_entry(area, &entries[i], (x, y), &font)?;
            x += widths[i] + SPACING;
        }
        y += LINE_H;
    }
    Ok(())
}

fn draw_entry<DB: DrawingBackend>(
    area: &Canvas<DB>,
    e: &Entry,
    (x, y): (i32, i32),
    font: &TextStyle,
) -> DrawResult<DB> {
    match e.swatch {
        Swatch::Line => area.draw(&PathElement::new(
            vec![(x, y), (x + SWATCH_W, y)],
            e.colour.stroke_width(3),
        ))?,
        Swatch::Dashed => {
            for x0 in [x, x + 10, x + 20] {
                let line = vec![(x0, y), (x0 + 6, y)];
                area.draw(&PathElement::new(line, e.colour.stroke_width(3)))?;
            }
        }
        Swatch::Block => {
            area.draw(&Rectangle::new(
                [(x + 4, y - 7), (x + SWATCH_W - 4, y + 7)],
                e.colour.filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x + 4, y - 7), (x + SWATCH_W - 4, y + 7)],
                TEXT.mix(0.4),
            ))?
        }
    }
    area.draw(&Text::new(
        e.label.clone(),
        (x + SWATCH_W + GAP, y),
        font.clone(),
    ))
}

/// Greedy line breaking of items of `widths` into lines at most `max` wide (an item wider
/// than `max` gets a line of its own).
fn wrap(widths: &[i32], max: i32) -> Vec<Vec<usize>> {
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, &w) in widths.iter().enumerate() {
        match lines.last_mut() {
            Some(line) if used + SPACING + w <= max => {
                line.push(i);
                used += SPACING + w;
            }
            _ => {
                lines.push(vec![i]);
                used = w;
            }
        }
    }
    lines
}

/// Height of a legend strip holding `entries` side by side in `width` pixels (estimated).
pub fn legend_height(entries: &[Entry], width: u32) -> u32 {
    let (mut lines, mut used) = (1u32, 0u32);
    for e in entries {
        let w = 60 + 8 * e.label.chars().count() as u32;
        if used > 0 && used + w > width.saturating_sub(20) {
            lines += 1;
            used = 0;
        }
        used += w;
    }
    16 + 22 * lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_greedily() {
        assert_eq!(wrap(&[], 100), Vec::<Vec<usize>>::new());
        assert_eq!(wrap(&[30, 30], 100), vec![vec![0, 1]]);
        assert_eq!(wrap(&[50, 50, 10], 100), vec![vec![0], vec![1, 2]]);
        assert_eq!(wrap(&[500, 10], 100), vec![vec![0], vec![1]]);
    }
}
