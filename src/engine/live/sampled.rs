//! `Sampled` and `Demand`: the compact records of a live workload that the usage pass streams
//! (by handle), and `SharedShapes`: the usage shapes workloads share, each evaluated once per
//! sample.
//!
//! A pass over 200,000 workloads reads 48 bytes of each (32 it mostly reads, 16 it writes)
//! instead of its whole record (about 250 bytes): the pass is memory-bound, so this is most of
//! its cost. A synthetic class gives all its workloads one shape and one noise level (only the
//! noise key differs), so the shape's deterministic part is computed once per sample for all.

use crate::time::SimTime;
use crate::workload::{
    DayPhase, UsageProfile, UsageShape, UsageStore, WorkloadSpec, normal_at, with_noise,
};
use std::collections::HashMap;

/// How a `Sampled` record holds its usage profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Kind {
    /// The handle is free.
    #[default]
    Free,
    /// An entry of `SharedShapes` (`a`) and the noise key (`b`).
    Shared,
    /// A constant level without noise (`b`: its bits).
    Level,
    /// A recorded series without noise: the store slot (`a`) and its start (`b`, µs).
    Series,
}

/// What the usage pass reads of a live workload: copies of its full record, kept in step by
/// `LiveSet`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sampled {
    b: u64,
    a: u32,
    /// Its host (`HostId`'s index).
    pub host: u32,
    /// Its requested CPU, millicores.
    pub cpu: u32,
    /// The CPU it holds of its host's allocation, millicores.
    pub held_cpu: u32,
    /// Its host's per-core request limit, millicores (`Fleet::request_limit`; `u32::MAX`
    /// until `LiveSet::set_host_limits`).
    pub limit: u32,
    /// Its class (`ClassId`).
    pub class: u16,
    kind: Kind,
    flags: u8,
}

/// What the usage pass writes of a live workload (the live set owns these).
#[derive(Clone, Copy, Debug, Default)]
pub struct Demand {
    /// ∫ demand dt, millicore·seconds, up to its last accounting.
    pub requested_mcs: f64,
    /// Current CPU demand in millicores (what it gets: at most its host's per-core limit).
    pub demand: u32,
    /// What it would use without that limit, millicores.
    pub wants: u32,
}

impl Demand {
    /// Adds `demand` × `dt` to the integral; returns the CPU lost to migration meanwhile
    /// (`penalty` × that) when `migrating`, for the caller to add where it keeps it.
    #[inline]
    pub fn account(&mut self, dt: f64, penalty: f64, migrating: bool) -> Option<f64> {
        let d = self.demand as f64 * dt;
        self.requested_mcs += d;
        migrating.then_some(penalty * d)
    }
}

const MIGRATING: u8 = 1;
const VARIES: u8 = 2;
/// Its demand was last accounted at its own time (`LiveSet`'s `accounted`), not at the last
/// usage pass.
const OWN_CLOCK: u8 = 4;

impl Sampled {
    /// The record of `spec` placed at `placed_at` with CPU demand `demand` (it still needs
    /// `set_usage`, and its host's fields from `LiveSet`).
    pub(super) fn new(spec: &WorkloadSpec) -> Sampled {
        Sampled {
            cpu: spec.request.cpu,
            class: spec.class.0,
            flags: OWN_CLOCK,
            limit: u32::MAX,
            ..Sampled::default()
        }
    }

    pub(super) fn own_clock(&self) -> bool {
        self.flags & OWN_CLOCK != 0
    }

    pub(super) fn set_own_clock(&mut self, own: bool) {
        self.flags = (self.flags & !OWN_CLOCK) | if own { OWN_CLOCK } else { 0 };
    }

    pub(super) fn is_live(&self) -> bool {
        self.kind != Kind::Free
    }

    pub fn migrating(&self) -> bool {
        self.flags & MIGRATING != 0
    }

    pub(super) fn varies(&self) -> bool {
        self.flags & VARIES != 0
    }

    pub(super) fn set_migrating(&mut self, migrating: bool) {
        self.flags = (self.flags & !MIGRATING) | if migrating { MIGRATING } else { 0 };
    }

    /// Points the record at `usage` (interning its shape), releasing what it held before.
    pub(super) fn set_usage(&mut self, usage: &UsageProfile, shapes: &mut SharedShapes) {
        self.release(shapes);
        self.flags = (self.flags & !VARIES) | if usage.varies() { VARIES } else { 0 };
        (self.kind, self.a, self.b) = match usage.shape {
            UsageShape::Constant { level } if usage.noise_sd == 0.0 => {
                (Kind::Level, 0, level.to_bits())
            }
            UsageShape::Sampled { slot, start } if usage.noise_sd == 0.0 => {
                (Kind::Series, slot, start.0)
            }
            _ => (Kind::Shared, shapes.intern(usage), usage.noise_key),
        };
    }

    /// Frees what the record holds in `shapes` and marks it free.
    pub(super) fn release(&mut self, shapes: &mut SharedShapes) {
        if self.kind == Kind::Shared {
            shapes.release(self.a);
        }
        self.kind = Kind::Free;
    }

    /// The usage at the time `shapes` was last refreshed for (`time_bits` being its
    /// `noise_time`): exactly `UsageProfile::at` of the profile it was given.
    #[inline(always)]
    pub fn usage(&self, shapes: &SharedShapes, time_bits: u64, store: &UsageStore) -> f64 {
        match self.kind {
            Kind::Shared => {
                let e = &shapes.entries[self.a as usize];
                let noise = if e.noise_sd > 0.0 {
                    e.noise_sd * normal_at(self.b, time_bits)
                } else {
                    0.0
                };
                with_noise(e.base, noise)
            }
            Kind::Level => with_noise(f64::from_bits(self.b), 0.0),
            Kind::Series => with_noise(store.value(self.a, SimTime(self.b), shapes.at), 0.0),
            Kind::Free => 0.0,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    shape: UsageShape,
    noise_sd: f64,
    refs: u32,
    /// The shape's value at the last refresh.
    base: f64,
}

/// Usage shapes (with their noise level) shared by live workloads, reference-counted; an
/// entry no workload uses is reused.
#[derive(Clone, Debug, Default)]
pub struct SharedShapes {
    entries: Vec<Entry>,
    free: Vec<u32>,
    /// Exact bits of (shape, noise level) → entry (looked up, never iterated).
    by_key: HashMap<[u64; 6], u32>,
    /// The time of the last refresh.
    at: SimTime,
}

fn key_of(p: &UsageProfile) -> [u64; 6] {
    let sd = p.noise_sd.to_bits();
    match p.shape {
        UsageShape::Constant { level } => [0, level.to_bits(), 0, 0, 0, sd],
        UsageShape::Diurnal {
            mean,
            amplitude,
            peak_cos,
            peak_sin,
        } => [
            1,
            mean.to_bits(),
            amplitude.to_bits(),
            peak_cos.to_bits(),
            peak_sin.to_bits(),
            sd,
        ],
        UsageShape::Sampled { slot, start } => [2, slot as u64, start.0, 0, 0, sd],
    }
}

impl SharedShapes {
    fn intern(&mut self, p: &UsageProfile) -> u32 {
        let key = key_of(p);
        if let Some(&e) = self.by_key.get(&key) {
            self.entries[e as usize].refs += 1;
            return e;
        }
        let entry = Entry {
            shape: p.shape,
            noise_sd: p.noise_sd,
            refs: 1,
            base: 0.0,
        };
        let e = match self.free.pop() {
            Some(e) => {
                self.entries[e as usize] = entry;
                e
            }
            None => {
                self.entries.push(entry);
                (self.entries.len() - 1) as u32
            }
        };
        self.by_key.insert(key, e);
        e
    }

    fn release(&mut self, e: u32) {
        let entry = &mut self.entries[e as usize];
        entry.refs -= 1;
        if entry.refs == 0 {
            self.by_key.remove(&key_of(&UsageProfile {
                shape: entry.shape,
                noise_sd: entry.noise_sd,
                noise_key: 0,
            }));
            self.free.push(e);
        }
    }

    /// Evaluates every shape in use at `t`.
    pub fn refresh(&mut self, t: SimTime, store: &UsageStore) {
        let day = DayPhase::at(t);
        self.at = t;
        for e in &mut self.entries {
            if e.refs > 0 {
                e.base = e.shape.base(t, day, store);
            }
        }
    }

    /// Entries in use (for tests).
    pub fn in_use(&self) -> usize {
        self.entries.iter().filter(|e| e.refs > 0).count()
    }
}
