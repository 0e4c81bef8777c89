//! CPU usage profiles: the fraction of its requested cores a workload uses at a given time.

use super::UsageStore;
use crate::engine::rng::{CounterRng, mix64};
use crate::time::SimTime;
use rand_distr::{Distribution, StandardNormal};

const DAY_S: f64 = 86_400.0;

/// cos and sin of the time of day as an angle: computed once per sample, shared by every profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DayPhase {
    cos: f64,
    sin: f64,
}

impl DayPhase {
    pub fn at(t: SimTime) -> DayPhase {
        let (sin, cos) = angle_of_day(t.as_secs_f64()).sin_cos();
        DayPhase { cos, sin }
    }
}

fn angle_of_day(seconds: f64) -> f64 {
    (seconds % DAY_S) / DAY_S * std::f64::consts::TAU
}

/// The deterministic part of a profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum UsageShape {
    Constant {
        level: f64,
    },
    /// mean + amplitude·cos(2π(t − peak)/1 day), with the peak kept as (cos, sin) of its angle
    /// so that cos(ωt − ωp) = cos ωt·cos ωp + sin ωt·sin ωp needs no trigonometry per workload.
    Diurnal {
        mean: f64,
        amplitude: f64,
        peak_cos: f64,
        peak_sin: f64,
    },
    /// A recorded series held in a `UsageStore` slot, sampled from `start`.
    Sampled {
        slot: u32,
        start: SimTime,
    },
}

/// A workload's usage: a shape plus Gaussian noise drawn per sample from a counter-based hash
/// of (`noise_key`, time), so the noise never depends on what else the simulation drew.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UsageProfile {
    pub shape: UsageShape,
    pub noise_sd: f64,
    pub noise_key: u64,
}

impl UsageProfile {
    pub fn constant(level: f64) -> UsageProfile {
        UsageProfile {
            shape: UsageShape::Constant { level },
            noise_sd: 0.0,
            noise_key: 0,
        }
    }

    /// Usage in [0, 1] at time `t`.
    pub fn at(&self, t: SimTime, store: &UsageStore) -> f64 {
        self.at_phase(t, DayPhase::at(t), store)
    }

    /// Usage at `t`, whose day phase the caller computed once for many profiles.
    pub fn at_phase(&self, t: SimTime, day: DayPhase, store: &UsageStore) -> f64 {
        let base = self.shape.base(t, day, store);
        let noise = if self.noise_sd > 0.0 {
            self.noise_sd * standard_normal(self.noise_key, t.0)
        } else {
            0.0
        };
        with_noise(base, noise)
    }

    /// Whether usage can change over time (constant profiles without noise never do).
    pub fn varies(&self) -> bool {
        self.noise_sd > 0.0 || !matches!(self.shape, UsageShape::Constant { .. })
    }
}

/// A profile's value from its shape's value and its noise: their sum, clamped to [0, 1].
#[inline]
pub fn with_noise(base: f64, noise: f64) -> f64 {
    (base + noise).clamp(0.0, 1.0)
}

impl UsageShape {
    /// The shape's value at `t` (whose day phase is `day`), before noise and clamping.
    #[inline]
    pub fn base(&self, t: SimTime, day: DayPhase, store: &UsageStore) -> f64 {
        match *self {
            UsageShape::Sampled { slot, start } => store.value(slot, start, t),
            UsageShape::Constant { level } => level,
            UsageShape::Diurnal {
                mean,
                amplitude,
                peak_cos,
                peak_sin,
            } => mean + amplitude * (day.cos * peak_cos + day.sin * peak_sin),
        }
    }

    /// A diurnal shape peaking at `peak_hour`.
    pub fn diurnal(mean: f64, amplitude: f64, peak_hour: f64) -> UsageShape {
        let (peak_sin, peak_cos) = angle_of_day(peak_hour * 3600.0).sin_cos();
        UsageShape::Diurnal {
            mean,
            amplitude,
            peak_cos,
            peak_sin,
        }
    }
}

/// A standard normal number for (key, counter): the ziggurat method on a counter-based stream.
fn standard_normal(key: u64, counter: u64) -> f64 {
    normal_at(key, noise_time(SimTime(counter)))
}

/// The part of a sample's noise that depends on its time alone: computed once per sample
/// and shared by every profile (`normal_at`).
pub fn noise_time(t: SimTime) -> u64 {
    mix64(t.0)
}

/// The standard normal number a profile with `noise_key` draws at the time whose
/// `noise_time` is `time_bits`: the same number `UsageProfile::at` uses.
#[inline]
pub fn normal_at(noise_key: u64, time_bits: u64) -> f64 {
    StandardNormal.sample(&mut CounterRng::new(noise_key ^ time_bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diurnal_peaks_at_peak_hour() {
        let p = UsageProfile {
            shape: UsageShape::diurnal(0.5, 0.3, 14.0),
            noise_sd: 0.0,
            noise_key: 0,
        };
        assert!((p.at(SimTime::from_secs(14 * 3600), &UsageStore::default()) - 0.8).abs() < 1e-12);
        assert!((p.at(SimTime::from_secs(2 * 3600), &UsageStore::default()) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn noise_is_reproducible_and_roughly_normal() {
        let p = UsageProfile {
            shape: UsageShape::Constant { level: 0.5 },
            noise_sd: 0.1,
            noise_key: 99,
        };
        let t = SimTime::from_secs(300);
        assert_eq!(
            p.at(t, &UsageStore::default()),
            p.at(t, &UsageStore::default())
        );
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|i| standard_normal(7, i)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }
}
