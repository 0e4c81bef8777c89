//! The suite's measurements as a text table, each row marked met or missed against its target
//! as it stands on this machine now: the reference machine's target scaled by the calibration.

use super::calibration::{REFERENCE_CALIBRATION_S, REFERENCE_MACHINE, slowdown};
use super::measure::Measurement;

/// One clause of a target ("< 1 s"): the comparison, the reference machine's limit, the unit.
struct Clause<'a> {
    op: &'a str,
    limit: f64,
    unit: String,
}

fn clauses(target: &str) -> Option<Vec<Clause<'_>>> {
    target
        .split(',')
        .map(str::trim)
        .map(|clause| {
            let mut words = clause.split_whitespace();
            let (op, number) = (words.next()?, words.next()?);
            let unit = words.collect::<Vec<_>>().join(" ");
            let known =
                matches!(op, "<" | ">") && matches!(unit.as_str(), "s" | "GiB" | "M events/s");
            known.then_some(Clause {
                op,
                limit: number.parse().ok()?,
                unit,
            })
        })
        .collect()
}

impl Clause<'_> {
    /// The limit on a machine `slow` times slower than the reference: time limits stretch,
    /// rate limits shrink, memory stays.
    fn limit_here(&self, slow: f64) -> f64 {
        match self.unit.as_str() {
            "s" => self.limit * slow,
            "M events/s" => self.limit / slow,
            _ => self.limit,
        }
    }
}

/// Whether `m` meets its target ("< 1 s", "< 60 s, < 2 GiB", "> 10 M events/s", stated for the
/// reference machine) scaled to this machine by `m`'s calibration: `None` when the workload
/// has none or the target is not one of those forms.
pub fn verdict(m: &Measurement) -> Option<bool> {
    let slow = slowdown(m.calibration_s, m.reference_calibration_s);
    let all = clauses(&m.target)?;
    let met = all.iter().all(|c| {
        let value = match c.unit.as_str() {
            "s" => m.wall_s,
            "GiB" => m.peak_rss_mib / 1024.0,
            _ => m.events_per_s / 1e6,
        };
        let limit = c.limit_here(slow);
        if c.op == "<" {
            value < limit
        } else {
            value > limit
        }
    });
    (!all.is_empty()).then_some(met)
}

/// `m`'s target as it stands on this machine now ("< 1.23 s"), or as written if it has none.
pub fn target_here(m: &Measurement) -> String {
    let slow = slowdown(m.calibration_s, m.reference_calibration_s);
    match clauses(&m.target) {
        Some(all) if !all.is_empty() => all
            .iter()
            .map(|c| format!("{} {} {}", c.op, short(c.limit_here(slow)), c.unit))
            .collect::<Vec<_>>()
            .join(", "),
        _ => m.target.clone(),
    }
}

/// Three significant figures, no trailing zeros.
fn short(v: f64) -> String {
    if !v.is_normal() {
        return format!("{v}");
    }
    let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// How many measurements missed their target (those with a verdict only).
pub fn missed(rows: &[Measurement]) -> usize {
    rows.iter().filter(|m| verdict(m) == Some(false)).count()
}

/// What the calibration said, for the table's head.
pub fn calibration_line(rows: &[Measurement]) -> String {
    let mut c: Vec<f64> = rows
        .iter()
        .map(|m| m.calibration_s)
        .filter(|&c| c > 0.0)
        .collect();
    if c.is_empty() {
        return String::new();
    }
    c.sort_by(f64::total_cmp);
    let (lo, hi) = (c[0], c[c.len() - 1]);
    let reference = rows[0].reference_calibration_s;
    let on = if reference == REFERENCE_CALIBRATION_S {
        REFERENCE_MACHINE
    } else {
        "the machine given by --reference-calibration"
    };
    format!(
        "calibration: {:.1}–{:.1} ms (reference {:.1} ms on {on}): this machine is \
         {:.2}–{:.2}× as slow now; targets below are the reference's, scaled per row\n",
        lo * 1e3,
        hi * 1e3,
        reference * 1e3,
        slowdown(lo, reference),
        slowdown(hi, reference)
    )
}

/// One row per workload: wall time, throughput, peak memory, the target and whether it was
/// met. `judged` false (the scenarios were overridden, so the targets do not apply) prints
/// "n/a" instead of a verdict.
pub fn table(rows: &[Measurement], judged: bool) -> String {
    let mut t = format!(
        "{:<16} {:>7} {:>9} {:>11} {:>9} {:>12} {:>13} {:>9}  {:<16} {:<20} {}\n",
        "workload",
        "hosts",
        "VMs",
        "events",
        "wall s",
        "events/s",
        "placements/s",
        "peak MiB",
        "target",
        "target here",
        "verdict"
    );
    let (mut met, mut missed) = (0, 0);
    for m in rows {
        let verdict = match (judged, verdict(m)) {
            (false, _) => "n/a (--set)",
            (true, None) => "-",
            (true, Some(true)) => {
                met += 1;
                "met"
            }
            (true, Some(false)) => {
                missed += 1;
                "MISSED"
            }
        };
        t += &format!(
            "{:<16} {:>7} {:>9} {:>11} {:>9.3} {:>12} {:>13} {:>9.0}  {:<16} {:<20} {}\n",
            m.workload,
            m.hosts,
            m.vms,
            m.events,
            m.wall_s,
            rate(m.events_per_s),
            rate(m.placements_per_s),
            m.peak_rss_mib,
            m.target,
            target_here(m),
            verdict
        );
    }
    if met + missed > 0 {
        t += &format!("targets: {met} met, {missed} missed\n");
    }
    t
}

/// 1234567 → "1.23 M", 45678 → "45.7 k".
fn rate(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.2} M", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.1} k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(target: &str, wall_s: f64, peak_rss_mib: f64, events_per_s: f64) -> Measurement {
        Measurement {
            workload: "w".into(),
            description: String::new(),
            target: target.into(),
            hosts: 1,
            vms: 1,
            placements: 1,
            events: 1,
            wall_s,
            events_per_s,
            placements_per_s: 0.0,
            peak_rss_mib,
            base_rss_mib: 0.0,
            calibration_s: REFERENCE_CALIBRATION_S,
            reference_calibration_s: REFERENCE_CALIBRATION_S,
            threads: 1,
        }
    }

    #[test]
    fn each_clause_of_a_target_must_hold() {
        assert_eq!(verdict(&measured("< 1 s", 0.5, 10.0, 0.0)), Some(true));
        assert_eq!(verdict(&measured("< 1 s", 1.5, 10.0, 0.0)), Some(false));
        // 42 s is under a minute, but 3 GiB (3072 MiB) is over 2 GiB.
        assert_eq!(
            verdict(&measured("< 60 s, < 2 GiB", 42.0, 3072.0, 0.0)),
            Some(false)
        );
        assert_eq!(
            verdict(&measured("< 60 s, < 2 GiB", 42.0, 113.0, 0.0)),
            Some(true)
        );
        assert_eq!(
            verdict(&measured("> 10 M events/s", 1.0, 4.0, 13.9e6)),
            Some(true)
        );
        assert_eq!(verdict(&measured("-", 1.0, 4.0, 0.0)), None);
        let t = table(&[measured("< 1 s", 1.5, 10.0, 0.0)], true);
        assert!(
            t.contains("MISSED") && t.contains("targets: 0 met, 1 missed"),
            "{t}"
        );
        assert!(table(&[measured("< 1 s", 1.5, 10.0, 0.0)], false).contains("n/a (--set)"));
    }

    #[test]
    fn targets_scale_with_the_calibration() {
        // On a machine 3× as slow as the reference (calibration 3 × the reference's), "< 1 s"
        // becomes < 3 s: 2.5 s meets it, 3.5 s does not; "> 10 M events/s" becomes > 3.33 M:
        // 4 M meets it; memory does not scale: 3 GiB still misses "< 2 GiB".
        let slow = |mut m: Measurement| {
            m.calibration_s = 3.0 * REFERENCE_CALIBRATION_S;
            m
        };
        assert_eq!(
            verdict(&slow(measured("< 1 s", 2.5, 10.0, 0.0))),
            Some(true)
        );
        assert_eq!(
            verdict(&slow(measured("< 1 s", 3.5, 10.0, 0.0))),
            Some(false)
        );
        let engine = slow(measured("> 10 M events/s", 1.0, 4.0, 4e6));
        assert_eq!(verdict(&engine), Some(true));
        assert_eq!(target_here(&engine), "> 3.33 M events/s");
        assert_eq!(
            verdict(&slow(measured("< 60 s, < 2 GiB", 42.0, 3072.0, 0.0))),
            Some(false)
        );
        assert_eq!(
            target_here(&slow(measured("< 20 s, < 2 GiB", 1.0, 1.0, 0.0))),
            "< 60 s, < 2 GiB"
        );
        let rows = [
            slow(measured("< 1 s", 3.5, 10.0, 0.0)),
            slow(measured("< 1 s", 2.5, 10.0, 0.0)),
        ];
        assert_eq!(missed(&rows), 1);
        assert!(calibration_line(&rows).contains("3.00–3.00× as slow"));
    }
}
