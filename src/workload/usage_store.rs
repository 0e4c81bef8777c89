//! `UsageStore`: recorded per-workload usage series, held only while their workloads live.

use super::trace::TraceUsage;
use super::{UsageProfile, UsageShape};
use crate::time::SimTime;

#[derive(Clone, Debug, Default)]
struct Sampled {
    interval: SimTime,
    values: Vec<f32>,
}

/// Slots of sampled series; a slot is reused once its workload has left.
#[derive(Clone, Debug, Default)]
pub struct UsageStore {
    slots: Vec<Sampled>,
    free: Vec<u32>,
}

impl UsageStore {
    /// The profile for a trace's usage of a workload arriving at `arrival`.
    pub fn profile(&mut self, usage: TraceUsage, arrival: SimTime) -> UsageProfile {
        match usage {
            TraceUsage::Unknown => UsageProfile::constant(1.0),
            TraceUsage::Constant(level) => UsageProfile::constant(level.clamp(0.0, 1.0)),
            TraceUsage::Series { values, .. } if values.is_empty() => UsageProfile::constant(1.0),
            TraceUsage::Series { interval, values } => {
                let sampled = Sampled {
                    interval: interval.max(SimTime(1)),
                    values,
                };
                let slot = match self.free.pop() {
                    Some(s) => {
                        self.slots[s as usize] = sampled;
                        s
                    }
                    None => {
                        self.slots.push(sampled);
                        (self.slots.len() - 1) as u32
                    }
                };
                UsageProfile {
                    shape: UsageShape::Sampled {
                        slot,
                        start: arrival,
                    },
                    noise_sd: 0.0,
                    noise_key: 0,
                }
            }
        }
    }

    /// The recorded value in effect at `t` (the last sample at or before it; the first before start).
    pub fn value(&self, slot: u32, start: SimTime, t: SimTime) -> f64 {
        let s = &self.slots[slot as usize];
        let i = (t.saturating_sub(start).0 / s.interval.0) as usize;
        s.values[i.min(s.values.len() - 1)] as f64
    }

    /// Frees the slot of a profile, if it has one.
    pub fn release(&mut self, usage: &UsageProfile) {
        if let UsageShape::Sampled { slot, .. } = usage.shape {
            self.slots[slot as usize] = Sampled::default();
            self.free.push(slot);
        }
    }
}
