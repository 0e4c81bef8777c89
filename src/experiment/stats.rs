//! Replication statistics: means with Student-t 95 % confidence intervals, paired differences
//! (common random numbers: the same seed gives both arms the same workload), and quartiles.

use super::student::t_quantile;

/// Confidence level of every interval.
pub const CONFIDENCE: f64 = 0.95;

/// A sample mean and, when there are at least two finite values, its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub n: usize,
    pub mean: f64,
    /// Half-width of the 95 % interval; `None` when n < 2 (an interval is unavailable).
    pub half_width: Option<f64>,
}

impl Estimate {
    /// The mean and Student-t interval of the finite `values`.
    pub fn of(values: &[f64]) -> Estimate {
        let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        let n = v.len();
        if n == 0 {
            return Estimate {
                n,
                mean: f64::NAN,
                half_width: None,
            };
        }
        let mean = v.iter().sum::<f64>() / n as f64;
        let half_width = (n >= 2).then(|| {
            let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let t = t_quantile(0.5 + CONFIDENCE / 2.0, (n - 1) as f64);
            t * (var / n as f64).sqrt()
        });
        Estimate {
            n,
            mean,
            half_width,
        }
    }

    /// The interval's bounds, when available.
    pub fn bounds(&self) -> Option<(f64, f64)> {
        self.half_width.map(|h| (self.mean - h, self.mean + h))
    }

    /// True when the interval is available and excludes zero.
    pub fn excludes_zero(&self) -> bool {
        self.bounds().is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0)
    }
}

/// The mean difference `b − a` over seeds present in both (pairs of (seed, value)), with its
/// interval: the paired-t interval of the per-seed differences.
pub fn paired_difference(a: &[(u64, f64)], b: &[(u64, f64)]) -> Estimate {
    let diffs: Vec<f64> = b
        .iter()
        .filter_map(|&(seed, vb)| a.iter().find(|&&(s, _)| s == seed).map(|&(_, va)| vb - va))
        .collect();
    Estimate::of(&diffs)
}

/// Minimum, lower quartile, median, upper quartile, maximum of the finite `values` (linear
/// interpolation between order statistics); `None` when there are none.
pub fn five_numbers(values: &[f64]) -> Option<[f64; 5]> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let pos = q * (v.len() - 1) as f64;
        let (i, frac) = (pos.floor() as usize, pos - pos.floor());
        let next = v[(i + 1).min(v.len() - 1)];
        v[i] + frac * (next - v[i])
    };
    Some([v[0], at(0.25), at(0.5), at(0.75), v[v.len() - 1]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_of_a_small_sample() {
        // mean 3, sd √2.5, n = 5: half-width t(0.975, 4) · √(2.5/5) = 2.7764 · 0.7071.
        let e = Estimate::of(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.mean, 3.0);
        assert!((e.half_width.unwrap() - 1.963_243).abs() < 1e-5, "{e:?}");
        assert!(e.excludes_zero());
    }

    #[test]
    fn one_value_has_no_interval() {
        let e = Estimate::of(&[7.0]);
        assert_eq!((e.n, e.mean, e.half_width), (1, 7.0, None));
        assert!(!e.excludes_zero());
        assert_eq!(Estimate::of(&[]).n, 0);
    }

    #[test]
    fn pairs_by_seed() {
        let a = [(1, 10.0), (2, 20.0), (3, 30.0)];
        let b = [(3, 32.0), (1, 12.0), (2, 22.0), (9, 0.0)];
        let d = paired_difference(&a, &b);
        assert_eq!((d.n, d.mean), (3, 2.0));
        assert!(d.excludes_zero());
    }

    #[test]
    fn quartiles_interpolate() {
        assert_eq!(
            five_numbers(&[4.0, 1.0, 3.0, 2.0, 5.0]),
            Some([1.0, 2.0, 3.0, 4.0, 5.0])
        );
        assert_eq!(five_numbers(&[1.0, 2.0]), Some([1.0, 1.25, 1.5, 1.75, 2.0]));
        assert_eq!(five_numbers(&[f64::NAN]), None);
    }
}
