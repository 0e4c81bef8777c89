//! Text for a terminal: the short summary table after a run, and what a scenario describes.

use crate::landscape::Entity;
use crate::metrics::RunSummary;
use crate::report::plots::format::{duration, number, usd};
use crate::scenario::LoadedScenario;
use std::fmt::Write;
use std::path::Path;

/// The table `dcsim run` prints at the end, then where the files and the report are.
pub fn summary_table(s: &RunSummary, out: &Path) -> String {
    let count = |n: u64| number(n as f64, 0);
    let rows: [(&str, String); 15] = [
        ("hosts", count(s.hosts)),
        ("simulated time", duration(s.simulated_seconds)),
        ("events", count(s.events_processed)),
        ("workloads arrived", count(s.workloads_arrived)),
        ("placed", count(s.workloads_placed)),
        (
            "rejected",
            format!(
                "{} ({:.2} %)",
                count(s.workloads_rejected),
                100.0 * s.rejected_fraction
            ),
        ),
        ("queued at end", count(s.workloads_queued_at_end)),
        ("mean wait", duration(s.mean_wait_seconds)),
        (
            "mean CPU utilisation",
            format!("{:.1} %", 100.0 * s.mean_cpu_utilisation),
        ),
        (
            "mean memory utilisation",
            format!("{:.1} %", 100.0 * s.mean_memory_utilisation),
        ),
        ("peak active hosts", count(s.peak_active_hosts)),
        ("energy (IT)", format!("{} kWh", number(s.energy_kwh, 1))),
        (
            "energy (facility)",
            format!("{} kWh, PUE {:.2}", number(s.facility_energy_kwh, 1), s.pue),
        ),
        (
            "TCO",
            format!("{} over {}", usd(s.tco_usd), duration(s.simulated_seconds)),
        ),
        (
            "carbon",
            format!(
                "{} kg CO2e ({} operational)",
                number(s.carbon_kgco2e, 1),
                number(s.operational_kgco2e, 1)
            ),
        ),
    ];
    let mut t = format!(
        "{} — policy {}, seed {}\n",
        s.scenario, s.placement_policy, s.seed
    );
    for (k, v) in rows {
        let _ = writeln!(t, "  {k:<24} {v:>30}");
    }
    if let Some(f) = &s.failures {
        let avail = format!("{:.4} %", 100.0 * f.host_availability);
        let vms = format!("{} / {}", f.vms_killed_by_failures, f.vm_restarts);
        let lost = format!("{:.2}", f.lost_vm_hours);
        for (k, v) in [
            ("host availability", avail),
            ("VMs killed / restarted", vms),
            ("lost VM-hours", lost),
        ] {
            let _ = writeln!(t, "  {k:<24} {v:>16}");
        }
    }
    let _ = writeln!(t, "results in {}", out.display());
    let _ = writeln!(
        t,
        "report: {} (open it in a browser)",
        out.join("report.html").display()
    );
    t
}

/// Above this many hosts `dcsim validate` describes the landscape by arithmetic and does not
/// build it (even to check a failure trace's targets, which the run then checks).
pub const DESCRIBE_BUILD_LIMIT: u64 = 1_000_000;

/// What `dcsim validate` prints: counts and settings, and the memory a run needs (refused when
/// over `max_memory`, or this machine's memory). Counts come by arithmetic on the rack groups;
/// the landscape is built only for what arithmetic cannot tell (a trace's machine table, a
/// failure trace's targets) and only up to `DESCRIBE_BUILD_LIMIT` hosts.
pub fn describe(
    l: &LoadedScenario,
    max_memory: Option<u64>,
) -> Result<String, crate::engine::EngineError> {
    use crate::scenario::footprint::{Footprint, memory_limit, show_bytes};
    let s = &l.scenario;
    let footprint = Footprint::of(s);
    let limit = memory_limit(max_memory);
    footprint
        .check(limit.clone(), &l.source)
        .map_err(crate::engine::EngineError::TooLarge)?;
    let build = s.landscape.from_trace.is_some()
        || (s.failures.is_some() && footprint.hosts <= DESCRIBE_BUILD_LIMIT);
    let (hosts, racks, pdus, cooling, cores, failures) = if build {
        let (graph, fleet) = crate::engine::landscape_of(l)?;
        (
            fleet.len() as u64,
            graph.count(|e| matches!(e, Entity::Rack { .. })) as u64,
            graph.count(|e| matches!(e, Entity::Pdu { .. })) as u64,
            graph.count(|e| matches!(e, Entity::CoolingUnit { .. })) as u64,
            fleet.physical_cpu.iter().map(|&c| c as f64 / 1000.0).sum(),
            crate::engine::describe_failures(l, &graph)?,
        )
    } else {
        let failures = match &s.failures {
            Some(_) => format!(
                "  failures: on (over {DESCRIBE_BUILD_LIMIT} hosts: the failure trace's targets are checked when the run starts)\n"
            ),
            None => String::new(),
        };
        if let Some(t) = &s.workload.trace {
            // The trace's files are opened (not replayed): a missing or malformed one is bad
            // input here as at run time.
            let base = l.source.file.parent().unwrap_or(Path::new("."));
            let files = crate::workload::trace::TraceFiles::of(t, base);
            crate::workload::trace::open_reader(t.format, &files)?;
        }
        let f = &footprint;
        (
            f.hosts,
            f.racks,
            f.pdus,
            f.cooling_units,
            cores_of(s),
            failures,
        )
    };
    Ok(format!(
        "{}: ok\n  {} hosts in {} racks ({} PDUs, {} cooling units), {:.0} cores\n  {} over {}, sampled every {}\n  placement {}, seed {}\n{failures}  a run needs about {} of memory{}\n",
        l.source.file.display(),
        hosts,
        racks,
        pdus,
        cooling,
        cores,
        match &s.workload.trace {
            Some(t) => format!(
                "a {} trace ({})",
                crate::workload::trace::sample::format_name(t.format),
                t.path.get_ref()
            ),
            None => format!("{} workload classes", s.workload.classes.len()),
        },
        s.simulation.duration,
        s.simulation.sample_interval,
        s.policy.placement.get_ref(),
        s.simulation.seed,
        show_bytes(footprint.bytes()),
        limit.map_or(String::new(), |(b, what)| format!(
            " ({what}: {})",
            show_bytes(b)
        )),
    ))
}

/// Physical cores of the rack groups, by arithmetic (host k of a cycled group is type k mod n).
fn cores_of(s: &crate::scenario::Scenario) -> f64 {
    let cores = |name: &str| {
        s.host_types
            .iter()
            .find(|t| t.name == name)
            .map_or(0.0, |t| t.cores.0)
    };
    let mut total = 0.0;
    for g in s.landscape.racks.get_ref() {
        let hosts = g.count.0 as u64 * g.hosts_per_rack.0 as u64;
        if g.host_type_cycle.is_empty() {
            total += hosts as f64 * cores(g.host_type.get_ref());
            continue;
        }
        let n = g.host_type_cycle.len() as u64;
        for (k, t) in g.host_type_cycle.iter().enumerate() {
            let of_type = hosts / n + u64::from((k as u64) < hosts % n);
            total += of_type as f64 * cores(t.get_ref());
        }
    }
    total
}
