//! The `consolidation` chart: hosts powered on and hosts short of CPU over time (at 100 %, or
//! holding a VM below what it wants: SLATAH's numerator), cumulative live migrations on the
//! right axis.

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
    let on = Series::of("hosts on", colour(0), rows, |r| r.hosts_on as f64);
    let full = Series::of("hosts short of CPU", colour(3), rows, |r| {
        r.hosts_at_full_cpu as f64
    });
    let migrations = Series::of("live migrations (cumulative)", colour(2), rows, |r| {
        r.migrations as f64
    });
    let left = Axis::counts("hosts", vec![on, full]);
    let right = Axis::counts("cumulative migrations", vec![migrations]);
    time_chart::draw(root, title, time_chart::hours(rows), &left, &right)
}
