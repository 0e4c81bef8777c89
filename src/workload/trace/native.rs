//! dcsim's native trace CSV, what `dcsim trace convert` writes and the `native` format reads:
//!
//! ```text
//! class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series
//! web,12.5,3600,2,4,0.35,,
//! batch,30,,,,,300,0.24 0.34 0.29
//! ```
//! `lifetime_s` empty: runs to the end; `cores`/`memory_gib` empty: from the scenario's
//! catalogue; `usage` a constant fraction of the request, or a series of fractions, space
//! separated, one every `usage_interval_s` from arrival; both empty: the whole request.

use super::io::{csv_reader, line_of, next_record, number, optional_number};
use super::{TraceError, TraceReader, TraceUsage, TraceVm};
use crate::time::SimTime;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const HEADER: [&str; 8] = [
    "class",
    "arrival_s",
    "lifetime_s",
    "cores",
    "memory_gib",
    "usage",
    "usage_interval_s",
    "usage_series",
];

pub struct NativeReader {
    path: PathBuf,
    reader: csv::Reader<Box<dyn std::io::BufRead>>,
    record: csv::StringRecord,
}

impl NativeReader {
    pub fn open(path: &Path) -> Result<NativeReader, TraceError> {
        let mut reader = csv_reader(path, true, b',')?;
        let headers = reader.headers().map_err(|e| {
            TraceError::new(path, Some(1), None, format!("cannot read the header: {e}"))
        })?;
        if headers.iter().ne(HEADER) {
            return Err(TraceError::new(
                path,
                Some(1),
                None,
                format!("expected the header {}", HEADER.join(",")),
            ));
        }
        Ok(NativeReader {
            path: path.to_path_buf(),
            reader,
            record: csv::StringRecord::new(),
        })
    }

    fn usage(&self) -> Result<TraceUsage, TraceError> {
        let r = &self.record;
        let constant = optional_number(r, 5, "usage", &self.path)?;
        let interval = optional_number(r, 6, "usage_interval_s", &self.path)?;
        let bad =
            |col: usize, msg: String| TraceError::new(&self.path, Some(line_of(r)), Some(col), msg);
        match (constant, interval, r.get(7).unwrap_or("")) {
            (Some(u), None, "") if (0.0..=1.0).contains(&u) => Ok(TraceUsage::Constant(u)),
            (Some(u), None, "") => Err(bad(
                6,
                format!("field `usage`: expected a fraction between 0 and 1, found {u}"),
            )),
            (None, None, "") => Ok(TraceUsage::Unknown),
            (None, Some(i), series) if i > 0.0 => {
                let values = series
                    .split_whitespace()
                    .map(|v| v.parse::<f32>().ok().filter(|x| (0.0..=1.0).contains(x)))
                    .collect::<Option<Vec<f32>>>()
                    .ok_or_else(|| bad(8, format!("field `usage_series`: expected fractions between 0 and 1 separated by spaces, found {series:?}")))?;
                Ok(TraceUsage::Series {
                    interval: SimTime::from_secs_f64(i),
                    values,
                })
            }
            _ => Err(bad(
                6,
                "expected either `usage` or both `usage_interval_s` (> 0) and `usage_series`"
                    .to_string(),
            )),
        }
    }
}

fn non_negative(
    v: f64,
    r: &csv::StringRecord,
    col: usize,
    name: &str,
    path: &Path,
) -> Result<f64, TraceError> {
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(TraceError::new(
            path,
            Some(line_of(r)),
            Some(col + 1),
            format!("field `{name}`: expected a number zero or greater, found {v}"),
        ))
    }
}

impl TraceReader for NativeReader {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        if !next_record(&mut self.reader, &mut self.record, &self.path)? {
            return Ok(None);
        }
        let (r, p) = (&self.record, self.path.as_path());
        let arrival = non_negative(number(r, 1, "arrival_s", p)?, r, 1, "arrival_s", p)?;
        let lifetime = optional_number(r, 2, "lifetime_s", p)?
            .map(|v| non_negative(v, r, 2, "lifetime_s", p))
            .transpose()?;
        let cores = optional_number(r, 3, "cores", p)?
            .map(|v| non_negative(v, r, 3, "cores", p))
            .transpose()?;
        let memory = optional_number(r, 4, "memory_gib", p)?
            .map(|v| non_negative(v, r, 4, "memory_gib", p))
            .transpose()?;
        Ok(Some(TraceVm {
            subscription: 0,
            line: line_of(r),
            key: 0,
            class: r.get(0).unwrap_or("").to_string(),
            arrival: SimTime::from_secs_f64(arrival),
            lifetime: lifetime.map(SimTime::from_secs_f64),
            cores,
            memory_gib: memory,
            usage: self.usage()?,
            group: None,
        }))
    }
}

/// Writes trace rows in the native format.
pub struct NativeWriter<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> NativeWriter<W> {
    pub fn new(out: W) -> Result<NativeWriter<W>, csv::Error> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(HEADER)?;
        Ok(NativeWriter { writer })
    }

    pub fn write(&mut self, vm: &TraceVm) -> Result<(), csv::Error> {
        let opt = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
        let (usage, interval, series) = match &vm.usage {
            TraceUsage::Unknown => (String::new(), String::new(), String::new()),
            TraceUsage::Constant(u) => (u.to_string(), String::new(), String::new()),
            TraceUsage::Series { interval, values } => (
                String::new(),
                interval.as_secs_f64().to_string(),
                values
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        };
        self.writer.write_record([
            vm.class.clone(),
            vm.arrival.as_secs_f64().to_string(),
            opt(vm.lifetime.map(SimTime::as_secs_f64)),
            opt(vm.cores),
            opt(vm.memory_gib),
            usage,
            interval,
            series,
        ])
    }

    pub fn finish(mut self) -> Result<W, csv::Error> {
        self.writer.flush()?;
        self.writer.into_inner().map_err(|e| e.into_error().into())
    }
}
