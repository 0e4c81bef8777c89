//! Loads a `Series` from a two-column CSV (`time,value`; time as "7h" or seconds from the start),
//! with errors that name the file, line and column.

use super::ScenarioError;
use crate::time::{Series, SimTime, parse_duration};
use std::path::{Path, PathBuf};

fn error(
    file: &Path,
    line: Option<u64>,
    column: Option<usize>,
    field: &str,
    message: String,
) -> ScenarioError {
    ScenarioError {
        file: file.to_path_buf(),
        line: line.map(|l| l as usize),
        column,
        field: Some(field.to_string()),
        message,
    }
}

/// Resolves `relative` against the folder of the scenario file.
pub fn beside(scenario: &Path, relative: &str) -> PathBuf {
    scenario.parent().unwrap_or(Path::new(".")).join(relative)
}

/// Reads `path`; `value_name` names the second column in messages; `period` repeats the series.
pub fn load_series(
    path: &Path,
    value_name: &str,
    period: Option<SimTime>,
) -> Result<Series, ScenarioError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| {
            error(
                path,
                None,
                None,
                "file",
                format!("cannot read the series: {e}"),
            )
        })?;
    let mut points = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            error(path, line, None, "row", format!("malformed CSV: {e}"))
        })?;
        let line = record.position().map(|p| p.line());
        let (Some(time), Some(value)) = (record.get(0), record.get(1)) else {
            return Err(error(
                path,
                line,
                None,
                "row",
                format!("expected two columns: time,{value_name}"),
            ));
        };
        let time =
            parse_duration(time).map_err(|e| error(path, line, Some(1), "time", e.to_string()))?;
        let value: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                error(
                    path,
                    line,
                    Some(2),
                    value_name,
                    format!("expected a number zero or greater, found {value:?}"),
                )
            })?;
        points.push((time, value));
    }
    Series::new(points, period).map_err(|e| error(path, None, None, value_name, e.to_string()))
}
