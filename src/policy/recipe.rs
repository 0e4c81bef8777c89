//! Recipes: a placement written as filters, then weighted scorers, over a candidate set the
//! fit index draws (never a scan of every host). The scorers (`scorers.rs`) read the fleet as
//! it is now and what the `InformationCore` has learned; the `insight` preset weights the
//! learned ones. `Explanation` is what `dcsim explain` prints: the very numbers the policy
//! used, recorded as it decides.

mod scorers;
mod tables;

pub use scorers::{ScoreContext, Scorer, learned_interference, learned_utilisation, score};
pub use tables::LearnedTables;

use serde::Serialize;

pub use crate::scenario::names::SCORERS;

/// Weights of the `insight` preset: pack by learned demand, avoid learned interference, keep
/// feature hosts for the classes they speed up, align lifetimes, then prefer fuller hosts.
pub const INSIGHT_WEIGHTS: [(&str, f64); 5] = [
    ("learned_fit", 1.0),
    ("interference", 3.0),
    ("feature_benefit", 0.1),
    ("lifetime", 0.2),
    ("most_allocated", 0.3),
];

/// One scorer's contribution to a candidate's total.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreTerm {
    pub scorer: &'static str,
    pub value: f64,
    pub weight: f64,
}

/// One filter's verdict on a candidate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FilterResult {
    pub filter: &'static str,
    pub passed: bool,
}

/// A candidate host as the recipe saw it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CandidateScore {
    pub host: u32,
    pub filters: Vec<FilterResult>,
    /// Empty when a filter failed.
    pub scores: Vec<ScoreTerm>,
    /// Σ value × weight (absent when a filter failed).
    pub total: Option<f64>,
}

/// What the learners know of the placed workload's subscription, and which estimate placement
/// read: the subscription's own once it rests on enough observations, else its class's.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SubscriptionExplained {
    pub id: u32,
    /// The trace's key of it (`key_of` its id), hexadecimal.
    pub key: String,
    pub usage_observations: u64,
    pub departures: u64,
    /// Its learned effective utilisation, when confident.
    pub effective_utilisation: Option<f64>,
    /// "subscription" or "class": whose effective demand the learned fit read.
    pub demand_from: &'static str,
}

/// One placement decision, in full.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Explanation {
    pub policy: String,
    pub workload: u64,
    pub class: String,
    pub time_s: f64,
    pub request_cores: f64,
    pub request_gib: f64,
    /// Its trace subscription (dense id in this run), when the trace names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription: Option<SubscriptionExplained>,
    pub candidates: Vec<CandidateScore>,
    pub winner: Option<u32>,
}

impl Explanation {
    /// The explanation as a text table, candidates in host order, the winner marked.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} placing workload {} (class {}, {} cores, {} GiB) at t={} s: {} candidates",
            self.policy,
            self.workload,
            self.class,
            self.request_cores,
            self.request_gib,
            self.time_s,
            self.candidates.len()
        );
        if let Some(sub) = &self.subscription {
            let _ = writeln!(
                s,
                "subscription {} (key {}): {} usage observations, {} departures; effective demand from its {}{}",
                sub.id,
                sub.key,
                sub.usage_observations,
                sub.departures,
                sub.demand_from,
                sub.effective_utilisation
                    .map_or(String::new(), |u| format!(" ({u:.2} of the request)"))
            );
        }
        for c in &self.candidates {
            let mark = if Some(c.host) == self.winner {
                "*"
            } else {
                " "
            };
            let failed: Vec<&str> = c
                .filters
                .iter()
                .filter(|f| !f.passed)
                .map(|f| f.filter)
                .collect();
            let _ = write!(s, "{mark} host {:>6}  ", c.host);
            match c.total {
                None => {
                    let _ = writeln!(s, "filtered out by {}", failed.join(", "));
                }
                Some(t) => {
                    let _ = write!(s, "total {t:>9.4} =");
                    for term in &c.scores {
                        let _ = write!(s, "  {} {:.4}×{}", term.scorer, term.value, term.weight);
                    }
                    let _ = writeln!(s);
                }
            }
        }
        let _ = match self.winner {
            Some(h) => writeln!(s, "winner: host {h}"),
            None => writeln!(s, "winner: none (queued or rejected)"),
        };
        s
    }
}
