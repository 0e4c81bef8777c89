//! The `sla` chart: SLATAH and PDM so far (percent, left axis) and their product SLAV (right
//! axis, × 10⁵), over time.

use super::style::colour;
use super::time_chart::{self, Axis, Series};
use super::{Canvas, DrawResult};
use crate::report::ReportInput;
use plotters::prelude::*;

pub fn draw<DB: DrawingBackend>(
    root: &Canvas<DB>,
    input: &ReportInput,
    title: &str,
) -> DrawResult<DB> {
    let rows = input.timeseries;
    let slatah = Series::of("SLATAH so far", colour(3), rows, |r| 100.0 * r.slatah);
    let pdm = Series::of("PDM so far", colour(1), rows, |r| 100.0 * r.pdm);
    let slav = Series::of("SLAV so far (× 10⁵)", colour(2), rows, |r| 1e5 * r.slav);
    let left = Axis::fitted("SLATAH, PDM (%)", vec![slatah, pdm]);
    let right = Axis::fitted("SLAV × 10⁵", vec![slav]);
    time_chart::draw(root, title, time_chart::hours(rows), &left, &right)
}
