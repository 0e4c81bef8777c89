//! The task_usage feed of the 2011 trace: each row's mean CPU rate, divided by the task's CPU
//! request, becomes a usage reading at the row's start time. Requests are remembered only for
//! tasks already replayed and still running, so memory follows the live tasks.

use super::fields::{Moment, whole};
use crate::time::SimTime;
use crate::workload::trace::io::{csv_reader, next_record, number};
use crate::workload::trace::{TraceError, TraceVm, key_of};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::path::{Path, PathBuf};

/// task_usage columns (0-based).
const START: usize = 0;
const JOB: usize = 2;
const TASK: usize = 3;
const MEAN_CPU: usize = 5;

pub(crate) struct TaskUsage {
    path: PathBuf,
    reader: csv::Reader<Box<dyn std::io::BufRead>>,
    record: csv::StringRecord,
    /// A row read but timestamped after the last `until`.
    pending: Option<(SimTime, u64, f64)>,
    eof: bool,
    /// Normalised CPU request and end of each replayed, running task, by key.
    live: HashMap<u64, (f64, SimTime)>,
    expiry: BinaryHeap<Reverse<(SimTime, u64)>>,
}

impl TaskUsage {
    pub fn open(path: &Path) -> Result<TaskUsage, TraceError> {
        Ok(TaskUsage {
            path: path.to_path_buf(),
            reader: csv_reader(path, false, b',')?,
            record: csv::StringRecord::new(),
            pending: None,
            eof: false,
            live: HashMap::new(),
            expiry: BinaryHeap::new(),
        })
    }

    /// Remembers the request of a task being replayed (`cpu_scale`: cores per normalised unit).
    pub fn register(&mut self, vm: &TraceVm, cpu_scale: f64) {
        let Some(cores) = vm.cores.filter(|&c| c > 0.0) else {
            return;
        };
        let end = vm
            .lifetime
            .map_or(SimTime::MAX, |l| vm.arrival.saturating_add(l));
        self.live.insert(vm.key, (cores / cpu_scale, end));
        if end < SimTime::MAX {
            self.expiry.push(Reverse((end, vm.key)));
        }
    }

    /// Readings timestamped up to `until` for running replayed tasks.
    pub fn until(&mut self, until: SimTime, out: &mut Vec<(u64, f64)>) -> Result<(), TraceError> {
        while let Some((t, key, mean)) = self.peek()? {
            if t > until {
                break;
            }
            self.pending = None;
            if let Some(&(request, end)) = self.live.get(&key)
                && t < end
            {
                out.push((key, (mean / request).clamp(0.0, 1.0)));
            }
        }
        self.expire(until);
        Ok(())
    }

    fn peek(&mut self) -> Result<Option<(SimTime, u64, f64)>, TraceError> {
        if self.pending.is_none() && !self.eof {
            if next_record(&mut self.reader, &mut self.record, &self.path)? {
                self.pending = Some(self.row()?);
            } else {
                self.eof = true;
            }
        }
        Ok(self.pending)
    }

    fn row(&self) -> Result<(SimTime, u64, f64), TraceError> {
        let (r, p) = (&self.record, self.path.as_path());
        let start = Moment::of_micros(whole(r, START, "start time", p)?)
            .time()
            .unwrap_or(SimTime::MAX);
        let job = whole(r, JOB, "job ID", p)?;
        let task = whole(r, TASK, "task index", p)?;
        let mean = number(r, MEAN_CPU, "mean CPU usage rate", p)?;
        Ok((start, key_of(&format!("{job}/{task}")), mean.max(0.0)))
    }

    /// Forgets tasks that ended before `until`.
    fn expire(&mut self, until: SimTime) {
        while let Some(&Reverse((end, key))) = self.expiry.peek() {
            if end >= until {
                break;
            }
            self.expiry.pop();
            if self.live.get(&key).is_some_and(|&(_, e)| e == end) {
                self.live.remove(&key);
            }
        }
    }
}
