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
    classes: usize,
    /// Per class: effective utilisation on each host kind with enough samples, and over all.
    effective: Vec<Effective>,
    /// Per class: significant feature benefit on each host kind.
    benefit: Vec<Vec<(u32, f64)>>,
    /// Per class with enough departures: its lifetime suffix table.
    remaining: Vec<Option<SuffixTable>>,
    /// Per (victim, aggressor): significant interference.
    pairs: Vec<f64>,
    /// Per (victim, aggressor): the crowding curve by aggressor count.
    crowding: Vec<[f64; BUCKETS]>,
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
        let mut pairs = vec![0.0; k * k];
        let mut crowding = vec![[0.0; BUCKETS]; k * k];
        for v in 0..k {
            for a in 0..k {
                pairs[v * k + a] = core.interference.significant(v, a);
                crowding[v * k + a] = core.interference.crowding_curve(v, a);
            }
        }
        Derived {
            classes: k,
            effective,
            benefit,
            remaining,
            pairs,
            crowding,
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

    pub fn pair(&self, victim: usize, aggressor: usize) -> f64 {
        if victim < self.classes && aggressor < self.classes {
            self.pairs[victim * self.classes + aggressor]
        } else {
            0.0
        }
    }
}
