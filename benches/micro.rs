//! Criterion micro-benchmarks of dcsim's hot paths.
//!
//! * `event_queue`: one pop plus one push of the future event list in steady state.
//! * `fit_index`: one placement query plus its index update on a half-full fleet of identical
//!   hosts, at 1 000, 10 000 and 100 000 hosts, for best-fit and first-fit.
//! * `usage_sampling`: one usage-sampling pass over 100 000 live VMs (`micro/sampling.rs`).
//! * `recipe_placement`: one placement by the `insight` recipe on 10 000 hosts (`micro/recipe.rs`).
//! * `whole_run`: `dcsim::simulate` of the quickstart scenario scaled to 1 000 hosts.
//!
//! Run with `cargo bench --bench micro` (about a minute and a half on two cores).

#[path = "micro/recipe.rs"]
mod recipe;
#[path = "micro/sampling.rs"]
mod sampling;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use dcsim::engine::{Event, EventQueue};
use dcsim::experiment::bench::scaled_quickstart;
use dcsim::impact::PowerModel;
use dcsim::landscape::{FeatureMask, FitIndex, Fleet, HostId, HostType, HostTypeId};
use dcsim::time::SimTime;
use dcsim::workload::Resources;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A small, fast, deterministic generator (xorshift64*), so that the generator's cost is
/// negligible next to what is measured and every run sees the same sequence.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n small; the modulo bias is irrelevant here).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

// ---------------------------------------------------------------------------------------------
// event_queue

/// Pending events held by the queue while it is measured.
const QUEUE_SIZES: [usize; 1] = [10_000];
/// Mean delay of a rescheduled event: one simulated minute, in microseconds.
const MEAN_DELAY_US: u64 = 60_000_000;

fn event_queue(c: &mut Criterion) {
    let mut group = c.benchmark_group("event_queue");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    // One element = one event popped and one pushed in its place.
    group.throughput(Throughput::Elements(1));
    for &pending in &QUEUE_SIZES {
        group.bench_with_input(
            BenchmarkId::new("pop_push", pending),
            &pending,
            |b, &pending| {
                let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
                let mut queue = EventQueue::with_capacity(pending + 1);
                for i in 0..pending as u32 {
                    let event = Event::Departure {
                        handle: i,
                        generation: 0,
                    };
                    queue.push(SimTime(rng.below(2 * MEAN_DELAY_US)), event);
                }
                b.iter(|| {
                    let (now, event) = queue.pop().expect("the queue never drains");
                    let event = match event {
                        Event::Departure { handle, generation } => Event::Departure {
                            handle,
                            generation: generation.wrapping_add(1),
                        },
                        other => other,
                    };
                    let later = SimTime(now.0 + 1 + rng.below(2 * MEAN_DELAY_US));
                    queue.push(black_box(later), black_box(event));
                });
                assert_eq!(queue.len(), pending);
            },
        );
    }
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// fit_index

const FLEET_SIZES: [u32; 3] = [1_000, 10_000, 100_000];
/// Placements timed between two restorations of the half-full state (see `fit_index`).
const CHUNK: u64 = 256;

/// `n` identical hosts of 64 cores and 256 GiB with no features.
fn identical_fleet(n: u32) -> Fleet {
    let mut fleet = Fleet::default();
    fleet.types.push(HostType {
        name: "general-64".to_string(),
        cores: 64.0,
        memory_gib: 256.0,
        features: FeatureMask::default(),
        price_usd: 12_000.0,
        power: PowerModel::Linear {
            idle_w: 150.0,
            max_w: 450.0,
        },
        lifetime_years: 4.0,
        embodied_kgco2e: 0.0,
        network_gbps: 1.0,
        max_request_cores: None,
    });
    let capacity = Resources::from_cores_gib(64.0, 256.0).expect("in range");
    for _ in 0..n {
        fleet.push_host(HostTypeId(0), capacity, capacity.cpu);
    }
    fleet
}

/// A small request as in `dcsim bench`: 1, 2, 4 or 8 cores with 4 GiB per core.
fn request(rng: &mut XorShift) -> Resources {
    let cores = [1.0, 2.0, 4.0, 8.0][rng.below(4) as usize];
    Resources::from_cores_gib(cores, cores * 4.0).expect("small")
}

type Query = fn(&FitIndex, Resources, FeatureMask) -> Option<HostId>;

fn best_fit(index: &FitIndex, need: Resources, features: FeatureMask) -> Option<HostId> {
    index.best_fit(need, features)
}

fn first_fit(index: &FitIndex, need: Resources, features: FeatureMask) -> Option<HostId> {
    index.first_fit(need, features)
}

/// Asks `query` for a host for `need` and, if one fits, allocates it there and updates the index.
fn place(fleet: &mut Fleet, index: &mut FitIndex, query: Query, need: Resources) -> Option<HostId> {
    let h = query(index, need, FeatureMask::default())?;
    fleet.allocated[h.index()] = fleet.allocated[h.index()] + need;
    index.update(h, fleet.free(h));
    Some(h)
}

/// Fills the fleet to about half its CPU by placing requests with `query` itself.
fn fill_half(fleet: &mut Fleet, index: &mut FitIndex, query: Query, rng: &mut XorShift) {
    let total: u64 = fleet.capacity.iter().map(|r| r.cpu as u64).sum();
    let mut allocated = 0u64;
    while allocated * 2 < total {
        let need = request(rng);
        place(fleet, index, query, need).expect("a half-empty fleet has room");
        allocated += need.cpu as u64;
    }
}

/// Each iteration is one query plus the index update for the placement it chose, on a fleet
/// held at about half its CPU: placements are timed in chunks of `CHUNK`, and after each chunk
/// they are released untimed, which restores the fleet and the index exactly. A chunk adds at
/// most 2 048 cores, 3 % of the smallest fleet.
fn fit_index(c: &mut Criterion) {
    let mut group = c.benchmark_group("fit_index");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(1));
    let queries: [(&str, Query); 2] = [("best_fit", best_fit), ("first_fit", first_fit)];
    for (name, query) in queries {
        for &n in &FLEET_SIZES {
            let mut rng = XorShift(0x2545_f491_4f6c_dd1d ^ n as u64);
            let mut fleet = identical_fleet(n);
            let mut index = FitIndex::new(&fleet);
            fill_half(&mut fleet, &mut index, query, &mut rng);
            let mut placed: Vec<(HostId, Resources)> = Vec::with_capacity(CHUNK as usize);
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                b.iter_custom(|iters| {
                    let mut elapsed = Duration::ZERO;
                    let mut left = iters;
                    while left > 0 {
                        let chunk = left.min(CHUNK);
                        left -= chunk;
                        let needs: Vec<Resources> = (0..chunk).map(|_| request(&mut rng)).collect();
                        let started = Instant::now();
                        for &need in &needs {
                            let h = place(&mut fleet, &mut index, query, black_box(need));
                            placed.push((h.expect("a half-full fleet has room"), need));
                        }
                        elapsed += started.elapsed();
                        for (h, need) in placed.drain(..) {
                            fleet.allocated[h.index()] =
                                fleet.allocated[h.index()].saturating_sub(need);
                            index.update(h, fleet.free(h));
                        }
                    }
                    elapsed
                });
            });
        }
    }
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// whole_run

fn whole_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("whole_run");
    let hosts = 1_000;
    let loaded = scaled_quickstart(hosts, "best-fit").expect("the bench scenario parses");
    let events = dcsim::simulate(&loaded)
        .expect("the bench scenario runs")
        .summary
        .events_processed;
    // A run takes a few hundred milliseconds: ten samples of the same few runs each.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(events));
    group.bench_with_input(
        BenchmarkId::new("quickstart_best_fit", hosts),
        &loaded,
        |b, loaded| {
            b.iter(|| dcsim::simulate(black_box(loaded)).expect("the bench scenario runs"));
        },
    );
    group.finish();
}

/// Plots are off: dcsim enables plotters' `ab_glyph` feature, which (unified into criterion's
/// plotters) renders text only with fonts registered at run time, so criterion's plotters
/// backend panics with `FontUnavailable`. Timings, comparisons with the previous run and
/// `target/criterion/**/estimates.json` are unaffected.
fn config() -> Criterion {
    Criterion::default().without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = event_queue, fit_index, recipe::recipe_placement, sampling::usage_sampling, whole_run
}
criterion_main!(benches);
