//! Builds the landscape graph and the fleet from a scenario.

use super::{Entity, FeatureNames, Fleet, HostType, HostTypeId, Landscape, Relation};
use crate::impact::PowerModel;
use crate::scenario::{LandscapeSpec, PowerModelSpec, Scenario};
use crate::workload::Resources;
use petgraph::stable_graph::NodeIndex;

/// Why a landscape could not be built (after validation, only limits of the representation).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BuildError {
    #[error("more than {} distinct platform features", FeatureNames::MAX)]
    TooManyFeatures,
    #[error("host type {0:?} is too large: capacities must stay under 4 million cores and 4 PiB")]
    TooLarge(String),
    #[error("the landscape has no hosts: the racks are empty and the trace lists no machines")]
    NoHosts,
    #[error("trace machine {0:?} has no CPU or no memory")]
    EmptyMachine(String),
}

/// A machine a trace lists, for `landscape.from_trace`.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    pub name: String,
    pub cores: f64,
    pub memory_gib: f64,
}

/// The graph, the fleet and the feature names of a scenario.
pub fn build(s: &Scenario) -> Result<(Landscape, Fleet, FeatureNames), BuildError> {
    build_with_machines(s, &[])
}

/// As `build`, then one host per trace machine (`landscape.from_trace`), in racks of
/// `hosts_per_rack`; machines of the same size share a derived host type.
pub fn build_with_machines(
    s: &Scenario,
    machines: &[Machine],
) -> Result<(Landscape, Fleet, FeatureNames), BuildError> {
    let names = FeatureNames::collect(
        s.host_types
            .iter()
            .flat_map(|t| t.features.iter())
            .chain(s.workload.classes.iter().flat_map(|c| c.features.iter())),
    )
    .ok_or(BuildError::TooManyFeatures)?;
    let mut fleet = Fleet {
        types: s
            .host_types
            .iter()
            .map(|t| host_type(t, s, &names))
            .collect(),
        ..Fleet::default()
    };
    let mut builder = GraphBuilder::new(&s.landscape);
    for group in s.landscape.racks.get_ref() {
        let names: Vec<&String> = if group.host_type_cycle.is_empty() {
            vec![group.host_type.get_ref()]
        } else {
            group.host_type_cycle.iter().map(|t| t.get_ref()).collect()
        };
        let types = names
            .iter()
            .map(|name| installed_type(s, name))
            .collect::<Result<Vec<_>, _>>()?;
        let mut k = 0;
        for _ in 0..group.count.0 {
            let rack = builder.add_rack(&group.room);
            for slot in 0..group.hosts_per_rack.0 {
                let (t, capacity, physical) = types[k % types.len()];
                k += 1;
                let h = fleet.push_host(HostTypeId(t as u16), capacity, physical);
                builder.add_host(rack, slot, h, &s.host_types[t].name);
            }
        }
    }
    if let Some(spec) = &s.landscape.from_trace {
        add_trace_machines(s, spec, machines, &names, &mut fleet, &mut builder)?;
    }
    if fleet.is_empty() {
        return Err(BuildError::NoHosts);
    }
    Ok((builder.landscape, fleet, names))
}

fn add_trace_machines(
    s: &Scenario,
    spec: &crate::scenario::FromTraceSpec,
    machines: &[Machine],
    names: &FeatureNames,
    fleet: &mut Fleet,
    builder: &mut GraphBuilder,
) -> Result<(), BuildError> {
    let template = s
        .host_types
        .iter()
        .find(|h| &h.name == spec.host_type.get_ref())
        .expect("validated: the template host type exists");
    let per_rack = spec.hosts_per_rack.0 as usize;
    for chunk in machines.chunks(per_rack) {
        let rack = builder.add_rack(&spec.room);
        for (slot, m) in chunk.iter().enumerate() {
            let type_name = format!("{}@{}c-{}g", template.name, m.cores, m.memory_gib);
            let t = match fleet.types.iter().position(|t| t.name == type_name) {
                Some(t) => t,
                None => {
                    let mut ty = host_type(template, s, names);
                    ty.name = type_name.clone();
                    ty.cores = m.cores;
                    ty.memory_gib = m.memory_gib;
                    fleet.types.push(ty);
                    fleet.types.len() - 1
                }
            };
            let too_large = || BuildError::TooLarge(type_name.clone());
            let capacity =
                allocatable(m.cores, m.memory_gib, &s.landscape).ok_or_else(too_large)?;
            let physical =
                Resources::from_cores_gib(m.cores, m.memory_gib).ok_or_else(too_large)?;
            if physical.cpu == 0 || physical.memory == 0 {
                return Err(BuildError::EmptyMachine(m.name.clone()));
            }
            let h = fleet.push_host(HostTypeId(t as u16), capacity, physical.cpu);
            builder.add_host(rack, slot as u32, h, &type_name);
        }
    }
    Ok(())
}

/// Index, allocatable capacity and physical CPU of the host type called `name`.
fn installed_type(s: &Scenario, name: &str) -> Result<(usize, Resources, u32), BuildError> {
    let t = s
        .host_types
        .iter()
        .position(|h| h.name == name)
        .expect("validated: rack host types exist");
    let spec = &s.host_types[t];
    let too_large = || BuildError::TooLarge(spec.name.clone());
    let capacity =
        allocatable(spec.cores.0, spec.memory_gib.0, &s.landscape).ok_or_else(too_large)?;
    let physical =
        Resources::from_cores_gib(spec.cores.0, spec.memory_gib.0).ok_or_else(too_large)?;
    Ok((t, capacity, physical.cpu))
}

fn host_type(t: &crate::scenario::HostTypeSpec, s: &Scenario, names: &FeatureNames) -> HostType {
    HostType {
        lifetime_years: t.lifetime_years.unwrap_or(s.cost.server_lifetime_years).0,
        network_gbps: t.network_gbps.0,
        max_request_cores: t.max_request_cores.map(|c| c.0),
        embodied_kgco2e: t
            .embodied_kgco2e
            .unwrap_or(s.carbon.embodied_kgco2e_per_host)
            .0,
        name: t.name.clone(),
        cores: t.cores.0,
        memory_gib: t.memory_gib.0,
        features: names.mask(&t.features),
        price_usd: t.price_usd.0,
        power: match &t.power {
            PowerModelSpec::Linear { idle_w, max_w } => PowerModel::Linear {
                idle_w: idle_w.0,
                max_w: max_w.0,
            },
            PowerModelSpec::Specpower { watts } => {
                let mut table = [0.0; 11];
                for (slot, w) in table.iter_mut().zip(watts) {
                    *slot = w.0;
                }
                PowerModel::Specpower(table)
            }
        },
    }
}

fn allocatable(cores: f64, gib: f64, l: &LandscapeSpec) -> Option<Resources> {
    Resources::from_cores_gib(cores * l.cpu_overcommit.0, gib * l.memory_overcommit.0)
}

/// Adds rooms, racks, PDUs and cooling units in order, naming them as it goes.
struct GraphBuilder {
    landscape: Landscape,
    datacenter: NodeIndex,
    rooms: Vec<(String, NodeIndex)>,
    racks: u32,
    pdu: Option<NodeIndex>,
    cooling: Option<NodeIndex>,
    ups: Option<NodeIndex>,
    pdus: u32,
    pdus_per_ups: Option<u32>,
    tor_switches: bool,
    /// The ToR switch of the last rack added.
    tor: Option<NodeIndex>,
    racks_per_aggregation: Option<u32>,
    /// The aggregation switch of the last rack added.
    agg: Option<NodeIndex>,
    racks_per_pdu: u32,
    racks_per_cooling_unit: u32,
}

impl GraphBuilder {
    fn new(spec: &LandscapeSpec) -> GraphBuilder {
        let mut landscape = Landscape::default();
        let datacenter = landscape.graph.add_node(Entity::Datacenter {
            name: spec.datacenter.clone(),
        });
        GraphBuilder {
            landscape,
            datacenter,
            rooms: Vec::new(),
            racks: 0,
            pdu: None,
            cooling: None,
            ups: None,
            pdus: 0,
            pdus_per_ups: spec.pdus_per_ups.map(|n| n.0),
            tor_switches: spec.tor_switches,
            tor: None,
            racks_per_aggregation: spec.racks_per_aggregation.map(|n| n.0),
            agg: None,
            racks_per_pdu: spec.racks_per_pdu.0,
            racks_per_cooling_unit: spec.racks_per_cooling_unit.0,
        }
    }

    fn room(&mut self, name: &str) -> NodeIndex {
        if let Some((_, n)) = self.rooms.iter().find(|(r, _)| r == name) {
            return *n;
        }
        let g = &mut self.landscape.graph;
        let n = g.add_node(Entity::Room {
            name: name.to_string(),
        });
        g.add_edge(self.datacenter, n, Relation::Contains);
        self.rooms.push((name.to_string(), n));
        n
    }

    fn add_rack(&mut self, room: &str) -> NodeIndex {
        let room = self.room(room);
        let index = self.racks;
        self.racks += 1;
        let g = &mut self.landscape.graph;
        let rack = g.add_node(Entity::Rack {
            name: format!("rack-{index:03}"),
        });
        g.add_edge(room, rack, Relation::Contains);
        if index.is_multiple_of(self.racks_per_pdu) || self.pdu.is_none() {
            let name = format!("pdu-{:03}", index / self.racks_per_pdu);
            let pdu = g.add_node(Entity::Pdu { name });
            g.add_edge(self.datacenter, pdu, Relation::Contains);
            self.pdu = Some(pdu);
            if let Some(per) = self.pdus_per_ups {
                if self.pdus.is_multiple_of(per) || self.ups.is_none() {
                    let name = format!("ups-{:03}", self.pdus / per);
                    let ups = g.add_node(Entity::Ups { name });
                    g.add_edge(self.datacenter, ups, Relation::Contains);
                    self.ups = Some(ups);
                }
                g.add_edge(pdu, self.ups.expect("set above"), Relation::PoweredBy);
            }
            self.pdus += 1;
        }
        if index.is_multiple_of(self.racks_per_cooling_unit) || self.cooling.is_none() {
            let name = format!("crac-{:03}", index / self.racks_per_cooling_unit);
            let unit = g.add_node(Entity::CoolingUnit { name });
            g.add_edge(room, unit, Relation::Contains);
            self.cooling = Some(unit);
        }
        g.add_edge(rack, self.pdu.expect("set above"), Relation::PoweredBy);
        g.add_edge(rack, self.cooling.expect("set above"), Relation::CooledBy);
        if self.tor_switches {
            let tor = g.add_node(Entity::Switch {
                name: format!("tor-{index:03}"),
            });
            g.add_edge(rack, tor, Relation::Contains);
            self.tor = Some(tor);
            if let Some(per) = self.racks_per_aggregation {
                if index.is_multiple_of(per) || self.agg.is_none() {
                    let agg = g.add_node(Entity::Switch {
                        name: format!("agg-{:03}", index / per),
                    });
                    g.add_edge(self.datacenter, agg, Relation::Contains);
                    self.agg = Some(agg);
                }
                g.add_edge(tor, self.agg.expect("set above"), Relation::ConnectedTo);
            }
        }
        rack
    }

    fn add_host(&mut self, rack: NodeIndex, slot: u32, id: super::HostId, host_type: &str) {
        let rack_name = self.landscape.graph[rack].label();
        let g = &mut self.landscape.graph;
        let host = g.add_node(Entity::Host {
            name: format!("{rack_name}-h{slot:02}"),
            id,
            host_type: host_type.to_string(),
        });
        g.add_edge(rack, host, Relation::Contains);
        if let Some(tor) = self.tor.filter(|_| self.tor_switches) {
            g.add_edge(host, tor, Relation::ConnectedTo);
        }
        self.landscape.host_nodes.push(host);
        self.landscape.host_racks.push(rack);
    }
}
