//! `dcsim trace inspect`: counts, time span, and size and lifetime distributions of a trace,
//! read in one streaming pass (quantiles from a bounded reservoir of rows).

use super::{TraceError, TraceReader, TraceUsage, TraceVm};
use serde::Serialize;

const RESERVOIR: usize = 100_000;

/// Quantiles of one quantity.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Distribution {
    pub count: u64,
    pub min: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TraceSummary {
    pub workloads: u64,
    pub classes: Vec<(String, u64)>,
    pub first_arrival_s: f64,
    pub last_arrival_s: f64,
    pub running_at_end: u64,
    pub with_usage_series: u64,
    pub cores: Option<Distribution>,
    pub memory_gib: Option<Distribution>,
    pub lifetime_s: Option<Distribution>,
    /// What the reader says about the input as read (e.g. files skipped).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Default)]
struct Sample {
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    kept: Vec<f64>,
}

impl Sample {
    fn add(&mut self, v: f64) {
        if self.count == 0 {
            (self.min, self.max) = (v, v);
        }
        self.count += 1;
        self.sum += v;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        // Deterministic thinning: keep every k-th value once the reservoir is full.
        let stride = (self.count as usize).div_ceil(RESERVOIR).max(1) as u64;
        if self.kept.len() < RESERVOIR && self.count.is_multiple_of(stride) {
            self.kept.push(v);
        }
    }

    fn finish(mut self) -> Option<Distribution> {
        if self.count == 0 {
            return None;
        }
        self.kept.sort_by(f64::total_cmp);
        let q = |p: f64| self.kept[((self.kept.len() - 1) as f64 * p).round() as usize];
        Some(Distribution {
            count: self.count,
            min: self.min,
            p50: q(0.5),
            p90: q(0.9),
            p99: q(0.99),
            max: self.max,
            mean: self.sum / self.count as f64,
        })
    }
}

/// Reads the whole trace once and summarises it.
pub fn inspect(reader: &mut dyn TraceReader) -> Result<TraceSummary, TraceError> {
    let (mut cores, mut memory, mut lifetime) =
        (Sample::default(), Sample::default(), Sample::default());
    // Counted in a map: a trace may name a class per row.
    let mut classes: std::collections::BTreeMap<String, u64> = Default::default();
    let (mut n, mut first, mut last, mut open, mut series) =
        (0u64, f64::INFINITY, 0.0f64, 0u64, 0u64);
    while let Some(vm) = reader.next_vm()? {
        n += 1;
        let TraceVm {
            class,
            arrival,
            lifetime: life,
            cores: c,
            memory_gib: m,
            usage,
            ..
        } = vm;
        *classes.entry(class).or_insert(0) += 1;
        first = first.min(arrival.as_secs_f64());
        last = last.max(arrival.as_secs_f64());
        c.into_iter().for_each(|v| cores.add(v));
        m.into_iter().for_each(|v| memory.add(v));
        match life {
            Some(l) => lifetime.add(l.as_secs_f64()),
            None => open += 1,
        }
        if matches!(usage, TraceUsage::Series { .. }) {
            series += 1;
        }
    }
    let classes: Vec<(String, u64)> = classes.into_iter().collect();
    Ok(TraceSummary {
        workloads: n,
        classes,
        first_arrival_s: if n == 0 { 0.0 } else { first },
        last_arrival_s: last,
        running_at_end: open,
        with_usage_series: series,
        cores: cores.finish(),
        memory_gib: memory.finish(),
        lifetime_s: lifetime.finish(),
        notes: reader.notes(),
    })
}

/// The summary as text for a terminal.
pub fn summary_text(s: &TraceSummary) -> String {
    use std::fmt::Write;
    let mut t = String::new();
    for note in &s.notes {
        let _ = writeln!(t, "note: {note}");
    }
    let _ = writeln!(t, "workloads        {}", s.workloads);
    let _ = writeln!(
        t,
        "arrivals         {:.0} s … {:.0} s ({:.2} days)",
        s.first_arrival_s,
        s.last_arrival_s,
        (s.last_arrival_s - s.first_arrival_s) / 86_400.0
    );
    let _ = writeln!(t, "running at end   {}", s.running_at_end);
    let _ = writeln!(t, "usage series     {}", s.with_usage_series);
    for (name, count) in &s.classes {
        let _ = writeln!(
            t,
            "class {:<12} {count}",
            if name.is_empty() { "(none)" } else { name }
        );
    }
    for (name, d) in [
        ("cores", &s.cores),
        ("memory GiB", &s.memory_gib),
        ("lifetime s", &s.lifetime_s),
    ] {
        match d {
            Some(d) => {
                let _ = writeln!(
                    t,
                    "{name:<12} min {:.3} p50 {:.3} p90 {:.3} p99 {:.3} max {:.3} mean {:.3} (n = {})",
                    d.min, d.p50, d.p90, d.p99, d.max, d.mean, d.count
                );
            }
            None => {
                let _ = writeln!(t, "{name:<12} not in the trace");
            }
        }
    }
    t
}
