//! The host anomaly learner: a host whose power departs from what its load predicts. Per host
//! type, a least-squares line of power on CPU utilisation over the hosts not flagged (the
//! telemetry a facility has: each busy host's power and utilisation at each round); per host,
//! an exponentially weighted mean of observed / predicted − 1, scored against the line as of
//! the last round (the past only). A host is flagged once that score exceeds
//! `ANOMALY_THRESHOLD` after `ROUNDS_NEEDED` scored rounds. It never reads `[impact]`'s
//! anomalies: only the power that results.

use serde::{Deserialize, Serialize};

/// Relative excess power that flags a host.
pub const ANOMALY_THRESHOLD: f64 = 0.1;
/// Scored rounds a host needs before it may be flagged.
pub const ROUNDS_NEEDED: u64 = 4;
/// Weight of the newest round in a host's score.
const ALPHA: f64 = 0.3;
/// Observations a host type's line needs before it predicts.
const MIN_FIT: u64 = 10;

/// Running sums of a least-squares line p = a + b·u.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PowerFit {
    pub n: u64,
    su: f64,
    sp: f64,
    suu: f64,
    sup: f64,
}

impl PowerFit {
    fn add(&mut self, u: f64, p: f64) {
        self.n += 1;
        self.su += u;
        self.sp += p;
        self.suu += u * u;
        self.sup += u * p;
    }

    /// Predicted power at utilisation `u` (the mean power where utilisation has not varied).
    pub fn predict(&self, u: f64) -> Option<f64> {
        if self.n < MIN_FIT {
            return None;
        }
        let n = self.n as f64;
        let var = self.suu - self.su * self.su / n;
        let mean_p = self.sp / n;
        if var <= 1e-12 * n {
            return Some(mean_p);
        }
        let b = (self.sup - self.su * self.sp / n) / var;
        Some(mean_p + b * (u - self.su / n))
    }
}

/// One host's anomaly score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HostScore {
    /// Exponentially weighted mean of observed / predicted power − 1.
    pub score: f64,
    pub rounds: u64,
}

impl HostScore {
    pub fn flagged(&self) -> bool {
        self.rounds >= ROUNDS_NEEDED && self.score > ANOMALY_THRESHOLD
    }
}

/// The learner's state: committed lines (what scores read), this round's, and host scores.
/// Saved with the core and loaded back whole (a run of the same landscape goes on from them).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HostAnomalies {
    fits: Vec<PowerFit>,
    #[serde(skip)]
    pending: Vec<PowerFit>,
    pub hosts: Vec<HostScore>,
}

/// This round's lines follow from the rest between rounds: they never make two learners differ.
impl PartialEq for HostAnomalies {
    fn eq(&self, other: &Self) -> bool {
        self.fits == other.fits && self.hosts == other.hosts
    }
}

impl HostAnomalies {
    /// Busy host `host` of type `host_type` drew `watts` at CPU utilisation `u`.
    pub fn observe(&mut self, host: usize, host_type: usize, u: f64, watts: f64) {
        if self.hosts.len() <= host {
            self.hosts.resize(host + 1, HostScore::default());
        }
        if self.fits.len() <= host_type {
            self.fits.resize(host_type + 1, PowerFit::default());
        }
        if self.pending.len() < self.fits.len() {
            self.pending = self.fits.clone();
        }
        let s = &mut self.hosts[host];
        if let Some(p) = self.fits[host_type].predict(u).filter(|&p| p > 0.0) {
            let excess = watts / p - 1.0;
            s.score = if s.rounds == 0 {
                excess
            } else {
                ALPHA * excess + (1.0 - ALPHA) * s.score
            };
            s.rounds += 1;
        }
        if !s.flagged() {
            self.pending[host_type].add(u, watts);
        }
    }

    /// Ends a round: the lines learned this round are what the next one scores against.
    pub fn end_round(&mut self) {
        if self.pending.len() >= self.fits.len() {
            self.fits.clone_from(&self.pending);
        }
    }

    /// The hosts flagged now, in id order.
    pub fn flagged(&self) -> Vec<u32> {
        (0..self.hosts.len() as u32)
            .filter(|&h| self.hosts[h as usize].flagged())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_drawing_thirty_percent_more_is_flagged_and_no_other() {
        let mut a = HostAnomalies::default();
        // Ten hosts of one type, power 100 + 200·u; host 7 draws 1.3× that. Round r sees host
        // h at u = (h + r) mod 10 / 10, so the line's utilisation varies.
        for r in 0..8 {
            for h in 0..10usize {
                let u = ((h + r) % 10) as f64 / 10.0;
                let p = (100.0 + 200.0 * u) * if h == 7 { 1.3 } else { 1.0 };
                a.observe(h, 0, u, p);
            }
            a.end_round();
        }
        // Round 0 fits only (no line yet); rounds 1–7 score, the first against a line that
        // host 7 pulls up by 3 %: its score settles near 0.3 − the residual pull, above 0.1.
        assert_eq!(a.flagged(), vec![7]);
        assert!(a.hosts[7].score > 0.2, "{:?}", a.hosts[7]);
        assert!(a.hosts[0].score.abs() < 0.05, "{:?}", a.hosts[0]);
        // A line with 10 points of exact data predicts exactly, once host 7 is left out.
        let mut b = HostAnomalies::default();
        for h in 0..10usize {
            b.observe(h, 0, h as f64 / 10.0, 100.0 + 200.0 * h as f64 / 10.0);
        }
        b.end_round();
        assert!((b.fits[0].predict(0.55).unwrap() - 210.0).abs() < 1e-9);
    }
}
