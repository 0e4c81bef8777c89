//! The `utilisation` chart: CPU (delivered and allocated) and memory utilisation in %, with the
//! number of active hosts on the right axis.

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
    let percent = |v: f64| 100.0 * v;
    let left = Axis::percent(
        "utilisation (%)",
        vec![
            Series::of("CPU delivered", colour(0), rows, |r| {
                percent(r.cpu_utilisation)
            }),
            Series::of("CPU allocated", colour(9), rows, |r| {
                percent(r.cpu_allocated)
            }),
            Series::of("memory allocated", colour(1), rows, |r| {
                percent(r.memory_utilisation)
            }),
        ],
    );
    let hosts = Series::of("active hosts", colour(7), rows, |r| {
        f64::from(r.active_hosts)
    });
    let right = Axis::counts("active hosts", vec![hosts]);
    time_chart::draw(root, title, time_chart::hours(rows), &left, &right)
}
