//! Field checks shared by the Azure and Huawei readers: errors that name file, line and 1-based
//! column, non-negative and positive numbers, and V2's core and memory buckets (">24").

use super::super::TraceError;
use super::super::io::{line_of, number, optional_number};
use csv::StringRecord;
use std::path::Path;

/// An error about field `column` (0-based) of `record`.
pub fn bad(record: &StringRecord, column: usize, path: &Path, message: String) -> TraceError {
    TraceError::new(path, Some(line_of(record)), Some(column + 1), message)
}

/// A number zero or greater.
pub fn non_negative(
    record: &StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<f64, TraceError> {
    let v = number(record, column, name, path)?;
    if v >= 0.0 {
        return Ok(v);
    }
    Err(bad(
        record,
        column,
        path,
        format!("field `{name}`: expected a number zero or greater, found {v}"),
    ))
}

/// A number greater than zero.
pub fn positive(
    record: &StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<f64, TraceError> {
    let v = number(record, column, name, path)?;
    if v > 0.0 {
        return Ok(v);
    }
    Err(bad(
        record,
        column,
        path,
        format!("field `{name}`: expected a number greater than zero, found {v}"),
    ))
}

/// Like `positive`, but an empty field is `None`.
pub fn optional_positive(
    record: &StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<Option<f64>, TraceError> {
    match optional_number(record, column, name, path)? {
        None => Ok(None),
        Some(_) => positive(record, column, name, path).map(Some),
    }
}

/// A V2 bucket: "8" is 8; an open bucket ">N" is `open_bucket(N)`; empty is `None`.
pub fn bucket(
    record: &StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<Option<f64>, TraceError> {
    let raw = record.get(column).unwrap_or("");
    let Some(open) = raw.strip_prefix('>') else {
        return optional_positive(record, column, name, path);
    };
    open.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .map(|n| Some(open_bucket(n)))
        .ok_or_else(|| {
            bad(
                record,
                column,
                path,
                format!(
                    "field `{name}`: expected a bucket such as \"8\" or \">24\", found {raw:?}"
                ),
            )
        })
}

/// The value given to an open bucket ">N": the next power of two above N (">24" cores → 32,
/// ">64" GB → 128), the next step of the VM catalogue.
pub fn open_bucket(n: f64) -> f64 {
    let mut v = 1.0;
    while v <= n {
        v *= 2.0;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_buckets_take_the_next_power_of_two() {
        assert_eq!(open_bucket(24.0), 32.0);
        assert_eq!(open_bucket(64.0), 128.0);
        assert_eq!(open_bucket(0.5), 1.0);
    }

    #[test]
    fn buckets_parse_or_name_the_column() {
        let r = StringRecord::from(vec!["8", ">24", "", "big"]);
        let p = Path::new("t.csv");
        assert_eq!(bucket(&r, 0, "b", p).unwrap(), Some(8.0));
        assert_eq!(bucket(&r, 1, "b", p).unwrap(), Some(32.0));
        assert_eq!(bucket(&r, 2, "b", p).unwrap(), None);
        let e = bucket(&r, 3, "b", p).unwrap_err();
        assert_eq!(e.column, Some(4));
    }
}
