//! Scenario keys of services (`[[workload.services]]`): a service class arrives and leaves like
//! a workload class; each instance is components with replica counts, sizes and `depends_on`.

use super::schema::{
    ArrivalSpec, Fraction, LifetimeSpec, NonNegative, PositiveInt, Scenario, TraceFormat,
};
use super::{ScenarioError, SourceMap};
use serde::{Deserialize, Serialize};

/// A failure domain across which a component's replicas must be spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AntiAffinity {
    /// Replicas go wherever the placement policy puts them (the default).
    #[default]
    None,
    Host,
    Rack,
    Pdu,
    Cooling,
    Ups,
    /// Across ToR switches (`landscape.tor_switches`).
    Tor,
    /// Across aggregation switches (`landscape.racks_per_aggregation`).
    Agg,
}

/// What a component's replicas are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplicaKind {
    /// Each replica is a VM of its own (the default).
    #[default]
    Vm,
    /// Each replica is a container; `containers_per_vm` of them share a VM, which fails (and
    /// is restarted) with its host and takes its containers with it.
    Container,
    /// Each replica is a container straight on a host, no VM between.
    HostContainer,
}

/// One service class.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub name: String,
    /// Instances arrive as Poisson (`rate_per_hour`) or all at t = 0 (`at_once`); the diurnal
    /// keys must stay at their defaults.
    pub arrival: ArrivalSpec,
    /// How long an instance lives; its replicas leave with it.
    pub lifetime: LifetimeSpec,
    /// No two live replicas of a component in the same domain of this kind. Default "none".
    #[serde(default)]
    pub anti_affinity: AntiAffinity,
    /// TCO penalty per hour an instance is down. Default 0.
    #[serde(default)]
    pub sla_usd_per_down_hour: NonNegative,
    /// At least one.
    pub components: Vec<ComponentSpec>,
}

/// A component of a service: `replicas` VMs of one size, up while `min_live` of them run and
/// every component it depends on is up.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    pub name: String,
    pub replicas: PositiveInt,
    /// Live replicas needed for the component to be up (k of n). Default 1.
    #[serde(default)]
    pub min_live: Option<PositiveInt>,
    /// A name of `workload.vm_sizes`.
    pub size: String,
    /// CPU use as a fraction of the request, constant. Default 1.
    #[serde(default = "full")]
    pub usage: Fraction,
    /// Components of the same service this one needs. Default none.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Chatty-pair affinity: each replica goes into the same `near_within` domain as a live
    /// replica of this component of its instance, where one has room (else where the policy
    /// puts it, counted in `replicas_away_from_partner`). Default none.
    #[serde(default)]
    pub near: Option<String>,
    /// The domain `near` asks for: "host", "rack" (default), "pdu", "cooling", "ups", "tor".
    #[serde(default = "rack")]
    pub near_within: AntiAffinity,
    /// "vm" (default), "container" (packed `containers_per_vm` to a VM) or "host-container".
    #[serde(default)]
    pub replica: ReplicaKind,
    /// With `replica = "container"`: containers a VM holds (the last VM the rest). Default 1.
    #[serde(default)]
    pub containers_per_vm: Option<PositiveInt>,
}

impl ComponentSpec {
    /// Containers one VM holds: `containers_per_vm` for containers in VMs, else 1.
    pub fn per_vm(&self) -> u32 {
        match self.replica {
            ReplicaKind::Container => self.containers_per_vm.map_or(1, |k| k.0),
            _ => 1,
        }
    }

    /// The workloads its replicas need: one per VM (containers in VMs share them).
    pub fn units(&self) -> u32 {
        self.replicas.0.div_ceil(self.per_vm())
    }
}

/// `[workload.trace.services]`: a trace's workloads grouped into services by the trace's own
/// ids (Google collections or jobs, Alibaba jobs with one component per task, Alibaba online
/// containers by app_du, Azure deployments). Its presence turns it on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TraceServicesSpec {
    /// Its entry under `services` in summary.json. Default "trace".
    #[serde(default = "trace_name")]
    pub name: String,
    /// A component is up while at least this fraction (rounded up, and at least one) of the
    /// members that should be running now are running and reachable. Default: one is enough.
    #[serde(default)]
    pub min_live_fraction: Option<Fraction>,
    /// TCO penalty per hour a service is down. Default 0.
    #[serde(default)]
    pub sla_usd_per_down_hour: NonNegative,
    /// Members of one component go into different domains of this kind where a host there has
    /// room (else where the policy puts them, counted). Default "none".
    #[serde(default)]
    pub anti_affinity: AntiAffinity,
}

fn trace_name() -> String {
    "trace".to_string()
}

/// The trace formats whose rows name a service.
pub const GROUPED_FORMATS: [TraceFormat; 5] = [
    TraceFormat::Google2011,
    TraceFormat::Google2019,
    TraceFormat::Alibaba2018,
    TraceFormat::AzureV1,
    TraceFormat::AzureV2,
];

/// `[workload.trace.services]` wants a format that names services, and a fraction above 0.
fn validate_trace_services(s: &Scenario, src: &SourceMap) -> Result<(), ScenarioError> {
    let Some(t) = &s.workload.trace else {
        return Ok(());
    };
    let Some(ts) = &t.services else {
        return Ok(());
    };
    if !GROUPED_FORMATS.contains(&t.format) {
        let name = |f: &TraceFormat| {
            clap::ValueEnum::to_possible_value(f).map_or(String::new(), |v| v.get_name().into())
        };
        let names: Vec<String> = GROUPED_FORMATS.iter().map(name).collect();
        return Err(src.error(
            Some("workload.trace.services"),
            format!(
                "trace format {} names no service or job for its workloads: expected one of {}",
                name(&t.format),
                names.join(", ")
            ),
        ));
    }
    if ts.min_live_fraction.is_some_and(|f| f.0 <= 0.0) {
        return Err(src.error(
            Some("workload.trace.services.min_live_fraction"),
            "expected a fraction above 0 and at most 1",
        ));
    }
    Ok(())
}

fn rack() -> AntiAffinity {
    AntiAffinity::Rack
}

fn full() -> Fraction {
    Fraction(1.0)
}

/// Checks names, sizes, k ≤ n, and that `depends_on` has no cycle; and trace services.
pub fn validate(s: &Scenario, src: &SourceMap) -> Result<(), ScenarioError> {
    validate_trace_services(s, src)?;
    for (i, svc) in s.workload.services.iter().enumerate() {
        let at = |field: &str| format!("workload.services.{i}.{field}");
        let a = &svc.arrival;
        if a.diurnal_amplitude.0 != 0.0 {
            return Err(src.error(
                Some(&at("arrival.diurnal_amplitude")),
                "services arrive as plain Poisson or at once: expected 0",
            ));
        }
        super::validate::validate_lifetime(&svc.lifetime, src, &at("lifetime"))?;
        if svc.components.is_empty() {
            return Err(src.error(Some(&at("components")), "expected at least one component"));
        }
        let names: Vec<&str> = svc.components.iter().map(|c| c.name.as_str()).collect();
        for (j, c) in svc.components.iter().enumerate() {
            let field = at(&format!("components.{j}"));
            if names[..j].contains(&c.name.as_str()) {
                return Err(src.error(
                    Some(&field),
                    format!("component name {:?} is used twice", c.name),
                ));
            }
            if !s.workload.vm_sizes.iter().any(|v| v.name == c.size) {
                return Err(src.error(
                    Some(&format!("{field}.size")),
                    format!("no VM size {:?} in workload.vm_sizes", c.size),
                ));
            }
            if c.min_live.is_some_and(|k| k.0 > c.replicas.0) {
                return Err(src.error(
                    Some(&format!("{field}.min_live")),
                    format!("expected at most replicas = {}", c.replicas.0),
                ));
            }
            if let Some(n) = &c.near
                && (!names.contains(&n.as_str()) || *n == c.name)
            {
                return Err(src.error(
                    Some(&format!("{field}.near")),
                    format!(
                        "expected another component of service {:?} ({}), found {n:?}",
                        svc.name,
                        names.join(", ")
                    ),
                ));
            }
            if c.containers_per_vm.is_some() && c.replica != ReplicaKind::Container {
                return Err(src.error(
                    Some(&format!("{field}.containers_per_vm")),
                    "only with replica = \"container\" (containers in VMs)",
                ));
            }
            if c.near.is_some() && c.near_within == AntiAffinity::None {
                return Err(src.error(
                    Some(&format!("{field}.near_within")),
                    "expected a domain: host, rack, pdu, cooling, ups or tor",
                ));
            }
            if let Some(d) = c.depends_on.iter().find(|d| !names.contains(&d.as_str())) {
                return Err(src.error(
                    Some(&format!("{field}.depends_on")),
                    format!(
                        "no component {d:?} in service {:?}: expected one of {}",
                        svc.name,
                        names.join(", ")
                    ),
                ));
            }
        }
        if let Some(cycle) = dependency_cycle(svc) {
            return Err(src.error(
                Some(&at("components")),
                format!(
                    "components depend on each other in a cycle: {}",
                    cycle.join(" → ")
                ),
            ));
        }
    }
    Ok(())
}

/// A cycle of `depends_on` edges, as component names from and back to one component.
pub fn dependency_cycle(svc: &ServiceSpec) -> Option<Vec<String>> {
    let index = |name: &str| svc.components.iter().position(|c| c.name == name);
    // Depth-first search with colours: 0 unvisited, 1 on the path, 2 done.
    fn visit(
        svc: &ServiceSpec,
        index: &dyn Fn(&str) -> Option<usize>,
        node: usize,
        colour: &mut [u8],
        path: &mut Vec<usize>,
    ) -> Option<Vec<String>> {
        colour[node] = 1;
        path.push(node);
        for dep in &svc.components[node].depends_on {
            let Some(next) = index(dep) else { continue };
            if colour[next] == 1 {
                let start = path.iter().position(|&p| p == next).expect("on the path");
                let mut names: Vec<String> = path[start..]
                    .iter()
                    .map(|&p| svc.components[p].name.clone())
                    .collect();
                names.push(svc.components[next].name.clone());
                return Some(names);
            }
            if colour[next] == 0
                && let Some(c) = visit(svc, index, next, colour, path)
            {
                return Some(c);
            }
        }
        path.pop();
        colour[node] = 2;
        None
    }
    let mut colour = vec![0u8; svc.components.len()];
    let mut path = Vec::new();
    (0..svc.components.len()).find_map(|n| {
        if colour[n] == 0 {
            visit(svc, &index, n, &mut colour, &mut path)
        } else {
            None
        }
    })
}
