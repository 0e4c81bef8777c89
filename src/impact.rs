//! What workloads do to the landscape: power drawn as a function of CPU utilisation, the
//! cooling power that IT power calls for, and (set in `[impact]`, hidden from policies and
//! learners) interference between co-located workloads and platform feature speed-ups.

mod anomalies;
mod cooling;
mod features;
mod interference;
mod power;

pub use anomalies::HostAnomalyTruth;
pub use cooling::{cooling_per_it_watt, crac_cop};
pub use features::CpuFactors;
pub use interference::{HostEffect, Interference, RESOURCES};
pub use power::PowerModel;

use crate::landscape::FeatureNames;
use crate::scenario::Scenario;

/// The ground truth of `[impact]` for one run: `None` parts are off and cost nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkloadImpact {
    pub interference: Option<Interference>,
    pub cpu_factors: Option<CpuFactors>,
    /// Finite workloads slowed by interference run longer (`impact.fixed_work`).
    pub fixed_work: bool,
    /// Injected host anomalies (`impact.anomalies`), by start time.
    pub anomalies: HostAnomalyTruth,
}

impl WorkloadImpact {
    /// Resolves `[impact]` against the run's classes (by name, in `ClassId` order) and host
    /// types; `None` when the section is absent. Classes it does not name are unaffected.
    pub fn from_scenario(
        sc: &Scenario,
        class_names: &[String],
        type_features: &[u32],
    ) -> Option<WorkloadImpact> {
        let spec = &sc.impact;
        if spec.is_off() {
            return None;
        }
        let names = FeatureNames::collect(
            sc.host_types
                .iter()
                .flat_map(|t| t.features.iter())
                .chain(sc.workload.classes.iter().flat_map(|c| c.features.iter())),
        )
        .unwrap_or_default();
        let class = |n: &String| spec.classes.get(n);
        let pressure: Vec<_> = class_names
            .iter()
            .map(|n| class(n).map_or([0.0; 4], |c| c.pressure.values()))
            .collect();
        let sensitivity: Vec<_> = class_names
            .iter()
            .map(|n| class(n).map_or([0.0; 4], |c| c.sensitivity.values()))
            .collect();
        let interferes = pressure
            .iter()
            .chain(&sensitivity)
            .flatten()
            .any(|&v| v > 0.0);
        let factors: Vec<Vec<(u32, f64)>> = class_names
            .iter()
            .map(|n| {
                class(n).map_or(Vec::new(), |c| {
                    c.cpu_factor
                        .iter()
                        .map(|(f, v)| (names.mask([f]).0, v.0))
                        .filter(|&(bit, _)| bit != 0)
                        .collect()
                })
            })
            .collect();
        let speeds_up = factors.iter().flatten().any(|&(_, f)| f != 1.0);
        Some(WorkloadImpact {
            interference: interferes.then(|| Interference {
                pressure,
                sensitivity,
                tolerance: spec.tolerance.values(),
            }),
            cpu_factors: speeds_up.then(|| CpuFactors::new(&factors, type_features)),
            fixed_work: spec.fixed_work && interferes,
            anomalies: HostAnomalyTruth::new(
                spec.anomalies
                    .iter()
                    .map(|a| (a.host, a.from, a.power_factor.0))
                    .collect(),
            ),
        })
    }
}
