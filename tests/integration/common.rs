//! Helpers shared by the integration tests: scenario text builders and runners.

use dcsim::engine::{RunObserver, RunOptions, RunResult, Simulation};
use dcsim::metrics::WorkloadRecord;
use dcsim::scenario::{self, LoadedScenario};
use std::path::Path;

pub fn parse(text: &str) -> LoadedScenario {
    scenario::parse(text, Path::new("test.toml"), "test", &[])
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Collects every workload record of a run.
#[derive(Default)]
pub struct Records(pub Vec<WorkloadRecord>);

impl RunObserver for Records {
    fn workload_finished(&mut self, r: &WorkloadRecord, _class: &str) {
        self.0.push(r.clone());
    }
}

/// Runs with invariant checks on, collecting records.
pub fn run_checked(l: &LoadedScenario) -> (RunResult, Vec<WorkloadRecord>) {
    let mut records = Records::default();
    let options = RunOptions {
        check_invariants: true,
        ..Default::default()
    };
    let result = Simulation::new(l, options, &mut records)
        .unwrap()
        .run()
        .unwrap_or_else(|e| panic!("{e}"));
    (result, records.0)
}

/// `hosts` identical hosts of `cores` cores and `cores` GiB; one class of `vm_cores`-core VMs
/// arriving at `rate_per_hour` with exponential lifetimes of mean `mean_lifetime`.
pub struct Queueing<'a> {
    pub hosts: u32,
    pub rate_per_hour: f64,
    pub mean_lifetime: &'a str,
    pub duration: &'a str,
    pub queue: bool,
    pub seed: u64,
}

impl Queueing<'_> {
    pub fn toml(&self) -> String {
        format!(
            r#"
[simulation]
duration = "{duration}"
sample_interval = "{duration}"
seed = {seed}

[queue]
enabled = {queue}

[[host_types]]
name = "one-slot"
cores = 1
memory_gib = 1
power = {{ model = "linear", idle_w = 50, max_w = 100 }}

[landscape]
[[landscape.racks]]
hosts_per_rack = {hosts}
host_type = "one-slot"

[[workload.vm_sizes]]
name = "unit"
cores = 1
memory_gib = 1

[[workload.classes]]
name = "calls"
arrival = {{ rate_per_hour = {rate} }}
lifetime = {{ distribution = "exponential", mean = "{mean}" }}
sizes = [{{ size = "unit" }}]
"#,
            duration = self.duration,
            seed = self.seed,
            queue = self.queue,
            hosts = self.hosts,
            rate = self.rate_per_hour,
            mean = self.mean_lifetime,
        )
    }
}

/// A real trace under `../shared/traces/` beside the checkout. Missing under `CI` fails the
/// test, so that CI never passes a test without its data; missing on a plain clone (no
/// `../shared` beside it) is `None`, and the test returns having said on stderr what it skipped.
pub fn shared_trace(relative: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/traces")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: this test needs ../shared/traces beside the checkout (CI must provide it)",
        path.display()
    );
    eprintln!(
        "skipped: {} is missing (no ../shared/traces beside the checkout)",
        path.display()
    );
    None
}

/// The bundled scenario `file` (relative to the repository) with `--set` overrides.
pub fn load_bundled(file: &str, sets: &[String]) -> LoadedScenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let overrides: Vec<_> = sets
        .iter()
        .map(|s| scenario::Override::parse(s).unwrap())
        .collect();
    scenario::load(&path, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// The small fleet the service, failure and blast-radius tests share, as scenario text:
/// `racks` racks of `per_rack` hosts of type "h" (`cores` cores, `memory_gib` GiB, linear
/// 100–200 W), `landscape` as the `[landscape]` table's own lines (e.g. "racks_per_pdu = 1"),
/// and one VM size "one" (1 core, 1 GiB).
pub fn small_fleet(
    cores: u32,
    memory_gib: u32,
    racks: u32,
    per_rack: u32,
    landscape: &str,
) -> String {
    format!(
        r#"[[host_types]]
name = "h"
cores = {cores}
memory_gib = {memory_gib}
power = {{ model = "linear", idle_w = 100, max_w = 200 }}
[landscape]
{landscape}
[[landscape.racks]]
count = {racks}
hosts_per_rack = {per_rack}
host_type = "h"
[[workload.vm_sizes]]
name = "one"
cores = 1
memory_gib = 1"#
    )
}
