//! `Reorder`: sorts a nearly-sorted stream of trace rows by arrival with a bounded window.
//! A row that arrives earlier than one already released is an error that says to sort the file.
//! Rows that come in order (the common case) wait in a queue, at a push and a pop each; only
//! rows earlier than the last one queued go through a heap. The earliest of the two fronts is
//! released, so the output is the same as one heap over every row held would give.

use super::{TraceError, TraceReader, TraceVm};
use crate::time::SimTime;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
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
    /// Rows held in (arrival, file order) order: each came no earlier than the one before it.
    queue: VecDeque<Held>,
    /// Rows held that came earlier than the last row of `queue`.
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
            queue: VecDeque::new(),
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
        while !self.exhausted && self.queue.len() + self.heap.len() < self.window {
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
                    let held = Held(vm.arrival, self.seq, vm);
                    match self.queue.back() {
                        Some(last) if held.0 < last.0 => self.heap.push(Reverse(held)),
                        _ => self.queue.push_back(held),
                    }
                }
                None => self.exhausted = true,
            }
        }
        let from_heap = match (self.queue.front(), self.heap.peek()) {
            (Some(q), Some(Reverse(h))) => h < q,
            (None, _) => true,
            (Some(_), None) => false,
        };
        let next = if from_heap {
            self.heap.pop().map(|Reverse(h)| h)
        } else {
            self.queue.pop_front()
        };
        Ok(next.map(|Held(t, _, vm)| {
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
                subscription: 0,
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
    fn queue_and_heap_release_what_one_heap_over_every_row_would() {
        // Nearly sorted times with ties and late rows; the reference holds `window` rows and
        // releases the earliest (time, file order) of them, as the reorder did with one heap.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let times: Vec<u64> = (0..2_000u64)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (i / 3 + state % 9).saturating_sub(4 * state.is_multiple_of(7) as u64)
            })
            .collect();
        for window in [1, 2, 5, 64, 5_000] {
            let mut r = Reorder::new(
                Box::new(Rows(times.clone(), 0)) as Box<dyn TraceReader>,
                window,
                "t.csv".into(),
            );
            let got: Vec<u64> = std::iter::from_fn(|| r.next_sorted().ok().flatten())
                .map(|v| v.line)
                .collect();
            let (mut held, mut want, mut next) = (Vec::new(), Vec::new(), 0);
            loop {
                while held.len() < window && next < times.len() {
                    held.push((times[next], next as u64 + 1));
                    next += 1;
                }
                let Some(i) = (0..held.len()).min_by_key(|&i| held[i]) else {
                    break;
                };
                want.push(held.remove(i).1);
            }
            // A window too small to sort the rows stops the reorder with an error: the rows
            // released before it are the reference's first ones.
            assert!(!got.is_empty());
            assert_eq!(got[..], want[..got.len()], "window {window}");
            if window == 5_000 {
                assert_eq!(got.len(), times.len());
            }
        }
    }

    #[test]
    fn a_row_too_far_out_of_order_is_an_error_naming_its_line() {
        let err = drain(vec![5, 6, 7, 8, 1], 2).unwrap_err();
        assert_eq!(err.line, Some(5));
        assert!(err.message.contains("sort it by arrival"), "{err}");
    }
}
