//! The `bitbrains` reader (GWA-T-12, Shen, van Beek & Iosup, CCGrid 2015): a folder of per-VM
//! files (or one file), header row, ";\t"-separated. Each file is one VM living the whole file:
//! it arrives at its first timestamp (Unix seconds, although the header says ms) minus the
//! earliest first timestamp over all files, requests the largest "CPU cores" and "Memory capacity
//! provisioned [KB]" of its rows, and uses "CPU usage [%]" / 100 on a regular grid (`grid`).
//! Opening reads each file's first row (files in byte-wise name order) to order the VMs by
//! arrival; afterwards only the file being replayed is read.

mod file;
mod grid;

use super::planetlab::folder::{is_documentation, sorted_files};
use super::{TraceError, TraceFiles, TraceReader, TraceUsage, TraceVm};
use crate::time::SimTime;
use file::{NAMES, Sample, VmFile};
use std::path::{Path, PathBuf};

/// Opens the folder (or single file) `files.main`.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Ok(Box::new(BitbrainsReader::open(&files.main)?))
}

pub struct BitbrainsReader {
    /// (first timestamp, file), by first timestamp then name.
    files: Vec<(f64, PathBuf)>,
    base: f64,
    next: usize,
    empty: usize,
    skipped: Option<String>,
}

/// A Bitbrains per-VM file: `N.csv` (or `.csv.gz`), not documentation.
fn is_vm_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".csv") || lower.ends_with(".csv.gz")) && !is_documentation(name)
}

impl BitbrainsReader {
    pub fn open(path: &Path) -> Result<BitbrainsReader, TraceError> {
        let mut files = Vec::new();
        let mut empty = 0;
        let found = sorted_files(path, is_vm_file)?;
        for f in found.files.iter().cloned() {
            match VmFile::open(&f)?.next_sample()? {
                Some(s) => files.push((s.time, f)),
                None => empty += 1,
            }
        }
        // A stable sort: VMs with the same first timestamp stay in name order.
        files.sort_by(|a, b| a.0.total_cmp(&b.0));
        let Some(&(base, _)) = files.first() else {
            let msg = "expected at least one per-VM file with sample rows";
            return Err(TraceError::new(path, None, None, msg));
        };
        Ok(BitbrainsReader {
            files,
            base,
            next: 0,
            empty,
            skipped: found.skipped_note("bitbrains"),
        })
    }

    /// Every row of `file`, checking that time never goes backwards.
    fn samples(file: &mut VmFile) -> Result<Vec<Sample>, TraceError> {
        let mut samples: Vec<Sample> = Vec::with_capacity(8640);
        while let Some(s) = file.next_sample()? {
            if let Some(p) = samples.last().filter(|p| s.time < p.time) {
                let msg = format!(
                    "field `{}`: expected timestamps in increasing order, found {} after {}",
                    NAMES[0], s.time, p.time
                );
                return Err(file.error_at(s.line, 0, msg));
            }
            samples.push(s);
        }
        Ok(samples)
    }

    fn vm(&self, first: f64, path: &Path) -> Result<TraceVm, TraceError> {
        let mut file = VmFile::open(path)?;
        let samples = Self::samples(&mut file)?;
        let max = |f: fn(&Sample) -> f64| samples.iter().map(f).fold(0.0, f64::max);
        let (cores, memory_kb) = (max(|s| s.cores), max(|s| s.memory_kb));
        if cores <= 0.0 {
            let msg = format!("expected `{}` above 0 in at least one row", NAMES[1]);
            return Err(TraceError::new(path, None, None, msg));
        }
        let g = grid::grid(&samples, cores).map_err(|s| {
            let msg = format!(
                "field `{}`: a gap of implausible length before {}: expected rows sampled at a regular interval",
                NAMES[0], s.time
            );
            file.error_at(s.line, 0, msg)
        })?;
        let interval = SimTime::from_secs_f64(g.interval_s);
        Ok(TraceVm {
            subscription: 0,
            line: samples.first().map_or(0, |s| s.line),
            key: 0,
            class: String::new(),
            arrival: SimTime::from_secs_f64(first - self.base),
            lifetime: Some(SimTime(interval.0.saturating_mul(g.values.len() as u64))),
            cores: Some(cores),
            memory_gib: Some(memory_kb / (1024.0 * 1024.0)),
            usage: TraceUsage::Series {
                interval,
                values: g.values,
            },
            group: None,
        })
    }
}

impl TraceReader for BitbrainsReader {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        let i = self.next;
        if i >= self.files.len() {
            return Ok(None);
        }
        self.next += 1;
        let (first, path) = &self.files[i];
        self.vm(*first, path).map(Some)
    }

    fn notes(&self) -> Vec<String> {
        self.skipped.iter().cloned().collect()
    }

    fn assumptions(&self) -> Vec<String> {
        let mut a = vec![
            "bitbrains: timestamps are Unix seconds (the header says ms)".to_string(),
            format!(
                "bitbrains: per-VM files: {} (byte-wise name order, then by first timestamp); each is one VM arriving at its first timestamp minus the earliest one and living until one sample interval after its last row",
                self.files.len()
            ),
            "bitbrains: a VM requests the largest `CPU cores` and `Memory capacity provisioned [KB]` / 1024² GiB of its rows".to_string(),
            "bitbrains: usage = `CPU usage [%]` / 100 (capped at 1) × the row's cores / the VM's cores, on a grid at the file's median sample spacing; samples snap to the nearest grid point and a skipped slot holds the previous value".to_string(),
        ];
        a.extend(self.notes());
        if self.empty > 0 {
            a.push(format!(
                "bitbrains: files without sample rows skipped: {}",
                self.empty
            ));
        }
        a
    }
}
