//! The Huawei Cloud 2021 VM trace (Huawei-East-1, as published with VMAgent): rows
//! `vmid,cpu,memory,time,type` (an optional header; time in seconds; type 0 creates the VM and
//! 1 deletes it). Each create is paired with its delete; a VM is complete at its delete (or,
//! still running, at the end of the file). Completed VMs wait in a min-heap by arrival and are
//! released only once no earlier create is still open, so VMs come out sorted by arrival.
//! Memory: the open VMs, plus completed VMs created after the oldest one still open.

use super::azure::{bad, non_negative, positive};
use super::io::{csv_reader, line_of, next_record, number};
use super::{TraceError, TraceFiles, TraceReader, TraceUsage, TraceVm, key_of};
use crate::time::SimTime;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::io::BufRead;
use std::path::PathBuf;

const HEADER: [&str; 5] = ["vmid", "cpu", "memory", "time", "type"];

/// Opens the reader.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Ok(Box::new(HuaweiReader {
        reader: csv_reader(&files.main, false, b',')?,
        path: files.main.clone(),
        record: csv::StringRecord::new(),
        open: HashMap::new(),
        oldest: BTreeSet::new(),
        done: BinaryHeap::new(),
        seq: 0,
        ended: false,
    }))
}

/// A VM: (arrival, create order) orders it; `lifetime` is `None` while open or still running.
#[derive(Clone, Copy)]
struct Vm {
    arrival: SimTime,
    seq: u64,
    lifetime: Option<SimTime>,
    cores: f64,
    memory: f64,
    line: u64,
}

impl PartialEq for Vm {
    fn eq(&self, o: &Self) -> bool {
        (self.arrival, self.seq) == (o.arrival, o.seq)
    }
}
impl Eq for Vm {}
impl PartialOrd for Vm {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Vm {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.arrival, self.seq).cmp(&(o.arrival, o.seq))
    }
}

struct HuaweiReader {
    path: PathBuf,
    reader: csv::Reader<Box<dyn BufRead>>,
    record: csv::StringRecord,
    /// Open VMs by `key_of(vmid)`.
    open: HashMap<u64, Vm>,
    /// (arrival, seq) of the open VMs: the first is the oldest open create.
    oldest: BTreeSet<(SimTime, u64)>,
    done: BinaryHeap<Reverse<Vm>>,
    seq: u64,
    ended: bool,
}

impl HuaweiReader {
    /// Whether the earliest completed VM can be released.
    fn releasable(&self) -> bool {
        self.done.peek().is_some_and(|Reverse(top)| {
            self.ended
                || self
                    .oldest
                    .first()
                    .is_none_or(|&first| (top.arrival, top.seq) <= first)
        })
    }

    /// Reads one row; `false` at the end of the file.
    fn read_row(&mut self) -> Result<bool, TraceError> {
        if !next_record(&mut self.reader, &mut self.record, &self.path)? {
            return Ok(false);
        }
        if line_of(&self.record) == 1 && self.is_header()? {
            return Ok(true);
        }
        let (r, p) = (&self.record, self.path.as_path());
        let time = SimTime::from_secs_f64(non_negative(r, 3, "time", p)?);
        match number(r, 4, "type", p)? {
            0.0 => self.create(time),
            1.0 => self.delete(time),
            other => Err(bad(
                r,
                4,
                p,
                format!("field `type`: expected 0 (create) or 1 (delete), found {other}"),
            )),
        }?;
        Ok(true)
    }

    /// A first row whose `type` is not a number is a header: it must be `HEADER`.
    fn is_header(&self) -> Result<bool, TraceError> {
        let r = &self.record;
        if r.get(4).is_some_and(|t| t.parse::<f64>().is_ok()) {
            return Ok(false);
        }
        if r.iter().map(str::to_ascii_lowercase).eq(HEADER) {
            return Ok(true);
        }
        Err(TraceError::new(
            &self.path,
            Some(1),
            None,
            format!(
                "expected the header {} or a first row of numbers",
                HEADER.join(",")
            ),
        ))
    }

    fn create(&mut self, arrival: SimTime) -> Result<(), TraceError> {
        let (r, p) = (&self.record, self.path.as_path());
        let key = key_of(r.get(0).unwrap_or(""));
        if let Some(open) = self.open.get(&key) {
            return Err(bad(
                r,
                0,
                p,
                format!(
                    "field `vmid`: VM {:?} is created again while it runs (created on line {})",
                    r.get(0).unwrap_or(""),
                    open.line
                ),
            ));
        }
        let vm = Vm {
            arrival,
            seq: self.seq,
            lifetime: None,
            cores: positive(r, 1, "cpu", p)?,
            memory: positive(r, 2, "memory", p)?,
            line: line_of(r),
        };
        self.seq += 1;
        self.oldest.insert((vm.arrival, vm.seq));
        self.open.insert(key, vm);
        Ok(())
    }

    /// Completes the open VM; a delete without a create (a VM from before the trace) is ignored.
    fn delete(&mut self, time: SimTime) -> Result<(), TraceError> {
        let (r, p) = (&self.record, self.path.as_path());
        let Some(mut vm) = self.open.remove(&key_of(r.get(0).unwrap_or(""))) else {
            return Ok(());
        };
        self.oldest.remove(&(vm.arrival, vm.seq));
        if time < vm.arrival {
            return Err(bad(
                r,
                3,
                p,
                format!(
                    "field `time`: expected the delete at or after the create at {} s (line {}), found {} s",
                    vm.arrival.as_secs_f64(),
                    vm.line,
                    time.as_secs_f64()
                ),
            ));
        }
        vm.lifetime = Some(time - vm.arrival);
        self.done.push(Reverse(vm));
        Ok(())
    }

    /// At the end of the file the VMs still open are running: they become complete.
    fn finish(&mut self) {
        self.ended = true;
        self.oldest.clear();
        self.done
            .extend(self.open.drain().map(|(_, vm)| Reverse(vm)));
    }
}

impl TraceReader for HuaweiReader {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        while !self.releasable() {
            if self.ended {
                return Ok(None);
            }
            if !self.read_row()? {
                self.finish();
            }
        }
        Ok(self.done.pop().map(|Reverse(vm)| TraceVm {
            line: vm.line,
            key: 0,
            class: String::new(),
            arrival: vm.arrival,
            lifetime: vm.lifetime,
            cores: Some(vm.cores),
            memory_gib: Some(vm.memory),
            usage: TraceUsage::Unknown,
            group: None,
        }))
    }

    fn assumptions(&self) -> Vec<String> {
        vec![
            "huawei-2021: type 0 creates a VM and type 1 deletes it; cpu is cores and memory GB, taken as GiB; the trace has no classes and no usage, so VMs use their whole request".into(),
            "huawei-2021: a VM with no delete is still running when the trace ends; a delete with no create (a VM from before the trace) is ignored".into(),
            "huawei-2021: a VM is emitted at its delete and held (sorted by arrival) until every earlier create has been deleted, so memory grows with the VMs created after the oldest one still running".into(),
        ]
    }
}
