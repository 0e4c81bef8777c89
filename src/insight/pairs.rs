//! The interference learner: for each (victim class, aggressor class) pair, the slowdown the
//! victim is seen to suffer when at least one aggressor shares its host, against when none
//! does. Its estimate is the difference of the two means, with a Welch 95 % half-width: only
//! observed slowdowns (delivered against demanded CPU) and co-location enter, never the
//! scenario's pressures or sensitivities.

use super::estimate::{Estimate, Moments};
use serde::{Deserialize, Serialize};

/// Slowdown observations of each class, overall and with each other class present.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PairLearner {
    classes: usize,
    /// Per victim: every observation.
    overall: Vec<Moments>,
    /// Per (victim, aggressor): observations with the aggressor present.
    with: Vec<Moments>,
}

impl PairLearner {
    pub fn new(classes: usize) -> PairLearner {
        PairLearner {
            classes,
            overall: vec![Moments::default(); classes],
            with: vec![Moments::default(); classes * classes],
        }
    }

    /// A workload of `victim` ran `slowdown` times slower on a host holding `mix[d]` workloads
    /// of each class d (itself included).
    pub fn add(&mut self, victim: usize, slowdown: f64, mix: &[u16]) {
        if victim >= self.classes {
            return;
        }
        self.overall[victim].add(slowdown);
        for (d, &n) in mix.iter().enumerate().take(self.classes) {
            let others = n as u32 - u32::from(d == victim);
            if others > 0 {
                self.with[victim * self.classes + d].add(slowdown);
            }
        }
    }

    /// The extra slowdown of `victim` when `aggressor` shares its host; `None` until both
    /// cases have been seen at least twice.
    pub fn estimate(&self, victim: usize, aggressor: usize) -> Option<Estimate> {
        if victim >= self.classes || aggressor >= self.classes {
            return None;
        }
        let with = self.with[victim * self.classes + aggressor];
        let without = self.overall[victim].minus(&with);
        if with.n < 2 || without.n < 2 {
            return None;
        }
        let se = (with.variance() / with.n as f64 + without.variance() / without.n as f64).sqrt();
        Some(Estimate {
            value: with.mean() - without.mean(),
            samples: with.n,
            half_width: 1.96 * se,
        })
    }

    /// The estimate where it is significant (its interval excludes 0) and positive, else 0.
    pub fn significant(&self, victim: usize, aggressor: usize) -> f64 {
        self.estimate(victim, aggressor)
            .filter(|e| e.value - e.half_width > 0.0)
            .map_or(0.0, |e| e.value)
    }

    pub fn classes(&self) -> usize {
        self.classes
    }
}

impl PairLearner {
    /// The same learner with classes renumbered: old class `i` becomes `map[i]` (dropped if
    /// `None`), in a learner of `classes` classes.
    pub fn remapped(&self, map: &[Option<usize>], classes: usize) -> PairLearner {
        let mut out = PairLearner::new(classes);
        for (i, to) in map.iter().enumerate().take(self.classes) {
            let Some(v) = *to else { continue };
            out.overall[v] = self.overall[i];
            for (j, to_j) in map.iter().enumerate().take(self.classes) {
                if let Some(a) = *to_j {
                    out.with[v * classes + a] = self.with[i * self.classes + j];
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_planted_pair_stands_out() {
        let mut p = PairLearner::new(3);
        // Class 0 is slowed to 1.5 whenever class 1 is there, never by class 2.
        for k in 0..200 {
            let with1 = k % 2 == 0;
            let with2 = k % 3 == 0;
            let mix = [1, u16::from(with1), u16::from(with2)];
            p.add(0, if with1 { 1.5 } else { 1.0 }, &mix);
        }
        // With 1 present the mean is 1.5, without it 1.0: +0.5, exactly (no noise).
        assert!((p.estimate(0, 1).unwrap().value - 0.5).abs() < 1e-9);
        assert!(p.significant(0, 2).abs() < 0.1);
        assert_eq!(p.estimate(1, 0), None, "class 1 never observed");
    }
}
