//! `UsageStore`: recorded per-workload usage series, held only while their workloads live.

use super::trace::TraceUsage;
use super::{UsageProfile, UsageShape};
use crate::time::SimTime;

#[derive(Clone, Debug, Default)]
struct Sampled {
    interval: SimTime,
    values: Vec<f32>,
}

/// How a recorded series is read between its samples.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum SeriesReading {
    /// Each sample holds until the next one (dcsim's default).
    #[default]
    Hold,
    /// CloudSim's `UtilizationModelPlanetLabInMemory`: linear between samples (the last sample
    /// repeated past the end), read `offset` after the instant asked, since CloudSim's updates
    /// fall at its minimum time between events (0.1 s) after each scheduling interval.
    Linear { offset: SimTime },
}

/// Slots of sampled series; a slot is reused once its workload has left.
#[derive(Clone, Debug, Default)]
pub struct UsageStore {
    slots: Vec<Sampled>,
    free: Vec<u32>,
    reading: SeriesReading,
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

    /// Sets how series are read between samples.
    pub fn set_reading(&mut self, reading: SeriesReading) {
        self.reading = reading;
    }

    /// The recorded value at `t`: under `Hold`, the last sample at or before it (the first
    /// before start); under `Linear`, interpolated between the two samples around `t + offset`.
    pub fn value(&self, slot: u32, start: SimTime, t: SimTime) -> f64 {
        let s = &self.slots[slot as usize];
        let last = s.values.len() - 1;
        match self.reading {
            SeriesReading::Hold => {
                let i = (t.saturating_sub(start).0 / s.interval.0) as usize;
                s.values[i.min(last)] as f64
            }
            SeriesReading::Linear { offset } => {
                let since = t.saturating_sub(start).saturating_add(offset).0;
                let i = (since / s.interval.0) as usize;
                let (a, b) = (s.values[i.min(last)], s.values[(i + 1).min(last)]);
                let frac = (since % s.interval.0) as f64 / s.interval.0 as f64;
                a as f64 + (b as f64 - a as f64) * frac
            }
        }
    }

    /// Frees the slot of a profile, if it has one.
    pub fn release(&mut self, usage: &UsageProfile) {
        if let UsageShape::Sampled { slot, .. } = usage.shape {
            self.slots[slot as usize] = Sampled::default();
            self.free.push(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(reading: SeriesReading, values: &[f32]) -> (UsageStore, u32) {
        let mut store = UsageStore::default();
        store.set_reading(reading);
        let usage = TraceUsage::Series {
            interval: SimTime::from_secs_f64(300.0),
            values: values.to_vec(),
        };
        match store.profile(usage, SimTime::ZERO).shape {
            UsageShape::Sampled { slot, .. } => (store, slot),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hold_keeps_each_sample_and_linear_reads_cloudsim_s_interpolation() {
        let at = |s: f64| SimTime::from_secs_f64(s);
        let (hold, slot) = store_with(SeriesReading::Hold, &[0.2, 0.5, 0.0]);
        assert_eq!(hold.value(slot, SimTime::ZERO, at(450.0)), 0.5f32 as f64);
        let linear = SeriesReading::Linear {
            offset: SimTime::from_secs_f64(0.1),
        };
        let (store, slot) = store_with(linear, &[0.2, 0.5, 0.0]);
        let v = |s: f64| store.value(slot, SimTime::ZERO, at(s));
        // At 300 s CloudSim reads 300.1 s: 0.5 + (0.0 − 0.5) × 0.1 / 300.
        let expected = 0.5f32 as f64 - 0.5f32 as f64 * (0.1 / 300.0);
        assert!((v(300.0) - expected).abs() < 1e-12, "{}", v(300.0));
        // Halfway between the first two samples (149.9 s + 0.1 s): their mean.
        assert!((v(149.9) - (0.2f32 as f64 + 0.5f32 as f64) / 2.0).abs() < 1e-12);
        // Past the end the last sample repeats: exactly zero, as CloudSim's data[288].
        assert_eq!(v(600.0), 0.0);
        assert_eq!(v(10_000.0), 0.0);
    }
}
