//! Baselines for `dcsim regress`: a JSON file of metric → value, tolerance and which direction
//! is worse; and the current metrics of a run folder (summary.json) or an experiment folder
//! (the mean over seeds of each arm's headline metrics, named `<arm>/<metric>`).

use super::metrics::{HEADLINES, Worse, worse_of};
use super::output::{COMPARISON_FILES, FileNames, SWEEP_FILES};
use super::stats::Estimate;
use super::{ExperimentError, Plan, table};
use crate::metrics::RunSummary;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Tolerance of a metric new to a baseline, in percent of its value.
pub const DEFAULT_TOLERANCE_PCT: f64 = 2.0;

/// The committed baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// What the values were measured on, for people.
    #[serde(default)]
    pub source: String,
    pub metrics: BTreeMap<String, BaselineMetric>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineMetric {
    pub value: f64,
    /// Allowed change in the worse direction, in percent of `value`.
    pub tolerance_pct: f64,
    /// Allowed change in absolute terms (for values near zero); the larger allowance wins.
    #[serde(default)]
    pub tolerance_abs: f64,
    pub worse: Worse,
}

impl BaselineMetric {
    /// A new entry with the default tolerance and the metric's direction.
    pub fn new(name: &str, value: f64) -> BaselineMetric {
        BaselineMetric {
            value,
            tolerance_pct: DEFAULT_TOLERANCE_PCT,
            tolerance_abs: 0.0,
            worse: worse_of(name),
        }
    }

    /// The largest change that is not a regression.
    pub fn allowed(&self) -> f64 {
        (self.tolerance_pct / 100.0 * self.value.abs()).max(self.tolerance_abs)
    }

    /// True when `current` moved the worse way by more than the tolerance.
    pub fn is_worse(&self, current: f64) -> bool {
        let d = current - self.value;
        let allowed = self.allowed() * (1.0 + 1e-12) + 1e-12;
        !current.is_finite()
            || match self.worse {
                Worse::Higher => d > allowed,
                Worse::Lower => -d > allowed,
                Worse::Either => d.abs() > allowed,
            }
    }

    /// True when `current` moved the better way by more than the tolerance.
    pub fn is_better(&self, current: f64) -> bool {
        let d = current - self.value;
        let allowed = self.allowed() * (1.0 + 1e-12) + 1e-12;
        match self.worse {
            Worse::Higher => -d > allowed,
            Worse::Lower => d > allowed,
            Worse::Either => false,
        }
    }
}

/// Reads a baseline file.
pub fn read_baseline(path: &Path) -> Result<Baseline, ExperimentError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let hint = "create one with `dcsim regress --accept`";
        ExperimentError::input(path, format!("cannot read the baseline ({e}); {hint}"))
    })?;
    serde_json::from_str(&text).map_err(|e| ExperimentError::input(path, e))
}

/// The headline metrics of `current`: a run folder, a `summary.json`, or a comparison or sweep
/// folder.
pub fn current_metrics(current: &Path) -> Result<BTreeMap<String, f64>, ExperimentError> {
    if current.is_file() {
        return summary_metrics(current);
    }
    if current.join("summary.json").is_file() {
        return summary_metrics(&current.join("summary.json"));
    }
    for files in [COMPARISON_FILES, SWEEP_FILES] {
        if current.join(files.table).is_file() {
            return experiment_metrics(current, files);
        }
    }
    Err(ExperimentError::input(
        current,
        "found neither summary.json nor comparison.csv nor runs.csv",
    ))
}

fn summary_metrics(path: &Path) -> Result<BTreeMap<String, f64>, ExperimentError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ExperimentError::input(path, format!("cannot read: {e}")))?;
    let s: RunSummary = serde_json::from_str(&text).map_err(|e| ExperimentError::input(path, e))?;
    Ok(HEADLINES
        .iter()
        .map(|h| (h.key.to_string(), (h.value)(&s)))
        .collect())
}

fn experiment_metrics(
    dir: &Path,
    files: FileNames,
) -> Result<BTreeMap<String, f64>, ExperimentError> {
    let plan_path = dir.join(files.plan);
    let text = std::fs::read_to_string(&plan_path)
        .map_err(|e| ExperimentError::input(&plan_path, format!("cannot read: {e}")))?;
    let plan: Plan =
        serde_json::from_str(&text).map_err(|e| ExperimentError::input(&plan_path, e))?;
    let rows = table::read_runs(&dir.join(files.table), &plan)?;
    let mut out = BTreeMap::new();
    for arm in 0..plan.arm_count() {
        for h in &HEADLINES {
            let values: Vec<f64> = rows
                .iter()
                .filter(|r| r.arm == arm)
                .map(|r| (h.value)(&r.summary))
                .collect();
            let e = Estimate::of(&values);
            if e.n > 0 {
                out.insert(format!("{}/{}", plan.arm_label(arm), h.key), e.mean);
            }
        }
    }
    Ok(out)
}

/// Parses `--tolerance metric=pct` (`*=pct` for every metric; a trailing `%` is allowed).
pub fn parse_tolerance(text: &str) -> Result<(String, f64), ExperimentError> {
    let bad = |why: &str| ExperimentError::BadInput(format!("--tolerance {text:?}: {why}"));
    let (metric, pct) = text
        .split_once('=')
        .ok_or_else(|| bad("expected metric=percent"))?;
    let pct: f64 = pct
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse()
        .map_err(|_| bad("the percentage is not a number"))?;
    if !pct.is_finite() || pct < 0.0 {
        return Err(bad("the percentage must be zero or more"));
    }
    Ok((metric.trim().to_string(), pct))
}

/// Sets the tolerances of `metrics` from `--tolerance` arguments; a name that is not in
/// `metrics` is refused.
pub fn apply_tolerances(
    metrics: &mut BTreeMap<String, BaselineMetric>,
    tolerances: &[String],
) -> Result<(), ExperimentError> {
    for t in tolerances {
        let (name, pct) = parse_tolerance(t)?;
        if name == "*" {
            metrics.values_mut().for_each(|m| m.tolerance_pct = pct);
            continue;
        }
        if !metrics.contains_key(&name) {
            let known: Vec<&str> = metrics.keys().map(String::as_str).collect();
            return Err(ExperimentError::BadInput(format!(
                "--tolerance {t:?}: no metric {name:?} in the baseline (it has: {})",
                known.join(", ")
            )));
        }
        metrics.entry(name).and_modify(|m| m.tolerance_pct = pct);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_directional() {
        let m = BaselineMetric::new("energy_kwh", 100.0);
        assert!(!m.is_worse(101.9) && m.is_worse(102.1) && m.is_better(97.0));
        let u = BaselineMetric::new("mean_cpu_utilisation", 0.5);
        assert!(u.is_worse(0.4) && !u.is_worse(0.9) && u.is_better(0.9));
        let zero = BaselineMetric::new("workloads_rejected", 0.0);
        assert!(!zero.is_worse(0.0) && zero.is_worse(1.0));
        assert!(m.is_worse(f64::NAN));
    }

    #[test]
    fn tolerances_parse() {
        assert_eq!(
            parse_tolerance("tco_usd=5%").unwrap(),
            ("tco_usd".into(), 5.0)
        );
        assert!(parse_tolerance("tco_usd").is_err());
        assert!(parse_tolerance("tco_usd=-1").is_err());
        let mut m = BTreeMap::from([("a".to_string(), BaselineMetric::new("a", 1.0))]);
        assert!(apply_tolerances(&mut m, &["b=1".into()]).is_err());
        apply_tolerances(&mut m, &["*=7".into()]).unwrap();
        assert_eq!(m["a"].tolerance_pct, 7.0);
    }
}
