//! Azure `vm_cpu_readings-*.csv(.gz)` (no header): `timestamp,vmid,mincpu,maxcpu,avgcpu`, sorted
//! by timestamp. Read lazily up to the time asked for, with one row of look-ahead; a folder is
//! read as its `vm_cpu_readings-file-N-of-M` files in order of N.

use super::fields::{bad, non_negative};
use crate::time::SimTime;
use crate::workload::trace::io::{csv_reader, next_record, optional_number};
use crate::workload::trace::{TraceError, key_of};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// One reading: time, `key_of(vmid)`, avgcpu as a fraction.
type Reading = (SimTime, u64, f64);

pub struct Readings {
    /// Files not opened yet, next first.
    pending: std::vec::IntoIter<PathBuf>,
    path: PathBuf,
    reader: Option<csv::Reader<Box<dyn BufRead>>>,
    record: csv::StringRecord,
    ahead: Option<Reading>,
    last: SimTime,
    /// How many files are read, for the assumptions.
    pub files: usize,
}

impl Readings {
    /// Readings from `path`: one file, or a folder of reading files.
    pub fn open(path: &Path) -> Result<Readings, TraceError> {
        let files = reading_files(path)?;
        let count = files.len();
        let mut pending = files.into_iter();
        let first = pending.next().unwrap_or_else(|| path.to_path_buf());
        Ok(Readings {
            reader: Some(csv_reader(&first, false, b',')?),
            path: first,
            pending,
            record: csv::StringRecord::new(),
            ahead: None,
            last: SimTime::ZERO,
            files: count,
        })
    }

    /// Appends the readings timestamped up to `until` to `out`, in time order.
    pub fn until(&mut self, until: SimTime, out: &mut Vec<(u64, f64)>) -> Result<(), TraceError> {
        loop {
            if self.ahead.is_none() {
                self.ahead = self.next_reading()?;
            }
            match self.ahead {
                Some((t, key, u)) if t <= until => {
                    out.push((key, u));
                    self.ahead = None;
                }
                _ => return Ok(()),
            }
        }
    }

    /// The next row with a reading (rows with an empty avgcpu are skipped), across files.
    fn next_reading(&mut self) -> Result<Option<Reading>, TraceError> {
        loop {
            let Some(reader) = self.reader.as_mut() else {
                let Some(next) = self.pending.next() else {
                    return Ok(None);
                };
                self.reader = Some(csv_reader(&next, false, b',')?);
                self.path = next;
                continue;
            };
            if !next_record(reader, &mut self.record, &self.path)? {
                self.reader = None;
                continue;
            }
            if let Some(reading) = self.parse()? {
                return Ok(Some(reading));
            }
        }
    }

    fn parse(&mut self) -> Result<Option<Reading>, TraceError> {
        let (r, p) = (&self.record, self.path.as_path());
        let time = SimTime::from_secs_f64(non_negative(r, 0, "timestamp", p)?);
        if time < self.last {
            return Err(bad(
                r,
                0,
                p,
                format!(
                    "field `timestamp`: readings must be sorted by time, but {} s comes after {} s; sort the file by timestamp first",
                    time.as_secs_f64(),
                    self.last.as_secs_f64()
                ),
            ));
        }
        self.last = time;
        let Some(avg) = optional_number(r, 4, "avgcpu", p)? else {
            return Ok(None);
        };
        if avg < 0.0 {
            return Err(bad(
                r,
                4,
                p,
                format!("field `avgcpu`: expected a percentage zero or greater, found {avg}"),
            ));
        }
        let key = key_of(r.get(1).unwrap_or(""));
        Ok(Some((time, key, (avg / 100.0).min(1.0))))
    }
}

/// `path` itself, or the reading files of the folder `path` in shard order.
fn reading_files(path: &Path) -> Result<Vec<PathBuf>, TraceError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| TraceError::new(path, None, None, format!("cannot list the folder: {e}")))?;
    let mut files: Vec<(u64, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| {
            n.starts_with("vm_cpu_readings") && (n.ends_with(".csv") || n.ends_with(".csv.gz"))
        })
        .map(|n| (shard(&n), n))
        .collect();
    if files.is_empty() {
        return Err(TraceError::new(
            path,
            None,
            None,
            "expected vm_cpu_readings-*.csv or .csv.gz files in this folder, found none",
        ));
    }
    files.sort();
    Ok(files.into_iter().map(|(_, n)| path.join(n)).collect())
}

/// N of a `vm_cpu_readings-file-N-of-M` name (0 when there is none).
fn shard(name: &str) -> u64 {
    name.split("file-")
        .nth(1)
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::shard;

    #[test]
    fn shards_sort_by_number() {
        assert_eq!(shard("vm_cpu_readings-file-12-of-125.csv.gz"), 12);
        assert_eq!(shard("vm_cpu_readings.csv"), 0);
    }
}
