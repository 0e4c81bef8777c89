//! The trace services' summary at the end of a run: the class entry of `summary.json`
//! (availability over every service's alive time, component down hours by name, the 32 with
//! most downtime listed), the SLA penalty, and one `services.csv` row per service.

use super::TraceServices;
use crate::metrics::{ServiceClassStats, TraceServiceRow};
use crate::time::SimTime;
use std::collections::BTreeMap;

/// The most component names `component_down_hours` lists; the rest are summed as "(other)".
const LISTED_COMPONENTS: usize = 32;

/// What `TraceServices::summary` gives.
pub struct TraceServicesEnd {
    pub stats: ServiceClassStats,
    pub penalty: f64,
    pub rows: Vec<TraceServiceRow>,
    pub up_s: f64,
    pub alive_s: f64,
}

impl TraceServices {
    /// The class entry of `summary.json`, its SLA penalty, one row per service (in order of
    /// first arrival), and the up and alive seconds summed, at the end of the run.
    pub fn summary(&self, end: SimTime) -> TraceServicesEnd {
        let (mut up_s, mut alive_s) = (0.0, 0.0);
        let mut by_component: BTreeMap<String, f64> = BTreeMap::new();
        let mut rows = Vec::with_capacity(self.services.len());
        for svc in &self.services {
            let open = |on: bool, since: SimTime| {
                if on {
                    end.saturating_sub(since).as_secs_f64()
                } else {
                    0.0
                }
            };
            let a = svc.alive_s + open(svc.alive, svc.alive_since);
            let u = svc.up_s + open(svc.up, svc.up_since);
            up_s += u;
            alive_s += a;
            for c in &svc.components {
                let d = c.down_s + open(c.down, c.since);
                *by_component.entry(c.name.clone()).or_default() += d / 3600.0;
            }
            rows.push(TraceServiceRow {
                service: svc.name.clone(),
                components: svc.components.len() as u32,
                members: svc.members,
                alive_hours: a / 3600.0,
                down_hours: (a - u).max(0.0) / 3600.0,
                availability: if a > 0.0 { u / a } else { 1.0 },
            });
        }
        if by_component.len() > LISTED_COMPONENTS {
            let mut all: Vec<(String, f64)> = by_component.into_iter().collect();
            all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let other: f64 = all[LISTED_COMPONENTS..].iter().map(|(_, d)| d).sum();
            all.truncate(LISTED_COMPONENTS);
            by_component = all.into_iter().collect();
            by_component.insert("(other)".to_string(), other);
        }
        let down_h = (alive_s - up_s).max(0.0) / 3600.0;
        let availability = if alive_s > 0.0 { up_s / alive_s } else { 0.0 };
        let penalty = down_h * self.sla_usd_per_down_hour;
        let stats = ServiceClassStats {
            instances: self.services.len() as u64,
            availability,
            nines: super::super::summary::nines(availability),
            down_hours: down_h,
            replicas_unplaced: 0,
            replicas_away_from_partner: 0,
            replicas_not_apart: self.not_apart,
            sla_penalty_usd: penalty,
            component_down_hours: by_component,
        };
        TraceServicesEnd {
            stats,
            penalty,
            rows,
            up_s,
            alive_s,
        }
    }
}
