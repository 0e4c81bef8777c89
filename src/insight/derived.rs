//! `Derived`: the answers placement asks of the core on every decision, precomputed at the end
//! of each learning round (the core changes only then) so that scoring a candidate costs a few
//! array reads, not a pass over histograms.

use super::core::{InformationCore, MIN_SAMPLES};
use super::lifetime::{SuffixTable, remaining_from};
use super::pairs::BUCKETS;
use crate::landscape::FeatureMask;

/// Effective utilisation on each host kind (features, value) with enough samples, and over all.
type Effective = (Vec<(u32, f64)>, Option<f64>);

#[derive(Clone, Debug, Default)]
pub struct Derived {
    /// Unique to each derivation in this process (0: never derived), so that a policy caching
    /// what it reads from these answers knows when they change.
    generation: u64,
    classes: usize,
    /// Per class: effective utilisation on each host kind with enough samples, and over all.
    effective: Vec<Effective>,
    /// Per class: significant feature benefit on each host kind.
    benefit: Vec<Vec<(u32, f64)>>,
    /// Per class with enough departures: its lifetime suffix table.
    remaining: Vec<Option<SuffixTable>>,
    /// Per subscription entry: effective utilisation and lifetime suffix table, once confident.
    subscription_effective: Vec<Option<f64>>,
    subscription_remaining: Vec<Option<SuffixTable>>,
    /// Per (victim, aggressor): significant interference.
    pairs: Vec<f64>,
    /// Per (victim, aggressor): the crowding curve by aggressor count.
    crowding: Vec<[f64; BUCKETS]>,
    /// Per (victim, aggressor): the upper crowding curve and which counts have been seen.
    upper: Vec<([f64; BUCKETS], [bool; BUCKETS])>,
}

/// Derived values follow from the rest of the core: they never make two cores differ.
impl PartialEq for Derived {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Derived {
    pub fn of(core: &InformationCore) -> Derived {
        let q = core.effective_quantile;
        let k = core.classes.len();
        let enough = |n: u64| n >= MIN_SAMPLES;
        let effective = core
            .classes
            .iter()
            .map(|c| {
                let kinds = c
                    .usage_by_host
                    .iter()
                    .filter(|h| enough(h.usage.samples()))
                    .filter_map(|h| Some((h.features, h.usage.quantile(q)?.value)))
                    .collect();
                let pooled = enough(c.usage.samples())
                    .then(|| c.usage.quantile(q).map(|e| e.value))
                    .flatten();
                (kinds, pooled)
            })
            .collect();
        let benefit = (0..k)
            .map(|c| {
                core.classes[c]
                    .usage_by_host
                    .iter()
                    .filter_map(|h| {
                        let e = core.feature_benefit(
                            crate::workload::ClassId(c as u16),
                            FeatureMask(h.features),
                        )?;
                        (e.value - e.half_width > 0.0).then_some((h.features, e.value))
                    })
                    .collect()
            })
            .collect();
        let remaining = core
            .classes
            .iter()
            .map(|c| enough(c.lifetime.samples()).then(|| c.lifetime.suffix_table()))
            .collect();
        let subscription_effective = core
            .subscriptions
            .iter()
            .map(|s| {
                enough(s.usage.samples())
                    .then(|| s.usage.quantile(q).map(|e| e.value))
                    .flatten()
            })
            .collect();
        let subscription_remaining = core
            .subscriptions
            .iter()
            .map(|s| enough(s.lifetime.samples()).then(|| s.lifetime.suffix_table()))
            .collect();
        let mut pairs = vec![0.0; k * k];
        let mut crowding = vec![[0.0; BUCKETS]; k * k];
        let mut upper = vec![([0.0; BUCKETS], [false; BUCKETS]); k * k];
        for v in 0..k {
            for a in 0..k {
                pairs[v * k + a] = core.interference.significant(v, a);
                crowding[v * k + a] = core.interference.crowding_curve(v, a);
                upper[v * k + a] = core.interference.upper_curve(v, a);
            }
        }
        static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Derived {
            generation: GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            classes: k,
            effective,
            benefit,
            remaining,
            subscription_effective,
            subscription_remaining,
            pairs,
            crowding,
            upper,
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The victim's cautious extra slowdown with `count` aggressors beside it: the upper end of
    /// the learned interval where that count has been seen, else the larger of `prior` and the
    /// bound at the nearest fewer count seen (harm is presumed until observation excludes it).
    pub fn cautious(&self, victim: usize, aggressor: usize, count: usize, prior: f64) -> f64 {
        if count == 0 || victim >= self.classes || aggressor >= self.classes {
            return 0.0;
        }
        let (upper, seen) = &self.upper[victim * self.classes + aggressor];
        let b = count.min(BUCKETS - 1);
        if seen[b] {
            upper[b]
        } else {
            upper[b].max(prior)
        }
    }

    /// The victim's learned extra slowdown with `count` aggressors beside it.
    pub fn crowding(&self, victim: usize, aggressor: usize, count: usize) -> f64 {
        if victim < self.classes && aggressor < self.classes {
            self.crowding[victim * self.classes + aggressor][count.min(BUCKETS - 1)]
        } else {
            0.0
        }
    }

    pub fn effective(&self, class: usize, features: FeatureMask) -> Option<f64> {
        let (kinds, pooled) = self.effective.get(class)?;
        kinds
            .iter()
            .find(|(f, _)| *f == features.0)
            .map(|&(_, v)| v)
            .or(*pooled)
    }

    pub fn benefit(&self, class: usize, features: FeatureMask) -> f64 {
        self.benefit
            .get(class)
            .and_then(|b| b.iter().find(|(f, _)| *f == features.0))
            .map_or(0.0, |&(_, v)| v)
    }

    pub fn remaining(&self, class: usize, age_s: f64) -> Option<f64> {
        remaining_from(self.remaining.get(class)?.as_ref()?, age_s)
    }

    pub fn subscription_effective(&self, entry: usize) -> Option<f64> {
        self.subscription_effective.get(entry).copied().flatten()
    }

    pub fn subscription_remaining(&self, entry: usize, age_s: f64) -> Option<f64> {
        remaining_from(self.subscription_remaining.get(entry)?.as_ref()?, age_s)
    }

    pub fn pair(&self, victim: usize, aggressor: usize) -> f64 {
        if victim < self.classes && aggressor < self.classes {
            self.pairs[victim * self.classes + aggressor]
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::insight::{InformationCore, UsageObservation};
    use crate::landscape::FeatureMask;
    use crate::time::SimTime;
    use crate::workload::ClassId;

    #[test]
    fn the_cautious_curve_presumes_harm_until_seen_and_bounds_it_above() {
        let names = ["v".to_string(), "a".to_string()];
        let mut core = InformationCore::new(&names, 0.95);
        let t = SimTime::from_secs(60);
        // The victim seen 10 times alone (slowdown 1) and 10 times beside one aggressor,
        // slowed 1.1 or 1.3 alternately (mean 1.2); never beside two.
        for k in 0..20u32 {
            let beside = u16::from(k >= 10);
            let s = if beside == 0 {
                1.0
            } else if k % 2 == 0 {
                1.1
            } else {
                1.3
            };
            let o = UsageObservation {
                time: t,
                class: ClassId(0),
                subscription: None,
                host_features: FeatureMask(0),
                utilisation: 0.5,
                slowdown: s,
            };
            core.observe_usage(&o, &[1, beside], t).unwrap();
        }
        core.end_round(t);
        let (v, a) = (ClassId(0), ClassId(1));
        // One aggressor seen: the mean rise 0.2 plus 1.96 × its standard error; the sample
        // variance of {1.1, 1.3} ×5 each is 0.1² × 10/9, so se = sqrt(0.01·10/9 / 10) and
        // with none beside (variance 0) the bound is 0.2 + 1.96 · 0.0333 = 0.2653.
        let se = (0.01f64 * 10.0 / 9.0 / 10.0).sqrt();
        let bound = 0.2 + 1.96 * se;
        assert!((core.cautious_crowding(v, a, 1, 0.05) - bound).abs() < 1e-9);
        // The point estimate is the mean rise (significant: 0.2 − 0.065 > 0).
        assert!((core.crowding(v, a, 1) - 0.2).abs() < 1e-9);
        // Two aggressors never seen: at least the bound at one, and at least the prior.
        assert!((core.cautious_crowding(v, a, 2, 0.05) - bound).abs() < 1e-9);
        assert_eq!(core.cautious_crowding(v, a, 2, 0.5), 0.5);
        // The aggressor as victim was never seen at all: the prior, except with none beside.
        assert_eq!(core.cautious_crowding(a, v, 1, 0.05), 0.05);
        assert_eq!(core.cautious_crowding(a, v, 0, 0.05), 0.0);
        // The optimistic curve presumes the unseen harmless beyond what it saw.
        assert_eq!(core.crowding(a, v, 1), 0.0);
    }
}
