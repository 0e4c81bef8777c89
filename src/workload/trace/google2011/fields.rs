//! Field parsing shared by the cluster-trace readers: whole numbers, trace timestamps with their
//! "before / after the window" markers, the scale of normalised sizes, and errors that name file,
//! line and 1-based column.

use crate::time::SimTime;
use crate::workload::trace::io::line_of;
use crate::workload::trace::{TraceError, TraceFiles};
use std::path::Path;

/// Cores and GiB per normalised unit of a trace's sizes (`workload.trace.cpu_scale` and
/// `memory_scale_gib`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Scale {
    pub cpu: f64,
    pub memory_gib: f64,
}

impl Scale {
    /// The scale the scenario set for `files`.
    pub fn of(files: &TraceFiles) -> Scale {
        Scale {
            cpu: files.cpu_scale,
            memory_gib: files.memory_scale_gib,
        }
    }
}

/// When a trace event happened, with the markers of the Google traces: 0 is "before the trace
/// window" and 2^63 − 1 "after it".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Moment {
    Before,
    At(SimTime),
    After,
}

impl Moment {
    pub fn of_micros(us: u64) -> Moment {
        match us {
            0 => Moment::Before,
            u if u >= i64::MAX as u64 => Moment::After,
            u => Moment::At(SimTime(u)),
        }
    }

    /// The instant, with "before the window" at 0 and "after it" as `None`.
    pub fn time(self) -> Option<SimTime> {
        match self {
            Moment::Before => Some(SimTime::ZERO),
            Moment::At(t) => Some(t),
            Moment::After => None,
        }
    }
}

/// An error at field `column` (0-based) of `record`.
pub(crate) fn error_at(
    path: &Path,
    record: &csv::StringRecord,
    column: usize,
    message: impl Into<String>,
) -> TraceError {
    TraceError::new(path, Some(line_of(record)), Some(column + 1), message)
}

/// Field `column` (0-based) as a whole number.
pub(crate) fn whole(
    record: &csv::StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<u64, TraceError> {
    optional_whole(record, column, name, path)?.ok_or_else(|| {
        let found = match record.get(column) {
            Some(_) => "an empty field".to_string(),
            None => format!("a row of {} fields", record.len()),
        };
        error_at(
            path,
            record,
            column,
            format!("field `{name}`: expected a whole number, found {found}"),
        )
    })
}

/// Like `whole`, but an empty or missing field is `None`.
pub(crate) fn optional_whole(
    record: &csv::StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<Option<u64>, TraceError> {
    match record.get(column) {
        None | Some("") => Ok(None),
        Some(raw) => raw.parse::<u64>().map(Some).map_err(|_| {
            error_at(
                path,
                record,
                column,
                format!("field `{name}`: expected a whole number zero or greater, found {raw:?}"),
            )
        }),
    }
}

/// Like `io::optional_number`, but refuses negative values.
pub(crate) fn optional_size(
    record: &csv::StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<Option<f64>, TraceError> {
    let value = crate::workload::trace::io::optional_number(record, column, name, path)?;
    match value {
        Some(v) if v < 0.0 => Err(error_at(
            path,
            record,
            column,
            format!("field `{name}`: expected a number zero or greater, found {v}"),
        )),
        v => Ok(v),
    }
}

/// The name dcsim gives scheduling (latency-sensitivity) class 0–3 of a Google trace.
pub(crate) fn class_name(class: u64) -> Option<&'static str> {
    ["class-0", "class-1", "class-2", "class-3"]
        .get(class as usize)
        .copied()
}
