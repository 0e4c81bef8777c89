//! Issue 11: the per-workload interference SLA (≥ 0.9 of demanded CPU for ≥ 95 % of the time
//! run) counted by hand, the cautious interference scorer of `policy.recipe`, and slowed
//! finite jobs running longer (`impact.fixed_work`).

use crate::common::{parse, run_checked};

/// One 8-core host; `victim` (llc sensitivity 2) at t=0 for the whole hour, and `noisy` (llc
/// pressure 0.8, insensitive) at t=0 for `noisy_life`. Tolerance 0.5: beside the noisy one the
/// victim runs 1 + 2 × (0.8 − 0.5) = 1.6 times slower, delivering 1/1.6 = 0.625 < 0.9.
fn victim_and_noisy(noisy_life: &str) -> String {
    format!(
        r#"
[simulation]
duration = "1h"
sample_interval = "1h"
[[host_types]]
name = "h"
cores = 8
memory_gib = 64
power = {{ model = "linear", idle_w = 100, max_w = 300 }}
[landscape]
[[landscape.racks]]
hosts_per_rack = 1
host_type = "h"
[[workload.vm_sizes]]
name = "s"
cores = 2
memory_gib = 4
[[workload.classes]]
name = "victim"
arrival = {{ rate_per_hour = 1, at_once = 1 }}
lifetime = {{ distribution = "fixed", value = "100d" }}
sizes = [{{ size = "s" }}]
[[workload.classes]]
name = "noisy"
arrival = {{ rate_per_hour = 1, at_once = 1 }}
lifetime = {{ distribution = "fixed", value = "{noisy_life}" }}
sizes = [{{ size = "s" }}]
[impact.tolerance]
llc = 0.5
[impact.classes.victim]
sensitivity = {{ llc = 2.0 }}
[impact.classes.noisy]
pressure = {{ llc = 0.8 }}
"#
    )
}

#[test]
fn a_victim_is_within_its_sla_while_slowed_for_at_most_five_percent_of_its_life() {
    let judged = |life: &str| {
        let (r, _) = run_checked(&parse(&victim_and_noisy(life)));
        let s = r.summary;
        (
            s.interfering_workloads.unwrap(),
            s.interfering_within_sla.unwrap(),
            s.interference_degraded_vm_hours.unwrap(),
        )
    };
    // Noisy for 2 min: the victim is short 120 s of its 3600 s (3.3 % ≤ 5 %): within. Only
    // the victim is judged (the noisy class is insensitive). Degraded: 120 s = 1/30 VM-hour.
    let (n, within, degraded) = judged("2m");
    assert_eq!((n, within), (1, 1));
    assert!((degraded - 120.0 / 3600.0).abs() < 1e-9);
    // Noisy for 4 min: 240 s of 3600 s is 6.7 % > 5 %: outside.
    assert_eq!(judged("4m").1, 0);
    // 3 min is exactly 5 %: still within.
    assert_eq!(judged("3m").1, 1);
    // All hour long: outside; the victim's whole hour is degraded.
    let (n, within, degraded) = judged("100d");
    assert_eq!((n, within), (1, 0));
    assert!((degraded - 1.0).abs() < 1e-9);
}

#[test]
fn without_interference_nothing_is_judged() {
    let full = victim_and_noisy("4m");
    let plain = &full[..full.find("[impact.tolerance]").unwrap()];
    let (r, _) = run_checked(&parse(plain));
    assert_eq!(r.summary.interfering_workloads, None);
    assert_eq!(r.summary.interfering_within_sla_fraction, None);
    // Pressure but no sensitivity: interference is on, and no class is judged.
    let text = full.replace("sensitivity = { llc = 2.0 }", "");
    let (r, _) = run_checked(&parse(&text));
    assert_eq!(r.summary.interfering_workloads, Some(0));
    assert_eq!(r.summary.interfering_within_sla_fraction, Some(1.0));
}

#[test]
fn the_cautious_scorer_avoids_slowdowns_the_optimistic_one_must_first_see() {
    // The bundled experiment, seed 2, as shipped (cautious, `unseen_interference = 0.01`) and
    // with the scorer optimistic (point estimates; a co-location not yet seen presumed
    // harmless). Measured: optimistic 124 degraded VM-hours at 89.1 hosts; cautious 0 at 90.3.
    let text = std::fs::read_to_string("scenarios/insight.toml").unwrap();
    let text = text.replace("seed = 1", "seed = 2");
    assert!(text.contains("unseen_interference = 0.01"));
    let optimistic = text.replace("unseen_interference = 0.01", "");
    let run = |t: &str| run_checked(&parse(t)).0.summary;
    let (c, o) = (run(&text), run(&optimistic));
    let degraded = |s: &dcsim::metrics::RunSummary| s.degraded_vm_hours.unwrap();
    assert!(degraded(&o) > 50.0, "optimistic: {}", degraded(&o));
    assert!(
        degraded(&c) < degraded(&o) / 10.0,
        "cautious {} vs optimistic {}",
        degraded(&c),
        degraded(&o)
    );
    // At a price of at most 5 % more active hosts.
    assert!(
        c.mean_active_hosts < 1.05 * o.mean_active_hosts,
        "{} vs {}",
        c.mean_active_hosts,
        o.mean_active_hosts
    );
    assert_eq!(c.interfering_within_sla_fraction, Some(1.0));
}

/// When the victim (class 0) ended, with the victim living `victim_life` and `extra` appended.
fn victim_end(victim_life: &str, noisy_life: &str, extra: &str) -> Option<f64> {
    let text = victim_and_noisy(noisy_life)
        .replace("duration = \"1h\"", "duration = \"3h\"")
        .replacen("value = \"100d\"", &format!("value = \"{victim_life}\""), 1);
    let (_, records) = run_checked(&parse(&format!("{text}{extra}")));
    records.iter().find(|r| r.class == 0).unwrap().ended_s
}

#[test]
fn a_slowed_finite_job_runs_until_its_work_is_done() {
    // The victim has 1 h of work. Beside the noisy one (first 30 min) it runs 1.6× slower:
    // 30 min × 1/1.6 = 18.75 min of work done; the remaining 41.25 min at full speed end it
    // at 30 + 41.25 = 71.25 min = 4275 s (its first due time, 3600 s, finds 48.75 min done
    // and re-schedules for 11.25 min later, within the 1 h sample interval: exact).
    let end = victim_end("1h", "30m", "").unwrap();
    assert!((end - 4275.0).abs() < 1e-3, "{end}");
    // Slowed all along (the noisy one outlives the run): 1 h of work at 0.625 takes 1.6 h =
    // 5760 s; re-checked every sample interval (1 h), the rate constant: exact.
    let end = victim_end("1h", "100d", "").unwrap();
    assert!((end - 5760.0).abs() < 1e-3, "{end}");
    // Off (`impact.fixed_work = false`): it leaves at its lifetime, slowed or not.
    let end = victim_end("1h", "100d", "\n[impact]\nfixed_work = false\n");
    assert_eq!(end, Some(3600.0));
    // No interference at all: the departure is untouched.
    let full = victim_and_noisy("30m").replace("duration = \"1h\"", "duration = \"3h\"");
    let plain = &full[..full.find("[impact.tolerance]").unwrap()];
    let plain = plain.replacen("value = \"100d\"", "value = \"1h\"", 1);
    let (_, records) = run_checked(&parse(&plain));
    assert_eq!(
        records.iter().find(|r| r.class == 0).unwrap().ended_s,
        Some(3600.0)
    );
}
