//! Opening trace files: plain or gzip (by the `.gz` ending), buffered, and CSV readers that keep
//! line numbers for messages.

use super::TraceError;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// A buffered reader of `path`, decompressing `.gz` files transparently.
pub fn open(path: &Path) -> Result<Box<dyn BufRead>, TraceError> {
    let file = File::open(path)
        .map_err(|e| TraceError::new(path, None, None, format!("cannot open: {e}")))?;
    let raw: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            1 << 16,
            file,
        )))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, raw)))
}

/// A CSV reader over `path` (gzip or not), with or without a header row.
pub fn csv_reader(
    path: &Path,
    has_header: bool,
    delimiter: u8,
) -> Result<csv::Reader<Box<dyn BufRead>>, TraceError> {
    Ok(csv::ReaderBuilder::new()
        .has_headers(has_header)
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(open(path)?))
}

/// Reads the next record into `record`; `false` at the end. Errors name file and line.
pub fn next_record(
    reader: &mut csv::Reader<Box<dyn BufRead>>,
    record: &mut csv::StringRecord,
    path: &Path,
) -> Result<bool, TraceError> {
    reader.read_record(record).map_err(|e| {
        let line = e.position().map(|p| p.line());
        TraceError::new(path, line, None, format!("malformed CSV: {e}"))
    })
}

/// The line a record started on.
pub fn line_of(record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, |p| p.line())
}

/// Field `column` (0-based) of `record` parsed as a number, with a message naming the column
/// (1-based) and what was expected.
pub fn number(
    record: &csv::StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<f64, TraceError> {
    let raw = record.get(column).ok_or_else(|| {
        TraceError::new(
            path,
            Some(line_of(record)),
            Some(column + 1),
            format!(
                "missing field `{name}`: the row has {} fields",
                record.len()
            ),
        )
    })?;
    raw.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            TraceError::new(
                path,
                Some(line_of(record)),
                Some(column + 1),
                format!("field `{name}`: expected a number, found {raw:?}"),
            )
        })
}

/// Like `number`, but an empty field is `None`.
pub fn optional_number(
    record: &csv::StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<Option<f64>, TraceError> {
    match record.get(column) {
        None | Some("") => Ok(None),
        Some(_) => number(record, column, name, path).map(Some),
    }
}
