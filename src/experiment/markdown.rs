//! `comparison.md` / `summary.md`: per arm, the mean and 95 % interval of each headline metric;
//! then each arm's paired differences against the first arm.

use super::metrics::{HEADLINES, Headline, fmt_value};
use super::stats::{Estimate, paired_difference};
use super::{Plan, RunRow};
use std::fmt::Write;

/// (seed, value of `h`) of every run of `arm`, in run order.
pub fn samples(rows: &[RunRow], arm: usize, h: &Headline) -> Vec<(u64, f64)> {
    rows.iter()
        .filter(|r| r.arm == arm)
        .map(|r| (r.summary.seed, (h.value)(&r.summary)))
        .collect()
}

fn values(samples: &[(u64, f64)]) -> Vec<f64> {
    samples.iter().map(|s| s.1).collect()
}

/// The report. `scope` says which runs it covers when not the whole plan (a shard).
pub fn render(plan: &Plan, rows: &[RunRow], scope: Option<&str>) -> String {
    let mut md = format!("# {}\n\n", plan.name);
    md += &intro(plan, rows, scope);
    let arms = plan.arm_count();
    let counts: Vec<usize> = (0..arms)
        .map(|a| rows.iter().filter(|r| r.arm == a).count())
        .collect();
    if counts.iter().all(|&n| n < 2) {
        md += "**Confidence intervals are unavailable**: every arm has fewer than two runs. \
               Run at least two seeds (`--seeds 2`) to get intervals.\n\n";
    }
    md += "## Means\n\n";
    let heads: Vec<String> = (0..arms)
        .map(|a| format!("{} (n = {})", plan.arm_label(a), counts[a]))
        .collect();
    md += &table_head("metric", &heads);
    for h in &HEADLINES {
        let cells: Vec<String> = (0..arms)
            .map(|a| mean_cell(&Estimate::of(&values(&samples(rows, a, h)))))
            .collect();
        md += &table_row(&format!("{} `{}`", h.label, h.key), &cells);
    }
    if arms > 1 {
        md += &differences(plan, rows);
    }
    md
}

fn intro(plan: &Plan, rows: &[RunRow], scope: Option<&str>) -> String {
    let mut s = format!("Scenario `{}`", plan.scenario);
    for o in &plan.set {
        let _ = write!(s, ", `--set {o}`");
    }
    let seeds = &plan.seeds;
    let _ = write!(
        s,
        ". {} arms × {} seeds ({}) = {} runs",
        plan.arm_count(),
        seeds.len(),
        seed_list(seeds),
        plan.run_count()
    );
    if let Some(scope) = scope {
        let _ = write!(s, "; {scope}: {} runs", rows.len());
    }
    s += ".\n\n";
    s += "Every arm runs on the same seeds, and a seed draws the same workload for every arm \
          (common random numbers), so differences are paired by seed. Intervals: 95 % Student t \
          with n − 1 degrees of freedom, shown as mean ± half-width.\n\n";
    s
}

fn seed_list(seeds: &[u64]) -> String {
    let consecutive = seeds.windows(2).all(|w| w[1] == w[0] + 1);
    match seeds {
        [a, .., b] if consecutive => format!("{a}–{b}"),
        _ => seeds
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn differences(plan: &Plan, rows: &[RunRow]) -> String {
    let first = plan.arm_label(0);
    let mut md = format!("\n## Paired differences against `{first}`\n\n");
    let heads: Vec<String> = (1..plan.arm_count())
        .map(|a| format!("{} − {first}", plan.arm_label(a)))
        .collect();
    md += &table_head("metric", &heads);
    for h in &HEADLINES {
        let base = samples(rows, 0, h);
        let base_mean = Estimate::of(&values(&base)).mean;
        let cells: Vec<String> = (1..plan.arm_count())
            .map(|a| diff_cell(&paired_difference(&base, &samples(rows, a, h)), base_mean))
            .collect();
        md += &table_row(&format!("{} `{}`", h.label, h.key), &cells);
    }
    md += "\nA difference is the mean over seeds of (arm − first arm) on the same seed, with the \
           paired-t interval; `*` marks an interval that excludes zero.\n";
    md
}

fn mean_cell(e: &Estimate) -> String {
    match (e.n, e.half_width) {
        (0, _) => "no runs".to_string(),
        (_, None) => format!("{} (no interval)", fmt_value(e.mean)),
        (_, Some(h)) => format!("{} ± {}", fmt_value(e.mean), fmt_value(h)),
    }
}

fn diff_cell(d: &Estimate, base_mean: f64) -> String {
    if d.n == 0 {
        return "no paired runs".to_string();
    }
    // Rounding noise of a sum (1e-17 of a value of 0.1) is no difference.
    let noise = base_mean.abs() * 1e-9;
    let clean = |v: f64| if v.abs() <= noise { 0.0 } else { v };
    let mut s = fmt_value(clean(d.mean));
    match d.half_width {
        Some(h) => s += &format!(" ± {}", fmt_value(clean(h))),
        None => s += " (no interval)",
    }
    if base_mean != 0.0 && base_mean.is_finite() {
        let pct = 100.0 * clean(d.mean) / base_mean.abs();
        s += &match pct.abs() {
            0.0 => " (0 %)".to_string(),
            p if p < 0.1 => format!(" ({pct:+.3} %)"),
            _ => format!(" ({pct:+.1} %)"),
        };
    }
    if clean(d.mean) != 0.0 && d.excludes_zero() {
        s += " *";
    }
    s
}

fn table_head(first: &str, heads: &[String]) -> String {
    let mut s = format!("| {first} |");
    for h in heads {
        let _ = write!(s, " {} |", h.replace('|', "\\|"));
    }
    s += "\n|---|";
    s += &"---:|".repeat(heads.len());
    s + "\n"
}

fn table_row(first: &str, cells: &[String]) -> String {
    let mut s = format!("| {first} |");
    for c in cells {
        let _ = write!(s, " {c} |");
    }
    s + "\n"
}
