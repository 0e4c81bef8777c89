//! The interference learner: for each (victim class, aggressor class) pair, the slowdown the
//! victim is seen to suffer when at least one aggressor shares its host, against when none
//! does. Its estimate is the difference of the two means, with a Welch 95 % half-width: only
//! observed slowdowns (delivered against demanded CPU) and co-location enter, never the
//! scenario's pressures or sensitivities. It also keeps the victim's slowdown by the number of
//! aggressors beside it (0 to 15, and 16 or more), so that crowding — a class slowed only once
//! many of a kind share its host, itself included — is learned as a curve, not a yes/no.

/// Aggressor counts kept apart: 0 … `BUCKETS − 2`, then "that many or more".
pub const BUCKETS: usize = 17;

/// Observations a count bucket needs before its mean is compared.
const MIN_IN_BUCKET: u64 = 5;

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
    /// Per (victim, aggressor, count of aggressors beside the victim): observations.
    #[serde(default)]
    by_count: Vec<Moments>,
}

impl PairLearner {
    pub fn new(classes: usize) -> PairLearner {
        PairLearner {
            classes,
            overall: vec![Moments::default(); classes],
            with: vec![Moments::default(); classes * classes],
            by_count: vec![Moments::default(); classes * classes * BUCKETS],
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
            let pair = victim * self.classes + d;
            if others > 0 {
                self.with[pair].add(slowdown);
            }
            if let Some(m) = self
                .by_count
                .get_mut(pair * BUCKETS + (others as usize).min(BUCKETS - 1))
            {
                m.add(slowdown);
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

    /// The victim's extra slowdown with `count` aggressors beside it against none, per count
    /// bucket, where significant (interval above 0) and else 0; a bucket without enough
    /// observations takes the value of the nearest fewer count that has them (crowding only
    /// grows). `BUCKETS` values.
    pub fn crowding_curve(&self, victim: usize, aggressor: usize) -> [f64; BUCKETS] {
        let mut curve = [0.0; BUCKETS];
        let pair = victim * self.classes + aggressor;
        let Some(buckets) = self.by_count.get(pair * BUCKETS..(pair + 1) * BUCKETS) else {
            return curve;
        };
        let base = buckets[0];
        let mut last = 0.0;
        for (n, m) in buckets.iter().enumerate().skip(1) {
            if m.n >= MIN_IN_BUCKET && base.n >= MIN_IN_BUCKET {
                let se = (m.variance() / m.n as f64 + base.variance() / base.n as f64).sqrt();
                let d = m.mean() - base.mean();
                last = if d - 1.96 * se > 0.0 { d } else { 0.0 };
            }
            curve[n] = last;
        }
        curve
    }

    /// The cautious crowding curve: per count bucket, the upper end of the 95 % interval of the
    /// victim's extra slowdown against none (at least 0, and never below a fewer count's), and
    /// whether that bucket has been seen enough to say so (`MIN_IN_BUCKET` observations, and as
    /// many with no aggressor beside). An unseen bucket carries the bound of the nearest fewer
    /// seen count; the caller decides how risky the unseen is.
    pub fn upper_curve(
        &self,
        victim: usize,
        aggressor: usize,
    ) -> ([f64; BUCKETS], [bool; BUCKETS]) {
        let (mut upper, mut seen) = ([0.0; BUCKETS], [false; BUCKETS]);
        seen[0] = true;
        let pair = victim * self.classes + aggressor;
        let Some(buckets) = self.by_count.get(pair * BUCKETS..(pair + 1) * BUCKETS) else {
            return (upper, seen);
        };
        let base = buckets[0];
        let mut last: f64 = 0.0;
        for (n, m) in buckets.iter().enumerate().skip(1) {
            if m.n >= MIN_IN_BUCKET && base.n >= MIN_IN_BUCKET {
                let se = (m.variance() / m.n as f64 + base.variance() / base.n as f64).sqrt();
                last = last.max(m.mean() - base.mean() + 1.96 * se);
                seen[n] = true;
            }
            upper[n] = last;
        }
        (upper, seen)
    }
}

impl PairLearner {
    /// The same learner with classes renumbered: old class `i` becomes `map[i]` (dropped if
    /// `None`), in a learner of `classes` classes.
    /// Takes `from`'s observations (over the same classes) of every pair with a class marked
    /// in `fresh`: classes just added, which have none of their own yet.
    pub fn adopt(&mut self, from: &PairLearner, fresh: &[bool]) {
        let n = self.classes;
        debug_assert_eq!(from.classes, n);
        for v in 0..n {
            if fresh[v] {
                self.overall[v] = from.overall[v];
            }
            for a in 0..n {
                if fresh[v] || fresh[a] {
                    let at = v * n + a;
                    self.with[at] = from.with[at];
                    let cells = at * BUCKETS..(at + 1) * BUCKETS;
                    self.by_count[cells.clone()].copy_from_slice(&from.by_count[cells]);
                }
            }
        }
    }

    pub fn remapped(&self, map: &[Option<usize>], classes: usize) -> PairLearner {
        let mut out = PairLearner::new(classes);
        for (i, to) in map.iter().enumerate().take(self.classes) {
            let Some(v) = *to else { continue };
            out.overall[v] = self.overall[i];
            for (j, to_j) in map.iter().enumerate().take(self.classes) {
                if let Some(a) = *to_j {
                    out.with[v * classes + a] = self.with[i * self.classes + j];
                    let (from, to) = (
                        (i * self.classes + j) * BUCKETS,
                        (v * classes + a) * BUCKETS,
                    );
                    if let Some(src) = self.by_count.get(from..from + BUCKETS) {
                        out.by_count[to..to + BUCKETS].copy_from_slice(src);
                    }
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

    #[test]
    fn crowding_is_learned_as_a_curve() {
        let mut p = PairLearner::new(1);
        // A class slowed by 0.1 per neighbour of its own kind beyond 3: 1 + 0.1·max(0, n − 3).
        for k in 0..400 {
            let beside = k % 8;
            let s = 1.0 + 0.1 * (beside as f64 - 3.0).max(0.0);
            p.add(0, s, &[beside as u16 + 1]);
        }
        let curve = p.crowding_curve(0, 0);
        assert_eq!(&curve[..4], &[0.0; 4], "no effect up to 3 neighbours");
        for (n, v) in curve.iter().enumerate().take(8).skip(4) {
            assert!((v - 0.1 * (n as f64 - 3.0)).abs() < 1e-9, "{n}: {v}");
        }
        // Never seen beyond 7: the curve holds its last learned value.
        assert!((curve[12] - 0.4).abs() < 1e-9);
    }
}
