//! The `power` chart: IT power (and facility power, when cooling adds to it) in kW over time,
//! cumulative IT energy in kWh on the right axis.

use super::style::colour;
use super::time_chart::{self, Axis, Series};
use super::{Canvas, DrawResult};
use crate::metrics::TimeseriesRow;
use crate::report::ReportInput;
use plotters::prelude::*;

pub fn draw<DB: DrawingBackend>(
    root: &Canvas<DB>,
    input: &ReportInput,
    title: &str,
) -> DrawResult<DB> {
    let rows = input.timeseries;
    let mut power = vec![Series::of("IT power", colour(3), rows, |r| r.power_kw)];
    if rows
        .iter()
        .any(|r| (r.facility_power_kw - r.power_kw).abs() > 1e-9)
    {
        let facility = |r: &TimeseriesRow| r.facility_power_kw;
        power.push(Series::of(
            "facility power (IT + cooling)",
            colour(5),
            rows,
            facility,
        ));
    }
    let energy = Series::of("cumulative IT energy", colour(0), rows, |r| r.energy_kwh);
    let left = Axis::fitted("power (kW)", power);
    let right = Axis::fitted("cumulative energy (kWh)", vec![energy]);
    time_chart::draw(root, title, time_chart::hours(rows), &left, &right)
}
