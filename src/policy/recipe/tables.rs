//! `LearnedTables`: what the learned scorers read of the `InformationCore` that depends only on
//! the host type and the class (effective utilisation, feature benefit, expected life at
//! arrival), laid out flat and rebuilt only when the core derives new answers (each learning
//! round) or the fleet's types change, so that scoring a candidate is array reads.

use crate::insight::InformationCore;
use crate::landscape::{Fleet, HostId};
use crate::workload::ClassId;

#[derive(Clone, Debug, Default)]
pub struct LearnedTables {
    /// `InformationCore::generation` these were built from (`None`: never built).
    generation: Option<u64>,
    types: usize,
    classes: usize,
    /// Per (host type, class): effective utilisation on that type's features (1 unlearned).
    effective: Vec<f64>,
    /// Per (host type, class): the feature-benefit score (see `scorers::feature_benefit`).
    benefit: Vec<f64>,
    /// Per class: expected life at arrival.
    life: Vec<Option<f64>>,
}

impl LearnedTables {
    /// Tables for `fleet` and `core` as they are now.
    pub fn of(fleet: &Fleet, core: &InformationCore) -> LearnedTables {
        let mut t = LearnedTables::default();
        t.refresh(fleet, core);
        t
    }

    /// Rebuilds the tables if `core` or the fleet's types changed since they were built.
    pub fn refresh(&mut self, fleet: &Fleet, core: &InformationCore) {
        let classes = core.classes.len().max(fleet.mix.classes());
        if self.generation == Some(core.generation())
            && self.types == fleet.types.len()
            && self.classes == classes
        {
            return;
        }
        self.generation = Some(core.generation());
        self.types = fleet.types.len();
        self.classes = classes;
        self.effective.clear();
        self.benefit.clear();
        for t in &fleet.types {
            let f = t.features;
            let value = |c: usize| core.feature_benefit_value(ClassId(c as u16), f);
            for c in 0..classes {
                let eff = core.effective_utilisation(ClassId(c as u16), f);
                self.effective.push(eff.unwrap_or(1.0));
                let score = if f.0 == 0 {
                    0.0
                } else {
                    // Folded in class order from 0, as the scorer always has.
                    let others = (0..core.classes.len())
                        .filter(|&d| d != c)
                        .map(value)
                        .fold(0.0, f64::max);
                    value(c) - 0.5 * others
                };
                self.benefit.push(score);
            }
        }
        self.life = (0..classes)
            .map(|c| core.expected_remaining_s(ClassId(c as u16), 0.0))
            .collect();
    }

    fn at(&self, fleet: &Fleet, h: HostId, c: ClassId) -> Option<usize> {
        let c = c.0 as usize;
        (c < self.classes).then(|| fleet.host_type[h.index()].0 as usize * self.classes + c)
    }

    /// Effective utilisation of class `c` on host `h`'s kind (1 where not learned).
    pub fn effective(&self, fleet: &Fleet, h: HostId, c: ClassId) -> f64 {
        self.at(fleet, h, c).map_or(1.0, |i| self.effective[i])
    }

    /// The effective utilisation of every class on host `h`'s kind, in class order.
    pub fn effective_row(&self, fleet: &Fleet, h: HostId) -> &[f64] {
        let start = fleet.host_type[h.index()].0 as usize * self.classes;
        &self.effective[start..start + self.classes]
    }

    /// The feature-benefit score of class `c` on host `h`.
    pub fn benefit(&self, fleet: &Fleet, h: HostId, c: ClassId) -> f64 {
        self.at(fleet, h, c).map_or(0.0, |i| self.benefit[i])
    }

    /// Expected life at arrival of class `c`, seconds, if learned.
    pub fn life_at_arrival(&self, c: ClassId) -> Option<f64> {
        self.life.get(c.0 as usize).copied().flatten()
    }
}
