//! Per-subscription learners: where a trace names a workload's subscription (Azure) or user,
//! usage quantiles and lifetimes are learned per subscription as well as per class, and
//! placement reads the subscription's estimate once it rests on `MIN_SAMPLES` observations
//! (its confidence), the class's until then.
//!
//! A subscription is known by the trace's key (`key_of` its id), stable across runs of one
//! trace, so that a saved core warm-starts another run; within a run, workloads carry a dense
//! `SubscriptionId` that the engine binds to its key once, when the subscription first
//! arrives (`bind_subscription`). Synthetic workloads have none, and then nothing here runs.

use super::core::{InformationCore, MIN_SAMPLES};
use super::estimate::Estimate;
use super::lifetime::LifetimeHistogram;
use super::usage::UsageHistogram;
use crate::workload::{ClassId, SubscriptionId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is known of one subscription, over all its classes and host kinds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionKnowledge {
    /// The trace's key of the subscription (`key_of` its id).
    pub key: u64,
    pub usage: UsageHistogram,
    pub lifetime: LifetimeHistogram,
}

/// Which entry of `InformationCore::subscriptions` each dense id of this run is, and each
/// key's entry. Rebuilt from the entries whenever they outnumber it (after a load).
#[derive(Clone, Debug, Default)]
pub struct SubscriptionSlots {
    /// Per `SubscriptionId` of this run: its entry, or `UNBOUND`.
    slot: Vec<u32>,
    by_key: BTreeMap<u64, u32>,
}

const UNBOUND: u32 = u32::MAX;

/// Slots follow from the run's arrivals, not from what was learned: they never make two cores
/// differ.
impl PartialEq for SubscriptionSlots {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl InformationCore {
    /// Adds knowledge for the classes of `names` beyond those known (a trace names its classes
    /// as it goes; `names` in `ClassId` order, the known ones first): a loaded core's of the
    /// same name, else empty.
    pub fn add_classes(&mut self, names: &[String]) {
        let k = self.classes.len();
        if names.len() <= k {
            return;
        }
        let map: Vec<Option<usize>> = (0..k).map(Some).collect();
        self.interference = self.interference.remapped(&map, names.len());
        for n in &names[k..] {
            // What a loaded core knew of a class by that name, else nothing.
            let known = self.unplaced.iter().position(|u| u.name == *n);
            let class = match known {
                Some(i) => self.unplaced.swap_remove(i),
                None => super::core::ClassKnowledge {
                    name: n.clone(),
                    ..Default::default()
                },
            };
            self.classes.push(class);
        }
        // The loaded core's pairs of each class just named, with every class now known.
        if let Some((saved, pairs)) = &self.unplaced_pairs {
            let map: Vec<Option<usize>> = saved
                .iter()
                .map(|s| self.classes.iter().position(|c| c.name == *s))
                .collect();
            let fresh: Vec<bool> = (0..names.len()).map(|i| i >= k).collect();
            let widened = pairs.remapped(&map, names.len());
            self.interference.adopt(&widened, &fresh);
        }
        if self.unplaced.is_empty() {
            self.unplaced_pairs = None;
        }
        self.refresh();
    }

    /// Whether subscription `s` of this run has been bound to its key.
    pub fn is_bound(&self, s: SubscriptionId) -> bool {
        self.slots
            .slot
            .get(s.0 as usize)
            .is_some_and(|&i| i != UNBOUND)
    }

    /// Binds subscription `s` of this run to the trace's `key`: to what a loaded core knows of
    /// that key, or to a new, empty entry. Called once per subscription, on its first arrival.
    pub fn bind_subscription(&mut self, s: SubscriptionId, key: u64) {
        if self.is_bound(s) {
            return;
        }
        if self.slots.by_key.len() != self.subscriptions.len() {
            self.slots.by_key = self
                .subscriptions
                .iter()
                .enumerate()
                .map(|(i, k)| (k.key, i as u32))
                .collect();
        }
        let next = self.subscriptions.len() as u32;
        let entry = *self.slots.by_key.entry(key).or_insert(next);
        if entry == next {
            self.subscriptions.push(SubscriptionKnowledge {
                key,
                ..Default::default()
            });
        }
        let i = s.0 as usize;
        if self.slots.slot.len() <= i {
            self.slots.slot.resize(i + 1, UNBOUND);
        }
        self.slots.slot[i] = entry;
    }

    /// The entry of subscription `s`, if bound.
    #[inline]
    pub(super) fn entry_of(&self, s: Option<SubscriptionId>) -> Option<usize> {
        let i = *self.slots.slot.get(s?.0 as usize)?;
        (i != UNBOUND).then_some(i as usize)
    }

    /// What is known of subscription `s` of this run.
    pub fn subscription(&self, s: SubscriptionId) -> Option<&SubscriptionKnowledge> {
        self.subscriptions.get(self.entry_of(Some(s))?)
    }

    /// Quantile `q` of subscription `s`'s utilisation, once it has `MIN_SAMPLES` observations.
    pub fn subscription_usage_quantile(&self, s: SubscriptionId, q: f64) -> Option<Estimate> {
        let k = self.subscription(s)?;
        (k.usage.samples() >= MIN_SAMPLES)
            .then(|| k.usage.quantile(q))
            .flatten()
    }

    /// Effective demand of a workload of subscription `s` as a fraction of its request (the
    /// `effective_quantile` of the subscription's usage, as of the last round), once it rests
    /// on `MIN_SAMPLES` observations; `None` before (the class's applies).
    #[inline]
    pub fn subscription_effective(&self, s: Option<SubscriptionId>) -> Option<f64> {
        self.derived.subscription_effective(self.entry_of(s)?)
    }

    /// Expected remaining life of a `class` workload of subscription `s` aged `age_s`: the
    /// subscription's once `MIN_SAMPLES` of its workloads have departed, else the class's (as
    /// of the last round).
    pub fn expected_remaining_for(
        &self,
        class: ClassId,
        s: Option<SubscriptionId>,
        age_s: f64,
    ) -> Option<f64> {
        self.entry_of(s)
            .and_then(|i| self.derived.subscription_remaining(i, age_s))
            .or_else(|| self.expected_remaining_s(class, age_s))
    }
}

#[cfg(test)]
mod tests {
    use crate::insight::{DepartureObservation, InformationCore, UsageObservation};
    use crate::landscape::FeatureMask;
    use crate::time::SimTime;
    use crate::workload::{ClassId, SubscriptionId};

    #[test]
    fn a_subscription_estimate_replaces_the_class_once_confident() {
        let mut core = InformationCore::new(&["vm".to_string()], 0.95);
        let (low, high) = (SubscriptionId(0), SubscriptionId(1));
        core.bind_subscription(low, 11);
        core.bind_subscription(high, 22);
        let t = SimTime::from_secs(60);
        let obs = |s, u| UsageObservation {
            time: t,
            class: ClassId(0),
            subscription: Some(s),
            host_features: FeatureMask(0),
            utilisation: u,
            slowdown: 1.0,
        };
        // 29 observations of each: not yet confident; the class's pooled p95 (0.8) applies.
        for _ in 0..29 {
            core.observe_usage(&obs(low, 0.095), &[1], t).unwrap();
            core.observe_usage(&obs(high, 0.795), &[1], t).unwrap();
        }
        core.end_round(t);
        assert_eq!(core.subscription_effective(Some(low)), None);
        assert!(
            (core
                .effective_utilisation(ClassId(0), FeatureMask(0))
                .unwrap()
                - 0.8)
                .abs()
                < 1e-9
        );
        core.observe_usage(&obs(low, 0.095), &[1], t).unwrap();
        core.observe_usage(&obs(high, 0.795), &[1], t).unwrap();
        core.end_round(t);
        assert!((core.subscription_effective(Some(low)).unwrap() - 0.1).abs() < 1e-9);
        assert!((core.subscription_effective(Some(high)).unwrap() - 0.8).abs() < 1e-9);
        // Lifetimes: the class's until 30 of the subscription's have departed.
        for _ in 0..30 {
            let d = |s, secs| DepartureObservation {
                time: t,
                class: ClassId(0),
                subscription: Some(s),
                lifetime: SimTime::from_secs(secs),
            };
            core.observe_departure(&d(low, 100), t).unwrap();
            core.observe_departure(&d(high, 100_000), t).unwrap();
        }
        core.end_round(t);
        let short = core
            .expected_remaining_for(ClassId(0), Some(low), 0.0)
            .unwrap();
        let long = core
            .expected_remaining_for(ClassId(0), Some(high), 0.0)
            .unwrap();
        assert!((short / 100.0 - 1.0).abs() < 0.2, "{short}");
        assert!((long / 100_000.0 - 1.0).abs() < 0.2, "{long}");
        // An unbound (or absent) subscription reads the class.
        let class = core.expected_remaining_s(ClassId(0), 0.0);
        assert_eq!(core.expected_remaining_for(ClassId(0), None, 0.0), class);
        assert_eq!(
            core.expected_remaining_for(ClassId(0), Some(SubscriptionId(7)), 0.0),
            class
        );
    }

    #[test]
    fn a_loaded_core_binds_a_subscription_by_its_key_in_another_run() {
        let mut core = InformationCore::new(&["vm".to_string()], 0.95);
        core.bind_subscription(SubscriptionId(0), 11);
        core.bind_subscription(SubscriptionId(1), 22);
        let t = SimTime::from_secs(60);
        for _ in 0..40 {
            let o = UsageObservation {
                time: t,
                class: ClassId(0),
                subscription: Some(SubscriptionId(1)),
                host_features: FeatureMask(0),
                utilisation: 0.295,
                slowdown: 1.0,
            };
            core.observe_usage(&o, &[1], t).unwrap();
        }
        core.end_round(t);
        let dir = std::env::temp_dir().join(format!("dcsim-subs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("information_core.json");
        core.save(&path).unwrap();
        let mut warm = InformationCore::load(&path, &["vm".to_string()]).unwrap();
        assert_eq!(warm, core, "round trip is exact");
        // In the next run key 22 arrives first, as subscription 0.
        assert_eq!(warm.subscription_effective(Some(SubscriptionId(0))), None);
        warm.bind_subscription(SubscriptionId(0), 22);
        assert!(
            (warm
                .subscription_effective(Some(SubscriptionId(0)))
                .unwrap()
                - 0.3)
                .abs()
                < 1e-9
        );
        warm.bind_subscription(SubscriptionId(1), 33);
        assert_eq!(warm.subscription_effective(Some(SubscriptionId(1))), None);
        assert_eq!(
            warm.subscriptions.len(),
            3,
            "the saved 11 and 22, the new 33"
        );
    }
}
