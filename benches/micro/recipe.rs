//! `recipe_placement`: one placement by the `insight` recipe (candidates from the fit index,
//! filters, five weighted scorers reading a trained `InformationCore` and the class mix) plus
//! the bookkeeping the engine does after it (allocation, class mix, index update), on a
//! half-full fleet of 10 000 hosts (a fifth with SR-IOV) running four classes.

use criterion::{BenchmarkId, Criterion, Throughput};
use dcsim::engine::{Purpose, RngStreams};
use dcsim::impact::PowerModel;
use dcsim::insight::{DepartureObservation, InformationCore, UsageObservation};
use dcsim::landscape::{ClassMix, FeatureMask, FitIndex, Fleet, HostId, HostType, HostTypeId};
use dcsim::policy::{Placement, Recipe, View};
use dcsim::scenario::RecipeSpec;
use dcsim::time::SimTime;
use dcsim::workload::{ClassId, Resources, UsageProfile, WorkloadId, WorkloadSpec};
use std::hint::black_box;
use std::time::{Duration, Instant};

const HOSTS: u32 = 10_000;
const CLASSES: usize = 4;
const CHUNK: usize = 256;

fn host_type(name: &str, features: u32) -> HostType {
    HostType {
        name: name.to_string(),
        cores: 48.0,
        memory_gib: 384.0,
        features: FeatureMask(features),
        price_usd: 10_000.0,
        power: PowerModel::Linear {
            idle_w: 120.0,
            max_w: 400.0,
        },
        lifetime_years: 4.0,
        embodied_kgco2e: 0.0,
        network_gbps: 1.0,
        max_request_cores: None,
    }
}

fn fleet() -> Fleet {
    let mut f = Fleet::default();
    f.types.push(host_type("general", 0));
    f.types.push(host_type("sriov", 1));
    let physical = Resources::from_cores_gib(48.0, 384.0).unwrap();
    // Over-committed 2× on CPU, as the insight scenario is.
    let capacity = Resources {
        cpu: physical.cpu * 2,
        ..physical
    };
    for i in 0..HOSTS {
        f.push_host(HostTypeId(u16::from(i % 5 == 0)), capacity, physical.cpu);
    }
    f.mix = ClassMix::new(HOSTS as usize, CLASSES);
    f
}

fn spec(id: u64) -> WorkloadSpec {
    let class = (id % CLASSES as u64) as u16;
    WorkloadSpec {
        id: WorkloadId(id),
        class: ClassId(class),
        arrival: SimTime::ZERO,
        lifetime: None,
        request: Resources::from_cores_gib([4.0, 8.0, 4.0, 4.0][class as usize], 16.0).unwrap(),
        features: FeatureMask(0),
        usage: UsageProfile::constant(0.5),
        subscription: None,
    }
}

/// A core that has seen enough of every class for each learned scorer to answer.
fn trained_core() -> InformationCore {
    let names: Vec<String> = (0..CLASSES).map(|c| format!("c{c}")).collect();
    let mut core = InformationCore::new(&names, 0.95);
    let now = SimTime::from_secs(86_400);
    for i in 0..20_000u64 {
        let class = (i % CLASSES as u64) as u16;
        let features = FeatureMask((i / 7 % 2) as u32);
        let mut mix = [1u16; CLASSES];
        mix[(i / 3 % CLASSES as u64) as usize] += 1;
        let o = UsageObservation {
            time: now,
            class: ClassId(class),
            subscription: None,
            host_features: features,
            utilisation: 0.2 + 0.15 * class as f64 + 0.01 * (i % 10) as f64,
            slowdown: 1.0 + if class == 2 && mix[1] > 1 { 0.3 } else { 0.0 },
        };
        core.observe_usage(&o, &mix, now).unwrap();
        let d = DepartureObservation {
            time: now,
            class: ClassId(class),
            subscription: None,
            lifetime: SimTime::from_secs(600 + 97 * (i % 500)),
        };
        core.observe_departure(&d, now).unwrap();
    }
    core.end_round(now);
    core
}

fn apply(f: &mut Fleet, index: &mut FitIndex, h: HostId, w: &WorkloadSpec, joins: bool) {
    let i = h.index();
    f.allocated[i] = if joins {
        f.allocated[i] + w.request
    } else {
        f.allocated[i].saturating_sub(w.request)
    };
    f.workloads[i] = if joins {
        f.workloads[i] + 1
    } else {
        f.workloads[i] - 1
    };
    f.mix
        .change(h, w.class.0 as usize, w.request.cpu, 0.0, joins);
    index.update(h, f.free(h));
}

pub fn recipe_placement(c: &mut Criterion) {
    let mut group = c.benchmark_group("recipe_placement");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(1));
    let core = trained_core();
    // The preset as shipped in scenarios/insight.toml reads interference cautiously and
    // filters hosts whose learned demand would pass their physical CPU.
    let cautious = RecipeSpec {
        unseen_interference: Some(dcsim::scenario::NonNegative(0.01)),
        max_learned_utilisation: Some(dcsim::scenario::Positive(1.0)),
        ..RecipeSpec::default()
    };
    for (label, spec) in [
        ("insight", RecipeSpec::default()),
        ("insight-cautious", cautious),
    ] {
        bench_one(&mut group, label, &spec, &core);
    }
    group.finish();
}

fn bench_one(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    label: &str,
    recipe_spec: &RecipeSpec,
    core: &InformationCore,
) {
    let mut f = fleet();
    let mut index = FitIndex::new(&f);
    let names: Vec<String> = (0..CLASSES).map(|c| format!("c{c}")).collect();
    let rng = RngStreams::new(1).stream(Purpose::Policy);
    let mut recipe = Recipe::new("insight", recipe_spec, &names, rng);
    let now = SimTime::from_secs(86_400);
    // Half full by request: 10 000 hosts × 96 allocatable cores / 2 ≈ 480 000 cores.
    let mut id = 0u64;
    let target: u64 = f.capacity.iter().map(|r| r.cpu as u64).sum::<u64>() / 2;
    let mut allocated = 0u64;
    while allocated < target {
        let w = spec(id);
        id += 1;
        let view = View {
            now,
            fleet: &f,
            index: &index,
        };
        let Some(h) = recipe.place(&w, &view, core) else {
            break;
        };
        apply(&mut f, &mut index, h, &w, true);
        allocated += w.request.cpu as u64;
    }
    let mut placed: Vec<(HostId, WorkloadSpec)> = Vec::with_capacity(CHUNK);
    group.bench_with_input(BenchmarkId::new(label, HOSTS), &HOSTS, |b, _| {
        b.iter_custom(|iters| {
            let mut elapsed = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                let chunk = left.min(CHUNK as u64);
                left -= chunk;
                let started = Instant::now();
                for _ in 0..chunk {
                    let w = spec(id);
                    id += 1;
                    let view = View {
                        now,
                        fleet: &f,
                        index: &index,
                    };
                    let h = recipe.place(black_box(&w), &view, core).expect("room");
                    apply(&mut f, &mut index, h, &w, true);
                    placed.push((h, w));
                }
                elapsed += started.elapsed();
                for (h, w) in placed.drain(..) {
                    apply(&mut f, &mut index, h, &w, false);
                }
            }
            elapsed
        });
    });
}
