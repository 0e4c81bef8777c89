//! dcsim: a discrete-event data center simulator.
//!
//! Load a scenario, run it, read the summary:
//!
//! ```no_run
//! use dcsim::{engine::RunOptions, report, scenario};
//! use std::path::Path;
//!
//! let loaded = scenario::load(Path::new("scenarios/quickstart.toml"), &[])?;
//! let out = Path::new("results/quickstart");
//! let result = report::run_to_dir(&loaded, out, RunOptions::default(), Default::default(), &mut |_, _| {})?;
//! println!("{} workloads placed, {:.1} kWh", result.summary.workloads_placed, result.summary.energy_kwh);
//! # Ok::<(), dcsim::Error>(())
//! ```
//!
//! Or, without writing any file, `dcsim::simulate(&loaded)`.
//!
//! The modules follow the data: `scenario` is parsed into a `landscape` (graph + dense `Fleet`)
//! and a `workload` stream; the `engine` replays the stream, asking `policy` where each workload
//! goes and `impact` what it costs in power; `metrics` accumulate; `report` writes the files;
//! `experiment` runs many scenarios (compare, sweep, merge, regress, benchmarks).

pub mod cost;
pub mod engine;
pub mod experiment;
pub mod impact;
pub mod insight;
pub mod landscape;
pub mod metrics;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod time;
pub mod workload;

use engine::{RunOptions, RunResult, Simulation};

/// Any error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Scenario(#[from] scenario::ScenarioError),
    #[error(transparent)]
    Engine(#[from] engine::EngineError),
    #[error(transparent)]
    Report(#[from] report::ReportError),
    #[error(
        "workload {0} never reached the placement policy (the run has no workload with that id)"
    )]
    NoSuchWorkload(u64),
    #[error("no placement decision at or after {0} s: the run ends first")]
    NoDecisionAfter(f64),
}

impl Error {
    /// True when the user's input was at fault (exit status 2), false for a failure of the run.
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::Scenario(_) | Error::NoSuchWorkload(_) | Error::NoDecisionAfter(_) => true,
            Error::Engine(e) => e.is_bad_input(),
            Error::Report(r) => r.is_bad_input(),
        }
    }
}

/// Runs a loaded scenario in memory, writing nothing.
pub fn simulate(loaded: &scenario::LoadedScenario) -> Result<RunResult, Error> {
    simulate_with(loaded, RunOptions::default())
}

/// Runs a loaded scenario in memory with `options`.
pub fn simulate_with(
    loaded: &scenario::LoadedScenario,
    options: RunOptions,
) -> Result<RunResult, Error> {
    let mut observer = engine::NoObserver;
    Ok(Simulation::new(loaded, options, &mut observer)?.run()?)
}

/// Replays a scenario until the placement policy decides on workload `id` (its last attempt)
/// and returns how it decided: each candidate's filters and scores, and the winner.
pub fn explain(
    loaded: &scenario::LoadedScenario,
    id: u64,
) -> Result<policy::recipe::Explanation, Error> {
    let options = RunOptions {
        explain_workload: Some(id),
        ..Default::default()
    };
    simulate_with(loaded, options)?
        .explanation
        .ok_or(Error::NoSuchWorkload(id))
}

/// Replays a scenario until the placement policy's first decision at or after `at` and returns
/// how it decided (as `explain`).
pub fn explain_at(
    loaded: &scenario::LoadedScenario,
    at: time::SimTime,
) -> Result<policy::recipe::Explanation, Error> {
    let options = RunOptions {
        explain_at: Some(at),
        ..Default::default()
    };
    simulate_with(loaded, options)?
        .explanation
        .ok_or(Error::NoDecisionAfter(at.as_secs_f64()))
}

/// The landscape collapsed to racks (hosts folded into their rack) as text in `format` (this view
/// has no GraphML form: asked for it, it gives JSON; the command line refuses the pair).
pub fn export_landscape_by_rack(
    loaded: &scenario::LoadedScenario,
    format: landscape::ExportFormat,
) -> Result<String, Error> {
    let (graph, _) = engine::landscape_of(loaded)?;
    let view = landscape::rack_view(&graph);
    Ok(match format {
        landscape::ExportFormat::Dot => view.to_dot(),
        landscape::ExportFormat::Json => view.to_json(),
        landscape::ExportFormat::Graphml => view.to_json(),
    })
}

/// The landscape graph of a scenario (with its trace's machines when it builds from them) as text.
pub fn export_landscape(
    loaded: &scenario::LoadedScenario,
    format: landscape::ExportFormat,
) -> Result<String, Error> {
    let (mut graph, _) = engine::landscape_of(loaded)?;
    with_host_parts(loaded, &mut graph);
    Ok(landscape::export(&graph, format))
}

/// With `landscape.host_parts`, every host's sockets, memory and NICs as its children.
fn with_host_parts(loaded: &scenario::LoadedScenario, graph: &mut landscape::Landscape) {
    if loaded.scenario.landscape.host_parts {
        landscape::add_host_parts(graph, &loaded.scenario.host_types);
    }
}

/// The blast radius of `entity`'s failure on the landscape as it stands at `at` (as built
/// without it): what goes down or is cut off, the VMs there, the service components and services
/// hit; as coloured DOT, or JSON (GraphML has no form for it: JSON is given). An entity that
/// cannot fail is bad input naming a few that can.
pub fn blast_radius(
    loaded: &scenario::LoadedScenario,
    entity: &str,
    at: Option<time::SimTime>,
    format: landscape::ExportFormat,
) -> Result<String, Error> {
    let graph = landscape_at(loaded, at)?;
    let specs = &loaded.scenario.workload.services;
    let min_live = |service: &str, component: &str| {
        specs
            .iter()
            .find(|s| s.name == service)
            .and_then(|s| s.components.iter().find(|c| c.name == component))
            .map_or(1, |c| c.min_live.map_or(1, |k| k.0))
    };
    let Some(b) = landscape::blast::blast_radius(&graph, entity, &min_live) else {
        let names: Vec<String> = landscape::failure_domains(&graph)
            .iter()
            .filter(|d| d.kind != landscape::DomainKind::Host)
            .take(4)
            .map(|d| d.name.clone())
            .collect();
        return Err(Error::Scenario(scenario::ScenarioError {
            file: loaded.source.file.clone(),
            line: None,
            column: None,
            field: Some("--blast".to_string()),
            message: format!(
                "no entity {entity:?} that can fail in the landscape: expected a host, rack, PDU, \
                 cooling unit, UPS or ToR switch name (e.g. {})",
                names.join(", ")
            ),
        }));
    };
    Ok(match format {
        landscape::ExportFormat::Dot => b.to_dot(&graph),
        _ => b.to_json(),
    })
}

/// The landscape graph at `at` (the run cut there), or as built.
fn landscape_at(
    loaded: &scenario::LoadedScenario,
    at: Option<time::SimTime>,
) -> Result<landscape::Landscape, Error> {
    let Some(at) = at else {
        return Ok(engine::landscape_of(loaded)?.0);
    };
    let mut cut = loaded.clone();
    let sim = &mut cut.scenario.simulation;
    sim.duration = at.min(sim.duration).max(time::SimTime(1));
    Ok(simulate(&cut)?.landscape)
}

/// The landscape as it stands at simulated time `at` (the end state of the run cut at `at`,
/// with the VMs, services and failed hosts of that instant); without `at`, as built.
pub fn export_landscape_at(
    loaded: &scenario::LoadedScenario,
    format: landscape::ExportFormat,
    at: Option<time::SimTime>,
) -> Result<String, Error> {
    let Some(at) = at else {
        return export_landscape(loaded, format);
    };
    let mut cut = loaded.clone();
    let sim = &mut cut.scenario.simulation;
    sim.duration = at.min(sim.duration).max(time::SimTime(1));
    let mut result = simulate(&cut)?;
    with_host_parts(loaded, &mut result.landscape);
    Ok(landscape::export(&result.landscape, format))
}
