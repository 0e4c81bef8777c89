//! The built-in placement policies, one per file.

mod best_fit;
mod first_fit;
mod pabfd;
mod random;
mod recipe;
mod round_robin;
mod worst_fit;

pub use best_fit::BestFit;
pub use first_fit::FirstFit;
pub use pabfd::Pabfd;
pub use random::RandomFit;
pub use recipe::Recipe;
pub use round_robin::RoundRobin;
pub use worst_fit::WorstFit;

#[cfg(test)]
mod tests {
    use crate::engine::{Purpose, RngStreams};
    use crate::insight::InformationCore;
    use crate::landscape::{FeatureMask, FitIndex, Fleet, HostId, HostType, HostTypeId};
    use crate::policy::{View, placement_by_name};
    use crate::time::SimTime;
    use crate::workload::{ClassId, Resources, UsageProfile, WorkloadId, WorkloadSpec};

    /// Four hosts with 8, 2, 6 and 4 free cores (16 GiB each).
    fn fleet() -> (Fleet, FitIndex) {
        let mut f = Fleet::default();
        f.types.push(HostType::plain("t", 8.0, 16.0, (0.0, 1.0)));
        let cap = Resources::from_cores_gib(8.0, 16.0).unwrap();
        for used in [0.0, 6.0, 2.0, 4.0] {
            let h = f.push_host(HostTypeId(0), cap, cap.cpu);
            f.allocated[h.index()] = Resources::from_cores_gib(used, 0.0).unwrap();
        }
        let index = FitIndex::new(&f);
        (f, index)
    }

    fn request(cores: f64) -> WorkloadSpec {
        WorkloadSpec {
            id: WorkloadId(0),
            class: ClassId(0),
            arrival: SimTime::ZERO,
            lifetime: None,
            request: Resources::from_cores_gib(cores, 1.0).unwrap(),
            features: FeatureMask(0),
            usage: UsageProfile::constant(1.0),
            subscription: None,
        }
    }

    fn choose(name: &str, cores: f64, (f, index): &(Fleet, FitIndex)) -> Option<HostId> {
        let mut p =
            placement_by_name(name, RngStreams::new(1).stream(Purpose::Policy), 1.0).unwrap();
        p.place(
            &request(cores),
            &View {
                now: SimTime::ZERO,
                fleet: f,
                index,
            },
            &InformationCore::default(),
        )
    }

    #[test]
    fn each_policy_picks_its_host() {
        let world = fleet();
        // Free cores by host: [8, 2, 6, 4]. A 3-core request fits hosts 0, 2 and 3.
        assert_eq!(choose("first-fit", 3.0, &world), Some(HostId(0)));
        assert_eq!(
            choose("best-fit", 3.0, &world),
            Some(HostId(3)),
            "4 free is the tightest fit"
        );
        assert_eq!(
            choose("worst-fit", 3.0, &world),
            Some(HostId(0)),
            "8 free is the loosest"
        );
        assert_eq!(
            choose("best-fit", 2.0, &world),
            Some(HostId(1)),
            "exactly 2 free"
        );
        assert_eq!(choose("first-fit", 9.0, &world), None);
        assert_eq!(choose("random", 9.0, &world), None);
    }

    #[test]
    fn round_robin_cycles_through_hosts_that_fit() {
        let (f, index) = fleet();
        let mut p = placement_by_name(
            "round-robin",
            RngStreams::new(1).stream(Purpose::Policy),
            1.0,
        )
        .unwrap();
        let view = View {
            now: SimTime::ZERO,
            fleet: &f,
            index: &index,
        };
        let picks: Vec<u32> = (0..6)
            .map(|_| {
                p.place(&request(3.0), &view, &InformationCore::default())
                    .unwrap()
                    .0
            })
            .collect();
        assert_eq!(picks, [0, 2, 3, 0, 2, 3]);
    }

    #[test]
    fn random_is_uniform_over_hosts_that_fit() {
        let (f, index) = fleet();
        let mut p =
            placement_by_name("random", RngStreams::new(9).stream(Purpose::Policy), 1.0).unwrap();
        let view = View {
            now: SimTime::ZERO,
            fleet: &f,
            index: &index,
        };
        let mut counts = [0u32; 4];
        for _ in 0..30_000 {
            counts[p
                .place(&request(3.0), &view, &InformationCore::default())
                .unwrap()
                .index()] += 1;
        }
        // Host 1 never fits; the other three get 10 000 ± 3·√(30 000·(1/3)·(2/3)) ≈ ±245.
        assert_eq!(counts[1], 0);
        for c in [counts[0], counts[2], counts[3]] {
            assert!((c as i64 - 10_000).abs() < 250, "{counts:?}");
        }
    }
}
