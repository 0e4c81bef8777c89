//! Hosts that run on but are impaired by a failure: cut off by a failed ToR switch
//! (unreachable: their VMs keep running and drawing power, but count as down for their services
//! and are not restarted) or throttled by a failed cooling unit before it trips them. Per host,
//! how many failed entities impair it and since when, and the VM-time spent so.

use crate::landscape::HostId;
use crate::time::SimTime;

/// How a failure impairs a host without taking it down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impairment {
    /// Cut off the network (a failed ToR switch).
    Unreachable,
    /// Throttled by heat (a failed cooling unit, before its hosts trip).
    Throttled,
}

/// One impairment's state over the hosts.
#[derive(Debug, Default)]
pub struct Impaired {
    /// Per host, how many failed entities impair it.
    causes: Vec<u16>,
    since: Vec<SimTime>,
    /// Hosts impaired now.
    pub hosts: u32,
    /// ∫ hosts impaired dt, and ∫ VMs on impaired hosts dt (seconds).
    pub host_s: f64,
    pub vm_s: f64,
}

impl Impaired {
    pub fn new(hosts: usize) -> Impaired {
        Impaired {
            causes: vec![0; hosts],
            since: vec![SimTime::ZERO; hosts],
            ..Default::default()
        }
    }

    /// One more cause impairs `h` now; `true` if it was not impaired before.
    pub fn add(&mut self, h: HostId, now: SimTime) -> bool {
        let c = &mut self.causes[h.index()];
        *c += 1;
        if *c == 1 {
            self.hosts += 1;
            self.since[h.index()] = now;
        }
        *c == 1
    }

    /// One cause of `h` is repaired now; `true` if nothing impairs it any more.
    pub fn remove(&mut self, h: HostId, now: SimTime) -> bool {
        let c = &mut self.causes[h.index()];
        *c -= 1;
        if *c == 0 {
            self.hosts -= 1;
            self.host_s += (now - self.since[h.index()]).as_secs_f64();
        }
        *c == 0
    }

    pub fn holds(&self, h: HostId) -> bool {
        self.causes[h.index()] > 0
    }

    /// A VM on `h` since `on_host_since` leaves it, or the impairment of `h` (now or just
    /// ended) ends, at `now`: the time it spent on `h` while impaired is counted.
    pub fn count_vm(&mut self, h: HostId, on_host_since: SimTime, now: SimTime) {
        let from = self.since[h.index()].max(on_host_since);
        self.vm_s += now.saturating_sub(from).as_secs_f64();
    }

    /// The hosts impaired at the end of the run (`end`), their time counted to it.
    pub fn finish(&mut self, end: SimTime) -> Vec<HostId> {
        let mut out = Vec::new();
        for (i, &c) in self.causes.iter().enumerate() {
            if c > 0 {
                self.host_s += (end - self.since[i]).as_secs_f64();
                out.push(HostId(i as u32));
            }
        }
        out
    }
}

/// A change of a host's condition that the engine must act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostChange {
    Down(HostId),
    Up(HostId),
    /// Impaired (`true`) or no longer (`false`).
    Impair(HostId, Impairment, bool),
}
