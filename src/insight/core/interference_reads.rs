//! What the learned scorers ask of the core about co-location: learned slowdowns of a victim
//! beside others, as point estimates or cautiously (upper interval ends, a prior for the
//! unseen), and the significant feature benefit; all read from what the last round derived.

use super::InformationCore;
use crate::landscape::FeatureMask;
use crate::workload::ClassId;

impl InformationCore {
    /// Learned extra slowdown of `victim` when `aggressor` shares its host (0 unless
    /// significant), as of the last round.
    pub fn interference(&self, victim: ClassId, aggressor: ClassId) -> f64 {
        self.derived.pair(victim.0 as usize, aggressor.0 as usize)
    }

    /// The significant feature benefit of `class` on hosts with `features` (else 0), as of
    /// the last round.
    pub fn feature_benefit_value(&self, class: ClassId, features: FeatureMask) -> f64 {
        self.derived.benefit(class.0 as usize, features)
    }

    /// Predicted extra slowdown of a `victim` on a host whose residents number `mix[d]` of each
    /// class (`counts_victim`: the victim is among them): for each class beside it, the learned
    /// crowding curve at that class's count, summed (as of the last round).
    pub fn victim_slowdown(&self, victim: usize, mix: &[u16], counts_victim: bool) -> f64 {
        mix.iter()
            .enumerate()
            .map(|(d, &n)| (d, n as usize - usize::from(counts_victim && d == victim)))
            .filter(|&(_, others)| others > 0)
            .map(|(d, others)| self.derived.crowding(victim, d, others))
            .sum()
    }

    /// `victim_slowdown` read cautiously (`Derived::cautious`, with `prior` for a count of a
    /// class not yet seen beside the victim), as of the last round.
    pub fn cautious_victim_slowdown(
        &self,
        victim: usize,
        mix: &[u16],
        counts_victim: bool,
        prior: f64,
    ) -> f64 {
        mix.iter()
            .enumerate()
            .map(|(d, &n)| (d, n as usize - usize::from(counts_victim && d == victim)))
            .filter(|&(_, others)| others > 0)
            .map(|(d, others)| self.derived.cautious(victim, d, others, prior))
            .sum()
    }

    /// The cautious extra slowdown of a `victim` with `count` workloads of `aggressor` beside
    /// it: the learned interval's upper end, or `prior` for a count not yet seen.
    pub fn cautious_crowding(
        &self,
        victim: ClassId,
        aggressor: ClassId,
        count: usize,
        prior: f64,
    ) -> f64 {
        self.derived
            .cautious(victim.0 as usize, aggressor.0 as usize, count, prior)
    }

    /// The learned extra slowdown of a `victim` with `count` workloads of `aggressor` beside it.
    pub fn crowding(&self, victim: ClassId, aggressor: ClassId, count: usize) -> f64 {
        self.derived
            .crowding(victim.0 as usize, aggressor.0 as usize, count)
    }
}
