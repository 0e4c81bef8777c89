//! One workload's step in the usage pass: its demand from its usage now, and the change to
//! its host summed for the pass; compiled once per combination of the options it checks, so
//! that an option that is off costs nothing per workload.

use super::{HostDelta, PassChunk, PassWorker};
use crate::engine::live::{Demand, PassCtx, Sampled};
use crate::landscape::{Fleet, HostId};
use crate::workload::ClassId;

/// What every step reads: the fleet and the workload impact (CPU factors).
pub(super) struct Visit<'a> {
    pub fleet: &'a Fleet,
    pub impact: &'a Option<Box<crate::impact::WorkloadImpact>>,
}

impl Visit<'_> {
    /// Sets the workload's want and demand from `usage`; returns whether it changed its held
    /// CPU. `BY_DEMAND`: CPU is allocated by demand; `RETIRE`: workloads whose usage is zero
    /// are retired (CloudSim-compatible profile); `SCALED`: the impact scales CPU by class and
    /// host type.
    #[inline(always)]
    pub(super) fn step<const BY_DEMAND: bool, const RETIRE: bool, const SCALED: bool>(
        &self,
        (w, c): (&mut Sampled, &mut Demand),
        handle: u32,
        usage: f64,
        at: &mut PassCtx<'_, PassWorker, PassChunk>,
    ) -> bool {
        let wants = crate::engine::handlers::demand_of(usage, w.cpu);
        let wants = if SCALED {
            crate::engine::background::scaled(
                self.impact,
                self.fleet,
                ClassId(w.class),
                HostId(w.host),
                wants,
            )
        } else {
            wants
        };
        let i = w.host as usize;
        let demand = wants.min(w.limit);
        let (was_short, short) = (c.wants > c.demand, wants > demand);
        c.wants = wants;
        // CloudSim destroys a VM whose requested MIPS is zero at an update, for good (not
        // while it migrates, nor at the instant it is placed: it is being instantiated).
        // Zero means a usage of exactly zero: with series read linearly, both samples
        // around the update are zero (a demand that merely rounds to 0 MIPS is not).
        // (The instant it is placed is checked in `retire_idle`.)
        if RETIRE && usage == 0.0 && !w.migrating() {
            at.chunk.retiring.push(handle);
        }
        let moves_hold = BY_DEMAND && w.held_cpu != demand;
        if demand == c.demand && !moves_hold && was_short == short {
            return false;
        }
        let d: &mut HostDelta = &mut at.worker.deltas[i];
        let stamp = at.index as u32 + 1;
        if d.stamp != stamp {
            d.stamp = stamp;
            at.chunk.changed.push(HostId(w.host));
        }
        d.demand += demand as i64 - c.demand as i64;
        d.short += i32::from(short) - i32::from(was_short);
        c.demand = demand;
        if BY_DEMAND {
            d.held += demand as i64 - w.held_cpu as i64;
            w.held_cpu = demand;
        }
        BY_DEMAND
    }
}
