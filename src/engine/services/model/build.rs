//! Building the service model from the scenario's service classes: components with their
//! requests, dependencies in order, chatty partners, and each host's domain per kind a class
//! uses; anti-affinity no landscape can satisfy is an error naming the component.

use super::{Component, ServiceClass, ServiceModel};
use crate::landscape::{DomainKind, FailureDomain};
use crate::scenario::{AntiAffinity, ReplicaKind, ServiceSpec};
use crate::time::SimTime;
use crate::workload::{Lifetime, Resources};

pub(super) fn kind_of(a: AntiAffinity) -> Option<DomainKind> {
    match a {
        AntiAffinity::None => None,
        AntiAffinity::Host => Some(DomainKind::Host),
        AntiAffinity::Rack => Some(DomainKind::Rack),
        AntiAffinity::Pdu => Some(DomainKind::Pdu),
        AntiAffinity::Cooling => Some(DomainKind::Cooling),
        AntiAffinity::Ups => Some(DomainKind::Ups),
        AntiAffinity::Tor => Some(DomainKind::Tor),
        AntiAffinity::Agg => Some(DomainKind::Agg),
    }
}

/// Fills `domain_of[k]` (each host's domain of kind `k`), unless it is already.
fn domain_of_kind(
    domain_of: &mut [Vec<u32>; DomainKind::ALL.len()],
    domains: &[FailureDomain],
    hosts: usize,
    k: DomainKind,
) {
    if !domain_of[k as usize].is_empty() {
        return;
    }
    let mut of = vec![0u32; hosts];
    for (d, dom) in domains.iter().enumerate().filter(|(_, d)| d.kind == k) {
        for h in &dom.hosts {
            of[h.index()] = d as u32;
        }
    }
    domain_of[k as usize] = of;
}

/// Components after their dependencies (the specs were checked for cycles).
fn dependency_order(deps: &[Vec<usize>]) -> Vec<usize> {
    fn visit(n: usize, deps: &[Vec<usize>], done: &mut [bool], out: &mut Vec<usize>) {
        if done[n] {
            return;
        }
        done[n] = true;
        for &d in &deps[n] {
            visit(d, deps, done, out);
        }
        out.push(n);
    }
    let mut done = vec![false; deps.len()];
    let mut out = Vec::new();
    for n in 0..deps.len() {
        visit(n, deps, &mut done, &mut out);
    }
    out
}

impl ServiceModel {
    /// Trace services keep a component's members apart across domains of `a`'s kind: an error
    /// if the landscape has none of that kind.
    pub fn set_trace_apart(&mut self, a: AntiAffinity, hosts: usize) -> Result<(), String> {
        let Some(k) = kind_of(a) else { return Ok(()) };
        if !self.domains.iter().any(|d| d.kind == k) {
            return Err(format!(
                "the landscape has no {} to keep members apart across{}",
                k.name(),
                match k {
                    DomainKind::Tor => " (landscape.tor_switches = true adds them)",
                    DomainKind::Ups => " (landscape.pdus_per_ups adds them)",
                    DomainKind::Agg => " (landscape.racks_per_aggregation adds them)",
                    _ => "",
                }
            ));
        }
        domain_of_kind(&mut self.domain_of, &self.domains, hosts, k);
        if let Some(t) = self.trace.as_mut() {
            t.apart = Some(k);
        }
        Ok(())
    }

    /// `sizes(name)` gives a VM size's request. Anti-affinity wanting more domains than the
    /// landscape has is an error naming the component.
    pub fn build(
        specs: &[ServiceSpec],
        sizes: &dyn Fn(&str) -> Resources,
        domains: Vec<FailureDomain>,
        hosts: usize,
        horizon: SimTime,
        streams: crate::engine::RngStreams,
    ) -> Result<ServiceModel, (String, String)> {
        let mut domain_of: [Vec<u32>; DomainKind::ALL.len()] = Default::default();
        let mut classes = Vec::new();
        for (i, s) in specs.iter().enumerate() {
            let apart = kind_of(s.anti_affinity);
            if let Some(k) = apart {
                domain_of_kind(&mut domain_of, &domains, hosts, k);
            }
            let count = apart.map(|k| domains.iter().filter(|d| d.kind == k).count());
            let mut offset = 0;
            let mut components = Vec::new();
            for (j, c) in s.components.iter().enumerate() {
                let units = c.units();
                if let (Some(k), Some(m)) = (apart, count)
                    && units as usize > m
                {
                    let what = match c.replica {
                        ReplicaKind::Container => "VMs of containers",
                        _ => "replicas",
                    };
                    return Err((
                        format!("workload.services.{i}.components.{j}.replicas"),
                        format!(
                            "service {:?} wants its {units} {what} of {:?} in different {}s, but the landscape has only {m}: no placement can satisfy this anti-affinity",
                            s.name,
                            c.name,
                            k.name()
                        ),
                    ));
                }
                let deps = c
                    .depends_on
                    .iter()
                    .map(|d| {
                        s.components
                            .iter()
                            .position(|x| &x.name == d)
                            .expect("validated")
                    })
                    .collect();
                let near = c.near.as_ref().and_then(|n| {
                    let j = s.components.iter().position(|x| &x.name == n)?;
                    Some((j, kind_of(c.near_within)?))
                });
                if let Some((_, k)) = near {
                    domain_of_kind(&mut domain_of, &domains, hosts, k);
                }
                components.push(Component {
                    near,
                    name: c.name.clone(),
                    replicas: units,
                    count: c.replicas.0,
                    per_unit: c.per_vm(),
                    kind: c.replica,
                    min_live: c.min_live.map_or(1, |k| k.0),
                    request: sizes(&c.size),
                    usage: c.usage.0,
                    deps,
                    offset,
                });
                offset += units;
            }
            let deps: Vec<Vec<usize>> = components.iter().map(|c| c.deps.clone()).collect();
            let n = components.len();
            let mut class = ServiceClass {
                name: s.name.clone(),
                rate_per_s: s.arrival.rate_per_hour.0 / 3600.0,
                at_once_left: s.arrival.at_once,
                next_s: 0.0,
                arrivals: streams.substream(crate::engine::Purpose::Services, 2 * i as u32),
                lifetimes: streams.substream(crate::engine::Purpose::Services, 2 * i as u32 + 1),
                lifetime: Lifetime::from_spec(&s.lifetime),
                apart,
                sla_usd_per_down_hour: s.sla_usd_per_down_hour.0,
                components,
                order: dependency_order(&deps),
                instances: 0,
                up_s: 0.0,
                life_s: 0.0,
                component_down_s: vec![0.0; n],
                unplaced: 0,
                away_from_partner: 0,
            };
            match class.at_once_left {
                None => class.advance(),
                Some(0) => class.next_s = f64::INFINITY,
                Some(_) => {}
            }
            classes.push(class);
        }
        Ok(ServiceModel {
            classes,
            domains,
            domain_of,
            instances: Vec::new(),
            replicas: Vec::new(),
            container_nodes: Vec::new(),
            horizon,
            scheduled: None,
            pending: Vec::new(),
            retry_scheduled: false,
            placed: 0,
            forbidden: Vec::new(),
            near: Vec::new(),
            trace: None,
        })
    }
}
