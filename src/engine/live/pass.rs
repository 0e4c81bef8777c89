//! The usage pass over the live set's compact records (`LiveSet::sample_pass`), cut into
//! contiguous handle ranges ("chunks") that threads take one at a time when there are several.
//!
//! Each chunk writes only its own handles' records and its own accumulator; what must touch
//! shared state (the full records of workloads whose held CPU or migration loss changed) is
//! listed per chunk and applied after the threads join, chunk by chunk, so that the result is
//! the same, bit for bit, whatever the number of chunks and threads.

use super::{Demand, LiveSet, Sampled};
use crate::time::SimTime;
use crate::workload::UsageStore;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What one chunk leaves for the live set to apply after the pass (kept between passes so
/// that steady state never allocates).
#[derive(Debug, Default)]
pub(super) struct ShardScratch {
    /// Handles whose held CPU the update changed, in handle order.
    held_changed: Vec<u32>,
    /// (handle, CPU lost to migration since its last accounting).
    degraded: Vec<(u32, f64)>,
}

/// Handles per chunk below which a pass is not worth a thread.
const MIN_CHUNK: usize = 16_384;
/// At most this many chunks in one pass.
pub const MAX_CHUNKS: usize = 16;

/// What `update` is given besides a workload's records: the accumulator of the worker
/// running this chunk, the chunk's own accumulator, and the chunk's index (chunk k covers
/// the k-th contiguous range of handles).
pub struct PassCtx<'a, W, C> {
    pub worker: &'a mut W,
    pub chunk: &'a mut C,
    pub index: usize,
}

impl LiveSet {
    /// How many chunks a pass over this live set should use with `workers` threads: one
    /// unless each would have at least `MIN_CHUNK` handles, else two per worker.
    pub fn chunks_for(&self, workers: usize) -> usize {
        if workers <= 1 {
            return 1;
        }
        (self.hot.len() / MIN_CHUNK).clamp(1, (2 * workers).min(MAX_CHUNKS))
    }

    /// The usage pass at `now`: every live workload whose usage varies (every one with `all`)
    /// has its demand integrals brought up to `now`, then `update` is given its `Sampled` and
    /// `Demand` records, its handle, its usage now and its `PassCtx`, and sets its demand and
    /// want (and, returning `true`, its `held_cpu`, which is then copied into its record and
    /// host list). The handles are cut into `chunks.len()` contiguous chunks (at most
    /// `MAX_CHUNKS`), each visited in handle order by one of `workers.len()` threads, which take
    /// the next chunk not yet taken (so a thread that starts late costs nothing but its
    /// start); what `update` leaves in a chunk's accumulator is thus the same whatever the
    /// number of threads, and what it leaves in a worker's must not depend on which chunks
    /// that worker ran (sums of integers, say).
    pub fn sample_pass<W: Send, C: Send>(
        &mut self,
        (now, migration_penalty): (SimTime, f64),
        all: bool,
        store: &UsageStore,
        (workers, chunks): (&mut [W], &mut [C]),
        update: impl Fn(&mut Sampled, &mut Demand, u32, f64, &mut PassCtx<'_, W, C>) -> bool + Sync,
    ) {
        assert!(!workers.is_empty() && (1..=MAX_CHUNKS).contains(&chunks.len()));
        self.shapes.refresh(now, store);
        let time_bits = crate::workload::noise_time(now);
        let (last, pass_dt) = (self.pass_at, now.saturating_sub(self.pass_at).as_secs_f64());
        self.pass_at = now;
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.resize_with(chunks.len().max(scratch.len()), ShardScratch::default);
        let n = self.hot.len();
        let per = n.div_ceil(chunks.len()).max(1);
        let shapes = &self.shapes;
        let update = &update;
        let run = |(index, hot, cpu, accounted, chunk, out): Job<'_, C>, worker: &mut W| {
            let first = index * per;
            let mut ctx = PassCtx {
                worker,
                chunk,
                index,
            };
            for (k, ((hot, c), accounted)) in hot.iter_mut().zip(cpu).zip(accounted).enumerate() {
                if !(hot.is_live() && (all || hot.varies())) {
                    // Skipped: it keeps the time it was last accounted at as its own.
                    if hot.is_live() && !hot.own_clock() {
                        hot.set_own_clock(true);
                        *accounted = last;
                    }
                    continue;
                }
                let handle = (first + k) as u32;
                let dt = if hot.own_clock() {
                    hot.set_own_clock(false);
                    now.saturating_sub(*accounted).as_secs_f64()
                } else {
                    pass_dt
                };
                if let Some(lost) = c.account(dt, migration_penalty, hot.migrating()) {
                    out.degraded.push((handle, lost));
                }
                let usage = hot.usage(shapes, time_bits, store);
                if update(hot, c, handle, usage, &mut ctx) {
                    out.held_changed.push(handle);
                }
            }
        };
        let mut jobs = self
            .hot
            .chunks_mut(per)
            .zip(self.cpu.chunks_mut(per))
            .zip(self.accounted.chunks_mut(per))
            .zip(chunks.iter_mut().zip(scratch.iter_mut()))
            .enumerate()
            .map(|(index, (((hot, cpu), accounted), (chunk, out)))| {
                (index, hot, cpu, accounted, chunk, out)
            });
        match workers {
            [worker] => jobs.for_each(|job| run(job, worker)),
            [here, others @ ..] => {
                let jobs: [Mutex<Option<Job<'_, C>>>; MAX_CHUNKS] =
                    std::array::from_fn(|_| Mutex::new(jobs.next()));
                let next = AtomicUsize::new(0);
                let work = |worker: &mut W| {
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(slot) = jobs.get(k) else {
                            break;
                        };
                        let job = slot.lock().ok().and_then(|mut j| j.take());
                        match job {
                            Some(job) => run(job, worker),
                            None => break,
                        }
                    }
                };
                let work = &work;
                std::thread::scope(|scope| {
                    for worker in others {
                        scope.spawn(move || work(worker));
                    }
                    work(here);
                });
            }
            [] => {}
        }
        for out in &mut scratch {
            for &(handle, lost) in &out.degraded {
                self.items[self.position[handle as usize] as usize].degraded_mcs += lost;
            }
            out.degraded.clear();
            for &handle in &out.held_changed {
                let held = self.hot[handle as usize].held_cpu;
                self.items[self.position[handle as usize] as usize].held.cpu = held;
                self.sync_resident(handle);
            }
            out.held_changed.clear();
        }
        self.scratch = scratch;
    }
}

/// One chunk's work: its index, its slices of the by-handle records, its accumulator and its
/// scratch.
type Job<'a, C> = (
    usize,
    &'a mut [Sampled],
    &'a mut [Demand],
    &'a mut [SimTime],
    &'a mut C,
    &'a mut ShardScratch,
);
