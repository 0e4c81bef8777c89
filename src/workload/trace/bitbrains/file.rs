//! One Bitbrains (GWA-T-12) per-VM file: a header row naming the columns, then rows whose fields
//! are separated by ";\t" (split on ';' and trimmed). Columns are found by their header names.

use crate::workload::trace::{TraceError, io};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The columns read, in `Sample` order.
pub const NAMES: [&str; 4] = [
    "Timestamp [ms]",
    "CPU cores",
    "CPU usage [%]",
    "Memory capacity provisioned [KB]",
];

/// One row: time (Unix seconds, although the header says ms), cores, CPU usage in % of the
/// provisioned capacity, provisioned memory in KB; `line` is where it was read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub time: f64,
    pub cores: f64,
    pub usage_pct: f64,
    pub memory_kb: f64,
    pub line: u64,
}

/// An open per-VM file, read row by row.
pub struct VmFile {
    input: Box<dyn BufRead>,
    pub path: PathBuf,
    columns: [usize; 4],
    line: u64,
    text: String,
}

impl VmFile {
    /// Opens `path` and reads its header row.
    pub fn open(path: &Path) -> Result<VmFile, TraceError> {
        let mut file = VmFile {
            input: io::open(path)?,
            path: path.to_path_buf(),
            columns: [0; 4],
            line: 0,
            text: String::new(),
        };
        if !file.read_line()? {
            return Err(TraceError::new(
                path,
                Some(1),
                None,
                "expected a header row, found an empty file",
            ));
        }
        for (k, name) in NAMES.iter().enumerate() {
            file.columns[k] = file
                .text
                .split(';')
                .position(|f| f.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    let msg = format!(
                        "expected a column `{name}` in the header (fields separated by ';')"
                    );
                    TraceError::new(path, Some(1), None, msg)
                })?;
        }
        Ok(file)
    }

    /// Reads the next line into `text`; `false` at the end of the file.
    fn read_line(&mut self) -> Result<bool, TraceError> {
        self.text.clear();
        let n = self.input.read_line(&mut self.text).map_err(|e| {
            TraceError::new(
                &self.path,
                Some(self.line + 1),
                None,
                format!("cannot read: {e}"),
            )
        })?;
        self.line += 1;
        Ok(n > 0)
    }

    /// The next row (blank lines are skipped), or `None` at the end.
    pub fn next_sample(&mut self) -> Result<Option<Sample>, TraceError> {
        while self.read_line()? {
            if !self.text.trim().is_empty() {
                return self.parse().map(Some);
            }
        }
        Ok(None)
    }

    fn parse(&self) -> Result<Sample, TraceError> {
        let mut raw: [Option<&str>; 4] = [None; 4];
        let mut count = 0;
        for (j, field) in self.text.split(';').enumerate() {
            count = j + 1;
            if let Some(k) = self.columns.iter().position(|&c| c == j) {
                raw[k] = Some(field.trim());
            }
        }
        let mut v = [0.0; 4];
        for k in 0..4 {
            v[k] = self.number(raw[k], k, count)?;
        }
        Ok(Sample {
            time: v[0],
            cores: v[1],
            usage_pct: v[2],
            memory_kb: v[3],
            line: self.line,
        })
    }

    /// Field `k` (of `NAMES`) as a number; times may be any finite number, the rest ≥ 0.
    fn number(&self, raw: Option<&str>, k: usize, count: usize) -> Result<f64, TraceError> {
        let (name, column) = (NAMES[k], self.columns[k] + 1);
        let err = |msg: String| TraceError::new(&self.path, Some(self.line), Some(column), msg);
        let Some(raw) = raw else {
            return Err(err(format!(
                "missing field `{name}`: the row has {count} fields"
            )));
        };
        let expected = if k == 0 {
            "a Unix time in seconds"
        } else {
            "a number zero or greater"
        };
        raw.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && (k == 0 || *v >= 0.0))
            .ok_or_else(|| {
                err(format!(
                    "field `{name}`: expected {expected}, found {raw:?}"
                ))
            })
    }

    /// An error at the current row's `k`-th column.
    pub fn error_at(&self, line: u64, k: usize, msg: String) -> TraceError {
        TraceError::new(&self.path, Some(line), Some(self.columns[k] + 1), msg)
    }
}
