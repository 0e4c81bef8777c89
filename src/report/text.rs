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

/// What `dcsim validate` prints for a valid scenario.
pub fn describe(l: &LoadedScenario) -> Result<String, crate::engine::EngineError> {
    let s = &l.scenario;
    let (graph, fleet) = crate::engine::landscape_of(l)?;
    let racks = graph.count(|e| matches!(e, Entity::Rack { .. }));
    let pdus = graph.count(|e| matches!(e, Entity::Pdu { .. }));
    let cooling = graph.count(|e| matches!(e, Entity::CoolingUnit { .. }));
    let cores: f64 = fleet.physical_cpu.iter().map(|&c| c as f64 / 1000.0).sum();
    let failures = crate::engine::describe_failures(l, &graph)?;
    Ok(format!(
        "{}: ok\n  {} hosts in {} racks ({} PDUs, {} cooling units), {:.0} cores\n  {} over {}, sampled every {}\n  placement {}, seed {}\n{failures}",
        l.source.file.display(),
        fleet.len(),
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
    ))
}
