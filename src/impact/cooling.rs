//! Cooling models: a constant PUE, or CRAC units whose power is IT power over a coefficient of
//! performance that depends on the supply temperature (Moore et al., USENIX ATC 2005).

use crate::landscape::{Entity, Landscape, Relation};
use crate::scenario::{CoolingModelSpec, CoolingSpec};

/// COP(T) = 0.0068·T² + 0.0008·T + 0.458, T the CRAC supply temperature in °C.
pub fn crac_cop(supply_temp_c: f64) -> f64 {
    0.0068 * supply_temp_c * supply_temp_c + 0.0008 * supply_temp_c + 0.458
}

/// Cooling power per watt of IT power for each host: PUE − 1, or 1 / COP(T) of the unit that
/// cools the host's rack.
pub fn cooling_per_it_watt(landscape: &Landscape, spec: &CoolingSpec) -> Vec<f64> {
    let hosts = landscape.host_nodes.len();
    match spec.model {
        CoolingModelSpec::Pue => vec![spec.pue.0 - 1.0; hosts],
        CoolingModelSpec::Crac => {
            // Once per rack, not per host: the lookup walks the rack's edges, one per host.
            let mut last: Option<(petgraph::graph::NodeIndex, f64)> = None;
            (0..hosts)
                .map(|i| {
                    let rack = landscape.host_racks[i];
                    if let Some((_, v)) = last.filter(|(r, _)| *r == rack) {
                        return v;
                    }
                    let unit = landscape
                        .target(rack, Relation::CooledBy)
                        .map(|n| &landscape.graph[n]);
                    let temp = match unit {
                        Some(Entity::CoolingUnit { name }) => {
                            spec.supply_temp_c_by_unit.get(name).copied()
                        }
                        _ => None,
                    };
                    let v = 1.0 / crac_cop(temp.unwrap_or(spec.supply_temp_c));
                    last = Some((rack, v));
                    v
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cop_at_known_points() {
        // T = 20 °C: 0.0068·400 + 0.0008·20 + 0.458 = 2.72 + 0.016 + 0.458 = 3.194.
        assert!((crac_cop(20.0) - 3.194).abs() < 1e-12);
        // T = 15 °C: 1.53 + 0.012 + 0.458 = 2.0.
        assert!((crac_cop(15.0) - 2.0).abs() < 1e-12);
        // T = 25 °C: 4.25 + 0.02 + 0.458 = 4.728: warmer supply air, more efficient cooling.
        assert!((crac_cop(25.0) - 4.728).abs() < 1e-12);
    }
}
