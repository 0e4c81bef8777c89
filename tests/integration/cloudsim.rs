//! The `cloudsim-compat` profile against CloudSim 3.0.3 itself, on the full PlanetLab day
//! (2011-03-03, the 1,052 files in name order). The reference figures come from running
//! CloudSim 3.0.3's `PlanetLabRunnerConsole` (and `NonPowerAware`) as `docs/consolidation.md`
//! says; the bars are the issue's: energy and migrations within 10 %, SLATAH and PDM within
//! 20 %, and exactly as many VMs retired.

use std::path::Path;

/// One CloudSim 3.0.3 run: energy (kWh), migrations, SLATAH and PDM (fractions), VMs retired.
struct CloudSim {
    policy: &'static str,
    energy_kwh: f64,
    migrations: u64,
    slatah: f64,
    pdm: f64,
    retired: u64,
}

/// SLATAH = violation time / active time and PDM = CPU lost to migrations / CPU requested, as
/// `Helper.getSlaTimePerActiveHost` and `Helper.getSlaMetrics` sum them (printed unrounded).
const REFERENCE: [CloudSim; 5] = [
    CloudSim {
        policy: "dvfs",
        energy_kwh: 802.75,
        migrations: 0,
        slatah: 0.0,
        pdm: 0.0,
        retired: 532,
    },
    CloudSim {
        policy: "thr-mmt",
        energy_kwh: 192.62,
        migrations: 26_711,
        slatah: 306_289.184 / 6_233_901.184,
        pdm: 8_750_686.864 / 1.353_826_857e10,
        retired: 532,
    },
    CloudSim {
        policy: "iqr-mmt",
        energy_kwh: 189.98,
        migrations: 26_282,
        slatah: 295_861.168 / 6_134_952.432,
        pdm: 8_441_505.927 / 1.353_841_708e10,
        retired: 532,
    },
    CloudSim {
        policy: "lr-mmt",
        energy_kwh: 163.48,
        migrations: 27_859,
        slatah: 299_399.104 / 5_110_989.632,
        pdm: 10_732_409.067 / 1.353_825_979e10,
        retired: 532,
    },
    CloudSim {
        policy: "thr-mc",
        energy_kwh: 183.48,
        migrations: 23_967,
        slatah: 402_165.184 / 5_881_125.360,
        pdm: 13_799_790.232 / 1.353_821_275e10,
        retired: 532,
    },
];

/// The full PlanetLab day under `policy` and the CloudSim-compatible profile (`None` without
/// `../shared/traces`, outside CI).
fn compat_day(policy: &str) -> Option<dcsim::metrics::RunSummary> {
    let day = crate::common::shared_trace("planetlab/20110303")?;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/planetlab-consolidation.toml");
    let mut overrides = dcsim::experiment::policy_overrides(policy).unwrap();
    for set in [
        format!("workload.trace.path={}", day.display()),
        "workload.trace.expected_workloads=1052".to_string(),
        "rebalance.profile=cloudsim-compat".to_string(),
    ] {
        overrides.push(dcsim::scenario::Override::parse(&set).unwrap());
    }
    let loaded = dcsim::scenario::load(&path, &overrides).unwrap();
    Some(dcsim::simulate(&loaded).unwrap().summary)
}

fn within(what: &str, policy: &str, ours: f64, theirs: f64, share: f64) {
    let gap = if theirs == 0.0 {
        ours.abs()
    } else {
        (ours - theirs).abs() / theirs
    };
    assert!(
        gap <= share,
        "{policy} {what}: dcsim {ours} vs CloudSim {theirs} ({:.1} % apart, bar {:.0} %)",
        gap * 100.0,
        share * 100.0
    );
}

#[test]
fn the_compat_profile_is_within_the_bars_of_cloudsim_3_0_3_on_the_full_day() {
    for c in &REFERENCE {
        let Some(s) = compat_day(c.policy) else {
            return;
        };
        within("energy", c.policy, s.energy_kwh, c.energy_kwh, 0.10);
        within(
            "migrations",
            c.policy,
            s.migrations as f64,
            c.migrations as f64,
            0.10,
        );
        within("SLATAH", c.policy, s.slatah, c.slatah, 0.20);
        within("PDM", c.policy, s.pdm, c.pdm, 0.20);
        assert_eq!(s.workloads_retired, c.retired, "{} retired", c.policy);
    }
}

#[test]
fn the_compat_baseline_stops_integrating_at_cloudsim_s_last_update() {
    // CloudSim 3.0.3's NonPowerAware run: every host at peak from 0.1 s to its last update at
    // 86,100.1 s, (400 × 117 W + 400 × 135 W) × 86,100 s = 2,410.8 kWh; no VM is retired.
    let Some(s) = compat_day("npa") else {
        return;
    };
    assert!((s.energy_kwh - 2410.8).abs() < 1e-6, "{}", s.energy_kwh);
    assert_eq!(s.workloads_retired, 0);
}
