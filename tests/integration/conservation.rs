//! Conservation and capacity, as properties over random small scenarios: every arrival is placed,
//! rejected or still queued; every placed workload departs or is still running; no host ever
//! holds more than its capacity (checked after every event); every arrival gets one record.

use crate::common::{parse, run_checked};
use dcsim::metrics::Outcome;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    hosts: u32,
    host_cores: u32,
    host_gib: u32,
    sizes: Vec<(u32, u32)>,
    rate: f64,
    mean_lifetime_min: u32,
    queue: bool,
    max_wait_min: Option<u32>,
    policy: &'static str,
    overcommit: f64,
    switch_off: bool,
    rebalance: &'static str,
    /// (cloudsim-compat profile, CPU allocated by demand, a per-core limit of 1.5 cores)
    model: (bool, bool, bool),
    seed: u64,
}

fn toml(c: &Case) -> String {
    let sizes: String = c
        .sizes
        .iter()
        .enumerate()
        .map(|(i, (cores, gib))| {
            format!("[[workload.vm_sizes]]\nname = \"s{i}\"\ncores = {cores}\nmemory_gib = {gib}\n")
        })
        .collect();
    let weights: Vec<String> = (0..c.sizes.len())
        .map(|i| format!("{{ size = \"s{i}\", weight = {} }}", i + 1))
        .collect();
    let max_wait = c
        .max_wait_min
        .map_or(String::new(), |m| format!("max_wait = \"{m}m\""));
    let power = if c.switch_off && c.queue {
        "[power]\nempty_host = \"switch-off\"\nboot_time = \"3m\"\nidle_grace = \"10m\"\n"
    } else {
        ""
    };
    format!(
        r#"
[simulation]
duration = "12h"
sample_interval = "7m"
seed = {seed}
[policy]
placement = "{policy}"
[rebalance]
policy = "{rebalance}"
interval = "20m"
profile = "{profile}"
[queue]
enabled = {queue}
{max_wait}
[[host_types]]
name = "h"
cores = {cores}
memory_gib = {gib}
power = {{ model = "linear", idle_w = 10, max_w = 20 }}
{limit}
[landscape]
cpu_overcommit = {oc}
cpu_allocation = "{allocation}"
[[landscape.racks]]
count = 2
hosts_per_rack = {hosts}
host_type = "h"
{sizes}
{power}
[[workload.classes]]
name = "c"
arrival = {{ rate_per_hour = {rate}, diurnal_amplitude = 0.5 }}
lifetime = {{ distribution = "exponential", mean = "{life}m" }}
sizes = [{weights}]
usage = {{ profile = "noisy", mean = 0.7, sd = 0.3 }}
"#,
        seed = c.seed,
        policy = c.policy,
        rebalance = c.rebalance,
        profile = if c.model.0 {
            "cloudsim-compat"
        } else {
            "physical"
        },
        allocation = if c.model.1 { "demand" } else { "request" },
        limit = if c.model.2 {
            "max_request_cores = 1.5"
        } else {
            ""
        },
        queue = c.queue,
        cores = c.host_cores,
        gib = c.host_gib,
        oc = c.overcommit,
        hosts = c.hosts,
        rate = c.rate,
        life = c.mean_lifetime_min,
        weights = weights.join(", "),
    )
}

fn case() -> impl Strategy<Value = Case> {
    (
        1u32..6,
        4u32..32,
        8u32..64,
        prop::collection::vec((1u32..4, 1u32..8), 1..4),
        (10.0f64..400.0, 5u32..240),
        (any::<bool>(), prop::option::of(1u32..60)),
        prop::sample::select(vec![
            "first-fit",
            "best-fit",
            "worst-fit",
            "random",
            "round-robin",
            "pabfd",
        ]),
        (
            prop::sample::select(vec![1.0, 1.5, 2.0]),
            any::<bool>(),
            prop::sample::select(vec![
                "none", "thr-mmt", "iqr-mu", "mad-rs", "lr-mc", "lrr-mmt",
            ]),
        ),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        0u64..(i64::MAX as u64),
    )
        .prop_map(
            |(
                hosts,
                host_cores,
                host_gib,
                sizes,
                (rate, life),
                (queue, max_wait_min),
                policy,
                (overcommit, switch_off, rebalance),
                model,
                seed,
            )| Case {
                hosts,
                host_cores,
                host_gib,
                sizes,
                rate,
                mean_lifetime_min: life,
                queue,
                max_wait_min,
                policy,
                overcommit,
                switch_off,
                rebalance,
                model,
                seed,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn workloads_are_conserved_and_capacity_holds(c in case()) {
        // run_checked fails the run if capacity or conservation breaks after any event.
        let (result, records) = run_checked(&parse(&toml(&c)));
        let s = &result.summary;
        prop_assert_eq!(s.workloads_arrived, s.workloads_placed + s.workloads_rejected + s.workloads_queued_at_end);
        prop_assert_eq!(s.workloads_placed, s.workloads_departed + s.workloads_running_at_end);
        prop_assert_eq!(records.len() as u64, s.workloads_arrived);
        let mut ids: Vec<u64> = records.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(ids.len() as u64, s.workloads_arrived, "each workload reported exactly once");
        let count = |o: Outcome| records.iter().filter(|r| r.outcome == o).count() as u64;
        prop_assert_eq!(count(Outcome::Departed), s.workloads_departed);
        prop_assert_eq!(count(Outcome::Running), s.workloads_running_at_end);
        prop_assert_eq!(count(Outcome::Queued), s.workloads_queued_at_end);
        prop_assert_eq!(count(Outcome::Rejected) + count(Outcome::Expired), s.workloads_rejected);
        if !c.queue {
            prop_assert_eq!(s.workloads_waited, 0);
        }
        if let (true, Some(m)) = (c.queue, c.max_wait_min) {
            let limit = m as f64 * 60.0 + 1e-6;
            prop_assert!(records.iter().all(|r| r.wait_s <= limit), "nobody waits past max_wait");
        }
        // Over-commitment off and CPU allocated by request: demand never exceeds capacity, so no
        // overload time (allocating by demand packs by today's demand, which may grow).
        if c.overcommit == 1.0 && !c.model.1 {
            prop_assert_eq!(s.overload_host_seconds, 0.0);
        }
        // Memory is allocated whole, never over capacity.
        for h in result.fleet.hosts() {
            prop_assert!(result.fleet.allocated[h.index()].memory <= result.fleet.capacity[h.index()].memory);
        }
    }
}
