//! The `transitions` chart: host boots and shutdowns so far (left axis), and the mean time a
//! host was on before it shut down and a VM sat on its host before it migrated (right axis,
//! minutes), over time.

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
    let boots = Series::of("host boots (cumulative)", colour(0), rows, |r| {
        r.host_boots as f64
    });
    let shutdowns = Series::of("host shutdowns (cumulative)", colour(3), rows, |r| {
        r.host_shutdowns as f64
    });
    let on = Series::of("mean time on before shutdown", colour(1), rows, |r| {
        r.mean_time_before_shutdown_s / 60.0
    });
    let stay = Series::of("mean time before a VM migrates", colour(2), rows, |r| {
        r.mean_time_before_migration_s / 60.0
    });
    let left = Axis::counts("power-state transitions", vec![boots, shutdowns]);
    let right = Axis::fitted("minutes", vec![on, stay]);
    time_chart::draw(root, title, time_chart::hours(rows), &left, &right)
}
