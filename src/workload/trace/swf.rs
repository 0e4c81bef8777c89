//! The `swf` reader: Standard Workload Format 2.2 (Parallel Workloads Archive, Feitelson et al.).
//! `;` lines are comments (the header before the first job is parsed, `header`); each job is a
//! line of 18 whitespace-separated numbers, −1 meaning unknown. A job arrives at its submit time
//! and lives its run time; it requests its allocated (else requested) processors × 1 core and
//! its used (else requested) memory per processor × processors; its usage is average CPU time /
//! run time. Jobs with run time −1 or 0, and partial-execution records, are skipped and counted.
//! Read line by line; logs are sorted by submit time (the stream's window absorbs small slips).

mod header;

use super::{TraceError, TraceFiles, TraceReader, TraceUsage, TraceVm, io};
use crate::time::SimTime;
use header::Header;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The 18 fields, 1-based column i = FIELDS[i − 1].
pub const FIELDS: [&str; 18] = [
    "job number",
    "submit time",
    "wait time",
    "run time",
    "allocated processors",
    "average CPU time",
    "used memory",
    "requested processors",
    "requested time",
    "requested memory",
    "status",
    "user",
    "group",
    "executable",
    "queue",
    "partition",
    "preceding job",
    "think time",
];

/// Cores per SWF processor.
pub const CORES_PER_PROCESSOR: f64 = 1.0;

/// Opens the log `files.main` (`.gz` read transparently).
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Ok(Box::new(SwfReader::open(&files.main)?))
}

pub struct SwfReader {
    path: PathBuf,
    input: Box<dyn BufRead>,
    text: String,
    line: u64,
    /// `text` holds a job line not yet parsed (the first one, read with the header).
    pending: bool,
    header: Header,
    jobs: u64,
    no_runtime: u64,
    partial: u64,
}

impl SwfReader {
    pub fn open(path: &Path) -> Result<SwfReader, TraceError> {
        let mut r = SwfReader {
            path: path.to_path_buf(),
            input: io::open(path)?,
            text: String::new(),
            line: 0,
            pending: false,
            header: Header::default(),
            jobs: 0,
            no_runtime: 0,
            partial: 0,
        };
        r.pending = r.next_job_line(true)?;
        Ok(r)
    }

    /// Reads up to the next job line, skipping blank lines and comments (read into the header
    /// when `header`); `false` at the end.
    fn next_job_line(&mut self, header: bool) -> Result<bool, TraceError> {
        loop {
            self.text.clear();
            let n = self.input.read_line(&mut self.text).map_err(|e| {
                let msg = format!("cannot read: {e}");
                TraceError::new(&self.path, Some(self.line + 1), None, msg)
            })?;
            if n == 0 {
                return Ok(false);
            }
            self.line += 1;
            let t = self.text.trim();
            if t.starts_with(';') && header {
                self.header.read(t);
            } else if !t.is_empty() && !t.starts_with(';') {
                return Ok(true);
            }
        }
    }

    fn err(&self, column: usize, msg: String) -> TraceError {
        TraceError::new(&self.path, Some(self.line), Some(column), msg)
    }

    /// The 18 numbers of the current line.
    fn fields(&self) -> Result<[f64; 18], TraceError> {
        let mut f = [0.0; 18];
        let mut n = 0;
        for tok in self.text.split_whitespace() {
            if n == 18 {
                let msg = "expected 18 whitespace-separated fields, found more".to_string();
                return Err(self.err(19, msg));
            }
            f[n] = tok
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    let msg = format!(
                        "field `{}`: expected a number (−1 = unknown), found {tok:?}",
                        FIELDS[n]
                    );
                    self.err(n + 1, msg)
                })?;
            n += 1;
        }
        if n < 18 {
            let msg = format!(
                "missing field `{}`: expected 18 whitespace-separated fields, found {n}",
                FIELDS[n]
            );
            return Err(self.err(n + 1, msg));
        }
        Ok(f)
    }

    /// Field `i` (0-based): `None` for −1, the value if ≥ 0, an error otherwise.
    fn known(&self, f: &[f64; 18], i: usize) -> Result<Option<f64>, TraceError> {
        let v = f[i];
        if v == -1.0 {
            Ok(None)
        } else if v >= 0.0 {
            Ok(Some(v))
        } else {
            let msg = format!(
                "field `{}`: expected a number zero or greater, or −1 for unknown, found {v}",
                FIELDS[i]
            );
            Err(self.err(i + 1, msg))
        }
    }

    /// The current job line as a workload; `None` when it is skipped.
    fn job(&mut self) -> Result<Option<TraceVm>, TraceError> {
        let f = self.fields()?;
        self.jobs += 1;
        if self
            .known(&f, 10)?
            .is_some_and(|s| (2.0..=4.0).contains(&s))
        {
            self.partial += 1;
            return Ok(None);
        }
        let Some(submit) = self.known(&f, 1)? else {
            let msg = "field `submit time`: expected seconds from the log's start, found -1";
            return Err(self.err(2, msg.to_string()));
        };
        let Some(run) = self.known(&f, 3)?.filter(|r| *r > 0.0) else {
            self.no_runtime += 1;
            return Ok(None);
        };
        let positive = |i: usize| Ok::<_, TraceError>(self.known(&f, i)?.filter(|v| *v > 0.0));
        let procs = positive(4)?.or(positive(7)?);
        let memory_kb = positive(6)?.or(positive(9)?);
        let usage = match self.known(&f, 5)? {
            Some(cpu) => TraceUsage::Constant((cpu / run).clamp(0.0, 1.0)),
            None => TraceUsage::Unknown,
        };
        Ok(Some(TraceVm {
            subscription: 0,
            line: self.line,
            key: 0,
            class: self.known(&f, 14)?.map_or(String::new(), |q| q.to_string()),
            arrival: SimTime::from_secs_f64(submit),
            lifetime: Some(SimTime::from_secs_f64(run)),
            cores: procs.map(|p| p * CORES_PER_PROCESSOR),
            memory_gib: procs
                .zip(memory_kb)
                .map(|(p, kb)| p * kb / (1024.0 * 1024.0)),
            usage,
            group: None,
        }))
    }
}

impl TraceReader for SwfReader {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        loop {
            if !self.pending && !self.next_job_line(false)? {
                return Ok(None);
            }
            self.pending = false;
            if let Some(vm) = self.job()? {
                return Ok(Some(vm));
            }
        }
    }

    fn assumptions(&self) -> Vec<String> {
        let mut a = self.header.assumptions();
        a.extend([
            "swf: arrival = submit time, lifetime = run time; the recorded wait is not replayed (dcsim's queue decides)".to_string(),
            format!("swf: cores = allocated processors (requested when −1) × {CORES_PER_PROCESSOR} core per processor; the catalogue's when both are −1"),
            "swf: memory = used memory (requested when −1) in KB per processor × processors / 1024² GiB; the catalogue's when unknown".to_string(),
            "swf: usage = average CPU time / run time (capped at 1); the whole request when −1".to_string(),
            "swf: class = queue number (\"\" when −1)".to_string(),
        ]);
        let skipped = if self.jobs == 0 {
            "counted while reading (`dcsim trace inspect` gives the number kept)".to_string()
        } else {
            format!(
                "{} with run time −1 or 0 and {} partial-execution records of {} job lines read",
                self.no_runtime, self.partial, self.jobs
            )
        };
        a.push(format!("swf: jobs with run time −1 or 0 and partial-execution records (status 2, 3, 4) are skipped: {skipped}"));
        a
    }
}
