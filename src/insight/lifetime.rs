//! The lifetime learner: per class, the lifetimes of workloads seen to depart, in a histogram
//! on a log scale (four bins per doubling, from 1 s to 2³² s), from which the median and the
//! expected remaining life at a given age follow (LAVA's re-prediction as a VM ages). Only
//! departures seen so far count, so early in a run long lifetimes are under-represented (the
//! estimate is biased short until they are seen): the learning curve shows it.

use super::estimate::{Estimate, Moments};
use serde::{Deserialize, Serialize};

const PER_DOUBLING: f64 = 4.0;
const BINS: usize = 128;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LifetimeHistogram {
    counts: Vec<u64>,
    /// Of ln(lifetime in seconds).
    pub log_moments: Moments,
}

impl Default for LifetimeHistogram {
    fn default() -> Self {
        LifetimeHistogram {
            counts: vec![0; BINS],
            log_moments: Moments::default(),
        }
    }
}

fn bin_of(seconds: f64) -> usize {
    ((seconds.max(1.0).log2() * PER_DOUBLING) as usize).min(BINS - 1)
}

/// The geometric middle of bin `b`, seconds (computed once: placement reads it per resident
/// class of every candidate host).
fn middle(b: usize) -> f64 {
    static MIDDLES: std::sync::LazyLock<[f64; BINS]> = std::sync::LazyLock::new(|| {
        std::array::from_fn(|b| 2f64.powf((b as f64 + 0.5) / PER_DOUBLING))
    });
    MIDDLES[b]
}

impl LifetimeHistogram {
    pub fn add(&mut self, seconds: f64) {
        self.counts[bin_of(seconds)] += 1;
        self.log_moments.add(seconds.max(1.0).ln());
    }

    pub fn samples(&self) -> u64 {
        self.log_moments.n
    }

    /// The median lifetime, seconds, with a 95 % interval from the log-scale spread.
    pub fn median(&self) -> Option<Estimate> {
        let n = self.samples();
        if n == 0 {
            return None;
        }
        let target = n.div_ceil(2);
        let mut seen = 0;
        let mut value = middle(BINS - 1);
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                value = middle(b);
                break;
            }
        }
        let se = (self.log_moments.variance() / n as f64).sqrt();
        Some(Estimate {
            value,
            samples: n,
            half_width: value * ((1.96 * 1.25 * se).exp() - 1.0),
        })
    }

    /// Expected remaining lifetime of a workload that has lived `age_s`: the mean of
    /// (lifetime − age) over departures seen to live longer than `age_s`; `None` if none did.
    pub fn expected_remaining(&self, age_s: f64) -> Option<f64> {
        let (mut n, mut sum) = (0u64, 0.0);
        for b in bin_of(age_s)..BINS {
            let c = self.counts[b];
            let m = middle(b);
            if c > 0 && m > age_s {
                n += c;
                sum += c as f64 * (m - age_s);
            }
        }
        (n > 0).then(|| sum / n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_remaining_life() {
        let mut h = LifetimeHistogram::default();
        for _ in 0..10 {
            h.add(100.0);
        }
        for _ in 0..10 {
            h.add(10_000.0);
        }
        for _ in 0..1 {
            h.add(1_000.0);
        }
        // 21 departures; the 11th (sorted) is the 1 000 s one: median ≈ 1 000 within a bin
        // (a quarter doubling, ±19 %).
        let m = h.median().unwrap().value;
        assert!((m / 1000.0 - 1.0).abs() < 0.2, "{m}");
        // At age 5 000 s only the 10 000 s group is left: ≈ 5 000 s remain.
        let r = h.expected_remaining(5_000.0).unwrap();
        assert!((r / 5_000.0 - 1.0).abs() < 0.25, "{r}");
        assert_eq!(h.expected_remaining(50_000.0), None);
    }
}

/// Per bin from the top: (departures in this bin and above, Σ count × bin middle), so that the
/// expected remaining life at any age is O(1) (`remaining_from`).
pub type SuffixTable = Vec<(u64, f64)>;

impl LifetimeHistogram {
    pub fn suffix_table(&self) -> SuffixTable {
        let mut t = vec![(0u64, 0.0); BINS + 1];
        for b in (0..BINS).rev() {
            let c = self.counts[b];
            t[b] = (t[b + 1].0 + c, t[b + 1].1 + c as f64 * middle(b));
        }
        t
    }
}

/// `expected_remaining` read from a `suffix_table`: the same value in O(1).
pub fn remaining_from(t: &SuffixTable, age_s: f64) -> Option<f64> {
    let b = bin_of(age_s);
    // Bins above b all have middles above the age; bin b counts only if its middle is.
    let (mut n, mut sum) = t[b + 1];
    if middle(b) > age_s {
        n = t[b].0;
        sum = t[b].1;
    }
    (n > 0).then(|| sum / n as f64 - age_s)
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn the_table_agrees_with_the_scan() {
        let mut h = LifetimeHistogram::default();
        for s in [30.0, 100.0, 100.0, 4_000.0, 9_000.0, 86_400.0] {
            h.add(s);
        }
        let t = h.suffix_table();
        for age in [0.0, 50.0, 100.0, 3_000.0, 10_000.0, 1e6] {
            let (a, b) = (h.expected_remaining(age), remaining_from(&t, age));
            match (a, b) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-6 * a.max(1.0), "{age}: {a} {b}"),
                _ => assert_eq!(a, b, "{age}"),
            }
        }
    }
}
