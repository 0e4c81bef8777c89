//! The usage pass of a `Sample`: every running workload's demand refreshed from its profile,
//! in two halves. The first half is per workload and reads nothing another workload changes
//! (profile, request, host type), so it runs on disjoint chunks of the live set in parallel;
//! the second half folds the changes into the hosts in dense order, one thread, exactly as a
//! single loop would. Results do not depend on the number of threads.

use super::background::scaled;
use super::handlers::demand_of;
use super::live::LiveWorkload;
use super::sim::Simulation;
use crate::impact::WorkloadImpact;
use crate::landscape::{Fleet, HostId};
use crate::time::SimTime;
use crate::workload::{DayPhase, UsageStore};
use rayon::prelude::*;

/// Below this many running workloads the pass stays on one thread (handing out work costs
/// more than it saves).
const PARALLEL_FROM: usize = 32_768;
/// Workloads per parallel task.
const CHUNK: usize = 16_384;
/// Workloads per block on one thread.
const SERIAL_BLOCK: usize = 4_096;

/// What the first half found for the workload at one dense position.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Sampled {
    handle: u32,
    host: u32,
    /// (demand, wants) before and after.
    old: (u32, u32),
    new: (u32, u32),
    /// Its CPU holding before (allocating by demand).
    old_held: u32,
    /// The host's sums must follow (`APPLY`); the workload is to be retired (`RETIRE`).
    flags: u8,
}

const APPLY: u8 = 1;
const RETIRE: u8 = 2;

/// What the first half reads, shared by every task.
struct Context<'a> {
    now: SimTime,
    day: DayPhase,
    store: &'a UsageStore,
    impact: &'a Option<Box<WorkloadImpact>>,
    fleet: &'a Fleet,
    fed: bool,
    penalty: f64,
    by_demand: bool,
    retire_idle: bool,
}

impl Context<'_> {
    fn sample_all(&self, ws: &mut [LiveWorkload], out: &mut [Sampled]) {
        for (w, o) in ws.iter_mut().zip(out) {
            *o = self.sample(w);
        }
    }

    /// Refreshes one workload's demand, integrals and (allocating by demand) holding.
    fn sample(&self, w: &mut LiveWorkload) -> Sampled {
        if !(self.fed || w.spec.usage.varies()) {
            return Sampled::default();
        }
        w.account(self.now, self.penalty);
        let usage = w.spec.usage.at_phase(self.now, self.day, self.store);
        let wants = demand_of(usage, w.spec.request.cpu);
        let wants = scaled(self.impact, self.fleet, w.spec.class, w.host, wants);
        let demand = wants.min(self.fleet.request_limit(w.host));
        let (old, was_short, short) = ((w.demand, w.wants), w.wants > w.demand, wants > demand);
        w.wants = wants;
        let mut flags = 0;
        // CloudSim destroys a VM whose requested MIPS is zero at an update, for good (not
        // while it migrates, nor at the instant it is placed: it is being instantiated).
        // Zero means a usage of exactly zero: with series read linearly, both samples
        // around the update are zero (a demand that merely rounds to 0 MIPS is not).
        if self.retire_idle && usage == 0.0 && w.migrating_to.is_none() && w.placed_at < self.now {
            flags |= RETIRE;
        }
        let moves_hold = self.by_demand && w.held.cpu != demand;
        let old_held = w.held.cpu;
        if demand != w.demand || moves_hold || was_short != short {
            flags |= APPLY;
            w.demand = demand;
            if self.by_demand {
                w.held.cpu = demand;
            }
        }
        Sampled {
            handle: w.handle(),
            host: w.host.0,
            old,
            new: (demand, wants),
            old_held,
            flags,
        }
    }
}

impl Simulation<'_> {
    /// Refreshes every varying usage profile (every profile when a usage feed is on) and
    /// brings the hosts whose demand changed up to date; returns those hosts, in the order
    /// their first workload comes in the live set (their marks in `host_changed` are set).
    ///
    /// The live set is taken a block at a time (one `CHUNK` per thread), so that the block's
    /// findings are still in cache when they are folded.
    pub(super) fn sample_usage(&mut self, fed: bool) -> Vec<HostId> {
        let len = self.live.len();
        let threads = rayon::current_num_threads();
        let parallel = len >= PARALLEL_FROM && threads > 1;
        let block = if parallel {
            CHUNK * threads
        } else {
            SERIAL_BLOCK
        };
        let mut sampled = std::mem::take(&mut self.sampled);
        sampled.resize(block.min(len), Sampled::default());
        let mut changed = std::mem::take(&mut self.changed_hosts);
        let mut start = 0;
        while start < len {
            let end = (start + block).min(len);
            let out = &mut sampled[..end - start];
            let cx = Context {
                now: self.now,
                day: DayPhase::at(self.now),
                store: self.stream.usage_store(),
                impact: &self.impact,
                fleet: &self.fleet,
                fed,
                penalty: self.migration_penalty,
                by_demand: self.allocate_by_demand,
                retire_idle: self.retire_idle_vms,
            };
            let items = &mut self.live.items_mut()[start..end];
            if parallel {
                items
                    .par_chunks_mut(CHUNK)
                    .zip(out.par_chunks_mut(CHUNK))
                    .for_each(|(ws, os)| cx.sample_all(ws, os));
            } else {
                cx.sample_all(items, out);
            }
            self.fold_samples(out, &mut changed);
            start = end;
        }
        self.sampled = sampled;
        changed
    }

    /// The second half: the hosts' sums, meters and holdings follow, in dense order.
    fn fold_samples(&mut self, sampled: &[Sampled], changed: &mut Vec<HostId>) {
        let now = self.now;
        let by_demand = self.allocate_by_demand;
        for s in sampled {
            if s.flags & RETIRE != 0 {
                self.retiring.push(s.handle);
            }
            if s.flags & APPLY == 0 {
                continue;
            }
            let i = s.host as usize;
            if !self.host_changed[i] {
                self.host_changed[i] = true;
                self.meters.advance(HostId(s.host), now, &self.fleet);
                changed.push(HostId(s.host));
            }
            self.fleet.remove_cpu(i, s.old);
            self.fleet.add_cpu(i, s.new);
            if by_demand {
                let held = &mut self.fleet.allocated[i].cpu;
                *held = *held - s.old_held + s.new.0;
                self.live.sync_resident(s.handle);
            }
            self.live.set_demand(s.handle, s.new.0);
        }
    }
}
