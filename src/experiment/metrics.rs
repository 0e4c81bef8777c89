//! The headline metrics that comparisons summarise, charts draw and regressions watch: each with
//! its `summary.json` key, a label with its unit, and which direction is worse.

use crate::metrics::RunSummary;
use serde::{Deserialize, Serialize};

/// Which way a metric gets worse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Worse {
    /// An increase is a regression (energy, cost, rejections).
    Higher,
    /// A decrease is a regression (utilisation).
    Lower,
    /// Any change beyond the tolerance is a regression.
    Either,
}

/// One headline metric.
pub struct Headline {
    /// The key in `summary.json` and the CSV column.
    pub key: &'static str,
    /// For people, with the unit.
    pub label: &'static str,
    pub worse: Worse,
    pub value: fn(&RunSummary) -> f64,
}

/// Every headline metric, in report order.
pub const HEADLINES: [Headline; 17] = [
    Headline {
        key: "energy_kwh",
        label: "IT energy (kWh)",
        worse: Worse::Higher,
        value: |s| s.energy_kwh,
    },
    Headline {
        key: "facility_energy_kwh",
        label: "facility energy (kWh)",
        worse: Worse::Higher,
        value: |s| s.facility_energy_kwh,
    },
    Headline {
        key: "tco_usd",
        label: "TCO (USD)",
        worse: Worse::Higher,
        value: |s| s.tco_usd,
    },
    Headline {
        key: "cost_per_vm_hour_usd",
        label: "cost per VM-hour (USD)",
        worse: Worse::Higher,
        value: |s| s.cost_per_vm_hour_usd,
    },
    Headline {
        key: "mean_cpu_utilisation",
        label: "mean CPU utilisation (fraction)",
        worse: Worse::Lower,
        value: |s| s.mean_cpu_utilisation,
    },
    Headline {
        key: "mean_active_hosts",
        label: "mean active hosts",
        worse: Worse::Higher,
        value: |s| s.mean_active_hosts,
    },
    Headline {
        key: "workloads_rejected",
        label: "workloads rejected",
        worse: Worse::Higher,
        value: |s| s.workloads_rejected as f64,
    },
    Headline {
        key: "sla_violation_vm_hours",
        label: "SLA violation (VM-hours)",
        worse: Worse::Higher,
        value: |s| s.sla_violation_vm_hours,
    },
    Headline {
        key: "degraded_vm_hours",
        label: "degraded VM-hours (interference + overload)",
        worse: Worse::Higher,
        value: |s| s.degraded_vm_hours.unwrap_or(s.sla_violation_vm_hours),
    },
    Headline {
        key: "interference_free_fraction",
        label: "VM-hours free of interference (fraction)",
        worse: Worse::Lower,
        value: |s| s.interference_free_fraction.unwrap_or(1.0),
    },
    Headline {
        key: "interfering_within_sla_fraction",
        label: "interfering workloads within SLA (fraction)",
        worse: Worse::Lower,
        value: |s| s.interfering_within_sla_fraction.unwrap_or(1.0),
    },
    Headline {
        key: "mean_wait_seconds",
        label: "mean wait (s)",
        worse: Worse::Higher,
        value: |s| s.mean_wait_seconds,
    },
    Headline {
        key: "carbon_kgco2e",
        label: "carbon (kg CO2e)",
        worse: Worse::Higher,
        value: |s| s.carbon_kgco2e,
    },
    Headline {
        key: "migrations",
        label: "live migrations",
        worse: Worse::Higher,
        value: |s| s.migrations as f64,
    },
    Headline {
        key: "slatah",
        label: "SLATAH (fraction of active time at 100 %)",
        worse: Worse::Higher,
        value: |s| s.slatah,
    },
    Headline {
        key: "pdm",
        label: "PDM (degradation due to migrations)",
        worse: Worse::Higher,
        value: |s| s.pdm,
    },
    Headline {
        key: "slav",
        label: "SLAV (SLATAH × PDM)",
        worse: Worse::Higher,
        value: |s| s.slav,
    },
];

/// The metrics of the grouped bar chart.
pub const BAR_METRICS: [&str; 5] = [
    "energy_kwh",
    "tco_usd",
    "mean_cpu_utilisation",
    "workloads_rejected",
    "sla_violation_vm_hours",
];

/// The headline metric with this key.
pub fn headline(key: &str) -> Option<&'static Headline> {
    HEADLINES.iter().find(|h| h.key == key)
}

/// Which way `name` gets worse: a headline key, or `<arm>/<headline key>`; else `Either`.
pub fn worse_of(name: &str) -> Worse {
    let key = name.rsplit('/').next().unwrap_or(name);
    headline(key).map_or(Worse::Either, |h| h.worse)
}

pub use crate::report::plots::format::value as fmt_value;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_follow_the_key() {
        assert_eq!(worse_of("energy_kwh"), Worse::Higher);
        assert_eq!(worse_of("best-fit/mean_cpu_utilisation"), Worse::Lower);
        assert_eq!(worse_of("events_processed"), Worse::Either);
    }

    #[test]
    fn values_have_four_significant_digits() {
        assert_eq!(fmt_value(1234.567), "1,235");
        assert_eq!(fmt_value(0.123_456), "0.1235");
        assert_eq!(fmt_value(0.0), "0");
        assert_eq!(fmt_value(-12.345_67), "-12.35");
        assert_eq!(fmt_value(f64::NAN), "n/a");
        assert_eq!(fmt_value(1e-7), "1.000e-7");
    }
}
