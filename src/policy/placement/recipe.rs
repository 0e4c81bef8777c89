//! The recipe policy (`recipe`, and its preset `insight`): candidates from the fit index (the
//! tightest hosts of each feature group, a few from random starting points, and the loosest),
//! then filters (fits, required features, anti-affinity, learned fit), then Σ weight × scorer;
//! the highest total wins (ties: lowest host id). Candidate drawing is O(k log hosts), so a
//! placement never scans the fleet.

use crate::insight::InformationCore;
use crate::landscape::{Fleet, HostId};
use crate::policy::recipe::{
    CandidateScore, Explanation, FilterResult, INSIGHT_WEIGHTS, LearnedTables, SCORERS,
    ScoreContext, ScoreTerm, Scorer, SubscriptionExplained, learned_utilisation, score,
};
use crate::policy::{Placement, View};
use crate::scenario::RecipeSpec;
use crate::time::SimTime;
use crate::workload::{ClassId, WorkloadSpec};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

#[derive(Debug)]
pub struct Recipe {
    name: String,
    candidates: usize,
    /// Per class: at most one per host.
    anti_affinity: Vec<bool>,
    /// Per class: at most one per rack (read only with `racks` set).
    rack_anti_affinity: Vec<bool>,
    /// The hosts of each rack, and each host's rack: set (`spread_across_racks`) only when a
    /// class is kept one to a rack, so that the filter costs nothing otherwise.
    racks: Option<RackMap>,
    max_learned: Option<f64>,
    /// `Some(prior)`: the interference scorer reads learned slowdowns cautiously.
    caution: Option<f64>,
    /// (scorer, weight) with weight ≠ 0, in `SCORERS` order.
    weights: Vec<(Scorer, f64)>,
    /// Some scorer or filter reads `learned_utilisation` (computed once per candidate).
    reads_learned: bool,
    class_names: Vec<String>,
    rng: ChaCha8Rng,
    scratch: Vec<HostId>,
    tables: LearnedTables,
    /// How long the next workload placed has already run (`Placement::resumes`; 0 for an
    /// arrival), taken by the next decision.
    resumed_age: SimTime,
}

impl Recipe {
    /// `name` is "recipe" (weights from the spec) or "insight" (the preset, which spec
    /// weights override one by one).
    pub fn new(name: &str, spec: &RecipeSpec, class_names: &[String], rng: ChaCha8Rng) -> Recipe {
        let mut w = [0.0; 9];
        if name == "insight" {
            for (s, v) in INSIGHT_WEIGHTS {
                w[SCORERS.iter().position(|n| *n == s).expect("preset names")] = v;
            }
        }
        for (s, &v) in &spec.weights {
            if let Some(i) = SCORERS.iter().position(|n| n == s) {
                w[i] = v;
            }
        }
        let max_learned = spec.max_learned_utilisation.map(|p| p.0);
        let learned_fit = w[Scorer::LearnedFit as usize] != 0.0;
        Recipe {
            name: name.to_string(),
            candidates: spec.candidates.0 as usize,
            anti_affinity: class_names
                .iter()
                .map(|n| spec.anti_affinity.contains(n))
                .collect(),
            rack_anti_affinity: class_names
                .iter()
                .map(|n| spec.rack_anti_affinity.contains(n))
                .collect(),
            racks: None,
            max_learned,
            reads_learned: learned_fit || max_learned.is_some(),
            caution: spec.unseen_interference.map(|p| p.0),
            weights: Scorer::ALL
                .iter()
                .zip(w)
                .filter(|(_, v)| *v != 0.0)
                .map(|(s, v)| (*s, v))
                .collect(),
            class_names: class_names.to_vec(),
            rng,
            scratch: Vec::new(),
            tables: LearnedTables::default(),
            resumed_age: SimTime::ZERO,
        }
    }

    /// The candidate hosts for `w`, in id order, without repeats, into `self.scratch`: per
    /// feature group the tightest hosts by request until half the candidate budget passes the
    /// filters (at most 4× the budget visited; those that fail are kept only when `explaining`,
    /// since they cannot win), a quarter from random starting points, and the loosest host.
    fn draw_candidates(
        &mut self,
        w: &WorkloadSpec,
        (view, core): (&View, &InformationCore),
        explaining: bool,
    ) {
        let (need, features) = (w.request, w.features);
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        let k = self.candidates;
        view.index
            .visit_tightest(need, features, (k.div_ceil(2), 4 * k), |h| {
                let passed = self.passes(w, h, (view.fleet, core));
                if passed || explaining {
                    out.push(h);
                }
                passed
            });
        let n = view.fleet.len() as u32;
        for _ in 0..k / 4 {
            let start = HostId(self.rng.random_range(0..n.max(1)));
            out.extend(view.index.first_fit_from(start, need, features));
        }
        out.extend(view.index.worst_fit(need, features));
        out.sort_unstable();
        out.dedup();
        self.scratch = out;
    }

    fn passes(
        &self,
        w: &WorkloadSpec,
        h: HostId,
        (fleet, core): (&Fleet, &InformationCore),
    ) -> bool {
        let learned = self.learned(w, h, (fleet, core));
        self.filters(w, h, fleet, learned).iter().all(|f| f.passed)
    }

    /// `learned_utilisation` of placing `w` on `h`, if a filter or scorer reads it.
    fn learned(
        &self,
        w: &WorkloadSpec,
        h: HostId,
        (fleet, core): (&Fleet, &InformationCore),
    ) -> Option<f64> {
        self.reads_learned
            .then(|| learned_utilisation(fleet, h, w, (core, &self.tables)))
    }

    fn filters(
        &self,
        w: &WorkloadSpec,
        h: HostId,
        f: &Fleet,
        learned: Option<f64>,
    ) -> [FilterResult; 5] {
        let c = w.class.0 as usize;
        let crowded = self.anti_affinity.get(c).copied().unwrap_or(false)
            && f.mix.is_on()
            && f.mix.counts(h)[c] > 0;
        let learned_ok = match (self.max_learned, learned) {
            (Some(max), Some(u)) => u <= max,
            _ => true,
        };
        [
            FilterResult {
                filter: "fits",
                passed: w.request.fits_in(f.free(h)) && w.request.cpu <= f.request_limit(h),
            },
            FilterResult {
                filter: "features",
                passed: f.features(h).covers(w.features),
            },
            FilterResult {
                filter: "anti_affinity",
                passed: !crowded,
            },
            FilterResult {
                filter: "rack_anti_affinity",
                passed: !self.rack_holds_class(f, h, w.class),
            },
            FilterResult {
                filter: "learned_fit",
                passed: learned_ok,
            },
        ]
    }

    /// Decides, recording every candidate into `explain` when asked.
    fn decide(
        &mut self,
        w: &WorkloadSpec,
        view: &View,
        core: &InformationCore,
        mut explain: Option<&mut Explanation>,
    ) -> Option<HostId> {
        self.tables.refresh(view.fleet, core);
        self.draw_candidates(w, (view, core), explain.is_some());
        let now_s = view.now.as_secs_f64();
        let age_s = std::mem::take(&mut self.resumed_age).as_secs_f64();
        let mut best: Option<(f64, HostId)> = None;
        for &h in &self.scratch {
            let learned = self.learned(w, h, (view.fleet, core));
            let filters = self.filters(w, h, view.fleet, learned);
            let passed = filters.iter().all(|f| f.passed);
            let mut total = 0.0;
            let mut terms = Vec::new();
            if passed {
                let cx = ScoreContext {
                    core,
                    tables: &self.tables,
                    now_s,
                    age_s,
                    caution: self.caution,
                    learned_utilisation: learned,
                };
                for &(s, weight) in &self.weights {
                    let value = score(s, view.fleet, h, w, &cx);
                    total += weight * value;
                    if explain.is_some() {
                        terms.push(ScoreTerm {
                            scorer: s.name(),
                            value,
                            weight,
                        });
                    }
                }
                if best.is_none_or(|(b, _)| total > b) {
                    best = Some((total, h));
                }
            }
            if let Some(e) = explain.as_deref_mut() {
                e.candidates.push(CandidateScore {
                    host: h.0,
                    filters: filters.to_vec(),
                    scores: terms,
                    total: passed.then_some(total),
                });
            }
        }
        let winner = best.map(|(_, h)| h);
        if let Some(e) = explain {
            e.policy = self.name.clone();
            e.workload = w.id.0;
            e.class = self.class_name(w.class);
            e.time_s = now_s;
            e.request_cores = w.request.cores();
            e.request_gib = w.request.gib();
            e.winner = winner.map(|h| h.0);
            e.subscription = w.subscription.map(|s| {
                let known = core.subscription(s);
                let effective = core.subscription_effective(Some(s));
                SubscriptionExplained {
                    id: s.0,
                    key: format!("{:016x}", known.map_or(0, |k| k.key)),
                    usage_observations: known.map_or(0, |k| k.usage.samples()),
                    departures: known.map_or(0, |k| k.lifetime.samples()),
                    effective_utilisation: effective,
                    demand_from: if effective.is_some() {
                        "subscription"
                    } else {
                        "class"
                    },
                }
            });
        }
        winner
    }

    /// Keeps each class the scenario lists in `rack_anti_affinity` one to a rack; `host_racks`
    /// names each host's rack (any numbering: hosts with one value share a rack). Without a
    /// listed class this does nothing.
    pub fn spread_across_racks(&mut self, host_racks: &[u32]) {
        if self.rack_anti_affinity.iter().any(|&b| b) {
            self.racks = Some(RackMap::new(host_racks));
        }
    }

    /// Whether `c` is kept one to a rack and `h`'s rack already holds one: O(hosts per rack).
    fn rack_holds_class(&self, f: &Fleet, h: HostId, c: ClassId) -> bool {
        let ci = c.0 as usize;
        let (Some(racks), true) = (
            &self.racks,
            self.rack_anti_affinity.get(ci).copied().unwrap_or(false) && f.mix.is_on(),
        ) else {
            return false;
        };
        racks
            .hosts_beside(h)
            .iter()
            .any(|&o| f.mix.counts(o).get(ci).is_some_and(|&n| n > 0))
    }

    /// Draws per placement from random starting points, and the budget rebalancing samples
    /// destinations with.
    pub fn candidates(&self) -> usize {
        self.candidates
    }

    /// The recipe's total for `w` on `h` now (Σ weight × scorer, as a placement scores a
    /// candidate), for a workload that has run `age` so far (its lifetime is predicted at that
    /// age), or `None` where a filter other than "fits" fails: the caller (rebalancing, whose
    /// plan has its own free room) checks the fit itself.
    pub fn total_on(
        &mut self,
        (w, age): (&WorkloadSpec, SimTime),
        h: HostId,
        fleet: &Fleet,
        (core, now): (&InformationCore, SimTime),
    ) -> Option<f64> {
        self.tables.refresh(fleet, core);
        let learned = self.learned(w, h, (fleet, core));
        let filters = self.filters(w, h, fleet, learned);
        if !filters[1..].iter().all(|f| f.passed) {
            return None;
        }
        let cx = ScoreContext {
            core,
            tables: &self.tables,
            now_s: now.as_secs_f64(),
            age_s: age.as_secs_f64(),
            caution: self.caution,
            learned_utilisation: learned,
        };
        Some(
            self.weights
                .iter()
                .map(|&(s, weight)| weight * score(s, fleet, h, w, &cx))
                .sum(),
        )
    }

    fn class_name(&self, c: ClassId) -> String {
        self.class_names
            .get(c.0 as usize)
            .cloned()
            .unwrap_or_else(|| c.0.to_string())
    }
}

/// Hosts grouped by rack.
#[derive(Debug)]
struct RackMap {
    /// Per host: its rack's position in `hosts`.
    of_host: Vec<u32>,
    hosts: Vec<Vec<HostId>>,
}

impl RackMap {
    fn new(host_racks: &[u32]) -> RackMap {
        let mut ids: Vec<u32> = host_racks.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut hosts = vec![Vec::new(); ids.len()];
        let of_host = host_racks
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let k = ids.binary_search(r).expect("listed");
                hosts[k].push(HostId(i as u32));
                k as u32
            })
            .collect();
        RackMap { of_host, hosts }
    }

    /// The hosts of `h`'s rack (`h` among them).
    fn hosts_beside(&self, h: HostId) -> &[HostId] {
        self.of_host
            .get(h.index())
            .map_or(&[], |&k| &self.hosts[k as usize])
    }
}

impl Placement for Recipe {
    fn place(&mut self, w: &WorkloadSpec, view: &View, core: &InformationCore) -> Option<HostId> {
        self.decide(w, view, core, None)
    }

    fn place_explained(
        &mut self,
        w: &WorkloadSpec,
        view: &View,
        core: &InformationCore,
        out: &mut Explanation,
    ) -> Option<HostId> {
        self.decide(w, view, core, Some(out))
    }

    fn resumes(&mut self, age: SimTime) {
        self.resumed_age = age;
    }
}

#[cfg(test)]
mod tests;
