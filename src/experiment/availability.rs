//! The availability part of a comparison (runs with services or failures): per arm the mean of
//! service and host availability, lost VM-hours and service down hours with 95 % intervals, and
//! each arm's paired difference from the first (`availability.md`, `availability.csv`).

use super::stats::{Estimate, paired_difference};
use super::{Plan, RunRow};
use crate::metrics::RunSummary;
use std::fmt::Write;

type Metric = (&'static str, &'static str, fn(&RunSummary) -> Option<f64>);

const METRICS: [Metric; 4] = [
    ("service_availability", "service availability", |s| {
        s.services.as_ref().map(|v| v.service_availability)
    }),
    ("service_down_hours", "service down (instance-hours)", |s| {
        s.services.as_ref().map(|v| v.service_down_hours)
    }),
    ("host_availability", "host availability", |s| {
        s.failures.as_ref().map(|f| f.host_availability)
    }),
    ("lost_vm_hours", "lost VM-hours", |s| {
        s.failures.as_ref().map(|f| f.lost_vm_hours)
    }),
];

fn interval(e: &Estimate) -> String {
    match e.half_width {
        Some(h) => format!("{:.6} ± {:.6}", e.mean, h),
        None => format!("{:.6}", e.mean),
    }
}

/// The Markdown section and the CSV table, or `None` when no run has services or failures.
pub fn section(plan: &Plan, rows: &[RunRow]) -> Option<(String, String)> {
    let present: Vec<&Metric> = METRICS
        .iter()
        .filter(|m| rows.iter().any(|r| (m.2)(&r.summary).is_some()))
        .collect();
    if present.is_empty() {
        return None;
    }
    let values = |arm: usize, m: &Metric| -> Vec<(u64, f64)> {
        rows.iter()
            .filter(|r| r.arm == arm)
            .filter_map(|r| (m.2)(&r.summary).map(|v| (r.summary.seed, v)))
            .collect()
    };
    let mut md =
        String::from("\n## Availability\n\nMeans with 95 % Student-t intervals over seeds");
    md.push_str("; Δ is the paired difference from the first arm (same seeds).\n\n| arm |");
    let mut csv = String::from(
        "arm,metric,n,mean,half_width_95,paired_diff_mean,paired_diff_half_width_95\n",
    );
    for m in &present {
        let _ = write!(md, " {} | Δ |", m.1);
    }
    md.push_str("\n|---|");
    md.push_str(&"---|---|".repeat(present.len()));
    md.push('\n');
    for arm in 0..plan.arm_count() {
        let label = plan.arm_label(arm);
        let _ = write!(md, "| {label} |");
        for m in &present {
            let v = values(arm, m);
            let only: Vec<f64> = v.iter().map(|x| x.1).collect();
            let e = Estimate::of(&only);
            let d = (arm > 0).then(|| paired_difference(&values(0, m), &v));
            let ds = d.as_ref().map_or("".to_string(), interval);
            let _ = write!(md, " {} | {ds} |", interval(&e));
            let dm = d.map_or((f64::NAN, None), |d| (d.mean, d.half_width));
            let _ = writeln!(
                csv,
                "{label},{},{},{},{},{},{}",
                m.0,
                e.n,
                e.mean,
                e.half_width.map_or(String::new(), |h| h.to_string()),
                if dm.0.is_finite() {
                    dm.0.to_string()
                } else {
                    String::new()
                },
                dm.1.map_or(String::new(), |h| h.to_string()),
            );
        }
        md.push('\n');
    }
    Some((md, csv))
}
