//! Checks that span several keys: names that refer to other entries, sizes that must fit a host,
//! a landscape that must hold at least one host.

use super::names::{DETECTORS, PLACEMENT_POLICIES, SELECTORS, parse_rebalance_name};
use super::{HostTypeSpec, LifetimeSpec, PowerModelSpec, Scenario, ScenarioError, SourceMap};
use std::collections::BTreeSet;

pub fn validate(s: &Scenario, src: &SourceMap) -> Result<(), ScenarioError> {
    validate_simulation(s, src)?;
    validate_host_types(s, src)?;
    validate_landscape(s, src)?;
    validate_workload(s, src)?;
    validate_cooling(s, src)?;
    super::insight_spec::validate(s, src)?;
    if let Some(f) = &s.failures {
        super::failures_spec::validate(f, &s.landscape, src)?;
    }
    super::services_spec::validate(s, src)?;
    let rebalance = &s.rebalance.policy;
    if parse_rebalance_name(rebalance.get_ref()).is_none() {
        return Err(src.error_at(
            rebalance.span(),
            "rebalance.policy",
            format!(
                "unknown rebalancing policy {:?}: expected \"none\" or <detector>-<selector> with detector one of {} and selector one of {}",
                rebalance.get_ref(),
                DETECTORS.join(", "),
                SELECTORS.join(", ")
            ),
        ));
    }
    let recipe_placement = crate::policy::uses_class_mix(s.policy.placement.get_ref());
    if s.rebalance.destination == super::Destination::Recipe && !recipe_placement {
        return Err(src.error(
            Some("rebalance.destination"),
            format!(
                "\"recipe\" scores destinations with the placement recipe: it needs policy.placement = \"recipe\" or \"insight\", not {:?}",
                s.policy.placement.get_ref()
            ),
        ));
    }
    if s.rebalance.interval.0 == 0 {
        return Err(src.error(
            Some("rebalance.interval"),
            "expected a duration greater than zero",
        ));
    }
    if s.power.empty_host == super::EmptyHostPower::SwitchOff && !s.queue.enabled {
        return Err(src.error(
            Some("power.empty_host"),
            "\"switch-off\" needs queue.enabled = true: requests wait while a host boots",
        ));
    }
    let placement = &s.policy.placement;
    if !PLACEMENT_POLICIES.contains(&placement.get_ref().as_str()) {
        return Err(src.error_at(
            placement.span(),
            "policy.placement",
            format!(
                "unknown placement policy {:?}: expected one of {}",
                placement.get_ref(),
                PLACEMENT_POLICIES.join(", ")
            ),
        ));
    }
    Ok(())
}

fn validate_simulation(s: &Scenario, src: &SourceMap) -> Result<(), ScenarioError> {
    if s.simulation.duration.0 == 0 {
        return Err(src.error(
            Some("simulation.duration"),
            "expected a duration greater than zero",
        ));
    }
    if s.simulation.sample_interval.0 == 0 {
        return Err(src.error(
            Some("simulation.sample_interval"),
            "expected a duration greater than zero",
        ));
    }
    Ok(())
}

fn validate_host_types(s: &Scenario, src: &SourceMap) -> Result<(), ScenarioError> {
    if s.host_types.is_empty() {
        return Err(src.error(
            Some("host_types"),
            "expected at least one [[host_types]] entry",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, t) in s.host_types.iter().enumerate() {
        let field = format!("host_types.{i}");
        if !seen.insert(t.name.as_str()) {
            return Err(src.error(
                Some(&field),
                format!("host type {:?} is defined twice", t.name),
            ));
        }
        match &t.power {
            PowerModelSpec::Linear { idle_w, max_w } if idle_w.0 > max_w.0 => {
                return Err(src.error(
                    Some(&format!("{field}.power")),
                    format!("idle_w ({}) must not exceed max_w ({})", idle_w.0, max_w.0),
                ));
            }
            PowerModelSpec::Specpower { watts } if watts.len() != 11 => {
                return Err(src.error(
                    Some(&format!("{field}.power.watts")),
                    format!(
                        "expected 11 readings (0 %, 10 %, … 100 %), found {}",
                        watts.len()
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

fn validate_landscape(s: &Scenario, src: &SourceMap) -> Result<(), ScenarioError> {
    if s.landscape.racks_per_aggregation.is_some() && !s.landscape.tor_switches {
        return Err(src.error(
            Some("landscape.racks_per_aggregation"),
            "aggregation switches connect ToR switches: expected landscape.tor_switches = true",
        ));
    }
    let racks = &s.landscape.racks;
    if let Some(t) = &s.landscape.from_trace {
        check_host_type(s, src, &t.host_type, "landscape.from_trace.host_type")?;
        if s.workload.trace.is_none() {
            return Err(src.error_at(
                t.host_type.span(),
                "landscape.from_trace",
                "expected a [workload.trace] to take machines from",
            ));
        }
    } else if racks.get_ref().is_empty() {
        return Err(src.error_at(
            racks.span(),
            "landscape.racks",
            "the landscape has no hosts: expected at least one [[landscape.racks]] group",
        ));
    }
    // Host ids are 32 bits: a count past that is refused here, by arithmetic, before anything
    // is built (memory is checked against the machine when a run starts).
    super::Footprint::of(s).check(None, src)?;
    for (i, group) in racks.get_ref().iter().enumerate() {
        check_host_type(
            s,
            src,
            &group.host_type,
            &format!("landscape.racks.{i}.host_type"),
        )?;
        for (j, t) in group.host_type_cycle.iter().enumerate() {
            check_host_type(
                s,
                src,
                t,
                &format!("landscape.racks.{i}.host_type_cycle.{j}"),
            )?;
        }
    }
    Ok(())
}

fn host_type_names(s: &Scenario) -> String {
    s.host_types
        .iter()
        .map(|h| format!("{:?}", h.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn validate_workload(s: &Scenario, src: &SourceMap) -> Result<(), ScenarioError> {
    let w = &s.workload;
    match (&w.trace, w.classes.is_empty()) {
        (None, true) if w.services.is_empty() => {
            return Err(src.error(
                Some("workload"),
                "expected at least one [[workload.classes]] or [[workload.services]] entry, or a [workload.trace]",
            ));
        }
        (Some(t), false) => {
            return Err(src.error_at(
                t.path.span(),
                "workload.trace",
                "expected either [[workload.classes]] or a [workload.trace], not both",
            ));
        }
        (Some(t), true) => validate_trace_sizes(s, t, src)?,
        (None, _) => {}
    }
    let installed: Vec<&HostTypeSpec> = s
        .host_types
        .iter()
        .filter(|h| {
            s.landscape
                .racks
                .get_ref()
                .iter()
                .any(|r| r.host_type.get_ref() == &h.name)
        })
        .collect();
    for (i, class) in w.classes.iter().enumerate() {
        let field = format!("workload.classes.{i}");
        if !(0.0..=24.0).contains(&class.arrival.peak_hour) {
            return Err(src.error(
                Some(&format!("{field}.arrival.peak_hour")),
                "expected an hour between 0 and 24",
            ));
        }
        validate_lifetime(&class.lifetime, src, &format!("{field}.lifetime"))?;
        if class.sizes.is_empty() {
            return Err(src.error(
                Some(&format!("{field}.sizes")),
                "expected at least one size",
            ));
        }
        for (j, entry) in class.sizes.iter().enumerate() {
            let field = format!("{field}.sizes.{j}");
            let name = &entry.get_ref().size;
            let Some(size) = w.vm_sizes.iter().find(|v| &v.name == name) else {
                return Err(src.error_at(
                    entry.span(),
                    &field,
                    format!("unknown VM size {name:?} in class {:?}", class.name),
                ));
            };
            let fits = s.landscape.from_trace.is_some()
                || installed.iter().any(|h| {
                    class.features.iter().all(|f| h.features.contains(f))
                        && size.cores.0 <= h.cores.0 * s.landscape.cpu_overcommit.0
                        && size.memory_gib.0 <= h.memory_gib.0 * s.landscape.memory_overcommit.0
                });
            if !fits {
                return Err(src.error_at(
                    entry.span(),
                    &field,
                    format!(
                        "VM size {name:?} ({} cores, {} GiB) of class {:?} fits no installed host type{}: expected a size no larger than some host",
                        size.cores.0,
                        size.memory_gib.0,
                        class.name,
                        if class.features.is_empty() { String::new() } else { format!(" with features {:?}", class.features) }
                    ),
                ));
            }
        }
    }
    Ok(())
}

pub(super) fn validate_lifetime(
    l: &LifetimeSpec,
    src: &SourceMap,
    field: &str,
) -> Result<(), ScenarioError> {
    let bad_scale = match l {
        LifetimeSpec::Fixed { value: v }
        | LifetimeSpec::Exponential { mean: v }
        | LifetimeSpec::Lognormal { median: v, .. }
        | LifetimeSpec::Weibull { scale: v, .. }
        | LifetimeSpec::Pareto { scale: v, .. } => v.0 == 0,
        LifetimeSpec::Empirical { values, weights } => {
            if values.is_empty() || values.len() != weights.len() {
                return Err(src.error(
                    Some(field),
                    format!("expected as many weights as values, at least one (found {} values, {} weights)", values.len(), weights.len()),
                ));
            }
            false
        }
    };
    if bad_scale {
        return Err(src.error(Some(field), "expected a lifetime scale greater than zero"));
    }
    Ok(())
}

fn validate_cooling(s: &Scenario, src: &SourceMap) -> Result<(), ScenarioError> {
    let c = &s.cooling;
    if c.pue.0 < 1.0 {
        return Err(src.error(
            Some("cooling.pue"),
            format!("expected a PUE of at least 1, found {}", c.pue.0),
        ));
    }
    let in_range = |t: f64| (0.0..=40.0).contains(&t);
    if !in_range(c.supply_temp_c) {
        return Err(src.error(
            Some("cooling.supply_temp_c"),
            format!(
                "expected a supply temperature between 0 and 40 °C, found {}",
                c.supply_temp_c
            ),
        ));
    }
    let racks: u32 = s.landscape.racks.get_ref().iter().map(|g| g.count.0).sum();
    let units = racks.div_ceil(s.landscape.racks_per_cooling_unit.0);
    for (name, &t) in &c.supply_temp_c_by_unit {
        let field = format!("cooling.supply_temp_c_by_unit.{name}");
        // Racks built from a trace are only known at run time; their units are not checked here.
        let known = s.landscape.from_trace.is_some()
            || name
                .strip_prefix("crac-")
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n < units && name.len() >= 8);
        if !known {
            return Err(src.error(
                Some(&field),
                format!(
                    "unknown cooling unit {name:?}: this landscape has crac-000 … crac-{:03}",
                    units.saturating_sub(1)
                ),
            ));
        }
        if !in_range(t) {
            return Err(src.error(
                Some(&field),
                format!("expected a supply temperature between 0 and 40 °C, found {t}"),
            ));
        }
    }
    Ok(())
}

fn validate_trace_sizes(
    s: &Scenario,
    t: &super::TraceSpec,
    src: &SourceMap,
) -> Result<(), ScenarioError> {
    for (j, entry) in t.sizes.iter().enumerate() {
        let name = &entry.get_ref().size;
        if !s.workload.vm_sizes.iter().any(|v| &v.name == name) {
            return Err(src.error_at(
                entry.span(),
                &format!("workload.trace.sizes.{j}"),
                format!("unknown VM size {name:?}: expected a name from [[workload.vm_sizes]]"),
            ));
        }
    }
    if t.size_assignment == super::SizeAssignment::Blocks && t.expected_workloads.is_none() {
        return Err(src.error(
            Some("workload.trace.expected_workloads"),
            "size_assignment = \"blocks\" needs expected_workloads",
        ));
    }
    Ok(())
}

fn check_host_type(
    s: &Scenario,
    src: &SourceMap,
    t: &toml::Spanned<String>,
    field: &str,
) -> Result<(), ScenarioError> {
    if s.host_types.iter().any(|h| &h.name == t.get_ref()) {
        return Ok(());
    }
    Err(src.error_at(
        t.span(),
        field,
        format!(
            "unknown host type {:?}: expected one of {}",
            t.get_ref(),
            host_type_names(s)
        ),
    ))
}
