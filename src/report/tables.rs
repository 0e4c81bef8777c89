//! Table and document writers: JSON and CSV files written whole, and the streaming workloads.csv.

use super::ReportError;
use super::csv_line::CsvLine;
use crate::engine::RunResult;
use crate::metrics::{HostRow, Outcome, WorkloadRecord};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
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
    let scores = r
        .information_core
        .as_ref()
        .map(|c| &c.anomalies.hosts)
        .filter(|h| !h.is_empty());
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
                anomaly_score: scores.map(|h| h.get(i).map_or(0.0, |s| s.score)),
            }
        })
        .collect()
}

/// workloads.csv, written row by row as workloads finish, each row formatted by hand into one
/// reused line (`CsvLine`: the bytes `csv` would write for the same row, without serde's
/// per-field calls). The first error is kept and returned by `finish`, so the event loop never
/// stops to handle I/O.
pub struct WorkloadCsv {
    path: PathBuf,
    writer: BufWriter<File>,
    line: CsvLine,
    /// The header goes before the first row (a run with no workloads writes an empty file).
    header_written: bool,
    error: Option<std::io::Error>,
}

const WORKLOADS_HEADER: &[u8] =
    b"id,class,arrival_s,cores,memory_gib,outcome,host,placed_s,ended_s,wait_s\n";

impl WorkloadCsv {
    pub fn create(path: &Path) -> Result<WorkloadCsv, ReportError> {
        let file = File::create(path).map_err(|source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(WorkloadCsv {
            path: path.to_path_buf(),
            writer: BufWriter::with_capacity(1 << 16, file),
            line: CsvLine::default(),
            header_written: false,
            error: None,
        })
    }

    pub fn write(&mut self, r: &WorkloadRecord, class: &str) {
        if self.error.is_some() {
            return;
        }
        let l = &mut self.line;
        l.clear();
        if !self.header_written {
            self.header_written = true;
            if let Err(e) = self.writer.write_all(WORKLOADS_HEADER) {
                self.error = Some(e);
                return;
            }
        }
        l.u64(r.id);
        l.str(class);
        l.f64(r.arrival_s);
        l.f64(r.cores);
        l.f64(r.memory_gib);
        l.str(outcome_name(r.outcome));
        match r.host {
            Some(h) => l.u64(h as u64),
            None => l.empty(),
        }
        for v in [r.placed_s, r.ended_s] {
            match v {
                Some(v) => l.f64(v),
                None => l.empty(),
            }
        }
        l.f64(r.wait_s);
        l.end();
        if let Err(e) = self.writer.write_all(l.as_bytes()) {
            self.error = Some(e);
        }
    }

    pub fn finish(mut self) -> Result<(), ReportError> {
        let path = self.path.clone();
        let result = match self.error.take() {
            Some(e) => Err(e),
            None => self.writer.flush(),
        };
        result.map_err(|source| ReportError::Io { path, source })
    }
}

/// An outcome as serde names it (`snake_case`), the same word summary.json uses.
fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Departed => "departed",
        Outcome::Killed => "killed",
        Outcome::Rejected => "rejected",
        Outcome::Expired => "expired",
        Outcome::Running => "running",
        Outcome::Queued => "queued",
        Outcome::Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row struct workloads.csv was serialised from before it was written by hand.
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

    impl<'a> Row<'a> {
        /// The row of `r`, its class named `class`.
        fn of(r: &WorkloadRecord, class: &'a str) -> Row<'a> {
            Row {
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
            }
        }
    }

    #[test]
    fn workloads_csv_is_what_serde_and_csv_wrote() {
        let records = [
            (
                0,
                "",
                249.98519,
                2.0,
                4.0,
                Outcome::Departed,
                Some(3),
                Some(249.98519),
                Some(632.206256),
                0.0,
            ),
            (
                7,
                "web,eu",
                0.1,
                0.5,
                0.849609375,
                Outcome::Running,
                Some(0),
                Some(1.1),
                None,
                1.0,
            ),
            (
                u64::MAX,
                "q\"uote",
                1e17,
                64.0,
                1e-9,
                Outcome::Rejected,
                None,
                None,
                None,
                0.0,
            ),
        ];
        let path = std::env::temp_dir().join(format!("dcsim-wl-{}.csv", std::process::id()));
        let mut out = WorkloadCsv::create(&path).unwrap();
        let mut want = csv::Writer::from_writer(Vec::new());
        for (id, class, arrival_s, cores, memory_gib, outcome, host, placed_s, ended_s, wait_s) in
            records
        {
            let r = WorkloadRecord {
                id,
                class: 0,
                arrival_s,
                cores,
                memory_gib,
                outcome,
                host,
                placed_s,
                ended_s,
                wait_s,
            };
            out.write(&r, class);
            want.serialize(Row::of(&r, class)).unwrap();
        }
        out.finish().unwrap();
        let got = std::fs::read(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want.into_inner().unwrap()).unwrap()
        );
    }

    #[test]
    fn outcome_names_are_serde_s() {
        for o in [
            Outcome::Departed,
            Outcome::Killed,
            Outcome::Rejected,
            Outcome::Expired,
            Outcome::Running,
            Outcome::Queued,
            Outcome::Failed,
        ] {
            let json = serde_json::to_string(&o).unwrap();
            assert_eq!(json, format!("\"{}\"", outcome_name(o)));
        }
    }
}
