//! The suite's measurements as a text table, each row marked met or missed against its target.

use super::measure::Measurement;

/// Whether `m` meets its target ("< 1 s", "< 60 s, < 2 GiB", "> 10 M events/s"): `None` when
/// the workload has none or the target is not one of those forms.
pub fn verdict(m: &Measurement) -> Option<bool> {
    let mut met = true;
    let mut any = false;
    for clause in m.target.split(',').map(str::trim) {
        let mut words = clause.split_whitespace();
        let (op, number, unit) = (words.next()?, words.next()?, words.collect::<Vec<_>>());
        let limit: f64 = number.parse().ok()?;
        let value = match unit.join(" ").as_str() {
            "s" => m.wall_s,
            "GiB" => m.peak_rss_mib / 1024.0,
            "M events/s" => m.events_per_s / 1e6,
            _ => return None,
        };
        met &= match op {
            "<" => value < limit,
            ">" => value > limit,
            _ => return None,
        };
        any = true;
    }
    any.then_some(met)
}

/// One row per workload: wall time, throughput, peak memory, the target and whether it was
/// met. `judged` false (the scenarios were overridden, so the targets do not apply) prints
/// "n/a" instead of a verdict.
pub fn table(rows: &[Measurement], judged: bool) -> String {
    let mut t = format!(
        "{:<16} {:>7} {:>9} {:>11} {:>9} {:>12} {:>13} {:>9}  {:<16} {}\n",
        "workload",
        "hosts",
        "VMs",
        "events",
        "wall s",
        "events/s",
        "placements/s",
        "peak MiB",
        "target",
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
            "{:<16} {:>7} {:>9} {:>11} {:>9.3} {:>12} {:>13} {:>9.0}  {:<16} {}\n",
            m.workload,
            m.hosts,
            m.vms,
            m.events,
            m.wall_s,
            rate(m.events_per_s),
            rate(m.placements_per_s),
            m.peak_rss_mib,
            m.target,
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
}
