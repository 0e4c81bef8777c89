//! Unit tests of the recipe policy: rack anti-affinity, and a restarted VM scored at its age.

use super::*;
use crate::engine::{Purpose, RngStreams};
use crate::landscape::{ClassMix, FeatureMask, FitIndex, HostType, HostTypeId};
use crate::workload::{Resources, UsageProfile, WorkloadId};

/// Two racks of two 8-core hosts; host 0 (rack 0) runs one cache (2 cores), host 1 (rack
/// 0) a web VM of 4 cores: most-allocated prefers host 1, the fullest.
fn place_a_cache(spec: &RecipeSpec) -> Option<HostId> {
    let mut f = Fleet::default();
    f.types
        .push(HostType::plain("a", 8.0, 16.0, (100.0, 200.0)));
    let cap = Resources::from_cores_gib(8.0, 16.0).unwrap();
    for _ in 0..4 {
        f.push_host(HostTypeId(0), cap, cap.cpu);
    }
    f.mix = ClassMix::new(4, 2);
    for (h, class, cores) in [(0u32, 0usize, 2.0), (1, 1, 4.0)] {
        let r = Resources::from_cores_gib(cores, 2.0).unwrap();
        f.allocated[h as usize] = r;
        f.workloads[h as usize] = 1;
        f.mix.change(HostId(h), class, r.cpu, 0.0, true);
    }
    let index = FitIndex::new(&f);
    let names = ["cache", "web"].map(String::from);
    let mut recipe = Recipe::new(
        "recipe",
        spec,
        &names,
        RngStreams::new(1).stream(Purpose::Policy),
    );
    recipe.spread_across_racks(&[7, 7, 9, 9]);
    let w = WorkloadSpec {
        id: WorkloadId(9),
        class: ClassId(0),
        arrival: SimTime::ZERO,
        lifetime: None,
        request: Resources::from_cores_gib(1.0, 1.0).unwrap(),
        features: FeatureMask(0),
        usage: UsageProfile::constant(0.5),
        subscription: None,
    };
    let view = View {
        now: SimTime::ZERO,
        fleet: &f,
        index: &index,
    };
    recipe.place(&w, &view, &InformationCore::default())
}

#[test]
fn rack_anti_affinity_sends_a_class_to_another_rack() {
    let spec = |hosts: &[&str], racks: &[&str]| RecipeSpec {
        anti_affinity: hosts.iter().map(|s| s.to_string()).collect(),
        rack_anti_affinity: racks.iter().map(|s| s.to_string()).collect(),
        weights: [("most_allocated".to_string(), 1.0)].into(),
        ..RecipeSpec::default()
    };
    // Fullest after: host 1 (4 + 1 of 8 cores) beats host 0 (2 + 1) and the empty rack.
    assert_eq!(place_a_cache(&spec(&[], &[])), Some(HostId(1)));
    // Across hosts only: host 0 is ruled out, host 1 (same rack) is still fine.
    assert_eq!(place_a_cache(&spec(&["cache"], &[])), Some(HostId(1)));
    // Across racks: rack 7 (hosts 0, 1) holds a cache, so rack 9; its hosts tie (both
    // empty): the lowest id.
    assert_eq!(place_a_cache(&spec(&[], &["cache"])), Some(HostId(2)));
    // Another class is not held back.
    assert_eq!(place_a_cache(&spec(&[], &["web"])), Some(HostId(1)));
}

#[test]
fn a_restarted_vm_is_aligned_by_its_lifetime_at_its_age() {
    // Caches end after 20 s (9 in 10) or 20,000 s; batch jobs after 2,000 s, web VMs after
    // 20,000 s. At 120 s host 0 runs a batch job and host 1 a web VM, both since 0 s.
    let names = ["cache", "batch", "web"].map(String::from);
    let mut core = InformationCore::new(&names, 0.95);
    let t = SimTime::from_secs(100_000);
    for i in 0..40u64 {
        let cache = if i % 10 == 0 { 20_000 } else { 20 };
        for (class, secs) in [(0, cache), (1, 2_000), (2, 20_000)] {
            let d = crate::insight::DepartureObservation {
                time: t,
                class: ClassId(class),
                subscription: None,
                lifetime: SimTime::from_secs(secs),
            };
            core.observe_departure(&d, t).unwrap();
        }
    }
    core.end_round(t);
    let mut f = Fleet::default();
    f.types
        .push(HostType::plain("a", 8.0, 16.0, (100.0, 200.0)));
    let cap = Resources::from_cores_gib(8.0, 16.0).unwrap();
    f.mix = ClassMix::new(2, 3);
    for (h, class) in [(0u32, 1usize), (1, 2)] {
        f.push_host(HostTypeId(0), cap, cap.cpu);
        let r = Resources::from_cores_gib(1.0, 1.0).unwrap();
        f.allocated[h as usize] = r;
        f.workloads[h as usize] = 1;
        f.mix.change(HostId(h), class, r.cpu, 0.0, true);
    }
    let index = FitIndex::new(&f);
    let spec = RecipeSpec {
        weights: [("lifetime".to_string(), 1.0)].into(),
        ..RecipeSpec::default()
    };
    let mut recipe = Recipe::new(
        "recipe",
        &spec,
        &names,
        RngStreams::new(1).stream(Purpose::Policy),
    );
    let w = WorkloadSpec {
        id: WorkloadId(9),
        class: ClassId(0),
        arrival: SimTime::ZERO,
        lifetime: None,
        request: Resources::from_cores_gib(1.0, 1.0).unwrap(),
        features: FeatureMask(0),
        usage: UsageProfile::constant(0.5),
        subscription: None,
    };
    let view = View {
        now: SimTime::from_secs(120),
        fleet: &f,
        index: &index,
    };
    // New (≈ 2,140 s expected): beside the batch job (≈ 1,760 s left).
    assert_eq!(recipe.place(&w, &view, &core), Some(HostId(0)));
    // Restarted after 100 s of running (≈ 21,150 s left): beside the web VM.
    recipe.resumes(SimTime::from_secs(100));
    assert_eq!(recipe.place(&w, &view, &core), Some(HostId(1)));
    // The age is taken by that decision: the next is an arrival again.
    assert_eq!(recipe.place(&w, &view, &core), Some(HostId(0)));
}
