//! Policies of the foreground loop: the `Placement` trait, the built-in placement policies
//! (one file each under `placement/`), and a registry by name.

mod placement;
pub mod rebalance;
pub mod recipe;

pub use placement::{BestFit, FirstFit, Pabfd, RandomFit, Recipe, RoundRobin, WorstFit};

use crate::insight::{InformationCore, Window};
use crate::landscape::{FeatureMask, FitIndex, Fleet, HostId};
use crate::time::SimTime;
use crate::workload::{Resources, WorkloadId, WorkloadSpec};
use rand::rngs::ChaCha8Rng;

/// What a policy may see of the world: read-only, the present only.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub now: SimTime,
    pub fleet: &'a Fleet,
    pub index: &'a FitIndex,
}

/// Chooses a host for a workload on arrival (and on each retry from the queue).
pub trait Placement {
    /// The host to place `w` on, or `None` if it fits nowhere (or the policy declines).
    fn place(&mut self, w: &WorkloadSpec, view: &View, core: &InformationCore) -> Option<HostId>;
    /// The next placement asked for is of a workload that has already run `age` (a VM
    /// restarted after its host failed): policies that predict lifetimes predict its remaining
    /// life at that age. Others ignore it.
    fn resumes(&mut self, _age: SimTime) {}
    /// Whether the policy asks the fit index for hosts ordered by free room (best, worst or
    /// tightest fit); `false` lets the engine keep a leaner index (`FitIndex::without_ordered_sets`).
    fn orders_hosts_by_room(&self) -> bool {
        true
    }
    /// As `place`, recording each candidate's filters and scores into `out` (`dcsim explain`):
    /// the decision is the one `place` makes. Policies without scores record nothing.
    fn place_explained(
        &mut self,
        w: &WorkloadSpec,
        view: &View,
        core: &InformationCore,
        out: &mut recipe::Explanation,
    ) -> Option<HostId> {
        let chosen = self.place(w, view, core);
        out.workload = w.id.0;
        out.time_s = view.now.as_secs_f64();
        out.winner = chosen.map(|h| h.0);
        chosen
    }
}

pub use crate::scenario::names::PLACEMENT_POLICIES;

/// The placement policy a scenario names, recipes (`recipe`, `insight`) included, for a run
/// whose classes are `class_names`.
pub fn placement_for(
    sc: &crate::scenario::Scenario,
    (class_names, host_racks): (&[String], &[u32]),
    rng: ChaCha8Rng,
    overload_threshold: f64,
) -> Option<Box<dyn Placement>> {
    let name = sc.policy.placement.get_ref().as_str();
    if uses_class_mix(name) {
        let spec = sc.policy.recipe.clone().unwrap_or_default();
        let mut recipe = Recipe::new(name, &spec, class_names, rng);
        recipe.spread_across_racks(host_racks);
        return Some(Box::new(recipe));
    }
    placement_by_name(name, rng, overload_threshold)
}

/// Whether the policy called `name` reads the class mix of each host (`Fleet::mix`).
pub fn uses_class_mix(name: &str) -> bool {
    matches!(name, "recipe" | "insight")
}

/// The placement policy called `name`; `rng` is its own random stream (used by `random`);
/// `overload_threshold` is the utilisation above which `pabfd` passes over a busy host.
pub fn placement_by_name(
    name: &str,
    rng: ChaCha8Rng,
    overload_threshold: f64,
) -> Option<Box<dyn Placement>> {
    Some(match name {
        "pabfd" => Box::new(Pabfd::new(overload_threshold)),
        "first-fit" => Box::new(FirstFit),
        "best-fit" => Box::new(BestFit),
        "worst-fit" => Box::new(WorstFit),
        "random" => Box::new(RandomFit::new(rng)),
        "round-robin" => Box::new(RoundRobin::default()),
        _ => return None,
    })
}

/// A change the rebalancing loop asks for; the engine checks each and carries it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Live-migrate a running workload to another host (which must be on and have room).
    Migrate { vm: VmKey, to: HostId },
    /// End a running workload now (recorded as killed).
    Kill { vm: VmKey },
    /// Give a running workload a new request (CPU, memory) where it runs, if its host has the
    /// room and its per-core limit allows it; not while it migrates.
    Resize { vm: VmKey, to: Resources },
    /// Shut down an empty host.
    PowerOff { host: HostId },
    /// Boot a host that is off.
    PowerOn { host: HostId },
}

/// Names one running workload for as long as it runs (the engine's handle and generation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VmKey {
    pub handle: u32,
    pub generation: u32,
}

/// What the rebalancing loop sees of one running workload.
#[derive(Clone, Copy, Debug)]
pub struct VmInfo {
    pub id: WorkloadId,
    pub key: VmKey,
    pub host: HostId,
    /// Its nominal size (what it asked for on arrival).
    pub size: Resources,
    /// What it needs on another host to move there (CPU as allocated now; memory 0 under the
    /// CloudSim-compatible profile, where a running VM requests no RAM).
    pub request: Resources,
    pub features: FeatureMask,
    /// CPU demand now, millicores.
    pub demand: u32,
    /// Already migrating: it cannot move again until it lands.
    pub migrating: bool,
}

/// The running workloads, host by host: the engine keeps them as they come, go and move, so a
/// round reads only the hosts it looks at.
pub trait Residents {
    /// What runs on host `h`, into `out` (cleared first), in an order that depends only on
    /// the run's history (sort it where ties matter).
    fn on_host(&self, h: HostId, out: &mut Vec<VmInfo>);
    /// Its utilisation (demand over request) at past rounds, newest first; recorded only for
    /// policies whose `wants_vm_history` says so.
    fn history(&self, vm: VmKey) -> Option<&Window>;
    /// The class of a running workload (read only when destinations are scored by a recipe).
    fn class_of(&self, _vm: VmKey) -> Option<crate::workload::ClassId> {
        None
    }
    /// When a running workload began running, and its trace subscription (read only when
    /// destinations are scored by a recipe, which predicts its lifetime at its age).
    fn started(&self, _vm: VmKey) -> Option<(SimTime, Option<crate::workload::SubscriptionId>)> {
        None
    }
    /// Whether no workload on `h` is migrating and each one's request fits in `room`: a quick
    /// look, stopping at the first that fails, before a policy lists the host's VMs in full.
    fn all_movable_within(&self, h: HostId, room: Resources) -> bool {
        let mut vms = Vec::new();
        self.on_host(h, &mut vms);
        vms.iter().all(|v| !v.migrating && v.request.fits_in(room))
    }
}

/// What the rebalancing loop sees: the present fleet and the recent past, never the future.
#[derive(Clone, Copy)]
pub struct RebalanceView<'a> {
    pub now: SimTime,
    /// Time between rounds.
    pub interval: SimTime,
    pub fleet: &'a Fleet,
    /// Each host's utilisation at past rounds (empty while it is not on).
    pub host_history: &'a [Window],
    pub vms: &'a dyn Residents,
}

/// Plans changes to the placement at every `rebalance.interval`.
pub trait Rebalance {
    fn plan(&mut self, view: &RebalanceView, core: &InformationCore, out: &mut Vec<Action>);
    /// Whether the engine must record every running workload's utilisation at each round
    /// (it costs a pass over all of them, so only policies that read it ask).
    fn wants_vm_history(&self) -> bool {
        false
    }
}

/// The rebalancing policy a scenario names, with its destinations chosen by the placement
/// recipe where `rebalance.destination = "recipe"`, for a run whose classes are `class_names`.
pub fn rebalance_for(
    sc: &crate::scenario::Scenario,
    (class_names, host_racks): (&[String], &[u32]),
    rng: ChaCha8Rng,
) -> Option<Box<dyn Rebalance>> {
    let mut c = consolidation(&sc.rebalance, rng)?;
    let name = sc.policy.placement.get_ref().as_str();
    if sc.rebalance.destination == crate::scenario::Destination::Recipe && uses_class_mix(name) {
        let spec = sc.policy.recipe.clone().unwrap_or_default();
        // The recipe only scores here (it draws nothing): its stream is never read.
        let unread = <ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
        let mut recipe = Recipe::new(name, &spec, class_names, unread);
        recipe.spread_across_racks(host_racks);
        c.choose_destinations_by(recipe);
    }
    Some(Box::new(c))
}

/// The rebalancing policy called `name` (see `rebalance::parse_name`), or `None` for "none".
pub fn rebalance_by_name(
    spec: &crate::scenario::RebalanceSpec,
    rng: ChaCha8Rng,
) -> Option<Box<dyn Rebalance>> {
    Some(Box::new(consolidation(spec, rng)?))
}

fn consolidation(
    spec: &crate::scenario::RebalanceSpec,
    rng: ChaCha8Rng,
) -> Option<rebalance::Consolidation> {
    let (detector, selector) = rebalance::components(
        spec.policy.get_ref(),
        spec.threshold.0,
        spec.safety.map(|s| s.0),
    )?;
    let profile = match spec.profile {
        crate::scenario::ModelProfile::Physical => rebalance::Profile::Physical,
        crate::scenario::ModelProfile::CloudsimCompat => rebalance::Profile::CloudsimCompat,
    };
    Some(rebalance::Consolidation::new(
        profile,
        detector,
        selector,
        spec.underload,
        rng,
    ))
}
