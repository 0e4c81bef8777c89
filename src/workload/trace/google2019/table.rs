//! Rows of a BigQuery export, CSV with a header or JSON lines (detected by a `.json`/`.jsonl`
//! name or a first character `{`), read field by field by name. Nested JSON fields are paths
//! ("resource_request.cpus"); a flattened CSV column may use any of the field's aliases
//! ("resource_request_cpus", "cpus"). BigQuery writes 64-bit integers in JSON as strings: both
//! are accepted. Errors name file, line and 1-based column (the CSV field, or the character
//! where the JSON value starts).

use crate::workload::trace::TraceError;
use crate::workload::trace::io::{csv_reader, line_of, next_record, open};
use serde_json::Value;
use std::borrow::Cow;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// A field the reader looks for: its name (a JSON path) and other names a CSV header may use.
pub(crate) struct Field {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

enum Source {
    Csv {
        reader: csv::Reader<Box<dyn BufRead>>,
        record: csv::StringRecord,
        /// The column of each field, if the header has it.
        columns: Vec<Option<usize>>,
    },
    Json {
        lines: Box<dyn BufRead>,
        text: String,
        value: Value,
        line: u64,
    },
}

pub(crate) struct Table {
    path: PathBuf,
    fields: &'static [Field],
    source: Source,
}

impl Table {
    pub fn open(path: &Path, fields: &'static [Field]) -> Result<Table, TraceError> {
        let source = if is_json(path)? {
            Source::Json {
                lines: open(path)?,
                text: String::new(),
                value: Value::Null,
                line: 0,
            }
        } else {
            csv_source(path, fields)?
        };
        Ok(Table {
            path: path.to_path_buf(),
            fields,
            source,
        })
    }

    /// For CSV: an error naming the first of `required` the header lacks.
    pub fn require_columns(&self, required: &[usize]) -> Result<(), TraceError> {
        let Source::Csv { columns, .. } = &self.source else {
            return Ok(());
        };
        match required.iter().find(|&&f| columns[f].is_none()) {
            Some(&f) => {
                let field = &self.fields[f];
                let names: Vec<&str> = std::iter::once(field.name)
                    .chain(field.aliases.iter().copied())
                    .collect();
                Err(TraceError::new(
                    &self.path,
                    Some(1),
                    None,
                    format!("expected a header with a column {}", names.join(" or ")),
                ))
            }
            None => Ok(()),
        }
    }

    /// Moves to the next row; `false` at the end.
    pub fn next(&mut self) -> Result<bool, TraceError> {
        match &mut self.source {
            Source::Csv { reader, record, .. } => next_record(reader, record, &self.path),
            Source::Json {
                lines,
                text,
                value,
                line,
            } => next_json(lines, text, value, line, &self.path),
        }
    }

    pub fn line(&self) -> u64 {
        match &self.source {
            Source::Csv { record, .. } => line_of(record),
            Source::Json { line, .. } => *line,
        }
    }

    /// Field `f` as text; `None` when absent, null or empty.
    pub fn text(&self, f: usize) -> Option<Cow<'_, str>> {
        let raw: Cow<'_, str> = match &self.source {
            Source::Csv {
                record, columns, ..
            } => Cow::Borrowed(record.get(columns[f]?)?),
            Source::Json { value, .. } => match self.json_value(value, f)? {
                Value::String(s) => Cow::Borrowed(s.as_str()),
                Value::Null => return None,
                v => Cow::Owned(v.to_string()),
            },
        };
        (!raw.is_empty()).then_some(raw)
    }

    /// Field `f` as a number; `None` when absent.
    pub fn number(&self, f: usize) -> Result<Option<f64>, TraceError> {
        let Some(raw) = self.text(f) else {
            return Ok(None);
        };
        match raw.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.error(f, format!("expected a number, found {raw:?}"))),
        }
    }

    /// Field `f` as a whole number zero or greater; `None` when absent.
    pub fn whole(&self, f: usize) -> Result<Option<u64>, TraceError> {
        let Some(raw) = self.text(f) else {
            return Ok(None);
        };
        raw.parse::<u64>().map(Some).map_err(|_| {
            self.error(
                f,
                format!("expected a whole number zero or greater, found {raw:?}"),
            )
        })
    }

    /// Like `whole`, but a missing value is an error.
    pub fn required(&self, f: usize) -> Result<u64, TraceError> {
        self.whole(f)?
            .ok_or_else(|| self.error(f, "expected a whole number, found nothing".to_string()))
    }

    /// An error about field `f` of the current row.
    pub fn error(&self, f: usize, message: String) -> TraceError {
        let column = match &self.source {
            Source::Csv { columns, .. } => columns[f].map(|c| c + 1),
            Source::Json { text, .. } => json_column(text, self.fields[f].name),
        };
        let message = format!("field `{}`: {message}", self.fields[f].name);
        TraceError::new(&self.path, Some(self.line()), column, message)
    }

    fn json_value<'v>(&self, value: &'v Value, f: usize) -> Option<&'v Value> {
        let field = &self.fields[f];
        let nested = field.name.split('.').try_fold(value, |v, part| v.get(part));
        nested.or_else(|| field.aliases.iter().find_map(|a| value.get(*a)))
    }
}

/// Whether `path` holds JSON lines: by its name, else by its first character.
fn is_json(path: &Path) -> Result<bool, TraceError> {
    let name = path.to_string_lossy();
    let stem = name.strip_suffix(".gz").unwrap_or(&name);
    if stem.ends_with(".json") || stem.ends_with(".jsonl") {
        return Ok(true);
    }
    let mut reader = open(path)?;
    let head = reader
        .fill_buf()
        .map_err(|e| TraceError::new(path, Some(1), None, format!("cannot read: {e}")))?;
    Ok(head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'))
}

fn csv_source(path: &Path, fields: &'static [Field]) -> Result<Source, TraceError> {
    let mut reader = csv_reader(path, true, b',')?;
    let header = reader
        .headers()
        .map_err(|e| TraceError::new(path, Some(1), None, format!("cannot read the header: {e}")))?
        .clone();
    let columns = fields
        .iter()
        .map(|f| {
            header.iter().position(|h| {
                let h = h.trim_matches('"');
                h == f.name || f.aliases.contains(&h)
            })
        })
        .collect();
    Ok(Source::Csv {
        reader,
        record: csv::StringRecord::new(),
        columns,
    })
}

/// Reads the next non-blank line as a JSON object.
fn next_json(
    lines: &mut Box<dyn BufRead>,
    text: &mut String,
    value: &mut Value,
    line: &mut u64,
    path: &Path,
) -> Result<bool, TraceError> {
    loop {
        text.clear();
        *line += 1;
        let n = lines
            .read_line(text)
            .map_err(|e| TraceError::new(path, Some(*line), None, format!("cannot read: {e}")))?;
        if n == 0 {
            return Ok(false);
        }
        if text.trim().is_empty() {
            continue;
        }
        *value = serde_json::from_str(text).map_err(|e| {
            TraceError::new(
                path,
                Some(*line),
                Some(e.column().max(1)),
                format!("malformed JSON: {e}"),
            )
        })?;
        if !value.is_object() {
            return Err(TraceError::new(
                path,
                Some(*line),
                Some(1),
                "expected a JSON object",
            ));
        }
        return Ok(true);
    }
}

/// The 1-based character column where the value of (the last part of) `name` starts in `text`.
fn json_column(text: &str, name: &str) -> Option<usize> {
    let key = format!("\"{}\"", name.rsplit('.').next().unwrap_or(name));
    let after_key = text.find(&key)? + key.len();
    let colon = after_key + text[after_key..].find(':')? + 1;
    let start = colon + (text[colon..].len() - text[colon..].trim_start().len());
    Some(text[..start].chars().count() + 1)
}
