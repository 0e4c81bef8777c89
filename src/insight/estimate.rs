//! `Estimate` (a learned value with its sample count and a 95 % half-width) and `Moments`
//! (count, sum and sum of squares, from which means and their standard errors follow).

use serde::{Deserialize, Serialize};

/// A learned value, how many observations it rests on, and ± its 95 % interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub samples: u64,
    pub half_width: f64,
}

/// Running count, sum and sum of squares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    pub n: u64,
    pub sum: f64,
    pub sum_sq: f64,
}

impl Moments {
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.sum_sq += x * x;
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }

    /// Sample variance (0 below two observations).
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        let n = self.n as f64;
        ((self.sum_sq - self.sum * self.sum / n) / (n - 1.0)).max(0.0)
    }

    /// What is in `self` but not in `part` (a subset of the same observations).
    pub fn minus(&self, part: &Moments) -> Moments {
        Moments {
            n: self.n - part.n,
            sum: self.sum - part.sum,
            sum_sq: self.sum_sq - part.sum_sq,
        }
    }

    pub fn mean_estimate(&self) -> Estimate {
        Estimate {
            value: self.mean(),
            samples: self.n,
            half_width: 1.96 * (self.variance() / self.n.max(1) as f64).sqrt(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_variance_by_hand() {
        let mut m = Moments::default();
        for x in [1.0, 2.0, 3.0, 4.0] {
            m.add(x);
        }
        // Mean 2.5; sample variance Σ(x − 2.5)² / 3 = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3.
        assert_eq!(m.mean(), 2.5);
        assert!((m.variance() - 5.0 / 3.0).abs() < 1e-12);
    }
}
