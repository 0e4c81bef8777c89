//! The `queue` chart: workloads waiting in the queue over time, cumulative rejections (and
//! expiries) on the right axis.

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
    let queued = Series::of("queued workloads", colour(4), rows, |r| {
        r.queued_workloads as f64
    });
    let rejected = Series::of("rejected (incl. expired in queue)", colour(3), rows, |r| {
        r.rejected as f64
    });
    let left = Axis::counts("queue length (workloads)", vec![queued]);
    let right = Axis::counts("cumulative rejections (workloads)", vec![rejected]);
    time_chart::draw(root, title, time_chart::hours(rows), &left, &right)
}
