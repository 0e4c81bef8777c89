//! Unit tests of the core: no oracle (a future observation is refused), save and load.

use super::*;

fn obs(time_s: u64, utilisation: f64) -> UsageObservation {
    UsageObservation {
        time: SimTime::from_secs(time_s),
        class: ClassId(0),
        subscription: None,
        host_features: FeatureMask(0),
        utilisation,
        slowdown: 1.0,
    }
}

#[test]
fn a_future_observation_is_refused_and_changes_nothing() {
    let mut core = InformationCore::new(&["a".to_string()], 0.95);
    let now = SimTime::from_secs(100);
    core.observe_usage(&obs(100, 0.5), &[1], now).unwrap();
    let before = core.clone();
    // Made at t=101, handed over at t=100: the future.
    let err = core.observe_usage(&obs(101, 0.9), &[1], now).unwrap_err();
    assert!(
        matches!(err, InsightError::FutureObservation { .. }),
        "{err}"
    );
    let departure = DepartureObservation {
        time: SimTime::from_secs(500),
        class: ClassId(0),
        subscription: None,
        lifetime: SimTime::from_secs(400),
    };
    assert!(core.observe_departure(&departure, now).is_err());
    assert_eq!(core, before, "a refused observation left a trace");
}

#[test]
fn save_then_load_gives_the_same_core_renumbered_by_name() {
    let mut core = InformationCore::new(&["a".to_string(), "b".to_string()], 0.95);
    for i in 0..50 {
        let o = UsageObservation {
            class: ClassId(i % 2),
            slowdown: 1.0 + 0.013 * i as f64,
            ..obs(10, 0.1 + 0.017 * i as f64)
        };
        core.observe_usage(&o, &[1, 1], SimTime::from_secs(10))
            .unwrap();
    }
    core.end_round(SimTime::from_secs(10));
    let dir = std::env::temp_dir().join(format!("dcsim-core-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("information_core.json");
    core.save(&path).unwrap();
    let same = InformationCore::load(&path, &["a".to_string(), "b".to_string()]).unwrap();
    assert_eq!(same, core, "round trip is exact");
    // A run whose classes come in the other order finds each class's knowledge by name.
    let swapped = InformationCore::load(&path, &["b".to_string(), "a".to_string()]).unwrap();
    assert_eq!(swapped.classes[0], core.classes[1]);
    assert_eq!(
        swapped.interference.estimate(0, 1),
        core.interference.estimate(1, 0)
    );
}

#[test]
fn a_trace_class_named_after_loading_takes_up_its_saved_pairs() {
    let names = ["a".to_string(), "b".to_string()];
    let mut core = InformationCore::new(&names, 0.95);
    // Class 0 slowed to 1.4 beside class 1, 1.0 alone: a planted pair.
    for i in 0..200u64 {
        let beside = i % 2 == 0;
        let o = UsageObservation {
            slowdown: if beside { 1.4 } else { 1.0 },
            ..obs(10, 0.5)
        };
        let mix = if beside { [1, 1] } else { [1, 0] };
        core.observe_usage(&o, &mix, SimTime::from_secs(10))
            .unwrap();
    }
    core.end_round(SimTime::from_secs(10));
    let planted = core.interference.estimate(0, 1).expect("a pair estimate");
    let dir = std::env::temp_dir().join(format!("dcsim-core-pairs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("information_core.json");
    core.save(&path).unwrap();
    // A trace run knows no class when it loads, then names "b" and later "a".
    let mut warm = InformationCore::load(&path, &[]).unwrap();
    warm.add_classes(&["b".to_string()]);
    assert_eq!(
        warm.interference.estimate(0, 0),
        core.interference.estimate(1, 1)
    );
    warm.add_classes(&["b".to_string(), "a".to_string()]);
    assert_eq!(
        warm.interference.estimate(1, 0),
        Some(planted),
        "the pair came back"
    );
    assert_eq!(warm.classes[1], core.classes[0]);
    assert!(warm.unplaced_pairs.is_none(), "nothing left to take up");
    // A class the saved core never knew starts empty.
    warm.add_classes(&["b".to_string(), "a".to_string(), "c".to_string()]);
    assert_eq!(warm.interference.estimate(2, 1), None);
}
