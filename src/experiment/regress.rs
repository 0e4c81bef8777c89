//! `dcsim regress`: compares a run's (or an experiment's) headline metrics with a committed
//! baseline, appends the result to a history CSV, draws the regression chart beside it, and
//! tells the caller to exit with `REGRESSION_EXIT_CODE` when a metric got worse beyond its
//! tolerance. With `accept`, writes the current metrics as the new baseline instead.

use super::baseline::{Baseline, BaselineMetric, apply_tolerances, current_metrics, read_baseline};
use super::history::{History, utc_now};
use super::metrics::fmt_value;
use super::{ExperimentError, regress_chart};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The exit status of `dcsim regress` when a metric regressed (2 is bad input, 1 a failure).
pub const REGRESSION_EXIT_CODE: u8 = 3;

#[derive(Clone, Debug, Default)]
pub struct RegressOptions {
    pub baseline: PathBuf,
    /// A run folder, a summary.json, or a comparison or sweep folder.
    pub current: PathBuf,
    /// `metric=pct` (or `*=pct`), overriding the baseline's tolerances.
    pub tolerances: Vec<String>,
    /// Default `results/regress/<baseline stem>.csv`.
    pub history: Option<PathBuf>,
    /// A label for the history row (e.g. a commit).
    pub label: String,
    /// Write the current metrics as the new baseline.
    pub accept: bool,
    pub chart: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Within tolerance.
    Unchanged,
    Better,
    Worse,
    /// Not in the previous baseline (accept only).
    New,
}

impl Status {
    fn text(self) -> &'static str {
        match self {
            Status::Unchanged => "ok",
            Status::Better => "better",
            Status::Worse => "WORSE",
            Status::New => "new",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub metric: String,
    pub baseline: Option<BaselineMetric>,
    pub current: f64,
    pub status: Status,
}

#[derive(Clone, Debug)]
pub struct RegressReport {
    pub changes: Vec<Change>,
    pub accepted: bool,
    pub history: PathBuf,
    /// The chart's PNG (an SVG beside it), when drawn.
    pub chart: Option<PathBuf>,
}

impl RegressReport {
    /// True when a metric got worse beyond its tolerance (and nothing was accepted).
    pub fn regressed(&self) -> bool {
        !self.accepted && self.changes.iter().any(|c| c.status == Status::Worse)
    }

    /// The changes as a text table.
    pub fn table(&self) -> String {
        let width = self
            .changes
            .iter()
            .map(|c| c.metric.len())
            .max()
            .unwrap_or(6)
            .max(6);
        let mut t = format!(
            "{:<width$}  {:>14}  {:>14}  {:>9}  {:>9}  {:<6}  status\n",
            "metric", "baseline", "current", "change", "tolerance", "worse"
        );
        for c in &self.changes {
            let (base, change, tol, worse) = match c.baseline {
                Some(b) => (
                    fmt_value(b.value),
                    pct_change(b.value, c.current),
                    format!("±{}", fmt_value(b.allowed())),
                    format!("{:?}", b.worse).to_lowercase(),
                ),
                None => ("-".into(), "-".into(), "-".into(), "-".into()),
            };
            t += &format!(
                "{:<width$}  {base:>14}  {:>14}  {change:>9}  {tol:>9}  {worse:<6}  {}\n",
                c.metric,
                fmt_value(c.current),
                c.status.text()
            );
        }
        t
    }
}

fn pct_change(base: f64, current: f64) -> String {
    if base == current {
        "0 %".into()
    } else if base == 0.0 {
        "new ≠ 0".into()
    } else {
        format!("{:+.2} %", 100.0 * (current - base) / base.abs())
    }
}

/// Where the history goes by default.
pub fn default_history(baseline: &Path) -> PathBuf {
    let stem = baseline
        .file_stem()
        .map_or("baseline".into(), |s| s.to_string_lossy().into_owned());
    Path::new("results/regress").join(format!("{stem}.csv"))
}

/// Checks (or, with `accept`, replaces) the baseline; see the module header.
pub fn regress(opts: &RegressOptions) -> Result<RegressReport, ExperimentError> {
    let current = current_metrics(&opts.current)?;
    let (baseline, changes) = if opts.accept {
        accept(opts, &current)?
    } else {
        check(opts, &current)?
    };
    let history_path = opts
        .history
        .clone()
        .unwrap_or_else(|| default_history(&opts.baseline));
    let mut history = History::read(&history_path)?;
    let status = if opts.accept {
        "accepted"
    } else if changes.iter().any(|c| c.status == Status::Worse) {
        "fail"
    } else {
        "pass"
    };
    let mut cells = vec![
        ("time".to_string(), utc_now()),
        ("label".to_string(), opts.label.clone()),
        ("status".to_string(), status.to_string()),
    ];
    cells.extend(
        changes
            .iter()
            .map(|c| (c.metric.clone(), c.current.to_string())),
    );
    history.push(&cells);
    history.write(&history_path)?;
    let chart = if opts.chart {
        let png = history_path.with_extension("png");
        regress_chart::write(&png, &baseline, &history)?;
        Some(png)
    } else {
        None
    };
    Ok(RegressReport {
        accepted: opts.accept,
        changes,
        history: history_path,
        chart,
    })
}

fn check(
    opts: &RegressOptions,
    current: &BTreeMap<String, f64>,
) -> Result<(Baseline, Vec<Change>), ExperimentError> {
    let mut baseline = read_baseline(&opts.baseline)?;
    apply_tolerances(&mut baseline.metrics, &opts.tolerances)?;
    let missing: Vec<&str> = baseline
        .metrics
        .keys()
        .filter(|k| !current.contains_key(*k))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(ExperimentError::input(
            &opts.current,
            format!(
                "has no {} (named in {}); compare like with like, or accept a new baseline",
                missing.join(", "),
                opts.baseline.display()
            ),
        ));
    }
    let changes = baseline
        .metrics
        .iter()
        .map(|(name, b)| {
            let v = current[name];
            let status = if b.is_worse(v) {
                Status::Worse
            } else if b.is_better(v) {
                Status::Better
            } else {
                Status::Unchanged
            };
            Change {
                metric: name.clone(),
                baseline: Some(*b),
                current: v,
                status,
            }
        })
        .collect();
    Ok((baseline, changes))
}

fn accept(
    opts: &RegressOptions,
    current: &BTreeMap<String, f64>,
) -> Result<(Baseline, Vec<Change>), ExperimentError> {
    let old = if opts.baseline.exists() {
        Some(read_baseline(&opts.baseline)?)
    } else {
        None
    };
    let old_metrics = old.as_ref().map(|b| b.metrics.clone()).unwrap_or_default();
    let mut metrics: BTreeMap<String, BaselineMetric> = current
        .iter()
        .map(|(name, &value)| {
            let settings = old_metrics.get(name).copied();
            let mut m = settings.unwrap_or_else(|| BaselineMetric::new(name, value));
            m.value = value;
            (name.clone(), m)
        })
        .collect();
    apply_tolerances(&mut metrics, &opts.tolerances)?;
    let changes = metrics
        .iter()
        .map(|(name, m)| {
            let before = old_metrics.get(name).copied();
            let status = match before {
                None => Status::New,
                Some(b) if b.is_worse(m.value) => Status::Worse,
                Some(b) if b.is_better(m.value) => Status::Better,
                Some(_) => Status::Unchanged,
            };
            Change {
                metric: name.clone(),
                baseline: before,
                current: m.value,
                status,
            }
        })
        .collect();
    let source = format!(
        "{} (dcsim {})",
        opts.current.display(),
        env!("CARGO_PKG_VERSION")
    );
    let baseline = Baseline { source, metrics };
    if let Some(dir) = opts.baseline.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| ExperimentError::io(dir, e))?;
    }
    let text = serde_json::to_string_pretty(&baseline).expect("plain data serialises") + "\n";
    crate::report::write_atomically(&opts.baseline, text.as_bytes())?;
    Ok((baseline, changes))
}
