//! The wanted members of trace services by workload id, in a dense window: a trace's ids count
//! up in arrival order, so workload `base + i` is slot `i`, and the slots of members that are
//! over are dropped from the front. The window spans the oldest wanted member to the newest;
//! every look-up is an index, never a hash probe.

use crate::landscape::HostId;
use crate::workload::WorkloadId;
use std::collections::VecDeque;

#[derive(Clone, Copy)]
pub(super) struct Member {
    /// `NOT_WANTED.service` in a slot of the window that is no wanted member.
    pub service: u32,
    pub component: u16,
    pub placed: bool,
    pub reachable: bool,
    /// Where it runs while `placed`.
    pub host: HostId,
}

const NOT_WANTED: Member = Member {
    service: u32::MAX,
    component: 0,
    placed: false,
    reachable: false,
    host: HostId(0),
};

#[derive(Default)]
pub(super) struct Members {
    slots: VecDeque<Member>,
    base: u64,
}

impl Members {
    pub fn get(&self, id: WorkloadId) -> Option<&Member> {
        let i = id.0.checked_sub(self.base)?;
        self.slots
            .get(i as usize)
            .filter(|m| m.service != NOT_WANTED.service)
    }

    pub fn get_mut(&mut self, id: WorkloadId) -> Option<&mut Member> {
        let i = id.0.checked_sub(self.base)?;
        self.slots
            .get_mut(i as usize)
            .filter(|m| m.service != NOT_WANTED.service)
    }

    /// Member `id` is wanted from now on (the window grows to it).
    pub fn insert(&mut self, id: WorkloadId, m: Member) {
        if self.slots.is_empty() {
            self.base = id.0;
        }
        let i = id.0.saturating_sub(self.base) as usize;
        while self.slots.len() <= i {
            self.slots.push_back(NOT_WANTED);
        }
        self.slots[i] = m;
    }

    /// Member `id` is no longer wanted: its slot is freed, and the window's front moves past
    /// the free slots.
    pub fn remove(&mut self, id: WorkloadId) -> Option<Member> {
        let slot = self.get_mut(id)?;
        let m = std::mem::replace(slot, NOT_WANTED);
        while self
            .slots
            .front()
            .is_some_and(|f| f.service == NOT_WANTED.service)
        {
            self.slots.pop_front();
            self.base += 1;
        }
        Some(m)
    }
}
