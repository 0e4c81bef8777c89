//! CPU usage profiles: the fraction of its requested cores a workload uses at a given time.

use crate::engine::rng::{mix64, unit_from_bits};
use crate::time::SimTime;

const DAY_S: f64 = 86_400.0;

/// The deterministic part of a profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum UsageShape {
    Constant { level: f64 },
    /// mean + amplitude·cos(2π(t − peak)/1 day).
    Diurnal { mean: f64, amplitude: f64, peak_s: f64 },
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
    pub fn at(&self, t: SimTime) -> f64 {
        let base = match self.shape {
            UsageShape::Constant { level } => level,
            UsageShape::Diurnal { mean, amplitude, peak_s } => {
                let phase = (t.as_secs_f64() - peak_s) / DAY_S * std::f64::consts::TAU;
                mean + amplitude * phase.cos()
            }
        };
        let noise = if self.noise_sd > 0.0 {
            self.noise_sd * standard_normal(self.noise_key, t.0)
        } else {
            0.0
        };
        (base + noise).clamp(0.0, 1.0)
    }

    /// Whether usage can change over time (constant profiles without noise never do).
    pub fn varies(&self) -> bool {
        self.noise_sd > 0.0 || matches!(self.shape, UsageShape::Diurnal { .. })
    }
}

/// A standard normal number from (key, counter) by the Box–Muller transform.
fn standard_normal(key: u64, counter: u64) -> f64 {
    let a = mix64(key ^ mix64(counter));
    let b = mix64(a);
    let u1 = 1.0 - unit_from_bits(a); // (0, 1]
    let u2 = unit_from_bits(b);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diurnal_peaks_at_peak_hour() {
        let p = UsageProfile {
            shape: UsageShape::Diurnal { mean: 0.5, amplitude: 0.3, peak_s: 14.0 * 3600.0 },
            noise_sd: 0.0,
            noise_key: 0,
        };
        assert!((p.at(SimTime::from_secs(14 * 3600)) - 0.8).abs() < 1e-12);
        assert!((p.at(SimTime::from_secs(2 * 3600)) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn noise_is_reproducible_and_roughly_normal() {
        let p = UsageProfile { shape: UsageShape::Constant { level: 0.5 }, noise_sd: 0.1, noise_key: 99 };
        let t = SimTime::from_secs(300);
        assert_eq!(p.at(t), p.at(t));
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|i| standard_normal(7, i)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }
}
