//! The rebalancing loop: overload detection, VM selection, live migration with its duration and
//! accounting (migrations, PDM, SLATAH), on hand-made workloads with known answers.

use crate::cli::temp_dir;
use crate::traces::trace_scenario;

const HEADER: &str =
    "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\n";

/// Runs `rows` (native trace rows) for one hour on two 8-core hosts (three with `hosts = 3`),
/// with `extra` appended to the scenario, checking invariants after every event.
fn one_hour(name: &str, rows: &str, hosts: u32, extra: &str) -> dcsim::metrics::RunSummary {
    let dir = temp_dir(name);
    std::fs::write(dir.join("t.csv"), format!("{HEADER}{rows}")).unwrap();
    let file = trace_scenario(&dir, "native", "t.csv", "");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("duration = \"1d\"", "duration = \"1h\"")
        .replace("hosts_per_rack = 2", &format!("hosts_per_rack = {hosts}"))
        + extra;
    std::fs::write(&file, text).unwrap();
    crate::common::run_checked(&dcsim::scenario::load(&file, &[]).unwrap())
        .0
        .summary
}

/// Two 8-core hosts; A (2 GiB) at 0 s and B (1 GiB) at 10 s, 4 cores each at full usage,
/// both land on host 0 (best fit), which is then at 100 %.
fn two_vms_on_one_host(policy: &str) -> dcsim::metrics::RunSummary {
    let extra = format!("[rebalance]\npolicy = \"{policy}\"\ninterval = \"5m\"\n");
    one_hour(
        &format!("rebalance-{policy}"),
        "a,0,,4,2,1,,\nb,10,,4,1,1,,\n",
        2,
        &extra,
    )
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

/// One VM (4 of 8 cores at full usage → host 0 at 50 %, 150 W) from 0 s; host 1 empty.
fn one_busy_host(extra: &str) -> dcsim::metrics::RunSummary {
    one_hour(
        &format!("rebalance-profile-{}", extra.len()),
        "a,0,,4,2,1,,\n",
        2,
        extra,
    )
}

#[test]
fn model_profiles_and_the_non_power_aware_baseline_charge_as_documented() {
    // Physical: host 0 at 150 W and the idle host 1 at 100 W for an hour.
    let physical = one_busy_host("");
    assert!(
        (physical.energy_kwh - 0.25).abs() < 1e-12,
        "{}",
        physical.energy_kwh
    );
    // CloudSim-compatible: a host at zero utilisation costs nothing, and energy stops at
    // CloudSim's last update before the end, at 55 min + 0.1 s (5-minute samples):
    // 150 W × 3300 s = 0.1375 kWh.
    let compat = one_busy_host("[rebalance]\nprofile = \"cloudsim-compat\"\n");
    assert!(
        (compat.energy_kwh - 0.1375).abs() < 1e-12,
        "{}",
        compat.energy_kwh
    );
    // Non-power-aware: both hosts at their 200 W peak.
    let npa = one_busy_host("[power]\nnon_power_aware = true\n");
    assert!((npa.energy_kwh - 0.4).abs() < 1e-12, "{}", npa.energy_kwh);
}

#[test]
fn cloudsim_migrations_get_half_the_bandwidth() {
    let extra = "[rebalance]\npolicy = \"thr-mmt\"\nprofile = \"cloudsim-compat\"\n";
    let s = one_hour(
        "rebalance-compat-bandwidth",
        "a,0,,4,2,1,,\nb,10,,4,1,1,,\n",
        2,
        extra,
    );
    // 1 GiB over half of 1 Gbit/s, as CloudSim divides it: 1024 MB / (500 Mbit/s / 8).
    let t = 1024.0 * 8.0 / 500.0;
    assert_eq!(s.migrations, 1);
    assert!(
        (s.mean_migration_seconds - t).abs() < 1e-5,
        "{}",
        s.mean_migration_seconds
    );
}

#[test]
fn vacating_a_host_never_lands_on_an_empty_one() {
    // Three light VMs spread over three hosts (worst fit): one round gathers them on one host;
    // later rounds must not shuttle them to the hosts just emptied.
    let rows = "a,0,,1,1,0.1,,\nb,0,,1,1,0.1,,\nc,0,,1,1,0.1,,\n";
    let extra = "[policy]\nplacement = \"worst-fit\"\n[rebalance]\npolicy = \"thr-mmt\"\n";
    let s = one_hour("rebalance-no-ping-pong", rows, 3, extra);
    assert_eq!(s.migrations, 2, "two VMs join the third once, and stay");
}

/// The reproduction scenario cut to its first 100 VMs and 6 hours, under `policy` and `profile`
/// (`None` without `../shared/traces`, outside CI).
fn reduced_reproduction(policy: &str, profile: &str) -> Option<dcsim::metrics::RunSummary> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/planetlab-consolidation.toml");
    let day = crate::common::shared_trace("planetlab/20110303")?;
    let mut overrides = dcsim::experiment::policy_overrides(policy).unwrap();
    for set in [
        format!("workload.trace.path={}", day.display()),
        "workload.trace.max_workloads=100".to_string(),
        "workload.trace.expected_workloads=100".to_string(),
        "simulation.duration=6h".to_string(),
        format!("rebalance.profile={profile}"),
    ] {
        overrides.push(dcsim::scenario::Override::parse(&set).unwrap());
    }
    let (r, _) = crate::common::run_checked(&dcsim::scenario::load(&path, &overrides).unwrap());
    // The time series' SLATAH so far ends where the summary's does.
    let last = r.timeseries.last().expect("rows");
    assert!(
        (last.slatah - r.summary.slatah).abs() < 1e-9,
        "{policy}/{profile}"
    );
    assert!(
        r.timeseries
            .iter()
            .all(|row| (row.slav - row.slatah * row.pdm).abs() < 1e-15)
    );
    let end = &r.summary;
    assert_eq!(
        (last.host_boots, last.host_shutdowns),
        (end.host_boots, end.host_shutdowns)
    );
    assert_eq!(
        last.mean_time_before_migration_s,
        end.mean_time_before_vm_migration_seconds
    );
    assert_eq!(
        last.mean_time_before_shutdown_s,
        end.mean_time_before_host_shutdown_seconds
    );
    let s = r.summary;
    assert_eq!(
        s.workloads_placed, 100,
        "{policy}/{profile}: room for every VM"
    );
    assert!((0.0..=1.0).contains(&s.slatah) && (0.0..=1.0).contains(&s.pdm));
    Some(s)
}

#[test]
fn the_reproduction_scenario_runs_in_reduced_form_in_both_profiles() {
    // 100 VMs in four blocks of 25 hold 25 × (870 + 1740 + 1740 + 613) MB = 121.2 GiB, so under
    // the physical profile at least 31 of the 4-GiB hosts are on at every instant: energy at
    // least 31 × 86 W (the lower idle power) × 6 h = 16.0 kWh, at most the hosts on at 135 W.
    let Some(physical) = reduced_reproduction("thr-mmt", "physical") else {
        return;
    };
    assert!(
        physical.peak_active_hosts >= 31,
        "{}",
        physical.peak_active_hosts
    );
    let most = physical.mean_active_hosts * 135.0 * 6.0 / 1000.0;
    assert!(
        (16.0..=most).contains(&physical.energy_kwh),
        "{} kWh",
        physical.energy_kwh
    );
    assert_eq!(physical.workloads_retired, 0);
    // DVFS keeps all 800 hosts on, idle ones at 86 or 93.7 W: over 800 × 86 W × 6 h.
    let dvfs = reduced_reproduction("dvfs", "physical").expect("the trace, read above");
    assert!(dvfs.energy_kwh > 412.8, "{}", dvfs.energy_kwh);
    assert_eq!(dvfs.migrations, 0);
    // Under CloudSim's choices memory no longer binds once VMs run and idle hosts are free:
    // consolidation must at least halve DVFS's energy (the paper reports a factor near 7), and
    // PlanetLab's zero samples retire VMs.
    let compat = reduced_reproduction("thr-mmt", "cloudsim-compat").expect("the trace, read above");
    let compat_dvfs =
        reduced_reproduction("dvfs", "cloudsim-compat").expect("the trace, read above");
    assert!(
        compat.energy_kwh < compat_dvfs.energy_kwh / 2.0,
        "{} vs {}",
        compat.energy_kwh,
        compat_dvfs.energy_kwh
    );
    assert!(compat.migrations > 0 && compat.workloads_retired > 0);
}

#[test]
fn the_non_power_aware_baseline_matches_the_published_figure() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/planetlab-consolidation.toml");
    let Some(day) = crate::common::shared_trace("planetlab/20110303") else {
        return;
    };
    let mut overrides = dcsim::experiment::policy_overrides("npa").unwrap();
    for set in [
        format!("workload.trace.path={}", day.display()),
        "workload.trace.expected_workloads=1052".to_string(),
    ] {
        overrides.push(dcsim::scenario::Override::parse(&set).unwrap());
    }
    let s = dcsim::simulate(&dcsim::scenario::load(&path, &overrides).unwrap())
        .unwrap()
        .summary;
    // Every host at peak all day: (400 × 117 W + 400 × 135 W) × 24 h = 2,419.2 kWh, the NPA
    // energy Beloglazov & Buyya report for this set-up.
    assert!((s.energy_kwh - 2419.2).abs() < 1e-6, "{}", s.energy_kwh);
    assert_eq!(s.migrations, 0);
}

/// Host 0 runs A (4 cores, 20 GiB) and B (4 cores, 4 GiB) at full CPU; host 1 runs C (1 core,
/// 30 GiB of its 32). B must leave host 0 (100 % > 80 %); host 1 has the CPU but not the memory.
fn overloaded_next_to_a_memory_full_host(profile: &str) -> dcsim::metrics::RunSummary {
    let extra = format!(
        "[rebalance]\npolicy = \"thr-mmt\"\nprofile = \"{profile}\"\n[policy]\nplacement = \"best-fit\"\n"
    );
    one_hour(
        &format!("rebalance-memory-{profile}"),
        "a,0,,4,20,1,,\nc,5,,1,30,1,,\nb,10,,4,4,1,,\n",
        2,
        &extra,
    )
}

#[test]
fn cloudsim_counts_a_migration_destination_as_short_of_cpu() {
    // As above: hosts 0 and 2 each send their light VM to host 1 in the first round, at 300 s.
    let rows = "a,0,,1,1,0.1,,\nb,0,,1,1,0.1,,\nc,0,,1,1,0.1,,\n";
    let run = |profile: &str| {
        let extra = format!(
            "[policy]\nplacement = \"worst-fit\"\n[rebalance]\npolicy = \"thr-mmt\"\nprofile = \"{profile}\"\n"
        );
        one_hour(
            &format!("rebalance-source-short-{profile}"),
            rows,
            3,
            &extra,
        )
    };
    let physical = run("physical");
    assert_eq!(physical.migrations, 2);
    assert_eq!(physical.slatah, 0.0, "no host is ever at 100 %");
    // CloudSim lists an incoming VM on its destination from the copy's start, allocated 10 %
    // of what it requests, so host 1 is short of CPU while both copies run (1 GiB at half of
    // 1 Gbit/s, t = 1024 MB / 62.5 MB/s each, side by side). SLATAH is CloudSim's ratio of
    // sums: hosts 0 and 2 are active 300 + t s, host 1 all hour.
    let compat = run("cloudsim-compat");
    assert_eq!(compat.migrations, 2);
    let t = 1024.0 * 8.0 / 500.0;
    let slatah = t / (2.0 * (300.0 + t) + 3600.0);
    assert!(
        (compat.slatah - slatah).abs() < 1e-6,
        "{} vs {slatah}",
        compat.slatah
    );
}

#[test]
fn a_running_vm_needs_memory_at_its_destination_except_under_cloudsim() {
    let physical = overloaded_next_to_a_memory_full_host("physical");
    assert_eq!(physical.migrations, 0, "4 GiB do not fit in the 2 GiB left");
    // Host 0 stays at 100 % all hour (from 10 s), host 1 never is: half the active time.
    assert!((physical.slatah - 0.5).abs() < 0.01, "{}", physical.slatah);
    // CloudSim's running VMs request no RAM (their RAM utilisation model is null).
    let compat = overloaded_next_to_a_memory_full_host("cloudsim-compat");
    assert_eq!(compat.migrations, 1);
    assert!(
        (compat.migrated_gib - 4.0).abs() < 1e-12,
        "the copy is still 4 GiB"
    );
}

#[test]
fn cloudsim_retires_a_vm_whose_demand_falls_to_zero() {
    // A's usage: 50 % for 5 minutes, then 0 for 10 minutes, then 50 % again; B stays at 50 %.
    // CloudSim reads usage linearly between samples, 0.1 s after each interval: at 300.1 s
    // A's usage is 0 (both samples around it are), so A is retired then.
    let rows = "a,0,,2,2,,300,0.5 0 0 0.5\nb,0,,2,2,0.5,,\n";
    let run = |profile: &str| {
        one_hour(
            &format!("rebalance-retire-{profile}"),
            rows,
            2,
            &format!("[rebalance]\nprofile = \"{profile}\"\n"),
        )
    };
    let compat = run("cloudsim-compat");
    assert_eq!(compat.workloads_retired, 1);
    assert_eq!(compat.workloads_departed, 1);
    assert_eq!(compat.workloads_running_at_end, 1);
    let physical = run("physical");
    assert_eq!(physical.workloads_retired, 0);
    assert_eq!(physical.workloads_running_at_end, 2);
    // A single zero sample is not enough: at 300.1 s A's usage is 0.5 × 0.1 / 300 > 0.
    let once = one_hour(
        "rebalance-retire-once",
        "a,0,,2,2,,300,0.5 0 0.5\nb,0,,2,2,0.5,,\n",
        2,
        "[rebalance]\nprofile = \"cloudsim-compat\"\n",
    );
    assert_eq!(once.workloads_retired, 0);
    // The non-power-aware baseline never retires (CloudSim's PowerDatacenterNonPowerAware
    // does not remove VMs).
    let npa = one_hour(
        "rebalance-retire-npa",
        rows,
        2,
        "[rebalance]\nprofile = \"cloudsim-compat\"\n[power]\nnon_power_aware = true\n",
    );
    assert_eq!(npa.workloads_retired, 0);
}

#[test]
fn a_round_sees_the_sample_taken_at_its_instant() {
    // A at full use and B at 10 % share host 0; B's usage jumps to 100 % at 300 s, the instant
    // of the first round, which must see it: B (1 GiB, the faster to move) leaves at 300 s.
    let rows = "a,0,,4,2,1,,\nb,0,,4,1,,300,0.1 1\n";
    let extra = "[rebalance]\npolicy = \"thr-mmt\"\ninterval = \"5m\"\n";
    let s = one_hour("rebalance-sample-first", rows, 2, extra);
    assert_eq!(s.migrations, 1);
    let t = 1024.0 * 1024.0 * 1024.0 * 8.0 / 1e9;
    assert!(
        (s.mean_time_before_vm_migration_seconds - (300.0 + t)).abs() < 1e-5,
        "{}",
        s.mean_time_before_vm_migration_seconds
    );
}

#[test]
fn slatah_counts_a_vm_held_below_what_it_wants_by_the_per_core_limit() {
    // One core per workload at most (max_request_cores = 1); a 2-core VM packed by demand at
    // 40 % (0.8 cores) wants 1.8 cores from 300 s on, so its host is short of CPU from then.
    let dir = temp_dir("rebalance-per-core-short");
    std::fs::write(
        dir.join("t.csv"),
        format!("{HEADER}a,0,,2,2,,300,0.4 0.9\n"),
    )
    .unwrap();
    let file = trace_scenario(&dir, "native", "t.csv", "");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("duration = \"1d\"", "duration = \"1h\"")
        .replace(
            "memory_gib = 32\n",
            "memory_gib = 32\nmax_request_cores = 1.0\n",
        )
        .replace(
            "[landscape]\n",
            "[landscape]\ncpu_allocation = \"demand\"\n",
        );
    std::fs::write(&file, text).unwrap();
    let (r, _) = crate::common::run_checked(&dcsim::scenario::load(&file, &[]).unwrap());
    assert_eq!(r.summary.workloads_placed, 1);
    let slatah = (3600.0 - 300.0) / 3600.0;
    assert!(
        (r.summary.slatah - slatah).abs() < 1e-9,
        "{} vs {slatah}",
        r.summary.slatah
    );
}
