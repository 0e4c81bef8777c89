//! `dcsim trace inspect`: counts, time span, and size and lifetime distributions of a trace,
//! read in one streaming pass (quantiles from a bounded reservoir of rows), in time linear in
//! the trace's size: a row that stands for many instances is counted once, with its count.

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

/// One quantity's count, sum and extremes, and a deterministic thinned sample for quantiles:
/// the values at every `stride`-th position; when `RESERVOIR` are kept, every other one is
/// dropped and the stride doubles, so the sample spans the whole trace in bounded memory.
struct Sample {
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    kept: Vec<f64>,
    stride: u64,
}

impl Default for Sample {
    fn default() -> Sample {
        Sample {
            count: 0,
            sum: 0.0,
            min: 0.0,
            max: 0.0,
            kept: Vec::new(),
            stride: 1,
        }
    }
}

impl Sample {
    #[cfg(test)]
    fn add(&mut self, v: f64) {
        self.add_n(v, 1);
    }

    /// `k` values `v`, in time proportional to the values kept, not to `k`.
    fn add_n(&mut self, v: f64, k: u64) {
        if k == 0 {
            return;
        }
        if self.count == 0 {
            (self.min, self.max) = (v, v);
        }
        let (mut at, end) = (self.count, self.count.saturating_add(k));
        self.count = end;
        self.sum += if k == 1 { v } else { v * k as f64 };
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        loop {
            let next = (at / self.stride + 1).saturating_mul(self.stride);
            if next > end || next <= at {
                break;
            }
            self.kept.push(v);
            at = next;
            if self.kept.len() == RESERVOIR {
                let mut i = 0;
                self.kept.retain(|_| {
                    i += 1;
                    i % 2 == 0
                });
                self.stride = self.stride.saturating_mul(2);
            }
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
    while let Some((vm, k)) = reader.next_run()? {
        n += k;
        let TraceVm {
            class,
            arrival,
            lifetime: life,
            cores: c,
            memory_gib: m,
            usage,
            ..
        } = vm;
        *classes.entry(class).or_insert(0) += k;
        first = first.min(arrival.as_secs_f64());
        last = last.max(arrival.as_secs_f64());
        c.into_iter().for_each(|v| cores.add_n(v, k));
        m.into_iter().for_each(|v| memory.add_n(v, k));
        match life {
            Some(l) => lifetime.add_n(l.as_secs_f64(), k),
            None => open += k,
        }
        if matches!(usage, TraceUsage::Series { .. }) {
            series += k;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thinned_sample_spans_the_whole_stream() {
        // 1..=1e6 one by one: the kept values are spread over the whole range (the sample
        // used to stop at the first 100,000 values, so p50 was 50,000).
        let mut s = Sample::default();
        (1..=1_000_000).for_each(|v| s.add(v as f64));
        assert!(s.kept.len() < RESERVOIR);
        let d = s.finish().unwrap();
        assert_eq!((d.count, d.min, d.max), (1_000_000, 1.0, 1_000_000.0));
        assert!((d.p50 - 500_000.0).abs() < 2_000.0, "{d:?}");
        assert!((d.p99 - 990_000.0).abs() < 2_000.0, "{d:?}");
    }

    #[test]
    fn many_equal_values_at_once_are_those_values_one_by_one() {
        let (mut one, mut many) = (Sample::default(), Sample::default());
        for (v, k) in [(3.0, 70_000u64), (1.0, 250_000), (2.0, 5)] {
            (0..k).for_each(|_| one.add(v));
            many.add_n(v, k);
        }
        assert_eq!(
            (one.count, &one.kept, one.stride),
            (many.count, &many.kept, many.stride)
        );
        let (a, b) = (one.finish().unwrap(), many.finish().unwrap());
        assert_eq!((a.p50, a.p90, a.min, a.max), (b.p50, b.p90, b.min, b.max));
        assert!((a.mean - b.mean).abs() < 1e-9);
        // A count near u64::MAX ends.
        let mut huge = Sample::default();
        huge.add_n(1.0, u64::MAX);
        huge.add_n(1.0, 5);
        assert_eq!(huge.count, u64::MAX);
    }
}
