//! The `planetlab` reader: CoMon CPU traces as CloudSim ships them (Beloglazov & Buyya, CCPE
//! 2012), a folder of per-VM files, each one integer CPU % per line, one line every 300 s, no
//! header. Every VM arrives at 0 and lives as many 300 s intervals as its file has lines
//! (288 = 24 h); the trace has no sizes, so cores and memory come from the scenario's catalogue.
//! Files are read one at a time, in byte-wise name order.

pub(super) mod folder;

use super::{TraceError, TraceFiles, TraceReader, TraceUsage, TraceVm, io};
use crate::time::SimTime;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The CoMon sampling interval.
pub const INTERVAL_S: u64 = 300;

/// Opens the folder (or single file) `files.main`.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Ok(Box::new(PlanetlabReader::open(&files.main)?))
}

pub struct PlanetlabReader {
    files: Vec<PathBuf>,
    skipped: Option<String>,
    next: usize,
    text: String,
}

impl PlanetlabReader {
    pub fn open(path: &Path) -> Result<PlanetlabReader, TraceError> {
        // CoMon files have no extension: anything but documentation is a per-VM file.
        let found = folder::sorted_files(path, |name| !folder::is_documentation(name))?;
        Ok(PlanetlabReader {
            skipped: found.skipped_note("planetlab"),
            files: found.files,
            next: 0,
            text: String::new(),
        })
    }

    /// The CPU fractions of one file; blank lines are allowed only at its end.
    fn read_values(&mut self, path: &Path) -> Result<Vec<f32>, TraceError> {
        let mut input = io::open(path)?;
        let mut values = Vec::with_capacity(288);
        let (mut line, mut blank) = (0u64, None);
        loop {
            self.text.clear();
            let n = input.read_line(&mut self.text).map_err(|e| {
                TraceError::new(path, Some(line + 1), None, format!("cannot read: {e}"))
            })?;
            if n == 0 {
                break;
            }
            line += 1;
            let field = self.text.trim();
            if field.is_empty() {
                blank.get_or_insert(line);
                continue;
            }
            if let Some(b) = blank {
                let msg = "expected a CPU percentage, found an empty line";
                return Err(TraceError::new(path, Some(b), Some(1), msg));
            }
            values.push(percent(field, path, line)?);
        }
        if values.is_empty() {
            let msg = "expected one CPU percentage (0–100) per line, found none";
            return Err(TraceError::new(path, None, None, msg));
        }
        Ok(values)
    }
}

/// One line's CPU % as a fraction.
fn percent(field: &str, path: &Path, line: u64) -> Result<f32, TraceError> {
    match field.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok((v / 100.0) as f32),
        _ => Err(TraceError::new(
            path,
            Some(line),
            Some(1),
            format!("expected a CPU percentage between 0 and 100, found {field:?}"),
        )),
    }
}

impl TraceReader for PlanetlabReader {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        let Some(path) = self.files.get(self.next).cloned() else {
            return Ok(None);
        };
        self.next += 1;
        let values = self.read_values(&path)?;
        Ok(Some(TraceVm {
            line: 1,
            key: 0,
            class: String::new(),
            arrival: SimTime::ZERO,
            lifetime: Some(SimTime::from_secs(INTERVAL_S * values.len() as u64)),
            cores: None,
            memory_gib: None,
            usage: TraceUsage::Series {
                interval: SimTime::from_secs(INTERVAL_S),
                values,
            },
            group: None,
        }))
    }

    fn notes(&self) -> Vec<String> {
        self.skipped.iter().cloned().collect()
    }

    fn assumptions(&self) -> Vec<String> {
        let mut a = vec![
            format!(
                "planetlab: per-VM files: {}, read in byte-wise name order; workload i is the i-th file",
                self.files.len()
            ),
            format!(
                "planetlab: every VM arrives at 0 and lives one {INTERVAL_S} s interval per sample in its file (288 samples = 24 h)"
            ),
            "planetlab: CPU usage = sample / 100 of the requested cores, held for each 300 s interval (CloudSim interpolates linearly between samples)".to_string(),
            "planetlab: the trace has no sizes: cores and memory come from workload.trace.sizes".to_string(),
        ];
        a.extend(self.notes());
        a
    }
}
