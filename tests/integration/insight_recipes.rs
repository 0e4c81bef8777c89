//! Recipes beyond placement: the rebalancing loop's destinations chosen by the placement recipe
//! (`rebalance.destination = "recipe"`), and its checks.

use crate::common::{load_bundled, run_checked};

fn insight_with(sets: &[&str]) -> dcsim::scenario::LoadedScenario {
    let mut all: Vec<String> = ["simulation.duration=8h", "rebalance.policy=thr-mmt"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    all.extend(sets.iter().map(|s| s.to_string()));
    load_bundled("scenarios/insight.toml", &all)
}

#[test]
fn recipe_destinations_run_checked_and_change_where_vms_go() {
    let (pabfd, _) = run_checked(&insight_with(&[]));
    let recipe = insight_with(&["rebalance.destination=\"recipe\""]);
    let (first, records) = run_checked(&recipe);
    // The loop migrates under both (THR at 0.8 of a 2×-over-committed fleet).
    assert!(pabfd.summary.migrations > 0, "{:?}", pabfd.summary);
    assert!(first.summary.migrations > 0, "{:?}", first.summary);
    // Another destination rule, another run: the recipe's choices are not PABFD's.
    assert_ne!(pabfd.summary, first.summary);
    // Reruns are identical (the destination draws come from the rebalance stream).
    let (again, again_records) = run_checked(&recipe);
    assert_eq!(first.summary, again.summary);
    let hosts = |r: &[dcsim::metrics::WorkloadRecord]| {
        let mut v: Vec<_> = r.iter().map(|w| (w.id, w.host)).collect();
        v.sort();
        v
    };
    assert_eq!(hosts(&records), hosts(&again_records));
}

#[test]
fn recipe_destinations_need_a_recipe_placement() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/insight.toml");
    let sets: Vec<_> = [
        "policy.placement=\"best-fit\"",
        "rebalance.destination=\"recipe\"",
    ]
    .iter()
    .map(|s| dcsim::scenario::Override::parse(s).unwrap())
    .collect();
    let err = dcsim::scenario::load(&path, &sets).unwrap_err().to_string();
    assert!(err.contains("rebalance.destination"), "{err}");
    assert!(err.contains("best-fit"), "{err}");
}

/// Pairs of caches (class 2 of scenarios/insight.toml) placed on one rack (40 hosts each, in
/// host order) at overlapping times, and how many caches were placed.
fn caches_sharing_a_rack(sets: &[&str]) -> (usize, usize) {
    let (_, records) = run_checked(&insight_with(sets));
    let caches: Vec<_> = records
        .iter()
        .filter(|r| r.class == 2)
        .filter_map(|r| {
            Some((
                r.host? / 40,
                r.placed_s?,
                r.ended_s.unwrap_or(f64::INFINITY),
            ))
        })
        .collect();
    let mut shared = 0;
    for (i, a) in caches.iter().enumerate() {
        for b in &caches[i + 1..] {
            shared += usize::from(a.0 == b.0 && a.1 < b.2 && b.1 < a.2);
        }
    }
    (shared, caches.len())
}

#[test]
fn rack_anti_affinity_keeps_a_class_one_to_a_rack() {
    // Without it, caches (22 an hour, 12 h median life) share racks at once.
    let (shared, _) = caches_sharing_a_rack(&["rebalance.policy=\"none\""]);
    assert!(shared > 0, "the check must be able to fail");
    // With it, never two at a time on one of the five racks, with the rebalancing loop's
    // recipe destinations too; at most five run at once, so some of the ~176 are turned away
    // while five run.
    let (shared, placed) = caches_sharing_a_rack(&[
        "policy.recipe.rack_anti_affinity=[\"cache\"]",
        "rebalance.destination=\"recipe\"",
    ]);
    assert_eq!(shared, 0);
    assert!(placed >= 5, "{placed}");
}
