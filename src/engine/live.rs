//! `LiveSet`: the workloads now running, dense for one-pass sweeps, with stable handles for events.

mod pass;
mod sampled;

pub use pass::PassCtx;
pub use sampled::{Demand, Sampled, SharedShapes};

use crate::landscape::FeatureMask;
use crate::landscape::HostId;
use crate::time::SimTime;
use crate::workload::{Resources, WorkloadId, WorkloadSpec};
use petgraph::stable_graph::NodeIndex;

/// A workload placed on a host.
#[derive(Clone, Copy, Debug)]
pub struct LiveWorkload {
    pub spec: WorkloadSpec,
    pub host: HostId,
    pub placed_at: SimTime,
    /// Its node in the landscape graph.
    pub node: NodeIndex,
    /// What it holds of its host's allocation: its request, or with
    /// `landscape.cpu_allocation = "demand"` its current CPU demand and its memory.
    pub held: Resources,
    /// The host it is migrating to, while a live migration runs, and what it reserved there.
    pub migrating_to: Option<HostId>,
    pub reserved: Resources,
    /// When it arrived on its current host.
    pub on_host_since: SimTime,
    /// When its current migration began (meaningful while `migrating_to` is set).
    pub migration_started: SimTime,
    /// CloudSim-compatible profile: the first destination of a redirected migration, which
    /// counts the VM as incoming until the copy ends (see `redirect_migration`).
    pub first_leg: Option<HostId>,
    /// ∫ (CPU lost to migration) dt, millicore·seconds, up to its `Sampled::accounted` (its
    /// CPU demand and ∫ demand dt are in its `Sampled` record: `LiveSet::cpu_of`, `account`).
    pub degraded_mcs: f64,
    /// Interference SLA: its host's clock for its class when it landed there, and the seconds
    /// it was short on earlier hosts (`metrics::SlaClock`; 0 when off).
    pub sla_mark: f64,
    pub sla_short_s: f64,
    /// Finite jobs under interference (`impact.fixed_work`): its host's work clock when it
    /// landed, the work done on earlier hosts (seconds at full speed), and when its pending
    /// departure is due (a departure event before that is stale).
    pub work_mark: f64,
    pub work_done_s: f64,
    pub due: SimTime,
    handle: u32,
}

impl LiveWorkload {
    pub fn handle(&self) -> u32 {
        self.handle
    }
}

/// Running workloads in a dense `Vec` (removal swaps the last one in), addressed by handles that
/// stay valid while the workload lives. Freed handles are reused, so steady state never allocates.
#[derive(Debug, Default)]
pub struct LiveSet {
    items: Vec<LiveWorkload>,
    /// Dense position of each handle, `u32::MAX` when free.
    position: Vec<u32>,
    generation: Vec<u32>,
    free_handles: Vec<u32>,
    /// What runs on each host (in no particular order) and each handle's slot in its list.
    residents: Vec<Vec<Resident>>,
    slot: Vec<u32>,
    /// By handle: what the usage pass reads (free handles marked so) and what it writes.
    hot: Vec<Sampled>,
    cpu: Vec<Demand>,
    /// By handle: when its demand was last accounted, for those on their own clock (the others
    /// were accounted at `pass_at`, the last usage pass).
    accounted: Vec<SimTime>,
    pass_at: SimTime,
    shapes: SharedShapes,
    /// Each host's per-core request limit (copied into `Sampled::limit`).
    host_limits: Vec<u32>,
    /// Scratch of `sample_pass`, one per chunk.
    scratch: Vec<pass::ShardScratch>,
    /// Per host, the largest holding of its workloads and whether one is migrating, valid for
    /// hosts not in `stale` (refreshed by `refresh_summaries`).
    summary: Vec<HostSummary>,
    stale: Vec<bool>,
    stale_hosts: Vec<u32>,
}

/// What a rebalancing round checks first about a host's workloads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostSummary {
    /// The largest CPU and the largest memory any of them holds (maybe of different ones).
    pub max_held: Resources,
    pub migrating: bool,
}

/// One workload in its host's list: a copy of what the rebalancing round reads, kept beside
/// the handle so that scanning a host touches one small array (its demand, which changes at
/// every sample, is in its `Sampled` record, by handle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resident {
    pub handle: u32,
    pub generation: u32,
    pub held: Resources,
    pub migrating: bool,
    pub id: WorkloadId,
    pub features: FeatureMask,
    pub size: Resources,
}

impl LiveSet {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Inserts and returns (handle, generation).
    pub fn insert(
        &mut self,
        spec: WorkloadSpec,
        host: HostId,
        placed_at: SimTime,
        (demand, held): (u32, Resources),
        node: NodeIndex,
    ) -> (u32, u32) {
        let handle = self.free_handles.pop().unwrap_or_else(|| {
            self.position.push(u32::MAX);
            self.generation.push(0);
            self.slot.push(u32::MAX);
            self.hot.push(Sampled::default());
            self.cpu.push(Demand::default());
            self.accounted.push(SimTime::ZERO);
            (self.position.len() - 1) as u32
        });
        self.position[handle as usize] = self.items.len() as u32;
        self.items.push(LiveWorkload {
            spec,
            host,
            placed_at,
            node,
            held,
            migrating_to: None,
            reserved: Resources::ZERO,
            on_host_since: placed_at,
            migration_started: placed_at,
            first_leg: None,
            degraded_mcs: 0.0,
            sla_mark: 0.0,
            sla_short_s: 0.0,
            work_mark: 0.0,
            work_done_s: 0.0,
            due: SimTime::ZERO,
            handle,
        });
        let h = handle as usize;
        self.hot[h] = Sampled::new(&spec);
        self.hot[h].set_usage(&spec.usage, &mut self.shapes);
        self.cpu[h] = Demand {
            requested_mcs: 0.0,
            demand,
            wants: demand,
        };
        self.accounted[h] = placed_at;
        self.attach(handle, host);
        (handle, self.generation[handle as usize])
    }

    /// Removes the workload with this handle, if it is still the same generation: its record
    /// and its last `Demand`.
    pub fn remove(&mut self, handle: u32, generation: u32) -> Option<(LiveWorkload, Demand)> {
        let h = handle as usize;
        if self.generation.get(h) != Some(&generation) || self.position[h] == u32::MAX {
            return None;
        }
        let pos = self.position[h] as usize;
        let removed = self.items.swap_remove(pos);
        self.detach(handle, removed.host);
        if let Some(moved) = self.items.get(pos) {
            self.position[moved.handle as usize] = pos as u32;
        }
        self.position[h] = u32::MAX;
        self.generation[h] = self.generation[h].wrapping_add(1);
        self.free_handles.push(handle);
        self.hot[h].release(&mut self.shapes);
        Some((removed, self.cpu[h]))
    }

    /// Moves a workload's residence to host `to` (a migration landed).
    pub fn move_to(&mut self, handle: u32, generation: u32, to: HostId) {
        let Some(from) = self.get_mut(handle, generation).map(|w| w.host) else {
            return;
        };
        self.detach(handle, from);
        self.attach(handle, to);
        if let Some(w) = self.get_mut(handle, generation) {
            w.host = to;
        }
    }

    fn attach(&mut self, handle: u32, host: HostId) {
        let i = host.index();
        if i >= self.residents.len() {
            self.residents.resize_with(i + 1, Vec::new);
            self.summary.resize(i + 1, HostSummary::default());
            self.stale.resize(i + 1, false);
        }
        self.mark_stale(i);
        self.slot[handle as usize] = self.residents[i].len() as u32;
        let entry = self.resident_of(handle);
        self.residents[i].push(entry);
        self.sync_hot(handle, host);
    }

    fn detach(&mut self, handle: u32, host: HostId) {
        self.mark_stale(host.index());
        let list = &mut self.residents[host.index()];
        let slot = self.slot[handle as usize] as usize;
        list.swap_remove(slot);
        if let Some(moved) = list.get(slot) {
            self.slot[moved.handle as usize] = slot as u32;
        }
    }

    /// The entry a live workload should have in its host's list.
    fn resident_of(&self, handle: u32) -> Resident {
        let w = &self.items[self.position[handle as usize] as usize];
        Resident {
            handle,
            generation: self.generation[handle as usize],
            held: w.held,
            migrating: w.migrating_to.is_some(),
            id: w.spec.id,
            features: w.spec.features,
            size: w.spec.request,
        }
    }

    /// Copies a workload's `held` and `migrating_to` into its host's list (call after changing
    /// either).
    pub fn sync_resident(&mut self, handle: u32) {
        let entry = self.resident_of(handle);
        let host = self.items[self.position[handle as usize] as usize].host;
        self.residents[host.index()][self.slot[handle as usize] as usize] = entry;
        self.mark_stale(host.index());
        self.sync_hot(handle, host);
    }

    /// Copies what the usage pass reads of a workload's record into its `Sampled` record.
    fn sync_hot(&mut self, handle: u32, host: HostId) {
        let w = &self.items[self.position[handle as usize] as usize];
        let hot = &mut self.hot[handle as usize];
        hot.host = host.0;
        hot.limit = self
            .host_limits
            .get(host.index())
            .copied()
            .unwrap_or(u32::MAX);
        hot.held_cpu = w.held.cpu;
        hot.set_migrating(w.migrating_to.is_some());
    }

    /// Copies a workload's usage profile and CPU request into its `Sampled` record (call
    /// after changing either).
    pub fn sync_usage(&mut self, handle: u32) {
        self.own_clock(handle);
        let w = &self.items[self.position[handle as usize] as usize];
        let hot = &mut self.hot[handle as usize];
        hot.cpu = w.spec.request.cpu;
        hot.set_usage(&w.spec.usage, &mut self.shapes);
    }

    /// Sets each host's per-core request limit (by `HostId`), for the usage pass to read
    /// beside each workload.
    pub fn set_host_limits(&mut self, limits: &[u32]) {
        self.host_limits.clear();
        self.host_limits.extend_from_slice(limits);
        for hot in &mut self.hot {
            hot.limit = limits.get(hot.host as usize).copied().unwrap_or(u32::MAX);
        }
    }

    fn mark_stale(&mut self, i: usize) {
        if !self.stale[i] {
            self.stale[i] = true;
            self.stale_hosts.push(i as u32);
        }
    }

    /// Recomputes the summaries of the hosts whose workloads changed since the last call.
    pub fn refresh_summaries(&mut self) {
        for &i in &self.stale_hosts {
            let i = i as usize;
            let mut s = HostSummary::default();
            for r in &self.residents[i] {
                s.max_held.cpu = s.max_held.cpu.max(r.held.cpu);
                s.max_held.memory = s.max_held.memory.max(r.held.memory);
                s.migrating |= r.migrating;
            }
            self.summary[i] = s;
            self.stale[i] = false;
        }
        self.stale_hosts.clear();
    }

    /// Host `h`'s summary as of the last `refresh_summaries`.
    pub fn host_summary(&self, h: HostId) -> HostSummary {
        self.summary.get(h.index()).copied().unwrap_or_default()
    }

    /// Sets the CPU demand and want of the live workload with this handle.
    pub fn set_cpu(&mut self, handle: u32, (demand, wants): (u32, u32)) {
        let c = &mut self.cpu[handle as usize];
        c.demand = demand;
        c.wants = wants;
    }

    /// The current demand of the live workload with this handle.
    pub fn demand_of(&self, handle: u32) -> u32 {
        self.cpu[handle as usize].demand
    }

    /// The current (demand, wants) of the live workload with this handle.
    pub fn cpu_of(&self, handle: u32) -> (u32, u32) {
        let c = &self.cpu[handle as usize];
        (c.demand, c.wants)
    }

    /// ∫ demand dt so far of the live workload with this handle, millicore·seconds (up to its
    /// last `account`).
    pub fn requested_mcs(&self, handle: u32) -> f64 {
        self.cpu[handle as usize].requested_mcs
    }

    /// Brings the demand integrals of the live workload with this handle up to `now` (call
    /// before its demand or migration state changes); a free handle is ignored.
    pub fn account(&mut self, handle: u32, now: SimTime, migration_penalty: f64) {
        let Some(&pos) = self.position.get(handle as usize) else {
            return;
        };
        if pos == u32::MAX {
            return;
        }
        self.own_clock(handle);
        let h = handle as usize;
        let dt = now.saturating_sub(self.accounted[h]).as_secs_f64();
        self.accounted[h] = now;
        let w = &mut self.items[pos as usize];
        if let Some(lost) = self.cpu[h].account(dt, migration_penalty, w.migrating_to.is_some()) {
            w.degraded_mcs += lost;
        }
    }

    /// Puts a live workload on its own accounting clock (where it was on the pass's).
    fn own_clock(&mut self, handle: u32) {
        let h = handle as usize;
        if !self.hot[h].own_clock() {
            self.accounted[h] = self.pass_at;
            self.hot[h].set_own_clock(true);
        }
    }

    /// Brings every live workload's demand integrals up to `now`.
    pub fn account_all(&mut self, now: SimTime, migration_penalty: f64) {
        for pos in 0..self.items.len() {
            self.account(self.items[pos].handle, now, migration_penalty);
        }
    }

    /// The dense position of a live handle (the order of `iter`).
    pub fn position_of(&self, handle: u32) -> u32 {
        self.position[handle as usize]
    }

    /// The generation of a handle.
    pub fn generation_of(&self, handle: u32) -> u32 {
        self.generation[handle as usize]
    }

    /// Whether host `h`'s list matches what runs there.
    pub fn residents_consistent(&self, h: HostId) -> bool {
        self.on_host(h).iter().all(|r| {
            self.by_handle(r.handle).is_some_and(|(w, _)| {
                let hot = &self.hot[r.handle as usize];
                w.host == h
                    && *r == self.resident_of(r.handle)
                    && hot.is_live()
                    && hot.host == h.0
                    && hot.held_cpu == w.held.cpu
                    && hot.cpu == w.spec.request.cpu
                    && hot.migrating() == w.migrating_to.is_some()
                    && hot.limit == self.host_limits.get(h.index()).copied().unwrap_or(u32::MAX)
            })
        })
    }

    /// What runs on host `h` (in no particular order).
    pub fn on_host(&self, h: HostId) -> &[Resident] {
        self.residents.get(h.index()).map_or(&[], Vec::as_slice)
    }

    /// The workload at dense position `i`.
    pub fn at_mut(&mut self, i: usize) -> &mut LiveWorkload {
        &mut self.items[i]
    }

    /// The live workload with this handle and its generation; `None` if the handle is free.
    pub fn by_handle(&self, handle: u32) -> Option<(&LiveWorkload, u32)> {
        let h = handle as usize;
        let pos = *self.position.get(h)?;
        (pos != u32::MAX).then(|| (&self.items[pos as usize], self.generation[h]))
    }

    /// The workload with this handle, if it is still the same generation.
    pub fn get_mut(&mut self, handle: u32, generation: u32) -> Option<&mut LiveWorkload> {
        let h = handle as usize;
        if self.generation.get(h) != Some(&generation) || self.position[h] == u32::MAX {
            return None;
        }
        Some(&mut self.items[self.position[h] as usize])
    }

    pub fn iter(&self) -> impl Iterator<Item = &LiveWorkload> {
        self.items.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut LiveWorkload> {
        self.items.iter_mut()
    }
}

#[cfg(test)]
mod tests;
