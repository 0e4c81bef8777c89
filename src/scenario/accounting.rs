//! Scenario keys for cooling, cost (TCO) and carbon accounting, with their documented defaults.
//!
//! Defaults follow Barroso, Hölzle & Ranganathan, *The Datacenter as a Computer* (3rd ed., 2019,
//! ch. 6 "Modeling Costs"): facility capex about $10 per watt of critical power amortised over
//! 12 years, facility opex about $0.04 per watt per month, servers amortised over 4 years with
//! money at 8 % a year, electricity around $0.07 per kWh, PUE 1.5 for a conventional facility.
//! Carbon defaults are round figures of the right order, to be replaced by the user's own: a grid
//! intensity of 400 g CO2e/kWh and 1,300 kg CO2e embodied per server.

use super::schema::{NonNegative, Positive};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How cooling power follows IT power.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CoolingSpec {
    /// "pue" (default) or "crac".
    #[serde(default)]
    pub model: CoolingModelSpec,
    /// Power usage effectiveness for model "pue": facility power = PUE × IT power (≥ 1). Default 1.5.
    #[serde(default = "defaults::pue")]
    pub pue: Positive,
    /// Cold-air supply temperature of every CRAC unit, °C, for model "crac". Default 20.
    #[serde(default = "defaults::supply_temp")]
    pub supply_temp_c: f64,
    /// Per-unit supply temperatures by cooling-unit name (e.g. "crac-001"), overriding the above.
    #[serde(default)]
    pub supply_temp_c_by_unit: BTreeMap<String, f64>,
}

impl Default for CoolingSpec {
    fn default() -> Self {
        CoolingSpec {
            model: CoolingModelSpec::Pue,
            pue: defaults::pue(),
            supply_temp_c: defaults::supply_temp(),
            supply_temp_c_by_unit: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CoolingModelSpec {
    /// A constant power usage effectiveness.
    #[default]
    Pue,
    /// Per cooling unit, P_cool = P_IT / COP(T), COP(T) = 0.0068·T² + 0.0008·T + 0.458
    /// (Moore et al., "Making Scheduling Cool", USENIX ATC 2005).
    Crac,
}

/// How capital is spread over the years it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Amortisation {
    /// price × (time used / lifetime).
    StraightLine,
    /// A loan repaid in equal yearly payments at `interest_rate`: price·r / (1 − (1 + r)^−n) a year.
    #[default]
    Annuity,
}

/// Terms of the total cost of ownership over the simulated horizon. A year is 365 days.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostSpec {
    /// "annuity" (default) or "straight-line", for server and facility capex.
    #[serde(default)]
    pub amortisation: Amortisation,
    /// Cost of money per year, for "annuity". Default 0.08.
    #[serde(default = "defaults::interest")]
    pub interest_rate: NonNegative,
    /// Default server lifetime in years (a host type's `lifetime_years` overrides). Default 4.
    #[serde(default = "defaults::server_years")]
    pub server_lifetime_years: Positive,
    /// Facility capex per watt of provisioned critical power (the hosts' peak power). Default 10.
    #[serde(default = "defaults::facility_capex")]
    pub facility_capex_usd_per_w: NonNegative,
    /// Facility lifetime in years. Default 12.
    #[serde(default = "defaults::facility_years")]
    pub facility_lifetime_years: Positive,
    /// Facility opex per watt of provisioned critical power per month (30.4 days). Default 0.04.
    #[serde(default = "defaults::facility_opex")]
    pub facility_opex_usd_per_w_month: NonNegative,
    /// Electricity price when no series is given, USD per kWh. Default 0.07.
    #[serde(default = "defaults::electricity")]
    pub electricity_usd_per_kwh: NonNegative,
    /// Time-of-use prices: CSV `time,usd_per_kwh` (time from the start, e.g. "7h" or seconds),
    /// each price holding until the next row. Path relative to the scenario file. Default none.
    #[serde(default)]
    pub electricity_price_csv: Option<String>,
    /// Repeat the price series with this period (e.g. "1d" for a daily tariff). Default: no repeat.
    #[serde(default)]
    pub electricity_price_repeat: Option<SimTime>,
    /// Maintenance per year as a fraction of server purchase price. Default 0.05.
    #[serde(default = "defaults::maintenance")]
    pub maintenance_fraction_per_year: NonNegative,
    /// SLA penalty per rejected request, USD. Default 0.
    #[serde(default)]
    pub sla_usd_per_rejected: NonNegative,
    /// SLA penalty per VM-hour spent on an overloaded host (demand above capacity), USD. Default 0.
    #[serde(default)]
    pub sla_usd_per_violation_vm_hour: NonNegative,
    /// SLA penalty per VM-hour slowed by interference (`[impact]`), USD. Default: the
    /// violation price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_usd_per_degraded_vm_hour: Option<NonNegative>,
}

impl Default for CostSpec {
    fn default() -> Self {
        toml::from_str("").expect("every cost key has a default")
    }
}

/// Operational and embodied carbon.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CarbonSpec {
    /// Grid carbon intensity when no series is given, g CO2e per kWh. Default 400.
    #[serde(default = "defaults::intensity")]
    pub intensity_g_per_kwh: NonNegative,
    /// Intensity series: CSV `time,g_per_kwh`, as `cost.electricity_price_csv`. Default none.
    #[serde(default)]
    pub intensity_csv: Option<String>,
    /// Repeat the intensity series with this period. Default: no repeat.
    #[serde(default)]
    pub intensity_repeat: Option<SimTime>,
    /// Embodied carbon of a host whose type does not say, kg CO2e. Default 1300.
    #[serde(default = "defaults::embodied")]
    pub embodied_kgco2e_per_host: NonNegative,
}

impl Default for CarbonSpec {
    fn default() -> Self {
        toml::from_str("").expect("every carbon key has a default")
    }
}

mod defaults {
    use super::*;
    pub fn pue() -> Positive {
        Positive(1.5)
    }
    pub fn supply_temp() -> f64 {
        20.0
    }
    pub fn interest() -> NonNegative {
        NonNegative(0.08)
    }
    pub fn server_years() -> Positive {
        Positive(4.0)
    }
    pub fn facility_capex() -> NonNegative {
        NonNegative(10.0)
    }
    pub fn facility_years() -> Positive {
        Positive(12.0)
    }
    pub fn facility_opex() -> NonNegative {
        NonNegative(0.04)
    }
    pub fn electricity() -> NonNegative {
        NonNegative(0.07)
    }
    pub fn maintenance() -> NonNegative {
        NonNegative(0.05)
    }
    pub fn intensity() -> NonNegative {
        NonNegative(400.0)
    }
    pub fn embodied() -> NonNegative {
        NonNegative(1300.0)
    }
}
