//! The benchmark workloads of issue 6, each a bundled scenario under `scenarios/bench/` (except
//! the engine-alone one), with the target the issue sets and whether the default suite runs it.

use crate::scenario::{self, LoadedScenario, Override, ScenarioError};
use std::path::Path;

/// What a workload runs.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A bundled scenario, simulated end to end.
    Scenario {
        path: &'static str,
        text: &'static str,
    },
    /// A trace written from a bundled synthetic scenario (`generator`), then replayed by a
    /// bundled trace scenario with its outputs written (`trace_month.rs`).
    TraceReplay {
        generator: (&'static str, &'static str),
        path: &'static str,
        text: &'static str,
    },
    /// Events pushed and popped through the event queue alone.
    Engine,
}

/// One workload of the suite.
#[derive(Clone, Copy, Debug)]
pub struct Workload {
    pub name: &'static str,
    pub description: &'static str,
    /// The target on the reference machine (`calibration::REFERENCE_MACHINE`): wall seconds,
    /// peak GiB, or the engine's events/s; the bench scales time and rate by the calibration.
    pub target: &'static str,
    /// Run by `dcsim bench` without `--workload`.
    pub in_default_suite: bool,
    pub kind: Kind,
}

macro_rules! bundled {
    ($file:literal) => {
        Kind::Scenario {
            path: concat!("scenarios/bench/", $file),
            text: include_str!(concat!("../../../scenarios/bench/", $file)),
        }
    };
}

macro_rules! bundled_pair {
    ($file:literal) => {
        (
            concat!("scenarios/bench/", $file),
            include_str!(concat!("../../../scenarios/bench/", $file)),
        )
    };
}

/// Every workload, in suite order.
pub const WORKLOADS: [Workload; 8] = [
    Workload {
        name: "burst-first-fit",
        description: "100k VMs at t=0 onto 10k hosts, first-fit, 10 s simulated",
        target: "< 1 s",
        in_default_suite: true,
        kind: bundled!("burst-first-fit.toml"),
    },
    Workload {
        name: "burst-best-fit",
        description: "100k VMs at t=0 onto 10k hosts, best-fit, 10 s simulated",
        target: "< 1 s",
        in_default_suite: true,
        kind: bundled!("burst-best-fit.toml"),
    },
    Workload {
        name: "huawei-month",
        description: "Huawei-East-1-shaped month: 125k VMs, 500 hosts, best-fit",
        target: "< 2 s",
        in_default_suite: true,
        kind: bundled!("huawei-month.toml"),
    },
    Workload {
        name: "huawei-trace-month",
        description: "the Huawei-shaped month as a huawei-2021 trace (241k rows), replayed: reader, \
                      simulation and output tables",
        target: "< 0.35 s",
        in_default_suite: true,
        kind: Kind::TraceReplay {
            generator: bundled_pair!("huawei-month.toml"),
            path: "src/experiment/bench/huawei-trace-month.toml",
            text: include_str!("huawei-trace-month.toml"),
        },
    },
    Workload {
        name: "azure-month",
        description: "Azure-V2-scale month: 2.7M VMs, 12.5k hosts, 5-min usage, thr-mmt every 5 min",
        target: "< 20 s, < 2 GiB",
        in_default_suite: true,
        kind: bundled!("azure-month.toml"),
    },
    Workload {
        name: "engine",
        description: "engine alone: pop + push through the event queue, 10k pending",
        target: "> 10 M events/s",
        in_default_suite: true,
        kind: Kind::Engine,
    },
    Workload {
        name: "churn",
        description: "10k hosts, 1M VMs arriving over 100 min (10-min lifetimes)",
        target: "-",
        in_default_suite: false,
        kind: bundled!("churn.toml"),
    },
    Workload {
        name: "planetlab-day",
        description: "Beloglazov & Buyya's PlanetLab day: 1,052 VMs, 800 hosts, PABFD + thr-mmt \
                      every 5 min (pick the policy and profile with --set)",
        target: "< 0.5 s",
        in_default_suite: false,
        kind: Kind::Scenario {
            path: "scenarios/planetlab-consolidation.toml",
            text: include_str!("../../../scenarios/planetlab-consolidation.toml"),
        },
    },
];

/// The workload called `name`.
pub fn find(name: &str) -> Option<&'static Workload> {
    WORKLOADS.iter().find(|w| w.name == name)
}

/// Every workload name, for error messages.
pub fn names() -> String {
    WORKLOADS.map(|w| w.name).join(", ")
}

/// The bundled scenario `text` (read from `path`) with `sets` ("key=value") applied.
pub fn load(path: &str, text: &str, sets: &[String]) -> Result<LoadedScenario, ScenarioError> {
    let overrides = sets
        .iter()
        .map(|s| {
            Override::parse(s).map_err(|message| ScenarioError {
                file: path.into(),
                line: None,
                column: None,
                field: None,
                message,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let stem = Path::new(path).file_stem().and_then(|s| s.to_str());
    scenario::parse(text, Path::new(path), stem.unwrap_or("bench"), &overrides)
}
