//! The suite's measurements as a text table.

use super::measure::Measurement;

/// One row per workload: wall time, throughput, peak memory and the target.
pub fn table(rows: &[Measurement]) -> String {
    let mut t = format!(
        "{:<16} {:>7} {:>9} {:>11} {:>9} {:>12} {:>13} {:>9}  {}\n",
        "workload",
        "hosts",
        "VMs",
        "events",
        "wall s",
        "events/s",
        "placements/s",
        "peak MiB",
        "target"
    );
    for m in rows {
        t += &format!(
            "{:<16} {:>7} {:>9} {:>11} {:>9.3} {:>12} {:>13} {:>9.0}  {}\n",
            m.workload,
            m.hosts,
            m.vms,
            m.events,
            m.wall_s,
            rate(m.events_per_s),
            rate(m.placements_per_s),
            m.peak_rss_mib,
            m.target
        );
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
