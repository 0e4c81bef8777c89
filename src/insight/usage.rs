//! The usage learner: a histogram of observed CPU utilisation (demanded CPU over requested)
//! per class, from which quantiles (p50, p95, p99, the effective demand) and their confidence
//! follow. Bins of 0.01 from 0 to 2 (demand can exceed the request only through a CPU factor
//! above 1); values outside are clamped into the end bins.

use super::estimate::{Estimate, Moments};
use serde::{Deserialize, Serialize};

const BINS: usize = 200;
const WIDTH: f64 = 0.01;

/// Observed utilisation of one class (on one kind of host).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageHistogram {
    /// Counts per bin of width 0.01, run-length free (sparse would save little at 200 bins).
    counts: Vec<u64>,
    pub moments: Moments,
}

impl Default for UsageHistogram {
    fn default() -> Self {
        UsageHistogram {
            counts: vec![0; BINS],
            moments: Moments::default(),
        }
    }
}

impl UsageHistogram {
    pub fn add(&mut self, utilisation: f64) {
        let bin = ((utilisation / WIDTH).floor().max(0.0) as usize).min(BINS - 1);
        self.counts[bin] += 1;
        self.moments.add(utilisation);
    }

    pub fn samples(&self) -> u64 {
        self.moments.n
    }

    /// The value below which a fraction `rank` of observations lie (a bin's upper edge).
    fn at_rank(&self, rank: f64) -> f64 {
        let n = self.samples();
        let target = (rank.clamp(0.0, 1.0) * n as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                return (b + 1) as f64 * WIDTH;
            }
        }
        BINS as f64 * WIDTH
    }

    /// Quantile `q` with a 95 % interval from the binomial spread of its rank, ±1.96·√(q(1−q)/n),
    /// widened by the bin width; `None` without observations.
    pub fn quantile(&self, q: f64) -> Option<Estimate> {
        let n = self.samples();
        if n == 0 {
            return None;
        }
        let spread = 1.96 * (q * (1.0 - q) / n as f64).sqrt();
        let (lo, hi) = (self.at_rank(q - spread), self.at_rank(q + spread));
        Some(Estimate {
            value: self.at_rank(q),
            samples: n,
            half_width: (hi - lo) / 2.0 + WIDTH,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_a_uniform_grid() {
        let mut h = UsageHistogram::default();
        // 0.005, 0.015, … 0.995: one observation in each bin of [0, 1).
        for i in 0..100 {
            h.add(i as f64 / 100.0 + 0.005);
        }
        // The 95th of 100 observations is in bin 94, whose upper edge is 0.95.
        let p95 = h.quantile(0.95).unwrap();
        assert!((p95.value - 0.95).abs() < 1e-9, "{p95:?}");
        assert!((h.quantile(0.5).unwrap().value - 0.5).abs() < 1e-9);
        // Rank spread 1.96·√(0.95·0.05/100) ≈ 0.043 → ranks 0.907..0.993 → 0.91..1.00.
        assert!(p95.half_width > 0.04 && p95.half_width < 0.07, "{p95:?}");
    }
}
