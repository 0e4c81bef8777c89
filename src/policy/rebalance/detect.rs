//! Host overload detection: a static threshold (THR), adaptive thresholds from the spread of the
//! host's recent utilisation (IQR, MAD), and prediction by local regression (LR, LRR).
//! Histories are newest first. Without enough history the adaptive detectors fall back to THR
//! at `FALLBACK_THRESHOLD`, as the paper's experiments do.

use super::Profile;
use super::stats::{iqr, mad, weighted_line};

/// The static threshold used when an adaptive detector lacks history (Beloglazov & Buyya: 0.7).
pub const FALLBACK_THRESHOLD: f64 = 0.7;
/// Samples an IQR/MAD threshold needs ("12 has been suggested as a safe value").
pub const MIN_SPREAD_HISTORY: usize = 12;
/// Samples a regression uses: the latest 10.
pub const REGRESSION_WINDOW: usize = 10;

/// An overload detector and its safety parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Detector {
    /// Overloaded when utilisation > threshold.
    Thr { threshold: f64 },
    /// Overloaded when utilisation > 1 − s·IQR(history).
    Iqr { safety: f64 },
    /// Overloaded when utilisation > 1 − s·MAD(history).
    Mad { safety: f64 },
    /// Overloaded when s · (utilisation predicted past the next migrations) ≥ 1.
    Lr { safety: f64 },
    /// As `Lr` with a robust (bisquare-reweighted) fit.
    Lrr { safety: f64 },
}

/// What a detector looks at for one host.
#[derive(Clone, Copy, Debug)]
pub struct HostLoad<'a> {
    /// Utilisation now (requested CPU over capacity; may exceed 1).
    pub current: f64,
    /// Past utilisation samples, newest first.
    pub history: &'a [f64],
    /// Scheduling intervals the longest migration off this host takes (⌈t_mig / interval⌉).
    pub migration_intervals: f64,
}

impl Detector {
    pub fn is_overloaded(&self, load: &HostLoad, profile: Profile) -> bool {
        load.current > self.limit(load.history, load.migration_intervals, profile)
    }

    /// The utilisation above which a host with this history is overloaded: a threshold, or
    /// −∞/+∞ when a prediction says yes/no whatever the present. It depends on the history
    /// only, so a round computes it once per host.
    pub fn limit(&self, history: &[f64], migration_intervals: f64, profile: Profile) -> f64 {
        let history = usable_history(history, profile);
        match *self {
            Detector::Thr { threshold } => threshold,
            Detector::Iqr { .. } | Detector::Mad { .. } if history.len() < MIN_SPREAD_HISTORY => {
                FALLBACK_THRESHOLD
            }
            Detector::Iqr { safety } => 1.0 - safety * iqr(history),
            Detector::Mad { safety } => 1.0 - safety * mad(history),
            Detector::Lr { safety } | Detector::Lrr { safety } => {
                let robust = matches!(self, Detector::Lrr { .. });
                match predict(history, migration_intervals, robust, profile) {
                    Some(p) if safety * p >= 1.0 => f64::NEG_INFINITY,
                    Some(_) => f64::INFINITY,
                    None => FALLBACK_THRESHOLD,
                }
            }
        }
    }

    /// Whether `limit` reads the history (THR does not).
    pub fn uses_history(&self) -> bool {
        !matches!(self, Detector::Thr { .. })
    }
}

/// CloudSim drops the zeros at the old end of a history (samples before the host was used);
/// the physical profile keeps every sample the engine recorded.
fn usable_history(history: &[f64], profile: Profile) -> &[f64] {
    match profile {
        Profile::Physical => history,
        Profile::CloudsimCompat => {
            let keep = history.iter().rposition(|&u| u != 0.0).map_or(0, |i| i + 1);
            &history[..keep]
        }
    }
}

/// Utilisation predicted `ahead` intervals past the newest of the last 10 samples.
pub fn predict(history: &[f64], ahead: f64, robust: bool, profile: Profile) -> Option<f64> {
    if history.len() < REGRESSION_WINDOW {
        return None;
    }
    // Oldest to newest, x = 1 … n.
    let y: Vec<f64> = history[..REGRESSION_WINDOW].iter().rev().copied().collect();
    let x: Vec<f64> = (1..=REGRESSION_WINDOW).map(|i| i as f64).collect();
    let (a, b) = match profile {
        // CloudSim builds tricube (and bisquare) weights but applies them only when 40 % of them
        // are zero, which never happens: both LR and LRR are ordinary least squares.
        Profile::CloudsimCompat => weighted_line(&x, &y, &[1.0; REGRESSION_WINDOW])?,
        Profile::Physical => loess_line(&x, &y, robust)?,
    };
    Some(a + b * (REGRESSION_WINDOW as f64 + ahead))
}

/// A local linear fit around the newest sample: tricube weights by distance from it, and for
/// the robust form one bisquare reweighting by the residuals (Cleveland 1979).
fn loess_line(x: &[f64], y: &[f64], robust: bool) -> Option<(f64, f64)> {
    let n = x.len();
    let span = (n - 1) as f64;
    // The oldest point sits at distance 1 and gets weight 0; keep it barely in so the fit is
    // defined with every point.
    let tricube: Vec<f64> = (0..n)
        .map(|i| {
            let d = ((n - 1 - i) as f64 / (span + 1.0)).min(1.0);
            (1.0 - d.powi(3)).powi(3)
        })
        .collect();
    let mut fit = weighted_line(x, y, &tricube)?;
    if !robust {
        return Some(fit);
    }
    for _ in 0..ROBUSTNESS_ITERATIONS {
        match reweighted(x, y, &tricube, fit) {
            Some(next) => fit = next,
            None => break,
        }
    }
    Some(fit)
}

/// Robustness iterations of the bisquare step (as R's `lowess`, which uses 3).
const ROBUSTNESS_ITERATIONS: usize = 3;

/// One bisquare step: weights fall with the residual of the current fit, to 0 beyond 6 MADs.
fn reweighted(x: &[f64], y: &[f64], tricube: &[f64], (a, b): (f64, f64)) -> Option<(f64, f64)> {
    let residuals: Vec<f64> = x.iter().zip(y).map(|(x, y)| y - (a + b * x)).collect();
    let s = 6.0 * super::stats::median(&residuals.iter().map(|r| r.abs()).collect::<Vec<_>>());
    if s == 0.0 {
        return None;
    }
    let weights: Vec<f64> = residuals
        .iter()
        .zip(tricube)
        .map(|(r, w)| {
            let u = r / s;
            if u.abs() < 1.0 {
                w * (1.0 - u * u).powi(2)
            } else {
                0.0
            }
        })
        .collect();
    weighted_line(x, y, &weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(current: f64, history: &[f64]) -> HostLoad<'_> {
        HostLoad {
            current,
            history,
            migration_intervals: 1.0,
        }
    }

    #[test]
    fn static_threshold() {
        let d = Detector::Thr { threshold: 0.8 };
        assert!(d.is_overloaded(&load(0.81, &[]), Profile::Physical));
        assert!(!d.is_overloaded(&load(0.8, &[]), Profile::Physical));
    }

    #[test]
    fn spread_thresholds_by_hand() {
        // Twelve samples alternating 0.5 / 0.7: MAD = 0.1, IQR = 0.2.
        let h: Vec<f64> = (0..12)
            .map(|i| if i % 2 == 0 { 0.5 } else { 0.7 })
            .collect();
        // MAD, s = 2.5: threshold 1 − 0.25 = 0.75.
        let mad = Detector::Mad { safety: 2.5 };
        assert!(mad.is_overloaded(&load(0.76, &h), Profile::Physical));
        assert!(!mad.is_overloaded(&load(0.74, &h), Profile::Physical));
        // IQR, s = 1.5: threshold 1 − 0.3 = 0.7.
        let iqr = Detector::Iqr { safety: 1.5 };
        assert!(iqr.is_overloaded(&load(0.71, &h), Profile::Physical));
        assert!(!iqr.is_overloaded(&load(0.69, &h), Profile::Physical));
        // Eleven samples: not enough, fall back to THR 0.7.
        assert!(mad.is_overloaded(&load(0.71, &h[..11]), Profile::Physical));
        assert!(!mad.is_overloaded(&load(0.69, &h[..11]), Profile::Physical));
    }

    #[test]
    fn cloudsim_drops_old_zeros_before_counting_history() {
        let mut h = vec![0.6; 11];
        h.extend([0.0, 0.0]);
        let mad = Detector::Mad { safety: 2.5 };
        // Physical: 13 samples, MAD of eleven 0.6 and two 0 is 0 → threshold 1.
        assert!(!mad.is_overloaded(&load(0.9, &h), Profile::Physical));
        // CloudSim: 11 non-zero samples → fallback THR 0.7.
        assert!(mad.is_overloaded(&load(0.9, &h), Profile::CloudsimCompat));
    }

    #[test]
    fn regression_predicts_a_rising_trend() {
        // Newest first: 0.9, 0.85, … 0.45 — rising by 0.05 per interval.
        let h: Vec<f64> = (0..10).map(|i| 0.9 - 0.05 * i as f64).collect();
        // A straight line fits exactly: at x = 10 + 1 the prediction is 0.95.
        for profile in [Profile::Physical, Profile::CloudsimCompat] {
            for robust in [false, true] {
                let p = predict(&h, 1.0, robust, profile).unwrap();
                assert!((p - 0.95).abs() < 1e-9, "{profile:?} robust={robust}: {p}");
            }
        }
        // s = 1.2: 1.2 × 0.95 = 1.14 ≥ 1 → overloaded; s = 1.0 → 0.95 < 1.
        assert!(Detector::Lr { safety: 1.2 }.is_overloaded(&load(0.9, &h), Profile::Physical));
        assert!(!Detector::Lr { safety: 1.0 }.is_overloaded(&load(0.9, &h), Profile::Physical));
        // Nine samples: fallback to THR 0.7 on the current 0.9.
        assert!(Detector::Lr { safety: 0.1 }.is_overloaded(&load(0.9, &h[..9]), Profile::Physical));
    }

    #[test]
    fn robust_fit_ignores_an_outlier_that_plain_least_squares_follows() {
        // Flat at 0.5 with one spike to 1.0 in the middle (newest first).
        let mut h = vec![0.5; 10];
        h[4] = 1.0;
        let plain = predict(&h, 0.0, false, Profile::CloudsimCompat).unwrap();
        let lrr = predict(&h, 0.0, true, Profile::Physical).unwrap();
        let lrr_compat = predict(&h, 0.0, true, Profile::CloudsimCompat).unwrap();
        assert!(
            (lrr - 0.5).abs() < 1e-9,
            "the bisquare step drops the spike: {lrr}"
        );
        assert!(
            (plain - 0.5).abs() > 1e-3,
            "OLS is pulled by the spike: {plain}"
        );
        assert_eq!(plain, lrr_compat, "CloudSim's LRR does not reweight");
    }
}
