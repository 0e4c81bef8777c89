//! The Huawei Cloud 2021 VM trace (Huawei-East-1, as published with VMAgent): rows
//! `vmid,cpu,memory,time,type` (an optional header; time in seconds; type 0 creates the VM and
//! 1 deletes it). Each create is paired with its delete; a VM is complete at its delete (or,
//! still running, at the end of the file). VMs come out sorted by (arrival, create order): a
//! complete VM is released once no earlier create is still open.
//! While creates come in time order (as in the published trace), create order is that order:
//! the VMs wait in a queue in create order and leave from its front, at O(1) a row. At the first
//! create earlier than the one before it, the reader switches to a min-heap of the complete VMs
//! and an ordered set of the open ones, and releases the same VMs in the same order.
//! Memory: the open VMs, plus completed VMs created after the oldest one still open.

use super::azure::{bad, non_negative, positive};
use super::io::{csv_reader_untrimmed, line_of, next_record, number};
use super::{KeyMap, TraceError, TraceFiles, TraceReader, TraceUsage, TraceVm, key_of};
use crate::time::SimTime;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, VecDeque};
use std::io::BufRead;
use std::path::PathBuf;

const HEADER: [&str; 5] = ["vmid", "cpu", "memory", "time", "type"];

/// Opens the reader.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Ok(Box::new(HuaweiReader {
        reader: csv_reader_untrimmed(&files.main, b',')?,
        path: files.main.clone(),
        record: csv::StringRecord::new(),
        open: KeyMap::default(),
        held: VecDeque::new(),
        first_seq: 0,
        out_of_order: None,
        last_create: SimTime::ZERO,
        seq: 0,
        ended: false,
    }))
}

/// A VM held until its release; `lifetime` is `None` while open or still running.
#[derive(Clone, Copy)]
struct Vm {
    arrival: SimTime,
    seq: u64,
    lifetime: Option<SimTime>,
    cores: f64,
    memory: f64,
    line: u64,
    /// Deleted (or the file ended): complete, ready for release in order.
    complete: bool,
    /// Released already (only once creates came out of order: the queue's front may be older).
    released: bool,
}

/// The row's `vmid` (fields are not trimmed as read: `csv_reader_untrimmed`).
fn vmid(r: &csv::StringRecord) -> &str {
    super::io::trim(r.get(0).unwrap_or(""))
}

/// (arrival, create order): the order VMs are released in.
type Order = (SimTime, u64);

/// The structures of the out-of-order case: the complete VMs not yet released, and the open ones.
#[derive(Default)]
struct OutOfOrder {
    complete: BinaryHeap<Reverse<Order>>,
    open: BTreeSet<Order>,
}

struct HuaweiReader {
    path: PathBuf,
    reader: csv::Reader<Box<dyn BufRead>>,
    record: csv::StringRecord,
    /// Open VMs by `key_of(vmid)`: their create order.
    open: KeyMap<u64>,
    /// The VMs not yet released (and, out of order, released ones behind an older one), in
    /// create order from `first_seq`.
    held: VecDeque<Vm>,
    first_seq: u64,
    /// Set from the first create earlier than the one before it.
    out_of_order: Option<OutOfOrder>,
    last_create: SimTime,
    seq: u64,
    ended: bool,
}

impl HuaweiReader {
    fn vm(&mut self, seq: u64) -> &mut Vm {
        &mut self.held[(seq - self.first_seq) as usize]
    }

    /// The earliest VM by (arrival, create order), if it can be released now.
    fn release(&mut self) -> Option<Vm> {
        let Some(ooo) = &mut self.out_of_order else {
            // In order: the queue's front is the earliest VM held.
            let front = self.held.front()?;
            if !(front.complete || self.ended) {
                return None;
            }
            self.first_seq += 1;
            return self.held.pop_front();
        };
        let &Reverse(top) = ooo.complete.peek()?;
        if !(self.ended || ooo.open.first().is_none_or(|&first| top <= first)) {
            return None;
        }
        ooo.complete.pop();
        let vm = self.vm(top.1);
        vm.released = true;
        let vm = *vm;
        while self.held.front().is_some_and(|v| v.released) {
            self.held.pop_front();
            self.first_seq += 1;
        }
        Some(vm)
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
        if r.get(4)
            .is_some_and(|t| super::io::trim(t).parse::<f64>().is_ok())
        {
            return Ok(false);
        }
        if r.iter().map(|f| f.trim().to_ascii_lowercase()).eq(HEADER) {
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
        let key = key_of(vmid(r));
        if let Some(&open) = self.open.get(&key) {
            let line = self.held[(open - self.first_seq) as usize].line;
            return Err(bad(
                r,
                0,
                p,
                format!(
                    "field `vmid`: VM {:?} is created again while it runs (created on line {line})",
                    vmid(r),
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
            complete: false,
            released: false,
        };
        self.seq += 1;
        if arrival < self.last_create && self.out_of_order.is_none() {
            self.out_of_order = Some(self.sort_held());
        }
        self.last_create = self.last_create.max(arrival);
        if let Some(ooo) = &mut self.out_of_order {
            ooo.open.insert((vm.arrival, vm.seq));
        }
        if self.held.is_empty() {
            self.first_seq = vm.seq;
        }
        self.held.push_back(vm);
        self.open.insert(key, vm.seq);
        Ok(())
    }

    /// The out-of-order structures over the VMs held so far.
    fn sort_held(&self) -> OutOfOrder {
        let mut ooo = OutOfOrder::default();
        for vm in &self.held {
            if vm.complete {
                ooo.complete.push(Reverse((vm.arrival, vm.seq)));
            } else {
                ooo.open.insert((vm.arrival, vm.seq));
            }
        }
        ooo
    }

    /// Completes the open VM; a delete without a create (a VM from before the trace) is ignored.
    fn delete(&mut self, time: SimTime) -> Result<(), TraceError> {
        let Some(seq) = self.open.remove(&key_of(vmid(&self.record))) else {
            return Ok(());
        };
        let vm = *self.vm(seq);
        if let Some(ooo) = &mut self.out_of_order {
            ooo.open.remove(&(vm.arrival, vm.seq));
        }
        if time < vm.arrival {
            return Err(bad(
                &self.record,
                3,
                &self.path,
                format!(
                    "field `time`: expected the delete at or after the create at {} s (line {}), found {} s",
                    vm.arrival.as_secs_f64(),
                    vm.line,
                    time.as_secs_f64()
                ),
            ));
        }
        let held = self.vm(seq);
        held.lifetime = Some(time - vm.arrival);
        held.complete = true;
        if let Some(ooo) = &mut self.out_of_order {
            ooo.complete.push(Reverse((vm.arrival, vm.seq)));
        }
        Ok(())
    }

    /// At the end of the file the VMs still open are running: they become complete.
    fn finish(&mut self) {
        self.ended = true;
        if let Some(ooo) = &mut self.out_of_order {
            ooo.complete
                .extend(std::mem::take(&mut ooo.open).into_iter().map(Reverse));
        }
        self.open.clear();
    }
}

impl TraceReader for HuaweiReader {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        let vm = loop {
            if let Some(vm) = self.release() {
                break vm;
            }
            if self.ended {
                return Ok(None);
            }
            if !self.read_row()? {
                self.finish();
            }
        };
        Ok(Some(TraceVm {
            subscription: 0,
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, BinaryHeap, HashMap};

    /// The reader as it was, on parsed rows (vmid, time, type, line): one min-heap of the
    /// complete VMs and an ordered set of the open ones throughout. Returns (line, lifetime).
    fn reference(rows: &[(u32, u64, u8, u64)]) -> Vec<(u64, Option<u64>)> {
        let mut open: HashMap<u32, (u64, u64, u64)> = HashMap::new(); // vmid -> (t, seq, line)
        let mut oldest = BTreeSet::new();
        let mut done = BinaryHeap::new();
        let mut out = Vec::new();
        let release =
            |done: &mut BinaryHeap<_>, oldest: &BTreeSet<(u64, u64)>, end, out: &mut Vec<_>| {
                while let Some(&Reverse((t, s, line, life))) = done.peek() {
                    if !(end || oldest.first().is_none_or(|&f| (t, s) <= f)) {
                        break;
                    }
                    done.pop();
                    out.push((line, life));
                }
            };
        for (seq, &(id, t, kind, line)) in rows.iter().enumerate() {
            let seq = seq as u64;
            if kind == 0 {
                open.insert(id, (t, seq, line));
                oldest.insert((t, seq));
            } else if let Some((a, s, l)) = open.remove(&id) {
                oldest.remove(&(a, s));
                done.push(Reverse((a, s, l, Some(t - a))));
            }
            release(&mut done, &oldest, false, &mut out);
        }
        for (_, (a, s, l)) in open {
            done.push(Reverse((a, s, l, None)));
        }
        release(&mut done, &BTreeSet::new(), true, &mut out);
        out
    }

    #[test]
    fn releases_what_one_heap_and_one_set_released_in_order_or_not() {
        let dir = std::env::temp_dir().join(format!("dcsim-huawei-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut state = 0x853c_49e6_748f_ea9bu64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for case in 0..40 {
            // Creates in time order for the first cases, then some created out of order.
            let late = if case < 10 { 0 } else { 1 + next(5) };
            let (mut rows, mut running, mut t) = (Vec::new(), Vec::new(), 0u64);
            for vm in 0..300u32 {
                t += next(3);
                let create = t.saturating_sub(if next(6) == 0 { late * next(20) } else { 0 });
                // Deletes at or after the create (a delete before it is an error).
                rows.push((vm, create, 0u8, 0u64));
                running.push((vm, create));
                if next(2) == 0 && !running.is_empty() {
                    let (id, at) = running.swap_remove(next(running.len() as u64) as usize);
                    rows.push((id, at.max(t) + next(4), 1, 0));
                }
            }
            let mut text = String::from("vmid,cpu,memory,time,type\n");
            for (i, r) in rows.iter_mut().enumerate() {
                r.3 = i as u64 + 2;
                text += &format!("{},1,2,{},{}\n", r.0, r.1, r.2);
            }
            let path = dir.join(format!("t{case}.csv"));
            std::fs::write(&path, text).unwrap();
            let mut reader = open(&TraceFiles::main_only(&path)).unwrap();
            let mut got = Vec::new();
            while let Some(vm) = reader.next_vm().unwrap() {
                got.push((vm.line, vm.lifetime.map(|l| l.0 / 1_000_000)));
            }
            assert_eq!(got, reference(&rows), "case {case}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
