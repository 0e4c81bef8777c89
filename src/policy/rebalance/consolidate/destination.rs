//! Destinations chosen by the placement recipe (`rebalance.destination = "recipe"`): PABFD's
//! choice and hosts sampled among those with room in the round's plan (one draw per recipe
//! candidate: the first eligible host from a random starting point) are scored by the recipe
//! (its filters other than fit, which the plan checks, then its weighted scorers); the highest
//! total wins, ties to the lowest id. O(candidates · log hosts) per VM, never a scan. Off (the
//! default), nothing here runs.

use super::{Consolidation, Plan};
use crate::insight::InformationCore;
use crate::landscape::HostId;
use crate::policy::{RebalanceView, Recipe, VmInfo};
use crate::workload::{UsageProfile, WorkloadSpec};
use rand::RngExt;

impl Consolidation {
    /// Lets `recipe` choose every migration's destination (among PABFD's and sampled hosts).
    pub fn choose_destinations_by(&mut self, recipe: Recipe) {
        self.recipe = Some(Box::new(recipe));
    }

    /// Where `vm` goes: `pabfd` (PABFD's choice) without a recipe, else the recipe's best of
    /// it and the sampled hosts (`None` when the recipe's filters pass none).
    pub(super) fn destination(
        &mut self,
        plan: &mut Plan,
        (view, core): (&RebalanceView, &InformationCore),
        vm: &VmInfo,
        (use_empty, pabfd): (bool, Option<HostId>),
    ) -> Option<HostId> {
        let Some(mut recipe) = self.recipe.take() else {
            return pabfd;
        };
        let chosen = match view.vms.class_of(vm.key) {
            Some(class) => {
                let mut hosts = std::mem::take(&mut self.sampled);
                hosts.clear();
                hosts.extend(pabfd);
                self.sample(plan, view, vm, use_empty, (recipe.candidates(), &mut hosts));
                // Its lifetime is predicted at its age (time run so far), not as at arrival.
                let (started, subscription) = view.vms.started(vm.key).unwrap_or((view.now, None));
                let w = WorkloadSpec {
                    id: vm.id,
                    class,
                    arrival: started,
                    lifetime: None,
                    request: vm.request,
                    features: vm.features,
                    usage: UsageProfile::constant(0.0),
                    subscription,
                };
                let age = view.now.saturating_sub(started);
                let mut best: Option<(f64, HostId)> = None;
                for &h in &hosts {
                    let total = recipe.total_on((&w, age), h, view.fleet, (core, view.now));
                    if let Some(t) = total
                        && best.is_none_or(|(b, _)| t > b)
                    {
                        best = Some((t, h));
                    }
                }
                self.sampled = hosts;
                best.map(|(_, h)| h)
            }
            None => pabfd,
        };
        self.recipe = Some(recipe);
        chosen
    }

    /// Adds to `out` (then sorted, without repeats) up to `draws` eligible hosts for `vm`: from
    /// each random starting point, the first host with room in the plan (wrapping round).
    fn sample(
        &mut self,
        plan: &mut Plan,
        view: &RebalanceView,
        vm: &VmInfo,
        use_empty: bool,
        (draws, out): (usize, &mut Vec<HostId>),
    ) {
        let n = view.fleet.len();
        for _ in 0..draws {
            let start = self.rng.random_range(0..n.max(1));
            let tree = if use_empty {
                &plan.free_tree
            } else {
                &plan.busy_tree
            };
            let found = tree
                .first_from(start, vm.request)
                .or_else(|| tree.first_from(0, vm.request));
            if let Some(i) = found {
                let h = HostId(i as u32);
                if self.eligible(plan, view, vm, h, use_empty) {
                    out.push(h);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Detector, Profile, Selector};
    use super::*;
    use crate::engine::{Purpose, RngStreams};
    use crate::insight::{UsageObservation, Window};
    use crate::landscape::{ClassMix, FeatureMask, Fleet, HostType, HostTypeId};
    use crate::policy::{Action, Rebalance, VmKey};
    use crate::scenario::RecipeSpec;
    use crate::time::SimTime;
    use crate::workload::{ClassId, Resources, WorkloadId};

    const CACHE: u16 = 0;
    const BATCH: u16 = 1;
    const WEB: u16 = 2;

    /// Residents listed by hand, with their classes, and when VM 0 began running (`None`:
    /// not known, as at arrival).
    struct Table(Vec<(VmInfo, ClassId)>, Option<SimTime>);

    impl crate::policy::Residents for Table {
        fn on_host(&self, h: HostId, out: &mut Vec<VmInfo>) {
            out.clear();
            out.extend(self.0.iter().map(|v| v.0).filter(|v| v.host == h));
        }
        fn history(&self, _: VmKey) -> Option<&Window> {
            None
        }
        fn class_of(&self, vm: VmKey) -> Option<ClassId> {
            self.0.iter().find(|v| v.0.key == vm).map(|v| v.1)
        }
        fn started(&self, vm: VmKey) -> Option<(SimTime, Option<crate::workload::SubscriptionId>)> {
            self.1.filter(|_| vm.handle == 0).map(|t| (t, None))
        }
    }

    fn vm(i: u32, host: u32, class: u16, demand: u32, memory: u32) -> (VmInfo, ClassId) {
        let r = Resources {
            cpu: demand,
            memory,
        };
        let info = VmInfo {
            id: WorkloadId(i as u64),
            key: VmKey {
                handle: i,
                generation: 0,
            },
            host: HostId(host),
            size: r,
            request: r,
            features: FeatureMask(0),
            demand,
            migrating: false,
        };
        (info, ClassId(class))
    }

    /// A core that has seen caches slowed 1.2× on average beside one batch job (1.1 and 1.3
    /// alternately) and not at all alone.
    fn trained_core() -> InformationCore {
        let names = ["cache", "batch", "web"].map(String::from);
        let mut core = InformationCore::new(&names, 0.95);
        let t = SimTime::from_secs(60);
        for k in 0..20u32 {
            let beside = u16::from(k >= 10);
            let slowdown = match (beside, k % 2) {
                (0, _) => 1.0,
                (_, 0) => 1.1,
                _ => 1.3,
            };
            let o = UsageObservation {
                time: t,
                class: ClassId(CACHE),
                subscription: None,
                host_features: FeatureMask(0),
                utilisation: 0.5,
                slowdown,
            };
            core.observe_usage(&o, &[1, beside, 0], t).unwrap();
        }
        core.end_round(t);
        core
    }

    /// Host 0 (8 cores, THR at 50 %) runs a cache VM and a web VM of 3 cores each: it sheds
    /// the cache (least memory, MMT). Host 1 runs a batch job, host 2 a web VM, half a core
    /// each; all three hosts are of one linear type. Returns where the cache goes.
    fn cache_destination(
        recipe: Option<Recipe>,
        (core, cache_started): (&InformationCore, Option<SimTime>),
    ) -> HostId {
        let mut f = Fleet::default();
        f.types
            .push(HostType::plain("a", 8.0, 16.0, (100.0, 200.0)));
        let cap = Resources::from_cores_gib(8.0, 16.0).unwrap();
        let vms = vec![
            vm(0, 0, CACHE, 3000, 1000),
            vm(1, 0, WEB, 3000, 4000),
            vm(2, 1, BATCH, 500, 1000),
            vm(3, 2, WEB, 500, 1000),
        ];
        f.mix = ClassMix::new(3, 3);
        for _ in 0..3 {
            f.push_host(HostTypeId(0), cap, cap.cpu);
        }
        for (v, c) in &vms {
            let i = v.host.index();
            f.allocated[i] = f.allocated[i] + v.request;
            f.cpu_demand[i] += v.demand as u64;
            f.workloads[i] += 1;
            f.mix.change(v.host, c.0 as usize, v.request.cpu, 0.0, true);
        }
        let history = vec![Window::default(); f.len()];
        let table = Table(vms, cache_started);
        let view = RebalanceView {
            now: SimTime::from_secs(120),
            interval: SimTime::from_secs(300),
            fleet: &f,
            host_history: &history,
            vms: &table,
        };
        let rng = RngStreams::new(1).stream(Purpose::Rebalance);
        let thr = Detector::Thr { threshold: 0.5 };
        let mut c = Consolidation::new(Profile::Physical, thr, Selector::Mmt, false, rng);
        if let Some(r) = recipe {
            c.choose_destinations_by(r);
        }
        let mut out = Vec::new();
        c.plan(&view, core, &mut out);
        // One move: the cache VM (handle 0).
        match out.as_slice() {
            [Action::Migrate { vm, to }] if vm.handle == 0 => *to,
            other => panic!("expected the cache VM to move, got {other:?}"),
        }
    }

    #[test]
    fn a_learned_interference_recipe_steers_a_migration_off_the_aggressor() {
        // PABFD: equal linear hosts raise power equally, so the first eligible host (1), the
        // batch job's, takes the cache.
        let core = trained_core();
        assert_eq!(cache_destination(None, (&core, None)), HostId(1));
        // The recipe scores −(learned slowdown): host 1 costs the cache 0.2 (its mean rise
        // beside one batch job, significant: 0.2 − 1.96·0.033 > 0), host 2 nothing (web beside
        // it unseen, presumed harmless by the point estimate), so the cache goes to host 2.
        let spec = RecipeSpec {
            weights: [("interference".to_string(), 1.0)].into(),
            ..RecipeSpec::default()
        };
        let names = ["cache", "batch", "web"].map(String::from);
        let rng = RngStreams::new(1).stream(Purpose::Policy);
        let recipe = Recipe::new("recipe", &spec, &names, rng);
        assert_eq!(cache_destination(Some(recipe), (&core, None)), HostId(2));
        // Check the arithmetic the recipe used: host 1's total is −0.2, host 2's is 0.
        assert!((core.crowding(ClassId(CACHE), ClassId(BATCH), 1) - 0.2).abs() < 1e-9);
        assert_eq!(core.crowding(ClassId(CACHE), ClassId(WEB), 1), 0.0);
    }

    /// A core that has seen 40 departures of each class: caches either short (36 of 20 s) or
    /// long (4 of 20,000 s), batch jobs 2,000 s, web VMs 20,000 s.
    fn lifetime_core() -> InformationCore {
        let names = ["cache", "batch", "web"].map(String::from);
        let mut core = InformationCore::new(&names, 0.95);
        let t = SimTime::from_secs(100_000);
        for i in 0..40u64 {
            let cache = if i % 10 == 0 { 20_000 } else { 20 };
            for (class, secs) in [(CACHE, cache), (BATCH, 2_000), (WEB, 20_000)] {
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
        core
    }

    #[test]
    fn a_migrating_vm_is_aligned_by_its_lifetime_at_its_age_not_at_arrival() {
        // The round is at 120 s; host 1 runs a batch job and host 2 a web VM, both since 0 s,
        // so they have ~1,760 s and ~21,100 s left. A new cache expects 0.9 × 21 + 0.1 ×
        // 21,250 ≈ 2,140 s (bin middles): aligned with the batch job. A cache that has run
        // 100 s has outlived every short one: ~21,150 s left, aligned with the web VM.
        let spec = RecipeSpec {
            weights: [("lifetime".to_string(), 1.0)].into(),
            ..RecipeSpec::default()
        };
        let names = ["cache", "batch", "web"].map(String::from);
        let recipe = || {
            Recipe::new(
                "recipe",
                &spec,
                &names,
                RngStreams::new(1).stream(Purpose::Policy),
            )
        };
        let core = lifetime_core();
        let young = core.expected_remaining_s(ClassId(CACHE), 0.0).unwrap();
        let aged = core.expected_remaining_s(ClassId(CACHE), 100.0).unwrap();
        assert!((1_900.0..2_400.0).contains(&young), "{young}");
        assert!((19_000.0..23_000.0).contains(&aged), "{aged}");
        // Unknown start (as at arrival, the behaviour before): the batch job's host.
        assert_eq!(cache_destination(Some(recipe()), (&core, None)), HostId(1));
        // Began at 120 s (age 0): the same.
        let now = Some(SimTime::from_secs(120));
        assert_eq!(cache_destination(Some(recipe()), (&core, now)), HostId(1));
        // Began at 20 s (age 100 s): the web VM's host.
        let early = Some(SimTime::from_secs(20));
        assert_eq!(cache_destination(Some(recipe()), (&core, early)), HostId(2));
    }
}
