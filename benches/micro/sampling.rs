//! `usage_sampling`: one usage-sampling pass, as the engine runs it every sample interval:
//! every live VM's usage profile evaluated at the sample time (diurnal shape plus Gaussian
//! noise from the counter-based hash), its CPU demand recomputed and its host's demand total
//! updated. One element = one live VM; 100,000 VMs on 10,000 hosts.

use criterion::{BenchmarkId, Criterion, Throughput};
use dcsim::time::SimTime;
use dcsim::workload::{DayPhase, UsageProfile, UsageShape, UsageStore};
use std::hint::black_box;
use std::time::Duration;

const VMS: usize = 100_000;
const HOSTS: usize = 10_000;

/// The per-VM state the pass reads and writes (a slice of the engine's `LiveWorkload`).
struct Vm {
    usage: UsageProfile,
    request_mc: u32,
    host: u32,
    demand: u32,
}

fn live_set() -> Vec<Vm> {
    (0..VMS)
        .map(|i| Vm {
            usage: UsageProfile {
                shape: UsageShape::diurnal(0.3, 0.1, (i % 24) as f64),
                noise_sd: 0.1,
                noise_key: (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            },
            request_mc: 1000 << (i % 4),
            host: ((i * 7919) % HOSTS) as u32,
            demand: 0,
        })
        .collect()
}

/// One pass at `now` (mirrors `on_sample`: demand = usage × request, rounded half up).
fn pass(vms: &mut [Vm], host_demand: &mut [u64], now: SimTime, store: &UsageStore) {
    let day = DayPhase::at(now);
    for vm in vms {
        let usage = vm.usage.at_phase(now, day, store);
        let demand = (usage * vm.request_mc as f64 + 0.5) as u32;
        let h = &mut host_demand[vm.host as usize];
        *h = *h - vm.demand as u64 + demand as u64;
        vm.demand = demand;
    }
}

pub fn usage_sampling(c: &mut Criterion) {
    let mut group = c.benchmark_group("usage_sampling");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.sample_size(20);
    group.throughput(Throughput::Elements(VMS as u64));
    let store = UsageStore::default();
    let mut vms = live_set();
    let mut host_demand = vec![0u64; HOSTS];
    let mut now = SimTime::ZERO;
    pass(&mut vms, &mut host_demand, now, &store);
    group.bench_function(BenchmarkId::new("diurnal_noisy_pass", VMS), |b| {
        b.iter(|| {
            now = SimTime(now.0 + 300_000_000);
            pass(&mut vms, &mut host_demand, black_box(now), &store);
        });
    });
    black_box(host_demand.iter().sum::<u64>());
    group.finish();
}
