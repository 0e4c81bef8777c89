//! Host power states ("switch-off"): hosts boot when a request needs them and shut down when
//! empty; each state's energy is charged exactly.

use crate::cli::temp_dir;
use crate::traces::trace_scenario;

#[test]
fn boots_and_shutdowns_are_timed_and_charged() {
    let dir = temp_dir("power-states");
    // A at 100 s for 1000 s, B at 200 s for 500 s; each fills an 8-core host at usage 0.5.
    let trace = "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\na,100,1000,8,4,0.5,,\nb,200,500,8,4,0.5,,\n";
    std::fs::write(dir.join("t.csv"), trace).unwrap();
    let file = trace_scenario(&dir, "native", "t.csv", "");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("duration = \"1d\"", "duration = \"1h\"")
        + "[power]\nempty_host = \"switch-off\"\nboot_time = \"60s\"\nshutdown_time = \"30s\"\noff_w = 10\n";
    std::fs::write(&file, text).unwrap();
    let loaded = dcsim::scenario::load(&file, &[]).unwrap();
    let (result, records) = crate::common::run_checked(&loaded);
    let s = &result.summary;
    // Host 0: off 10 W for 100 s, boots at 200 W (peak) 60 s, runs A at 150 W for 1000 s,
    // shuts down at 200 W for 30 s, off for the rest: 1000 + 12000 + 150000 + 6000 + 24100 J.
    // Host 1: boots at 200 s for B (host 0 is full), B 260–760 s, off from 790 s:
    // 2000 + 12000 + 75000 + 6000 + 28100 J.
    let joules = 193_100.0 + 123_100.0;
    assert!(
        (s.energy_kwh - joules / 3.6e6).abs() < 1e-12,
        "{} kWh",
        s.energy_kwh
    );
    assert_eq!((s.host_boots, s.host_shutdowns), (2, 2));
    // On for 1000 s and 500 s before shutting down.
    assert_eq!(s.mean_time_before_host_shutdown_seconds, 750.0);
    // Each request waited one boot.
    assert_eq!(s.mean_wait_seconds, 60.0);
    let placed: Vec<(u32, f64)> = records
        .iter()
        .map(|r| (r.host.unwrap(), r.placed_s.unwrap()))
        .collect();
    assert!(
        placed.contains(&(0, 160.0)) && placed.contains(&(1, 260.0)),
        "{placed:?}"
    );
}

#[test]
fn switch_off_without_a_queue_is_refused() {
    let dir = temp_dir("power-states-no-queue");
    std::fs::write(
        dir.join("t.csv"),
        "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\n",
    )
    .unwrap();
    let file = trace_scenario(&dir, "native", "t.csv", "");
    let text = std::fs::read_to_string(&file).unwrap()
        + "[power]\nempty_host = \"switch-off\"\n[queue]\nenabled = false\n";
    std::fs::write(&file, text).unwrap();
    let err = dcsim::scenario::load(&file, &[]).unwrap_err().to_string();
    assert!(
        err.contains("power.empty_host") && err.contains("queue.enabled"),
        "{err}"
    );
}
