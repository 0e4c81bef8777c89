//! Alibaba GPU cluster trace 2023, "OpenB" (`alibaba-gpu-2023`). The pod list (the main file;
//! CSV with a header: name, cpu_milli, memory_mib, num_gpu, gpu_milli, gpu_spec, qos, pod_phase,
//! creation_time, deletion_time, scheduled_time) gives one workload per pod: class = qos,
//! arrival = creation_time (s), lifetime = deletion_time − creation_time, cpu_milli / 1000 cores,
//! memory_mib / 1024 GiB. Pods still Running when the trace was cut carry the trace's last
//! timestamp as deletion_time: a first pass finds it, and those pods run past the end. The node
//! list (machines_path: sn, cpu_milli, memory_mib, gpu, model) lists the machines. GPUs are not
//! simulated. Columns are found by header name; the sample is sorted by creation_time.

use super::io::{csv_reader, line_of, next_record, number, optional_number};
use super::{TraceError, TraceFiles, TraceReader, TraceUsage, TraceVm};
use crate::landscape::Machine;
use crate::time::SimTime;
use std::path::{Path, PathBuf};

/// Columns of the pod list dcsim reads (the first three are required).
const POD_COLUMNS: [&str; 6] = [
    "creation_time",
    "cpu_milli",
    "memory_mib",
    "deletion_time",
    "qos",
    "pod_phase",
];
const CREATED: usize = 0;
const CPU: usize = 1;
const MEMORY: usize = 2;
const DELETED: usize = 3;
const QOS: usize = 4;
const PHASE: usize = 5;

/// Opens the reader.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    let path = files.main.clone();
    let mut reader = csv_reader(&path, true, b',')?;
    let columns = header_columns(&mut reader, &path, &POD_COLUMNS, 3)?;
    let last_deletion = match columns[DELETED] {
        Some(c) => last_value(&path, c)?,
        None => None,
    };
    Ok(Box::new(OpenB {
        path,
        reader,
        record: csv::StringRecord::new(),
        columns,
        last_deletion,
        machines: files.machines.clone(),
        censored: 0,
        pending: 0,
    }))
}

/// The column of each of `names` in the header; the first `required` must be there.
fn header_columns(
    reader: &mut csv::Reader<Box<dyn std::io::BufRead>>,
    path: &Path,
    names: &[&str],
    required: usize,
) -> Result<Vec<Option<usize>>, TraceError> {
    let header = reader.headers().map_err(|e| {
        TraceError::new(path, Some(1), None, format!("cannot read the header: {e}"))
    })?;
    let columns: Vec<Option<usize>> = names
        .iter()
        .map(|n| header.iter().position(|h| h == *n))
        .collect();
    if let Some(i) = columns[..required].iter().position(Option::is_none) {
        return Err(TraceError::new(
            path,
            Some(1),
            None,
            format!(
                "expected a header with a column `{}` (found {})",
                names[i],
                header.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    }
    Ok(columns)
}

/// The largest number in column `column` (a first pass; unreadable values are left to the
/// second pass to report).
fn last_value(path: &Path, column: usize) -> Result<Option<f64>, TraceError> {
    let mut reader = csv_reader(path, true, b',')?;
    let mut record = csv::ByteRecord::new();
    let mut last: Option<f64> = None;
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        let v = record
            .get(column)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.parse::<f64>().ok());
        if let Some(v) = v {
            last = Some(last.map_or(v, |l| l.max(v)));
        }
    }
    Ok(last)
}

struct OpenB {
    path: PathBuf,
    reader: csv::Reader<Box<dyn std::io::BufRead>>,
    record: csv::StringRecord,
    columns: Vec<Option<usize>>,
    last_deletion: Option<f64>,
    machines: Option<PathBuf>,
    /// Pods read so far that run past the end, and that were never scheduled.
    censored: u64,
    pending: u64,
}

impl OpenB {
    fn field(&self, f: usize) -> &str {
        self.columns[f]
            .and_then(|c| self.record.get(c))
            .unwrap_or("")
    }

    /// A required, non-negative number.
    fn amount(&self, f: usize) -> Result<f64, TraceError> {
        let c = self.columns[f].unwrap_or(0);
        let v = number(&self.record, c, POD_COLUMNS[f], &self.path)?;
        if v < 0.0 {
            return Err(self.bad(
                c,
                format!(
                    "field `{}`: expected a number zero or greater, found {v}",
                    POD_COLUMNS[f]
                ),
            ));
        }
        Ok(v)
    }

    fn bad(&self, column: usize, message: String) -> TraceError {
        TraceError::new(
            &self.path,
            Some(line_of(&self.record)),
            Some(column + 1),
            message,
        )
    }

    /// The pod's lifetime in seconds; `None` while it runs past the end of the trace.
    fn lifetime(&self, created: f64) -> Result<Option<f64>, TraceError> {
        let Some(c) = self.columns[DELETED] else {
            return Ok(None);
        };
        let Some(deleted) = optional_number(&self.record, c, "deletion_time", &self.path)? else {
            return Ok(None);
        };
        if deleted < created {
            return Err(self.bad(c, format!("field `deletion_time`: expected a time no earlier than creation_time ({created}), found {deleted}")));
        }
        let running = self.columns[PHASE].is_none() || self.field(PHASE) == "Running";
        if running && Some(deleted) == self.last_deletion {
            return Ok(None);
        }
        Ok(Some(deleted - created))
    }
}

impl TraceReader for OpenB {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        if !next_record(&mut self.reader, &mut self.record, &self.path)? {
            return Ok(None);
        }
        let created = self.amount(CREATED)?;
        let lifetime = self.lifetime(created)?;
        self.censored += lifetime.is_none() as u64;
        self.pending += (self.field(PHASE) == "Pending") as u64;
        Ok(Some(TraceVm {
            subscription: 0,
            line: line_of(&self.record),
            key: 0,
            class: self.field(QOS).to_string(),
            arrival: SimTime::from_secs_f64(created),
            lifetime: lifetime.map(SimTime::from_secs_f64),
            cores: Some(self.amount(CPU)? / 1000.0),
            memory_gib: Some(self.amount(MEMORY)? / 1024.0),
            usage: TraceUsage::Unknown,
            group: None,
        }))
    }

    fn assumptions(&self) -> Vec<String> {
        let last = self
            .last_deletion
            .map_or("-".to_string(), |t| format!("{t} s"));
        vec![
            format!("alibaba-gpu-2023: one workload per pod (class = qos) from creation_time to deletion_time, cpu_milli/1000 cores and memory_mib/1024 GiB; Pending pods (never scheduled in the trace; {} read) are replayed too", self.pending),
            format!("alibaba-gpu-2023: Running pods whose deletion_time is the trace's last one ({last}) were still running when it was cut; these {} run past the end", self.censored),
            "alibaba-gpu-2023: GPUs are not simulated: pods' num_gpu/gpu_milli and nodes' GPUs are ignored".to_string(),
            "alibaba-gpu-2023: usage is not recorded (each pod uses its whole request)".to_string(),
        ]
    }

    fn machines(&mut self) -> Result<Vec<Machine>, TraceError> {
        match &self.machines {
            Some(m) => nodes(m),
            None => Err(TraceError::new(
                &self.path,
                None,
                None,
                "landscape.from_trace needs the trace's node list: set workload.trace.machines_path",
            )),
        }
    }
}

/// The node list: sn, cpu_milli, memory_mib, gpu, model.
fn nodes(path: &Path) -> Result<Vec<Machine>, TraceError> {
    const NAMES: [&str; 3] = ["sn", "cpu_milli", "memory_mib"];
    let mut reader = csv_reader(path, true, b',')?;
    let columns: Vec<usize> = header_columns(&mut reader, path, &NAMES, 3)?
        .into_iter()
        .flatten()
        .collect();
    let mut record = csv::StringRecord::new();
    let mut machines = Vec::new();
    while next_record(&mut reader, &mut record, path)? {
        machines.push(Machine {
            name: record.get(columns[0]).unwrap_or("").to_string(),
            cores: number(&record, columns[1], NAMES[1], path)? / 1000.0,
            memory_gib: number(&record, columns[2], NAMES[2], path)? / 1024.0,
        });
    }
    Ok(machines)
}
