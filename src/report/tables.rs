//! Table and document writers: JSON and CSV files written whole, and the streaming workloads.csv.

use super::ReportError;
use crate::engine::RunResult;
use crate::metrics::{HostRow, Outcome, WorkloadRecord};
use serde::Serialize;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), ReportError> {
    let text = serde_json::to_string_pretty(value).expect("plain data serialises") + "\n";
    std::fs::write(path, text).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

pub fn write_csv<T: Serialize>(path: &Path, rows: &[T]) -> Result<(), ReportError> {
    let err = |source| ReportError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut w = csv::Writer::from_path(path).map_err(err)?;
    for r in rows {
        w.serialize(r).map_err(err)?;
    }
    w.flush().map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// One row per host, from the run's meters.
pub fn host_rows(r: &RunResult) -> Vec<HostRow> {
    let t = r.summary.simulated_seconds;
    let f = &r.fleet;
    let m = &r.meters;
    f.hosts()
        .map(|h| {
            let i = h.index();
            let ty = f.type_of(h);
            let per = |x: f64, cap: f64| if cap * t > 0.0 { x / (cap * t) } else { 0.0 };
            HostRow {
                host: h.0,
                name: r.landscape.graph[r.landscape.host_nodes[i]].label(),
                rack: r.landscape.rack_name(h),
                host_type: ty.name.clone(),
                cores: ty.cores,
                memory_gib: ty.memory_gib,
                mean_cpu_utilisation: per(m.cpu_used[i], f.physical_cpu[i] as f64),
                mean_memory_utilisation: per(m.memory_allocated[i], f.capacity[i].memory as f64),
                active_seconds: m.active_s[i],
                overload_seconds: m.overload_s[i],
                energy_kwh: m.energy_j[i] / 3.6e6,
                workloads_placed: m.placements[i],
            }
        })
        .collect()
}

/// workloads.csv, written row by row as workloads finish. The first error is kept and returned
/// by `finish`, so the event loop never stops to handle I/O.
pub struct WorkloadCsv {
    path: PathBuf,
    writer: csv::Writer<BufWriter<File>>,
    error: Option<csv::Error>,
}

#[derive(Serialize)]
struct Row<'a> {
    id: u64,
    class: &'a str,
    arrival_s: f64,
    cores: f64,
    memory_gib: f64,
    outcome: Outcome,
    host: Option<u32>,
    placed_s: Option<f64>,
    ended_s: Option<f64>,
    wait_s: f64,
}

impl WorkloadCsv {
    pub fn create(path: &Path) -> Result<WorkloadCsv, ReportError> {
        let file = File::create(path).map_err(|source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(WorkloadCsv {
            path: path.to_path_buf(),
            writer: csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file)),
            error: None,
        })
    }

    pub fn write(&mut self, r: &WorkloadRecord, class: &str) {
        if self.error.is_some() {
            return;
        }
        let row = Row {
            id: r.id,
            class,
            arrival_s: r.arrival_s,
            cores: r.cores,
            memory_gib: r.memory_gib,
            outcome: r.outcome,
            host: r.host,
            placed_s: r.placed_s,
            ended_s: r.ended_s,
            wait_s: r.wait_s,
        };
        if let Err(e) = self.writer.serialize(&row) {
            self.error = Some(e);
        }
    }

    pub fn finish(mut self) -> Result<(), ReportError> {
        if let Some(source) = self.error.take() {
            return Err(ReportError::Csv {
                path: self.path,
                source,
            });
        }
        self.writer.flush().map_err(|source| ReportError::Io {
            path: self.path.clone(),
            source,
        })
    }
}
