//! The regression history: a CSV with one row per `dcsim regress` (time, label, status, then one
//! column per metric). A row with new metrics widens the table; old rows keep empty cells.

use super::ExperimentError;
use std::path::Path;

/// The whole history: column names and rows of cells (`""` where a row has no value).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub const FIXED_COLUMNS: [&str; 3] = ["time", "label", "status"];

impl History {
    /// Reads `path`; an absent file is an empty history.
    pub fn read(path: &Path) -> Result<History, ExperimentError> {
        if !path.exists() {
            return Ok(History::default());
        }
        let err = |e: csv::Error| ExperimentError::input(path, e);
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(err)?;
        let columns: Vec<String> = r.headers().map_err(err)?.iter().map(String::from).collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(err)?;
            let mut row: Vec<String> = rec.iter().map(String::from).collect();
            row.resize(columns.len(), String::new());
            rows.push(row);
        }
        Ok(History { columns, rows })
    }

    /// Appends a row of (column, cell) pairs, adding columns it lacks.
    pub fn push(&mut self, cells: &[(String, String)]) {
        if self.columns.is_empty() {
            self.columns = FIXED_COLUMNS.iter().map(|c| c.to_string()).collect();
        }
        for (c, _) in cells {
            if !self.columns.contains(c) {
                self.columns.push(c.clone());
                self.rows.iter_mut().for_each(|r| r.push(String::new()));
            }
        }
        let mut row = vec![String::new(); self.columns.len()];
        for (c, v) in cells {
            let i = self
                .columns
                .iter()
                .position(|x| x == c)
                .expect("added above");
            row[i] = v.clone();
        }
        self.rows.push(row);
    }

    /// The values of `column` in row order (`None` where empty or not a number).
    pub fn values(&self, column: &str) -> Vec<Option<f64>> {
        let Some(i) = self.columns.iter().position(|c| c == column) else {
            return vec![None; self.rows.len()];
        };
        self.rows.iter().map(|r| r[i].parse().ok()).collect()
    }

    /// Writes the whole history to `path` (through a temporary file).
    pub fn write(&self, path: &Path) -> Result<(), ExperimentError> {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| ExperimentError::io(dir, e))?;
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        let csv_err = |e: csv::Error| ExperimentError::input(path, e);
        w.write_record(&self.columns).map_err(csv_err)?;
        for r in &self.rows {
            w.write_record(r).map_err(csv_err)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| ExperimentError::input(path, e))?;
        crate::report::write_atomically(path, &bytes)?;
        Ok(())
    }
}

/// Now in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    utc(secs)
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, H. Hinnant's civil_from_days).
pub fn utc(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_767_225_599), "2025-12-31T23:59:59Z");
    }

    #[test]
    fn new_columns_widen_old_rows() {
        let mut h = History::default();
        h.push(&[("a".into(), "1".into())]);
        h.push(&[("b".into(), "2".into()), ("a".into(), "3".into())]);
        assert_eq!(h.columns, ["time", "label", "status", "a", "b"]);
        assert_eq!(h.values("a"), [Some(1.0), Some(3.0)]);
        assert_eq!(h.values("b"), [None, Some(2.0)]);
    }
}
