//! The usage pass runs on as many threads as rayon offers (from 32,768 running workloads on):
//! a run on two threads gives exactly what it gives on one.

use super::common::{Records, parse};
use dcsim::engine::{RunOptions, RunResult, Simulation};
use dcsim::metrics::WorkloadRecord;

/// 40,000 noisy VMs at t = 0 (above the parallel threshold) plus churn, on 1,600 hosts.
fn scenario(allocation: &str, rebalance: &str) -> String {
    format!(
        r#"
[simulation]
duration = "3h"
sample_interval = "5m"
seed = 7

[queue]
enabled = false

[rebalance]
policy = "{rebalance}"
interval = "10m"
threshold = 0.8

[[host_types]]
name = "h"
cores = 64
memory_gib = 256
power = {{ model = "linear", idle_w = 150, max_w = 450 }}

[landscape]
cpu_allocation = "{allocation}"
[[landscape.racks]]
count = 40
hosts_per_rack = 40
host_type = "h"

[[workload.vm_sizes]]
name = "small"
cores = 1
memory_gib = 2
[[workload.vm_sizes]]
name = "large"
cores = 4
memory_gib = 8

[[workload.classes]]
name = "resident"
arrival = {{ rate_per_hour = 1, at_once = 40000 }}
lifetime = {{ distribution = "fixed", value = "10d" }}
sizes = [{{ size = "small", weight = 3 }}, {{ size = "large", weight = 1 }}]
usage = {{ profile = "diurnal", mean = 0.4, amplitude = 0.2, peak_hour = 1, noise_sd = 0.2 }}

[[workload.classes]]
name = "churn"
arrival = {{ rate_per_hour = 20000 }}
lifetime = {{ distribution = "exponential", mean = "20m" }}
sizes = [{{ size = "small" }}]
usage = {{ profile = "diurnal", mean = 0.5, amplitude = 0.1, peak_hour = 2, noise_sd = 0.1 }}
"#
    )
}

fn run_on(threads: usize, text: &str) -> (RunResult, Vec<WorkloadRecord>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let loaded = parse(text);
    pool.install(|| {
        let mut records = Records::default();
        let result = Simulation::new(&loaded, RunOptions::default(), &mut records)
            .unwrap()
            .run()
            .unwrap();
        (result, records.0)
    })
}

fn assert_same_on_one_and_two_threads(allocation: &str, rebalance: &str) {
    let text = scenario(allocation, rebalance);
    let (a, ra) = run_on(1, &text);
    let (b, rb) = run_on(2, &text);
    // The run is busy enough to matter: 36 samples of over 40,000 running VMs.
    assert!(
        a.timeseries
            .iter()
            .all(|r| r.time_s == 0.0 || r.running_workloads > 40_000)
    );
    assert!(a.summary.workloads_departed > 10_000);
    assert!(rebalance == "none" || a.summary.migrations > 0);
    assert_eq!(a.summary, b.summary);
    assert_eq!(a.timeseries, b.timeseries);
    assert_eq!(ra, rb);
}

#[test]
fn the_usage_pass_gives_the_same_run_on_one_thread_and_on_two() {
    assert_same_on_one_and_two_threads("request", "none");
}

#[test]
fn the_usage_pass_gives_the_same_run_on_two_threads_allocating_by_demand_with_rebalancing() {
    assert_same_on_one_and_two_threads("demand", "thr-mmt");
}
