//! The `failures` chart (runs with `[failures]` only): failure domains down over time (hosts,
//! racks, PDUs, UPSs, cooling units, ToR switches that have failed) and, on the right axis,
//! hosts down because of them, hosts cut off by a failed ToR switch and hosts throttled by a
//! failed cooling unit.

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
    let entities = Series::of("failed entities", colour(3), rows, |r| {
        r.failed_entities.unwrap_or(0) as f64
    });
    let hosts = Series::of("hosts down", colour(0), rows, |r| {
        r.failed_hosts.unwrap_or(0) as f64
    });
    let cut_off = Series::of("hosts cut off", colour(1), rows, |r| {
        r.cut_off_hosts.unwrap_or(0) as f64
    });
    let throttled = Series::of("hosts throttled", colour(2), rows, |r| {
        r.throttled_hosts.unwrap_or(0) as f64
    });
    let left = Axis::counts("failed entities (domains down)", vec![entities]);
    let right = Axis::counts(
        "hosts down, cut off, throttled",
        vec![hosts, cut_off, throttled],
    );
    time_chart::draw(root, title, time_chart::hours(rows), &left, &right)
}

/// Whether the run has the failure columns to draw.
pub fn drawn(input: &ReportInput) -> bool {
    input
        .timeseries
        .first()
        .is_some_and(|r| r.failed_entities.is_some())
}
