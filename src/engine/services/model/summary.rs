//! The service summary at the end of a run: availability, nines, down and component down
//! hours and the SLA penalty per class.

use super::ServiceModel;
use crate::metrics::{ServiceClassStats, ServiceSummary};
use crate::time::SimTime;
use std::collections::BTreeMap;

impl ServiceModel {
    /// The per-class summary at the end of the run, and the SLA penalty of downtime in USD.
    pub fn summary(&mut self, end: SimTime) -> (ServiceSummary, f64) {
        for inst in &self.instances {
            let class = &mut self.classes[inst.class as usize];
            let t = end.min(inst.end);
            class.life_s += t.saturating_sub(inst.start).as_secs_f64();
            if inst.up {
                class.up_s += t.saturating_sub(inst.since).as_secs_f64();
            }
            for (c, &up) in inst.component_up.iter().enumerate() {
                if !up {
                    class.component_down_s[c] +=
                        t.saturating_sub(inst.component_since[c]).as_secs_f64();
                }
            }
        }
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let mut penalty = 0.0;
        let (mut up, mut life) = (0.0, 0.0);
        let mut by_service = BTreeMap::new();
        for c in &self.classes {
            let down_h = (c.life_s - c.up_s).max(0.0) / 3600.0;
            penalty += down_h * c.sla_usd_per_down_hour;
            up += c.up_s;
            life += c.life_s;
            let availability = ratio(c.up_s, c.life_s);
            let stats = ServiceClassStats {
                instances: c.instances,
                availability,
                nines: nines(availability),
                down_hours: down_h,
                replicas_unplaced: c.unplaced,
                replicas_away_from_partner: c.away_from_partner,
                replicas_not_apart: 0,
                sla_penalty_usd: down_h * c.sla_usd_per_down_hour,
                component_down_hours: c
                    .components
                    .iter()
                    .zip(&c.component_down_s)
                    .map(|(comp, s)| (comp.name.clone(), s / 3600.0))
                    .collect(),
            };
            by_service.insert(c.name.clone(), stats);
        }
        let mut trace_services = Vec::new();
        if let Some(t) = &self.trace {
            let end = t.summary(end);
            up += end.up_s;
            life += end.alive_s;
            penalty += end.penalty;
            by_service.insert(t.name().to_string(), end.stats);
            trace_services = end.rows;
        }
        let summary = ServiceSummary {
            service_availability: ratio(up, life),
            service_down_hours: (life - up).max(0.0) / 3600.0,
            service_sla_penalty_usd: penalty,
            services: by_service,
            trace_services,
        };
        (summary, penalty)
    }
}

/// −log10(1 − A): 0.999 is three nines (capped at 9 for a service never down).
pub(super) fn nines(a: f64) -> f64 {
    if a >= 1.0 {
        9.0
    } else {
        (-(1.0 - a).log10()).min(9.0)
    }
}
