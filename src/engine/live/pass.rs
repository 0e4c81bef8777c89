//! The usage pass over the live set's compact records (`LiveSet::sample_pass`), split into
//! contiguous handle ranges ("shards") that run on their own threads when there are several.
//!
//! Each shard writes only its own handles' records and its own accumulator; what must touch
//! shared state (the full records of workloads whose held CPU or migration loss changed) is
//! listed per shard and applied after the shards join, shard by shard, so that the result is
//! the same, bit for bit, whatever the number of shards.

use super::{Demand, LiveSet, Sampled};
use crate::time::SimTime;
use crate::workload::UsageStore;

/// What one shard leaves for the live set to apply after the pass (kept between passes so
/// that steady state never allocates).
#[derive(Debug, Default)]
pub(super) struct ShardScratch {
    /// Handles whose held CPU the update changed, in handle order.
    held_changed: Vec<u32>,
    /// (handle, CPU lost to migration since its last accounting).
    degraded: Vec<(u32, f64)>,
}

/// Handles per shard below which a pass is not worth a thread.
const MIN_SHARD: usize = 16_384;

impl LiveSet {
    /// How many shards a pass over this live set should use with `threads` available: one
    /// unless each would have at least `MIN_SHARD` handles.
    pub fn shards_for(&self, threads: usize) -> usize {
        (self.hot.len() / MIN_SHARD).clamp(1, threads.max(1))
    }

    /// The usage pass at `now`: every live workload whose usage varies (every one with `all`)
    /// has its demand integrals brought up to `now`, then `update` is given its `Sampled` and
    /// `Demand` records, its handle, its usage now and its shard's accumulator (of `acc`, one
    /// per shard: shard k covers the k-th contiguous range of handles), and sets its demand
    /// and want (and, returning `true`, its `held_cpu`, which is then copied into its record
    /// and host list). Within a shard, handles are visited in order; shards run in parallel.
    pub fn sample_pass<A: Send>(
        &mut self,
        (now, migration_penalty): (SimTime, f64),
        all: bool,
        store: &UsageStore,
        acc: &mut [A],
        update: impl Fn(&mut Sampled, &mut Demand, u32, f64, &mut A) -> bool + Sync,
    ) {
        self.shapes.refresh(now, store);
        let time_bits = crate::workload::noise_time(now);
        let (last, pass_dt) = (self.pass_at, now.saturating_sub(self.pass_at).as_secs_f64());
        self.pass_at = now;
        let shards = acc.len().max(1);
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.resize_with(shards, ShardScratch::default);
        let n = self.hot.len();
        let per = n.div_ceil(shards).max(1);
        let shapes = &self.shapes;
        let update = &update;
        let run = |(first, hot, cpu, accounted, acc, out): Job<'_, A>| {
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
                if update(hot, c, handle, usage, acc) {
                    out.held_changed.push(handle);
                }
            }
        };
        let jobs = self
            .hot
            .chunks_mut(per)
            .zip(self.cpu.chunks_mut(per))
            .zip(self.accounted.chunks_mut(per))
            .zip(acc.iter_mut().zip(scratch.iter_mut()))
            .enumerate()
            .map(|(s, (((hot, cpu), accounted), (acc, out)))| {
                (s * per, hot, cpu, accounted, acc, out)
            });
        if shards == 1 {
            jobs.for_each(run);
        } else {
            std::thread::scope(|scope| {
                let mut jobs = jobs;
                let here = jobs.next();
                for job in jobs {
                    scope.spawn(move || run(job));
                }
                if let Some(job) = here {
                    run(job);
                }
            });
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

/// One shard's work: its first handle, its slices of the by-handle records, its accumulator
/// and its scratch.
type Job<'a, A> = (
    usize,
    &'a mut [Sampled],
    &'a mut [Demand],
    &'a mut [SimTime],
    &'a mut A,
    &'a mut ShardScratch,
);
