//! Each scorer of a recipe: a value for placing a workload on one candidate host, higher is
//! better, roughly in [−1, 1]. The learned scorers read the `InformationCore` and the host's
//! class mix; where nothing is learned yet they fall back to what the request says.

use super::tables::LearnedTables;
use crate::insight::InformationCore;
use crate::landscape::{Fleet, HostId};
use crate::workload::{ClassId, WorkloadSpec};

/// A scorer, by position in `SCORERS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scorer {
    LeastAllocated,
    MostAllocated,
    Balanced,
    Tetris,
    PowerRise,
    LearnedFit,
    Interference,
    FeatureBenefit,
    Lifetime,
}

impl Scorer {
    pub const ALL: [Scorer; 9] = [
        Scorer::LeastAllocated,
        Scorer::MostAllocated,
        Scorer::Balanced,
        Scorer::Tetris,
        Scorer::PowerRise,
        Scorer::LearnedFit,
        Scorer::Interference,
        Scorer::FeatureBenefit,
        Scorer::Lifetime,
    ];

    pub fn name(self) -> &'static str {
        super::SCORERS[self as usize]
    }
}

/// Allocated CPU and memory of `h` after taking `w`, as fractions of its capacity.
fn after(fleet: &Fleet, h: HostId, w: &WorkloadSpec) -> (f64, f64) {
    let (i, r) = (h.index(), w.request);
    let cap = fleet.capacity[i];
    let a = fleet.allocated[i];
    let frac = |x: u32, c: u32| if c > 0 { x as f64 / c as f64 } else { 1.0 };
    (
        frac(a.cpu + r.cpu, cap.cpu),
        frac(a.memory + r.memory, cap.memory),
    )
}

/// Learned CPU demand of `h` after taking `w`, over its physical CPU: each resident class's
/// requested CPU × its effective utilisation on this kind of host (1 where not yet learned),
/// corrected for residents whose subscriptions are learned (`ClassMix::subscription_cpu`);
/// `w`'s own at its subscription's effective utilisation where that is learned
/// (`InformationCore::subscription_effective`), its class's otherwise.
pub fn learned_utilisation(
    fleet: &Fleet,
    h: HostId,
    w: &WorkloadSpec,
    (core, t): (&InformationCore, &LearnedTables),
) -> f64 {
    let row = t.effective_row(fleet, h);
    let eff = |d: usize| row.get(d).copied().unwrap_or(1.0);
    let own = match w.subscription {
        None => eff(w.class.0 as usize),
        s => core
            .subscription_effective(s)
            .unwrap_or_else(|| eff(w.class.0 as usize)),
    };
    let mut demand = w.request.cpu as f64 * own;
    if fleet.mix.is_on() {
        for (d, &cpu) in fleet.mix.cpu(h).iter().enumerate() {
            if cpu > 0 {
                demand += cpu as f64 * eff(d);
            }
        }
        // Residents whose subscriptions are learned, at their subscriptions' demand.
        if !fleet.mix.subscription_cpu.is_empty() {
            demand += fleet.mix.subscription_cpu(h);
        }
    } else {
        demand += fleet.allocated[h.index()].cpu as f64;
    }
    demand / fleet.physical_cpu[h.index()].max(1) as f64
}

/// Predicted extra slowdown of placing `w` on `h`: its own, plus what it adds to each resident.
/// With `caution` (`Some(prior)`), each slowdown is read at the upper end of its learned
/// interval, and a co-location not yet seen counts `prior` (`InformationCore::cautious_crowding`):
/// harm is presumed until observation excludes it.
pub fn learned_interference(
    fleet: &Fleet,
    h: HostId,
    w: &WorkloadSpec,
    core: &InformationCore,
    caution: Option<f64>,
) -> f64 {
    if !fleet.mix.is_on() {
        return 0.0;
    }
    let mix = fleet.mix.counts(h);
    let c = w.class.0 as usize;
    let own = match caution {
        None => core.victim_slowdown(c, mix, false),
        Some(p) => core.cautious_victim_slowdown(c, mix, false, p),
    };
    let curve = |v: ClassId, a: ClassId, n: usize| match caution {
        None => core.crowding(v, a, n),
        Some(p) => core.cautious_crowding(v, a, n, p),
    };
    // Each resident of class d sees one more of w's class beside it: the rise of its curve.
    let before = mix.get(c).copied().unwrap_or(0) as usize;
    let harm: f64 = mix
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(d, &n)| {
            let (v, a) = (ClassId(d as u16), w.class);
            let beside = before - usize::from(d == c);
            n as f64 * (curve(v, a, beside + 1) - curve(v, a, beside))
        })
        .sum();
    own + harm
}

/// `w`'s learned saving on `h`'s features, less half the largest saving another class would
/// make there (a feature host is worth keeping for the classes it speeds up): read from the
/// tables, which compute it per host type.
fn feature_benefit(fleet: &Fleet, h: HostId, w: &WorkloadSpec, t: &LearnedTables) -> f64 {
    t.benefit(fleet, h, w.class)
}

/// −|log10 of (w's expected remaining life at its age + 1 s) / (the residents' mean expected
/// remaining life + 1 s)|, capped at 1; an empty host, or nothing learned, scores −0.5 (half a
/// decade's mismatch). `w`'s age is 0 on arrival, its time run so far when it migrates.
fn lifetime(
    fleet: &Fleet,
    h: HostId,
    w: &WorkloadSpec,
    (core, t): (&InformationCore, &LearnedTables),
    (now_s, age_s): (f64, f64),
) -> f64 {
    const NEUTRAL: f64 = -0.5;
    // At arrival (age 0) and without a subscription: the class's, from the tables; a migrated
    // workload at its age, and a subscription's own once learned, from the core.
    let mine = if age_s > 0.0 || w.subscription.is_some() {
        core.expected_remaining_for(w.class, w.subscription, age_s)
    } else {
        t.life_at_arrival(w.class)
    };
    let Some(mine) = mine else {
        return NEUTRAL;
    };
    if !fleet.mix.is_on() || fleet.workloads[h.index()] == 0 {
        return NEUTRAL;
    }
    let (counts, placed) = (fleet.mix.counts(h), fleet.mix.placed_s(h));
    let (mut n, mut sum) = (0.0, 0.0);
    for (d, &k) in counts.iter().enumerate() {
        if k == 0 {
            continue;
        }
        let age = (now_s - placed[d] / k as f64).max(0.0);
        if let Some(r) = core.expected_remaining_s(ClassId(d as u16), age) {
            n += k as f64;
            sum += k as f64 * r;
        }
    }
    if n == 0.0 {
        return NEUTRAL;
    }
    -(((mine + 1.0) / (sum / n + 1.0)).log10().abs()).min(1.0)
}

/// What a scorer reads besides the host and the workload: the core, the tables derived from
/// it, the time, the interference caution (as `learned_interference`) and, when the caller has
/// it already, `learned_utilisation` of this placement.
#[derive(Clone, Copy, Debug)]
pub struct ScoreContext<'a> {
    pub core: &'a InformationCore,
    pub tables: &'a LearnedTables,
    pub now_s: f64,
    /// How long the workload being placed has run: 0 on arrival, its age when it migrates.
    pub age_s: f64,
    pub caution: Option<f64>,
    pub learned_utilisation: Option<f64>,
}

/// The value of `scorer` for placing `w` on `h`, as `cx` says.
pub fn score(
    scorer: Scorer,
    fleet: &Fleet,
    h: HostId,
    w: &WorkloadSpec,
    cx: &ScoreContext<'_>,
) -> f64 {
    let core = cx.core;
    match scorer {
        Scorer::LeastAllocated => {
            let (c, m) = after(fleet, h, w);
            1.0 - (c + m) / 2.0
        }
        Scorer::MostAllocated => {
            let (c, m) = after(fleet, h, w);
            (c + m) / 2.0
        }
        Scorer::Balanced => {
            let (c, m) = after(fleet, h, w);
            1.0 - (c - m).abs()
        }
        Scorer::Tetris => {
            // Cosine between the request and the free room, each over the host's capacity.
            let (i, r) = (h.index(), w.request);
            let cap = fleet.capacity[i];
            let free = fleet.free(h);
            let v = |x: u32, c: u32| x as f64 / c.max(1) as f64;
            let (rc, rm, fc, fm) = (
                v(r.cpu, cap.cpu),
                v(r.memory, cap.memory),
                v(free.cpu, cap.cpu),
                v(free.memory, cap.memory),
            );
            let norm = (rc.hypot(rm) * fc.hypot(fm)).max(1e-12);
            (rc * fc + rm * fm) / norm
        }
        Scorer::PowerRise => {
            // PABFD's rise at the full request, plus the idle draw of a host now empty, over
            // the host's peak power.
            let (i, t) = (h.index(), fleet.type_of(h));
            let cap = fleet.physical_cpu[i] as f64;
            let before = fleet.allocated[i].cpu as f64;
            let mut rise = t.power.rise(cap, before, before + w.request.cpu as f64);
            if fleet.workloads[i] == 0 {
                rise += t.power.watts(0.0);
            }
            -rise / t.power.watts(1.0).max(1e-9)
        }
        Scorer::LearnedFit => {
            let u = cx
                .learned_utilisation
                .unwrap_or_else(|| learned_utilisation(fleet, h, w, (core, cx.tables)));
            if u <= 1.0 { u } else { 1.0 - 10.0 * (u - 1.0) }
        }
        Scorer::Interference => -learned_interference(fleet, h, w, core, cx.caution),
        Scorer::FeatureBenefit => feature_benefit(fleet, h, w, cx.tables),
        Scorer::Lifetime => lifetime(fleet, h, w, (core, cx.tables), (cx.now_s, cx.age_s)),
    }
}
