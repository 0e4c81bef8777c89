//! TCO, cooling and carbon hand-computed on a two-host scenario and matched to the cent.

use crate::common::{parse, run_checked};
use dcsim::metrics::RunSummary;

const DAYS: f64 = 30.0;
const T_S: f64 = DAYS * 86_400.0;
const YEAR_FRACTION: f64 = DAYS / 365.0;

/// Two hosts of one 4-core type (linear 100 W idle, 300 W peak; $5 000; 5 years; 1 000 kg CO2e),
/// one per rack, each fitting one whole VM at usage 0.5 (→ 200 W) that lives past the horizon;
/// no queue, so later arrivals are rejected. `extra` adds cooling/cost/carbon keys.
fn two_hosts(extra: &str) -> String {
    format!(
        r#"
[simulation]
duration = "30d"
sample_interval = "1h"
seed = 3
[queue]
enabled = false
[[host_types]]
name = "h"
cores = 4
memory_gib = 8
price_usd = 5000
lifetime_years = 5
embodied_kgco2e = 1000
power = {{ model = "linear", idle_w = 100, max_w = 300 }}
[landscape]
racks_per_cooling_unit = 1
[[landscape.racks]]
count = 2
hosts_per_rack = 1
host_type = "h"
[[workload.vm_sizes]]
name = "whole"
cores = 4
memory_gib = 8
[[workload.classes]]
name = "c"
arrival = {{ rate_per_hour = 6 }}
lifetime = {{ distribution = "fixed", value = "100d" }}
sizes = [{{ size = "whole" }}]
usage = {{ profile = "constant", level = 0.5 }}
{extra}
"#
    )
}

/// Runs and returns the summary and the two placement times (seconds), host 0 then host 1.
fn run(extra: &str) -> (RunSummary, [f64; 2]) {
    let (result, records) = run_checked(&parse(&two_hosts(extra)));
    let mut at = [f64::NAN; 2];
    for r in records.iter().filter(|r| r.host.is_some()) {
        at[r.host.unwrap() as usize] = r.placed_s.unwrap();
    }
    assert!(
        at.iter().all(|a| a.is_finite() && *a < 8.0 * 3600.0),
        "both hosts filled early: {at:?}"
    );
    (result.summary, at)
}

/// IT energy of one host in kWh: 100 W until `a`, 200 W after.
fn it_kwh(a: f64) -> f64 {
    (100.0 * a + 200.0 * (T_S - a)) / 3.6e6
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

const COSTS: &str = r#"
[cooling]
model = "pue"
pue = 1.2
[cost]
amortisation = "straight-line"
facility_capex_usd_per_w = 10
facility_lifetime_years = 12
facility_opex_usd_per_w_month = 0.04
electricity_usd_per_kwh = 0.10
maintenance_fraction_per_year = 0.05
sla_usd_per_rejected = 2
[carbon]
intensity_g_per_kwh = 250
"#;

#[test]
fn tco_and_carbon_match_a_hand_computation_to_the_cent() {
    let (s, [a0, a1]) = run(COSTS);
    let it = it_kwh(a0) + it_kwh(a1);
    let facility = 1.2 * it;
    // Server capex: 2 × $5 000 × (30/365 y) / 5 y = $164.38.
    let server = 2.0 * 5000.0 * YEAR_FRACTION / 5.0;
    // Provisioned power 2 × 300 W: facility capex 600 W × $10/W × (30/365)/12 = $41.10.
    let facility_capex = 600.0 * 10.0 * YEAR_FRACTION / 12.0;
    // Facility opex: 600 W × $0.04/W/month × 12 months/y × 30/365 y = $23.67.
    let facility_opex = 600.0 * 0.04 * 12.0 * YEAR_FRACTION;
    // Maintenance: 5 % a year of $10 000 for 30/365 y = $41.10.
    let maintenance = 0.05 * 10_000.0 * YEAR_FRACTION;
    let energy = facility * 0.10;
    let sla = 2.0 * s.workloads_rejected as f64;
    assert!(
        s.workloads_rejected > 4000,
        "about 6/h × 720 h arrivals, two placed"
    );
    for (what, got, want) in [
        ("server capex", s.tco_server_capex_usd, server),
        ("facility capex", s.tco_facility_capex_usd, facility_capex),
        ("facility opex", s.tco_facility_opex_usd, facility_opex),
        ("maintenance", s.tco_maintenance_usd, maintenance),
        ("energy", s.tco_energy_usd, energy),
        ("SLA", s.tco_sla_penalty_usd, sla),
        (
            "TCO",
            s.tco_usd,
            server + facility_capex + facility_opex + maintenance + energy + sla,
        ),
        ("facility kWh", s.facility_energy_kwh, facility),
        ("cooling kWh", s.cooling_energy_kwh, 0.2 * it),
        // Operational: facility kWh × 0.25 kg/kWh; embodied: 2 × 1 000 kg × (30/365)/5.
        ("operational kg", s.operational_kgco2e, facility * 0.25),
        (
            "embodied kg",
            s.embodied_kgco2e,
            2.0 * 1000.0 * YEAR_FRACTION / 5.0,
        ),
    ] {
        assert_eq!(cents(got), cents(want), "{what}: {got} vs {want}");
    }
    // Delivered VM-hours: each VM from its placement to the end; one core-hour per vCPU-hour.
    let vm_hours = (2.0 * T_S - a0 - a1) / 3600.0;
    assert!((s.delivered_vm_hours - vm_hours).abs() < 1e-6);
    assert!((s.delivered_core_hours - 4.0 * vm_hours).abs() < 1e-6);
    assert_eq!(
        cents(s.cost_per_vm_hour_usd * 1000.0),
        cents(s.tco_usd / vm_hours * 1000.0)
    );
    assert!((s.pue - 1.2).abs() < 1e-12);
}

#[test]
fn crac_cooling_follows_the_cop_of_each_unit() {
    // crac-000 at 15 °C: COP = 1.53 + 0.012 + 0.458 = 2.0; crac-001 at 25 °C: COP = 4.728.
    let (s, [a0, a1]) = run(
        "[cooling]\nmodel = \"crac\"\nsupply_temp_c = 20\nsupply_temp_c_by_unit = { \"crac-000\" = 15, \"crac-001\" = 25 }\n",
    );
    let cooling = it_kwh(a0) / 2.0 + it_kwh(a1) / 4.728;
    assert!(
        (s.cooling_energy_kwh - cooling).abs() < 1e-9 * cooling,
        "{} vs {cooling}",
        s.cooling_energy_kwh
    );
    let (s20, _) = run("[cooling]\nmodel = \"crac\"\nsupply_temp_c = 20\n");
    // 20 °C everywhere: COP 3.194, so PUE = 1 + 1/3.194.
    assert!((s20.pue - (1.0 + 1.0 / 3.194)).abs() < 1e-9, "{}", s20.pue);
}

#[test]
fn time_of_use_price_and_carbon_series_are_integrated_exactly() {
    let dir = crate::cli::temp_dir("tco-series");
    // Daily tariff: $0.05 from 0 h, $0.15 from 8 h, $0.05 from 20 h.
    std::fs::write(
        dir.join("tariff.csv"),
        "time,usd_per_kwh\n0h,0.05\n8h,0.15\n20h,0.05\n",
    )
    .unwrap();
    std::fs::write(dir.join("grid.csv"), "time,g_per_kwh\n0,100\n12h,300\n").unwrap();
    let file = dir.join("tou.toml");
    let extra = "[cooling]\npue = 1.0\n[cost]\nelectricity_price_csv = \"tariff.csv\"\nelectricity_price_repeat = \"1d\"\n[carbon]\nintensity_csv = \"grid.csv\"\nintensity_repeat = \"1d\"\n";
    std::fs::write(&file, two_hosts(extra)).unwrap();
    let loaded = dcsim::scenario::load(&file, &[]).unwrap();
    let mut records = crate::common::Records::default();
    let result = dcsim::engine::Simulation::new(&loaded, Default::default(), &mut records)
        .unwrap()
        .run()
        .unwrap();
    let s = result.summary;
    let at: Vec<f64> = records
        .0
        .iter()
        .filter(|r| r.host.is_some())
        .map(|r| r.placed_s.unwrap())
        .collect();
    assert!(
        at.len() == 2 && at.iter().all(|&a| a < 8.0 * 3600.0),
        "both hosts filled in the first tariff period: {at:?}"
    );
    // Each host draws 200 W all along, less 100 W until it is filled (before 8 h, at $0.05 and 100 g).
    // A day at 200 W: 0.2 kW × (8 h·0.05 + 12 h·0.15 + 4 h·0.05) = 0.2 × 2.4 = $0.48.
    let per_host_usd = |a: f64| DAYS * 0.48 - 0.1 * (a / 3600.0) * 0.05;
    let want: f64 = at.iter().map(|&a| per_host_usd(a)).sum();
    assert_eq!(
        cents(s.tco_energy_usd),
        cents(want),
        "{} vs {want}",
        s.tco_energy_usd
    );
    // Carbon: a day at 200 W = 0.2 × (12·100 + 12·300) g = 960 g.
    let per_host_kg = |a: f64| (DAYS * 960.0 - 0.1 * (a / 3600.0) * 100.0) / 1000.0;
    let want: f64 = at.iter().map(|&a| per_host_kg(a)).sum();
    assert!(
        (s.operational_kgco2e - want).abs() < 1e-9 * want,
        "{} vs {want}",
        s.operational_kgco2e
    );
}

#[test]
fn a_malformed_series_names_file_line_and_column() {
    let dir = crate::cli::temp_dir("tco-bad-series");
    std::fs::write(
        dir.join("tariff.csv"),
        "time,usd_per_kwh\n0h,0.05\n8h,cheap\n",
    )
    .unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        two_hosts("[cost]\nelectricity_price_csv = \"tariff.csv\"\n"),
    )
    .unwrap();
    let err = dcsim::scenario::load(&file, &[]).unwrap_err().to_string();
    assert!(
        err.contains("tariff.csv:3:2") && err.contains("usd_per_kwh") && err.contains("\"cheap\""),
        "{err}"
    );
}
