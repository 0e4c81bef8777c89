//! `LiveSet`: the workloads now running, dense for one-pass sweeps, with stable handles for events.

use crate::landscape::HostId;
use crate::time::SimTime;
use crate::workload::{Resources, WorkloadSpec};
use petgraph::stable_graph::NodeIndex;

/// A workload placed on a host.
#[derive(Clone, Copy, Debug)]
pub struct LiveWorkload {
    pub spec: WorkloadSpec,
    pub host: HostId,
    pub placed_at: SimTime,
    /// Current CPU demand in millicores.
    pub demand: u32,
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
    /// ∫ demand dt and ∫ (CPU lost to migration) dt, millicore·seconds, up to `accounted`.
    pub requested_mcs: f64,
    pub degraded_mcs: f64,
    pub accounted: SimTime,
    handle: u32,
}

impl LiveWorkload {
    pub fn handle(&self) -> u32 {
        self.handle
    }

    /// Brings the demand integrals up to `now` (call before demand or migration state changes).
    pub fn account(&mut self, now: SimTime, migration_penalty: f64) {
        let dt = now.saturating_sub(self.accounted).as_secs_f64();
        let d = self.demand as f64 * dt;
        self.requested_mcs += d;
        if self.migrating_to.is_some() {
            self.degraded_mcs += migration_penalty * d;
        }
        self.accounted = now;
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
            (self.position.len() - 1) as u32
        });
        self.position[handle as usize] = self.items.len() as u32;
        self.items.push(LiveWorkload {
            spec,
            host,
            placed_at,
            demand,
            node,
            held,
            migrating_to: None,
            reserved: Resources::ZERO,
            on_host_since: placed_at,
            requested_mcs: 0.0,
            degraded_mcs: 0.0,
            accounted: placed_at,
            handle,
        });
        (handle, self.generation[handle as usize])
    }

    /// Removes the workload with this handle, if it is still the same generation.
    pub fn remove(&mut self, handle: u32, generation: u32) -> Option<LiveWorkload> {
        let h = handle as usize;
        if self.generation.get(h) != Some(&generation) || self.position[h] == u32::MAX {
            return None;
        }
        let pos = self.position[h] as usize;
        let removed = self.items.swap_remove(pos);
        if let Some(moved) = self.items.get(pos) {
            self.position[moved.handle as usize] = pos as u32;
        }
        self.position[h] = u32::MAX;
        self.generation[h] = self.generation[h].wrapping_add(1);
        self.free_handles.push(handle);
        Some(removed)
    }

    /// The workload with this handle, if it is still the same generation.
    pub fn get_mut(&mut self, handle: u32, generation: u32) -> Option<&mut LiveWorkload> {
        let h = handle as usize;
        if self.generation.get(h) != Some(&generation) || self.position[h] == u32::MAX {
            return None;
        }
        Some(&mut self.items[self.position[h] as usize])
    }

    /// Handle and generation of the workload at dense position `i`.
    pub fn key_at(&self, i: usize) -> (u32, u32) {
        let h = self.items[i].handle;
        (h, self.generation[h as usize])
    }

    pub fn iter(&self) -> impl Iterator<Item = &LiveWorkload> {
        self.items.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut LiveWorkload> {
        self.items.iter_mut()
    }
}
