//! The parts of report.html written for a data center manager: two plain sentences at the top,
//! a saturation or headroom note, and service levels per workload class (waits and rejections).

use super::escape;
use crate::report::plots::format::{duration, number, usd};
use crate::report::{ClassLevels, ReportInput};
use std::fmt::Write;

/// Seconds in the year the annualised figures scale to.
pub const YEAR_S: f64 = 365.0 * 86_400.0;

/// Two sentences: what the fleet did, and what it cost.
pub fn plain_summary(input: &ReportInput) -> String {
    let s = input.summary;
    let horizon = in_words(s.simulated_seconds);
    // Expiries in the queue are counted among the rejected.
    let turned_away = s.workloads_rejected;
    let mut first = format!(
        "Over {horizon}, {} hosts ran {} workloads: {} were placed, {:.1} % waited for room \
         (mean wait {})",
        number(s.hosts as f64, 0),
        number(s.workloads_arrived as f64, 0),
        number(s.workloads_placed as f64, 0),
        100.0 * s.waited_fraction,
        duration(s.mean_wait_seconds),
    );
    if turned_away == 0 {
        first.push_str(" and none was turned away");
    } else {
        let _ = write!(
            first,
            " and {} were turned away ({:.2} % of arrivals)",
            number(turned_away as f64, 0),
            100.0 * turned_away as f64 / s.workloads_arrived.max(1) as f64
        );
    }
    if s.workloads_queued_at_end > 0 {
        let _ = write!(
            first,
            "; {} were still queued at the end",
            number(s.workloads_queued_at_end as f64, 0)
        );
    }
    let second = format!(
        "It drew {} kWh of IT energy ({} kWh at the facility, PUE {:.2}), emitted {} kg CO₂e \
         and cost {} over the simulated {horizon} (about {} a year at this pace), {} per \
         VM-hour delivered.",
        number(s.energy_kwh, 1),
        number(s.facility_energy_kwh, 1),
        s.pue,
        number(s.carbon_kgco2e, 1),
        usd(s.tco_usd),
        usd(annualised(s.tco_usd, s.simulated_seconds)),
        usd(s.cost_per_vm_hour_usd),
    );
    format!(
        "<p class=\"lede\">{}.<br>{}</p>\n",
        escape(&first),
        escape(&second)
    )
}

/// A horizon for a sentence: "1 day", "30 days", else as `duration` writes it.
pub fn in_words(seconds: f64) -> String {
    let days = seconds / 86_400.0;
    if days >= 1.0 && days.fract() == 0.0 {
        let d = days as u64;
        format!(
            "{} day{}",
            number(d as f64, 0),
            if d == 1 { "" } else { "s" }
        )
    } else {
        duration(seconds)
    }
}

/// `usd` over `horizon_s` scaled to a year (0 for an empty horizon).
pub fn annualised(usd: f64, horizon_s: f64) -> f64 {
    if horizon_s > 0.0 {
        usd * YEAR_S / horizon_s
    } else {
        0.0
    }
}

/// Whether the fleet was full at its peak, and which resource was the tighter.
pub fn capacity_note(input: &ReportInput) -> String {
    let s = input.summary;
    let peak = |f: fn(&crate::metrics::TimeseriesRow) -> f64| {
        input.timeseries.iter().map(f).fold(0.0, f64::max)
    };
    let cpu = peak(|r| r.cpu_allocated);
    let memory = peak(|r| r.memory_utilisation);
    let tighter = if memory >= cpu { "memory" } else { "CPU" };
    let allocation = format!(
        "peak allocation {:.0} % of CPU and {:.0} % of memory ({tighter} binds first)",
        100.0 * cpu,
        100.0 * memory
    );
    let full = s.hosts > 0 && s.peak_active_hosts >= s.hosts;
    let pressed = s.workloads_waited > 0 || s.workloads_rejected > 0;
    let text = if full && pressed {
        format!(
            "Saturated: at peak every one of the {} hosts held workloads, and {:.1} % of \
             workloads waited for room ({} rejected); {allocation}. More hosts, or a policy \
             that packs {tighter} tighter, would shorten the waits.",
            number(s.hosts as f64, 0),
            100.0 * s.waited_fraction,
            number(s.workloads_rejected as f64, 0),
        )
    } else if full {
        format!(
            "Full at peak: every one of the {} hosts held workloads, though none had to wait; \
             {allocation}.",
            number(s.hosts as f64, 0)
        )
    } else {
        let spare = s.hosts.saturating_sub(s.peak_active_hosts);
        format!(
            "Headroom: at peak {} of {} hosts held workloads, {} ({:.0} %) stayed free; \
             {allocation}.",
            number(s.peak_active_hosts as f64, 0),
            number(s.hosts as f64, 0),
            number(spare as f64, 0),
            100.0 * spare as f64 / s.hosts.max(1) as f64
        )
    };
    let class = if full && pressed { "note warn" } else { "note" };
    format!("<p class=\"{class}\">{}</p>\n", escape(&text))
}

/// The service-level section: waits and rejections per class, then all classes.
pub fn service_section(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"sla\">\n<h2>Service levels</h2>\n");
    let Some(levels) = input.service else {
        let s = input.summary;
        let _ = writeln!(
            h,
            "<p>{} of {} workloads waited (mean wait {}); {} rejected, {} expired in the queue.</p>",
            number(s.workloads_waited as f64, 0),
            number(s.workloads_arrived as f64, 0),
            escape(&duration(s.mean_wait_seconds)),
            number(s.workloads_rejected as f64, 0),
            number(s.workloads_expired_in_queue as f64, 0),
        );
        h.push_str("</section>\n");
        return;
    };
    h.push_str(
        "<p>Wait: time from arrival to placement, over placed workloads (p95: 95 % waited no \
         longer). Turned away: rejected (no room and no queue) or expired (waited past \
         <code>queue.max_wait</code>).</p>\n<table>\n<tr><th>class</th>\
         <th class=\"n\">arrived</th><th class=\"n\">placed</th><th class=\"n\">waited</th>\
         <th class=\"n\">mean wait</th><th class=\"n\">p50</th><th class=\"n\">p95</th>\
         <th class=\"n\">p99</th><th class=\"n\">rejected</th><th class=\"n\">expired</th>\
         <th class=\"n\">queued at the end</th><th class=\"n\">turned away</th></tr>\n",
    );
    for (name, c) in &levels.classes {
        class_row(h, "", name, &mut c.clone());
    }
    class_row(h, " class=\"total\"", "all", &mut levels.total.clone());
    h.push_str("</table>\n</section>\n");
}

fn class_row(h: &mut String, attr: &str, name: &str, c: &mut ClassLevels) {
    let waited = if c.placed == 0 {
        0.0
    } else {
        100.0 * c.waited as f64 / c.placed as f64
    };
    let _ = writeln!(
        h,
        "<tr{attr}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{waited:.1} %</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.2} %</td></tr>",
        escape(name),
        number(c.arrived as f64, 0),
        number(c.placed as f64, 0),
        duration(c.mean_wait_s()),
        duration(c.wait_quantile_s(0.5)),
        duration(c.wait_quantile_s(0.95)),
        duration(c.wait_quantile_s(0.99)),
        number(c.rejected as f64, 0),
        number(c.expired as f64, 0),
        number(c.queued_at_end as f64, 0),
        100.0 * c.turned_away_fraction(),
    );
}
