//! The rebalancing loop: overload detection, VM selection, live migration with its duration and
//! accounting (migrations, PDM, SLATAH), on hand-made workloads with known answers.

use crate::cli::temp_dir;
use crate::traces::trace_scenario;

/// Two 8-core hosts; A (2 GiB) at 0 s and B (1 GiB) at 10 s, 4 cores each at full usage,
/// both land on host 0 (best fit), which is then at 100 %.
fn two_vms_on_one_host(policy: &str) -> dcsim::metrics::RunSummary {
    let dir = temp_dir(&format!("rebalance-{policy}"));
    let trace = "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\na,0,,4,2,1,,\nb,10,,4,1,1,,\n";
    std::fs::write(dir.join("t.csv"), trace).unwrap();
    let file = trace_scenario(&dir, "native", "t.csv", "");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("duration = \"1d\"", "duration = \"1h\"")
        + &format!("[rebalance]\npolicy = \"{policy}\"\ninterval = \"5m\"\n");
    std::fs::write(&file, text).unwrap();
    crate::common::run_checked(&dcsim::scenario::load(&file, &[]).unwrap())
        .0
        .summary
}

#[test]
fn an_overloaded_host_sheds_the_vm_that_migrates_fastest() {
    let s = two_vms_on_one_host("thr-mmt");
    // At 300 s host 0 is at 100 % > 0.8: MMT picks B (1 GiB < 2 GiB); host 1 takes it.
    assert_eq!(s.migrations, 1);
    // 1 GiB over 1 Gbit/s: 2^30 · 8 / 10^9 s.
    let t = 1024.0 * 1024.0 * 1024.0 * 8.0 / 1e9;
    assert!(
        (s.mean_migration_seconds - t).abs() < 1e-5,
        "{}",
        s.mean_migration_seconds
    );
    assert!((s.migrated_gib - 1.0).abs() < 1e-12);
    // B had been on host 0 for 300 + t − 10 s when it landed.
    assert!((s.mean_time_before_vm_migration_seconds - (290.0 + t)).abs() < 1e-5);
    // PDM: B loses 10 % of its 4 cores for t seconds of the 3590 s it requested them; A loses
    // nothing; the mean over the two VMs.
    let pdm = (0.1 * t / 3590.0) / 2.0;
    assert!((s.pdm - pdm).abs() < 1e-9, "{} vs {pdm}", s.pdm);
    // SLATAH: host 0 at 100 % from 10 s until B lands (300 + t s), active all hour; host 1
    // never at 100 %.
    let slatah = ((300.0 + t - 10.0) / 3600.0 + 0.0) / 2.0;
    assert!((s.slatah - slatah).abs() < 1e-6, "{} vs {slatah}", s.slatah);
    assert!((s.slav - slatah * pdm).abs() < 1e-12);
}

#[test]
fn minimum_utilisation_and_no_rebalancing() {
    // Equal usage: MU's tie goes to the first listed VM (A, 2 GiB): 2× the copy time.
    let s = two_vms_on_one_host("thr-mu");
    let t = 2.0 * 1024.0 * 1024.0 * 1024.0 * 8.0 / 1e9;
    assert_eq!(s.migrations, 1);
    assert!(
        (s.mean_migration_seconds - t).abs() < 1e-5,
        "{}",
        s.mean_migration_seconds
    );
    let none = two_vms_on_one_host("none");
    assert_eq!(none.migrations, 0);
    assert_eq!(none.pdm, 0.0);
}

#[test]
fn an_unknown_policy_name_is_refused() {
    let o = crate::cli::dcsim(&[
        "validate",
        "scenarios/quickstart.toml",
        "--set",
        "rebalance.policy=thr-xyz",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown rebalancing policy"));
}
