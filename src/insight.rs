//! The background flow: telemetry `Window`s of recent samples (the history that consolidation
//! policies read), the learners (usage quantiles, lifetimes, pairwise interference, feature
//! benefit, host anomalies; per class, and per trace subscription where a trace names one) and the `InformationCore` that holds what they learned.
//!
//! Learners see only telemetry (usage, delivered against demanded CPU, co-location, host
//! features, departures so far), never a trace's future nor `impact`'s parameters; `insight`
//! never imports `policy`.

mod anomaly;
mod core;
mod derived;
mod estimate;
mod lifetime;
mod pairs;
mod saved;
mod subscriptions;
mod usage;

pub use anomaly::{ANOMALY_THRESHOLD, HostAnomalies, HostScore, ROUNDS_NEEDED};
pub use core::{
    ClassKnowledge, CurvePoint, DepartureObservation, HostKindUsage, InformationCore, InsightError,
    MIN_SAMPLES, UsageObservation,
};
pub use estimate::{Estimate, Moments};
pub use lifetime::LifetimeHistogram;
pub use pairs::PairLearner;
pub use subscriptions::SubscriptionKnowledge;
pub use usage::UsageHistogram;

/// Samples kept per window: CloudSim's utilisation history length.
pub const WINDOW: usize = 30;

/// The last `WINDOW` samples of one quantity, newest first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    values: [f32; WINDOW],
    len: u8,
    head: u8,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            values: [0.0; WINDOW],
            len: 0,
            head: 0,
        }
    }
}

impl Window {
    pub fn push(&mut self, v: f64) {
        self.head = ((self.head as usize + 1) % WINDOW) as u8;
        self.values[self.head as usize] = v as f32;
        self.len = (self.len + 1).min(WINDOW as u8);
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// The samples, newest first, into `out` (cleared first).
    pub fn newest_first(&self, out: &mut Vec<f64>) {
        out.clear();
        out.extend(
            (0..self.len()).map(|i| self.values[(self.head as usize + WINDOW - i) % WINDOW] as f64),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_thirty_newest_first() {
        let mut w = Window::default();
        for i in 0..40 {
            w.push(i as f64);
        }
        let mut out = Vec::new();
        w.newest_first(&mut out);
        assert_eq!(out.len(), 30);
        assert_eq!(out[0], 39.0);
        assert_eq!(out[29], 10.0);
    }
}
