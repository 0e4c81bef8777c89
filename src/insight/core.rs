//! The `InformationCore`: what the background flow has learned, as plain data (saved as
//! `information_core.json`, loadable to warm-start another run), the telemetry observations
//! it learns from, and the learning curve (each learner's accuracy, round by round, measured
//! on observations before they are learned from).
//!
//! **No oracle**: every observation carries the instant it was made, and one made after the
//! learner's `now` is refused (`InsightError::FutureObservation`) and changes nothing.

use super::estimate::Estimate;
use super::lifetime::LifetimeHistogram;
use super::pairs::PairLearner;
use super::usage::UsageHistogram;
use crate::landscape::FeatureMask;
use crate::time::SimTime;
use crate::workload::{ClassId, SubscriptionId};
use serde::{Deserialize, Serialize};

mod interference_reads;

/// Observations an estimate needs before policies may use it.
pub const MIN_SAMPLES: u64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum InsightError {
    #[error(
        "observation made at t={made} handed to a learner at t={now}: learners see only the past"
    )]
    FutureObservation { made: SimTime, now: SimTime },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not an information core: {source}")]
    Json {
        path: String,
        source: serde_json::Error,
    },
}

/// One running workload's telemetry at one instant.
#[derive(Clone, Copy, Debug)]
pub struct UsageObservation {
    pub time: SimTime,
    pub class: ClassId,
    /// Its trace subscription or user, if the trace names one.
    pub subscription: Option<SubscriptionId>,
    pub host_features: FeatureMask,
    /// CPU demanded over CPU requested.
    pub utilisation: f64,
    /// Demanded over delivered: 1 when it gets all it demands.
    pub slowdown: f64,
}

/// A workload seen to end.
#[derive(Clone, Copy, Debug)]
pub struct DepartureObservation {
    pub time: SimTime,
    pub class: ClassId,
    pub subscription: Option<SubscriptionId>,
    pub lifetime: SimTime,
}

/// What is known of one class.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassKnowledge {
    pub name: String,
    /// Utilisation on every host.
    pub usage: UsageHistogram,
    /// Utilisation by the feature set of the host it ran on, in first-seen order.
    pub usage_by_host: Vec<HostKindUsage>,
    /// Utilisation by hour of the day (simulated time mod 24 h), on every host.
    #[serde(default)]
    pub usage_by_hour: Vec<super::estimate::Moments>,
    pub lifetime: LifetimeHistogram,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HostKindUsage {
    pub features: u32,
    pub usage: UsageHistogram,
}

/// Each learner's accuracy over one learning round, on observations not yet learned from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub time_s: f64,
    /// Share of usage observations in the utilisation quartile (0–25, 25–50, 50–75, 75–100 %)
    /// that the class's learned mean at that hour of the day predicts (its mean on that kind of
    /// host until the hour has been seen `MIN_SAMPLES` times).
    pub usage_bucket_accuracy: f64,
    pub usage_predictions: u64,
    /// Share of departures whose lifetime is within a factor 2 of the learned median.
    pub lifetime_within_2x: f64,
    pub lifetime_predictions: u64,
    /// Mean |predicted − observed| slowdown.
    pub slowdown_mae: f64,
    pub slowdown_predictions: u64,
}

/// Heuristics learned from past telemetry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InformationCore {
    /// The usage quantile policies take as effective demand.
    pub effective_quantile: f64,
    pub learn_rounds: u64,
    pub classes: Vec<ClassKnowledge>,
    pub interference: PairLearner,
    /// Hosts whose power departs from what their load predicts.
    #[serde(default)]
    pub anomalies: super::anomaly::HostAnomalies,
    pub curve: Vec<CurvePoint>,
    /// Per trace subscription (or user) seen, in first-seen order (`subscriptions.rs`); not
    /// written when empty, so that a core without subscriptions is saved as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<super::subscriptions::SubscriptionKnowledge>,
    /// Which entry each of this run's subscriptions is.
    #[serde(skip)]
    pub(super) slots: super::subscriptions::SubscriptionSlots,
    /// Classes a loaded core knew that this run had not named when it loaded (a trace names
    /// its classes as it goes): taken up by name as the run names them (`add_classes`).
    #[serde(skip)]
    pub(super) unplaced: Vec<ClassKnowledge>,
    /// A loaded core's pairwise interference by its own class names, kept while some of its
    /// classes are unplaced: a class's pairs are taken up when the run names it.
    #[serde(skip)]
    pub(super) unplaced_pairs: Option<(Vec<String>, PairLearner)>,
    #[serde(skip)]
    round: RoundScore,
    /// What placement reads, as of the last round (`refresh`).
    #[serde(skip)]
    pub(super) derived: super::derived::Derived,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct RoundScore {
    usage: (u64, u64),
    lifetime: (u64, u64),
    slowdown: (f64, u64),
}

/// Hour of the day, 0–23, of a simulated instant (the run starts at midnight).
fn hour_of(t: SimTime) -> usize {
    ((t.as_secs_f64() / 3600.0) as u64 % 24) as usize
}

fn quartile(u: f64) -> u32 {
    ((u * 4.0).floor().max(0.0) as u32).min(3)
}

impl InformationCore {
    /// An empty core for classes named `class_names` (in `ClassId` order).
    pub fn new(class_names: &[String], effective_quantile: f64) -> InformationCore {
        let mut core = InformationCore {
            effective_quantile,
            classes: class_names
                .iter()
                .map(|n| ClassKnowledge {
                    name: n.clone(),
                    ..Default::default()
                })
                .collect(),
            interference: PairLearner::new(class_names.len()),
            ..Default::default()
        };
        core.refresh();
        core
    }

    /// Recomputes what placement reads from what has been learned (each round's end, a load,
    /// a change of the effective quantile).
    pub fn refresh(&mut self) {
        self.derived = super::derived::Derived::of(self);
    }

    /// Learns from one workload's telemetry at `now`; `mix` counts its host's residents by class.
    pub fn observe_usage(
        &mut self,
        o: &UsageObservation,
        mix: &[u16],
        now: SimTime,
    ) -> Result<(), InsightError> {
        if o.time > now {
            return Err(InsightError::FutureObservation { made: o.time, now });
        }
        let c = o.class.0 as usize;
        if c >= self.classes.len() {
            return Ok(());
        }
        self.score_usage(o, mix);
        if o.subscription.is_some()
            && let Some(i) = self.entry_of(o.subscription)
        {
            self.subscriptions[i].usage.add(o.utilisation);
        }
        let k = &mut self.classes[c];
        k.usage.add(o.utilisation);
        if k.usage_by_hour.len() != 24 {
            k.usage_by_hour = vec![Default::default(); 24];
        }
        k.usage_by_hour[hour_of(o.time)].add(o.utilisation);
        let f = o.host_features.0;
        match k.usage_by_host.iter_mut().find(|h| h.features == f) {
            Some(h) => h.usage.add(o.utilisation),
            None => {
                let mut usage = UsageHistogram::default();
                usage.add(o.utilisation);
                k.usage_by_host.push(HostKindUsage { features: f, usage });
            }
        }
        self.interference.add(c, o.slowdown, mix);
        Ok(())
    }

    /// Learns from one busy host's power telemetry made at `time` (`watts` at CPU
    /// utilisation `u`, a host of type `host_type`), handed over at `now`.
    pub fn observe_host(
        &mut self,
        (time, now): (SimTime, SimTime),
        host: usize,
        host_type: usize,
        (u, watts): (f64, f64),
    ) -> Result<(), InsightError> {
        if time > now {
            return Err(InsightError::FutureObservation { made: time, now });
        }
        self.anomalies.observe(host, host_type, u, watts);
        Ok(())
    }

    /// Learns from a departure seen at `now`.
    pub fn observe_departure(
        &mut self,
        o: &DepartureObservation,
        now: SimTime,
    ) -> Result<(), InsightError> {
        if o.time > now {
            return Err(InsightError::FutureObservation { made: o.time, now });
        }
        if o.class.0 as usize >= self.classes.len() {
            return Ok(());
        }
        let life = o.lifetime.as_secs_f64();
        // Predicted by the subscription's median once confident, else the class's.
        let sub = self.entry_of(o.subscription);
        let own = sub
            .map(|i| &self.subscriptions[i].lifetime)
            .filter(|h| h.samples() >= MIN_SAMPLES);
        let class = &self.classes[o.class.0 as usize].lifetime;
        let learned = own.or(Some(class).filter(|h| h.samples() >= MIN_SAMPLES));
        if let Some(m) = learned.and_then(|h| h.median()) {
            let ratio = life.max(1.0) / m.value;
            self.round.lifetime.0 += u64::from((0.5..=2.0).contains(&ratio));
            self.round.lifetime.1 += 1;
        }
        self.classes[o.class.0 as usize].lifetime.add(life);
        if let Some(i) = sub {
            self.subscriptions[i].lifetime.add(life);
        }
        Ok(())
    }

    /// Closes a learning round at `now`: records its accuracy on the learning curve.
    pub fn end_round(&mut self, now: SimTime) {
        let r = std::mem::take(&mut self.round);
        let ratio = |a: f64, n: u64| if n > 0 { a / n as f64 } else { 0.0 };
        self.learn_rounds += 1;
        self.anomalies.end_round();
        self.curve.push(CurvePoint {
            time_s: now.as_secs_f64(),
            usage_bucket_accuracy: ratio(r.usage.0 as f64, r.usage.1),
            usage_predictions: r.usage.1,
            lifetime_within_2x: ratio(r.lifetime.0 as f64, r.lifetime.1),
            lifetime_predictions: r.lifetime.1,
            slowdown_mae: ratio(r.slowdown.0, r.slowdown.1),
            slowdown_predictions: r.slowdown.1,
        });
        self.refresh();
    }

    fn score_usage(&mut self, o: &UsageObservation, mix: &[u16]) {
        let c = o.class.0 as usize;
        // The subscription's mean once confident, else the class's at that hour, else on
        // that kind of host.
        let own = o
            .subscription
            .and_then(|_| self.entry_of(o.subscription))
            .map(|i| &self.subscriptions[i].usage.moments)
            .filter(|m| m.n >= MIN_SAMPLES)
            .map(|m| m.mean());
        let at_hour = self.classes[c]
            .usage_by_hour
            .get(hour_of(o.time))
            .filter(|m| m.n >= MIN_SAMPLES)
            .map(|m| m.mean());
        let predicted = own
            .or(at_hour)
            .or_else(|| self.usage_on(c, o.host_features).map(|h| h.moments.mean()));
        if let Some(mean) = predicted {
            self.round.usage.0 += u64::from(quartile(mean) == quartile(o.utilisation));
            self.round.usage.1 += 1;
        }
        if self.interference.classes() > c && self.classes[c].usage.samples() >= MIN_SAMPLES {
            let predicted = 1.0 + self.victim_slowdown(c, mix, true);
            self.round.slowdown.0 += (predicted - o.slowdown).abs();
            self.round.slowdown.1 += 1;
        }
    }

    /// The usage histogram for `class` on hosts with `features`, or over all hosts, whichever
    /// first has `MIN_SAMPLES`.
    fn usage_on(&self, class: usize, features: FeatureMask) -> Option<&UsageHistogram> {
        let k = self.classes.get(class)?;
        let kind = k
            .usage_by_host
            .iter()
            .find(|h| h.features == features.0)
            .map(|h| &h.usage);
        kind.filter(|h| h.samples() >= MIN_SAMPLES)
            .or(Some(&k.usage).filter(|h| h.samples() >= MIN_SAMPLES))
    }

    /// Quantile `q` of `class`'s utilisation on hosts with `features` (see `usage_on`).
    pub fn usage_quantile(
        &self,
        class: ClassId,
        features: FeatureMask,
        q: f64,
    ) -> Option<Estimate> {
        self.usage_on(class.0 as usize, features)?.quantile(q)
    }

    /// Effective demand as a fraction of the request: the `effective_quantile` of usage, as of
    /// the last round.
    pub fn effective_utilisation(&self, class: ClassId, features: FeatureMask) -> Option<f64> {
        self.derived.effective(class.0 as usize, features)
    }

    /// Fraction of CPU `class` saves on hosts with `features` against the host kind it has
    /// been seen on with the fewest features: 1 − mean there / mean on that baseline.
    pub fn feature_benefit(&self, class: ClassId, features: FeatureMask) -> Option<Estimate> {
        let k = self.classes.get(class.0 as usize)?;
        let enough = |h: &&HostKindUsage| h.usage.samples() >= MIN_SAMPLES;
        let base = k
            .usage_by_host
            .iter()
            .filter(enough)
            .min_by_key(|h| (h.features.count_ones(), h.features))?;
        let here = k
            .usage_by_host
            .iter()
            .filter(enough)
            .find(|h| h.features == features.0)?;
        let (b, m) = (
            base.usage.moments.mean_estimate(),
            here.usage.moments.mean_estimate(),
        );
        if b.value <= 0.0 {
            return None;
        }
        Some(Estimate {
            value: 1.0 - m.value / b.value,
            samples: m.samples.min(b.samples),
            half_width: (m.half_width + b.half_width * m.value / b.value) / b.value,
        })
    }

    /// Expected remaining life of a `class` workload aged `age_s`, once enough have departed
    /// (as of the last round).
    pub fn expected_remaining_s(&self, class: ClassId, age_s: f64) -> Option<f64> {
        self.derived.remaining(class.0 as usize, age_s)
    }

    /// Changes (to a value never seen before in this process) whenever what placement reads
    /// is derived anew (`refresh`): a policy may cache those answers until it changes.
    pub fn generation(&self) -> u64 {
        self.derived.generation()
    }
}

#[cfg(test)]
mod tests;
