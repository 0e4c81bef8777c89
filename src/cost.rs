//! The total cost of ownership over a run's horizon: server and facility capex (amortised),
//! facility opex, energy, maintenance and SLA penalties, and costs per delivered hour.

use crate::landscape::Fleet;
use crate::scenario::{Amortisation, CostSpec};
use serde::Serialize;

/// Seconds in the year that amortisation and yearly rates use (365 days).
pub const YEAR_S: f64 = 365.0 * 86_400.0;
/// Months per year for monthly rates.
const MONTHS_PER_YEAR: f64 = 12.0;

/// Each TCO term in US dollars over the simulated horizon.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TcoBreakdown {
    pub server_capex_usd: f64,
    pub facility_capex_usd: f64,
    pub facility_opex_usd: f64,
    pub energy_usd: f64,
    pub maintenance_usd: f64,
    pub sla_penalty_usd: f64,
}

impl TcoBreakdown {
    pub fn total(&self) -> f64 {
        self.terms().iter().map(|(_, v)| v).sum()
    }

    /// (label, USD) in display order.
    pub fn terms(&self) -> [(&'static str, f64); 6] {
        [
            ("server capex", self.server_capex_usd),
            ("facility capex", self.facility_capex_usd),
            ("facility opex", self.facility_opex_usd),
            ("energy", self.energy_usd),
            ("maintenance", self.maintenance_usd),
            ("SLA penalties", self.sla_penalty_usd),
        ]
    }
}

/// What the run measured that costs money.
#[derive(Clone, Copy, Debug, Default)]
pub struct CostDrivers {
    pub horizon_s: f64,
    /// ∫ facility power × price dt, already in USD.
    pub energy_usd: f64,
    pub rejected: u64,
    pub violation_vm_hours: f64,
    /// VM-hours slowed by interference (`[impact]`).
    pub interference_vm_hours: f64,
}

/// Capital `price` charged for `horizon_s` of a `lifetime_years` life.
pub fn amortised(price: f64, lifetime_years: f64, horizon_s: f64, spec: &CostSpec) -> f64 {
    let years = horizon_s / YEAR_S;
    let r = spec.interest_rate.0;
    match spec.amortisation {
        Amortisation::StraightLine => price * years / lifetime_years,
        Amortisation::Annuity if r == 0.0 => price * years / lifetime_years,
        Amortisation::Annuity => price * r / (1.0 - (1.0 + r).powf(-lifetime_years)) * years,
    }
}

/// Provisioned critical power: every host's peak power, in watts.
pub fn provisioned_watts(fleet: &Fleet) -> f64 {
    fleet
        .hosts()
        .map(|h| fleet.type_of(h).power.watts(1.0))
        .sum()
}

/// The TCO of installed `fleet` over the horizon.
pub fn tco(fleet: &Fleet, spec: &CostSpec, d: &CostDrivers) -> TcoBreakdown {
    let years = d.horizon_s / YEAR_S;
    let mut server_capex = 0.0;
    let mut purchase = 0.0;
    for h in fleet.hosts() {
        let t = fleet.type_of(h);
        server_capex += amortised(t.price_usd, t.lifetime_years, d.horizon_s, spec);
        purchase += t.price_usd;
    }
    let watts = provisioned_watts(fleet);
    TcoBreakdown {
        server_capex_usd: server_capex,
        facility_capex_usd: amortised(
            watts * spec.facility_capex_usd_per_w.0,
            spec.facility_lifetime_years.0,
            d.horizon_s,
            spec,
        ),
        facility_opex_usd: watts * spec.facility_opex_usd_per_w_month.0 * years * MONTHS_PER_YEAR,
        energy_usd: d.energy_usd,
        maintenance_usd: purchase * spec.maintenance_fraction_per_year.0 * years,
        sla_penalty_usd: d.rejected as f64 * spec.sla_usd_per_rejected.0
            + d.violation_vm_hours * spec.sla_usd_per_violation_vm_hour.0
            + d.interference_vm_hours
                * spec
                    .sla_usd_per_degraded_vm_hour
                    .unwrap_or(spec.sla_usd_per_violation_vm_hour)
                    .0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> CostSpec {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn amortisation_by_hand() {
        let year = YEAR_S;
        // Straight line: $4 000 over 4 years, one year used → $1 000.
        let s = spec("amortisation = \"straight-line\"");
        assert!((amortised(4000.0, 4.0, year, &s) - 1000.0).abs() < 1e-9);
        // Annuity at 8 %: 4000·0.08 / (1 − 1.08^−4) = 320 / 0.264970… = 1207.685 a year.
        let s = spec("amortisation = \"annuity\"\ninterest_rate = 0.08");
        assert!((amortised(4000.0, 4.0, year, &s) - 1207.6832).abs() < 1e-3);
        // Half a year: half the payment.
        assert!((amortised(4000.0, 4.0, year / 2.0, &s) - 603.8416).abs() < 1e-3);
        // Zero interest falls back to straight line.
        let s = spec("interest_rate = 0.0");
        assert!((amortised(4000.0, 4.0, year, &s) - 1000.0).abs() < 1e-9);
    }
}
