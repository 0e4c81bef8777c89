//! `Reorder`: sorts a nearly-sorted stream of trace rows by arrival with a bounded window.
//! A row that arrives earlier than one already released is an error that says to sort the file.

use super::{TraceError, TraceReader, TraceVm};
use crate::time::SimTime;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::PathBuf;

/// Ordered by (arrival, file order).
struct Held(SimTime, u64, TraceVm);

impl PartialEq for Held {
    fn eq(&self, o: &Self) -> bool {
        (self.0, self.1) == (o.0, o.1)
    }
}
impl Eq for Held {}
impl PartialOrd for Held {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Held {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.0, self.1).cmp(&(o.0, o.1))
    }
}

pub struct Reorder<R> {
    reader: R,
    window: usize,
    heap: BinaryHeap<Reverse<Held>>,
    seq: u64,
    released: SimTime,
    exhausted: bool,
    path: PathBuf,
}

impl<R: TraceReaderLike> Reorder<R> {
    pub fn new(reader: R, window: usize, path: PathBuf) -> Reorder<R> {
        Reorder {
            reader,
            window: window.max(1),
            heap: BinaryHeap::new(),
            seq: 0,
            released: SimTime::ZERO,
            exhausted: false,
            path,
        }
    }

    pub fn reader(&self) -> &R {
        &self.reader
    }

    pub fn reader_mut(&mut self) -> &mut R {
        &mut self.reader
    }

    /// The earliest held row once the window is full (or the input is exhausted).
    pub fn next_sorted(&mut self) -> Result<Option<TraceVm>, TraceError> {
        while !self.exhausted && self.heap.len() < self.window {
            match self.reader.next_vm()? {
                Some(vm) => {
                    if vm.arrival < self.released {
                        return Err(TraceError::new(
                            &self.path,
                            Some(vm.line),
                            None,
                            format!(
                                "arrival {} comes after arrivals up to {} were already replayed: the file is out of order beyond the reorder window of {} rows; sort it by arrival time first (or raise workload.trace.reorder_window)",
                                vm.arrival, self.released, self.window
                            ),
                        ));
                    }
                    self.seq += 1;
                    self.heap.push(Reverse(Held(vm.arrival, self.seq, vm)));
                }
                None => self.exhausted = true,
            }
        }
        Ok(self.heap.pop().map(|Reverse(Held(t, _, vm))| {
            self.released = t;
            vm
        }))
    }
}

/// What `Reorder` needs of its input (a boxed reader or any reader).
pub trait TraceReaderLike {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError>;
}

impl<R: TraceReader + ?Sized> TraceReaderLike for Box<R> {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        (**self).next_vm()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::trace::TraceUsage;

    struct Rows(Vec<u64>, usize);
    impl TraceReader for Rows {
        fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
            let Some(&t) = self.0.get(self.1) else {
                return Ok(None);
            };
            self.1 += 1;
            Ok(Some(TraceVm {
                line: self.1 as u64,
                key: 0,
                class: String::new(),
                arrival: SimTime::from_secs(t),
                lifetime: None,
                cores: None,
                memory_gib: None,
                usage: TraceUsage::Unknown,
                group: None,
            }))
        }
    }

    fn drain(times: Vec<u64>, window: usize) -> Result<Vec<u64>, TraceError> {
        let mut r = Reorder::new(
            Box::new(Rows(times, 0)) as Box<dyn TraceReader>,
            window,
            "t.csv".into(),
        );
        let mut out = Vec::new();
        while let Some(vm) = r.next_sorted()? {
            out.push(vm.arrival.0 / 1_000_000);
        }
        Ok(out)
    }

    #[test]
    fn sorts_within_the_window_and_keeps_file_order_on_ties() {
        assert_eq!(drain(vec![3, 1, 2, 5, 4], 3).unwrap(), vec![1, 2, 3, 4, 5]);
        let mut r = Reorder::new(
            Box::new(Rows(vec![2, 2, 1], 0)) as Box<dyn TraceReader>,
            4,
            "t.csv".into(),
        );
        let lines: Vec<u64> = std::iter::from_fn(|| r.next_sorted().unwrap())
            .map(|v| v.line)
            .collect();
        assert_eq!(lines, vec![3, 1, 2]);
    }

    #[test]
    fn a_row_too_far_out_of_order_is_an_error_naming_its_line() {
        let err = drain(vec![5, 6, 7, 8, 1], 2).unwrap_err();
        assert_eq!(err.line, Some(5));
        assert!(err.message.contains("sort it by arrival"), "{err}");
    }
}
