//! Each scorer of a recipe: a value for placing a workload on one candidate host, higher is
//! better, roughly in [−1, 1]. The learned scorers read the `InformationCore` and the host's
//! class mix; where nothing is learned yet they fall back to what the request says.

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
/// requested CPU × its effective utilisation on this kind of host (1 where not yet learned).
pub fn learned_utilisation(
    fleet: &Fleet,
    h: HostId,
    w: &WorkloadSpec,
    core: &InformationCore,
) -> f64 {
    let features = fleet.features(h);
    let eff = |c: ClassId| core.effective_utilisation(c, features).unwrap_or(1.0);
    let mut demand = w.request.cpu as f64 * eff(w.class);
    if fleet.mix.is_on() {
        for (d, &cpu) in fleet.mix.cpu(h).iter().enumerate() {
            if cpu > 0 {
                demand += cpu as f64 * eff(ClassId(d as u16));
            }
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
/// make there (a feature host is worth keeping for the classes it speeds up).
fn feature_benefit(fleet: &Fleet, h: HostId, w: &WorkloadSpec, core: &InformationCore) -> f64 {
    let features = fleet.features(h);
    if features.0 == 0 {
        return 0.0;
    }
    let benefit = |c: ClassId| core.feature_benefit_value(c, features);
    let others = (0..core.classes.len() as u16)
        .map(ClassId)
        .filter(|&c| c != w.class)
        .map(benefit)
        .fold(0.0, f64::max);
    benefit(w.class) - 0.5 * others
}

/// −|log10 of (w's expected life + 1 s) / (the residents' mean expected remaining life + 1 s)|,
/// capped at 1; an empty host, or nothing learned, scores −0.5 (half a decade's mismatch).
fn lifetime(fleet: &Fleet, h: HostId, w: &WorkloadSpec, core: &InformationCore, now_s: f64) -> f64 {
    const NEUTRAL: f64 = -0.5;
    let Some(mine) = core.expected_remaining_s(w.class, 0.0) else {
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

/// The value of `scorer` for placing `w` on `h` at `now_s`; `caution` as `learned_interference`.
pub fn score(
    scorer: Scorer,
    fleet: &Fleet,
    h: HostId,
    w: &WorkloadSpec,
    core: &InformationCore,
    (now_s, caution): (f64, Option<f64>),
) -> f64 {
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
            let u = learned_utilisation(fleet, h, w, core);
            if u <= 1.0 { u } else { 1.0 - 10.0 * (u - 1.0) }
        }
        Scorer::Interference => -learned_interference(fleet, h, w, core, caution),
        Scorer::FeatureBenefit => feature_benefit(fleet, h, w, core),
        Scorer::Lifetime => lifetime(fleet, h, w, core, now_s),
    }
}
