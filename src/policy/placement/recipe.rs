//! The recipe policy (`recipe`, and its preset `insight`): candidates from the fit index (the
//! tightest hosts of each feature group, a few from random starting points, and the loosest),
//! then filters (fits, required features, anti-affinity, learned fit), then Σ weight × scorer;
//! the highest total wins (ties: lowest host id). Candidate drawing is O(k log hosts), so a
//! placement never scans the fleet.

use crate::insight::InformationCore;
use crate::landscape::{Fleet, HostId};
use crate::policy::recipe::{
    CandidateScore, Explanation, FilterResult, INSIGHT_WEIGHTS, LearnedTables, SCORERS,
    ScoreContext, ScoreTerm, Scorer, learned_utilisation, score,
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
        }
    }

    /// The candidate hosts for `w`, in id order, without repeats, into `self.scratch`: per
    /// feature group the tightest hosts by request until half the candidate budget passes the
    /// filters (at most 4× the budget visited; those that fail are kept only when `explaining`,
    /// since they cannot win), a quarter from random starting points, and the loosest host.
    fn draw_candidates(&mut self, w: &WorkloadSpec, view: &View, explaining: bool) {
        let (need, features) = (w.request, w.features);
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        let k = self.candidates;
        view.index
            .visit_tightest(need, features, (k.div_ceil(2), 4 * k), |h| {
                let passed = self.passes(w, h, view);
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

    fn passes(&self, w: &WorkloadSpec, h: HostId, view: &View) -> bool {
        let learned = self.learned(w, h, view.fleet);
        self.filters(w, h, view.fleet, learned)
            .iter()
            .all(|f| f.passed)
    }

    /// `learned_utilisation` of placing `w` on `h`, if a filter or scorer reads it.
    fn learned(&self, w: &WorkloadSpec, h: HostId, fleet: &Fleet) -> Option<f64> {
        self.reads_learned
            .then(|| learned_utilisation(fleet, h, w, &self.tables))
    }

    fn filters(
        &self,
        w: &WorkloadSpec,
        h: HostId,
        f: &Fleet,
        learned: Option<f64>,
    ) -> [FilterResult; 4] {
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
        self.draw_candidates(w, view, explain.is_some());
        let now_s = view.now.as_secs_f64();
        let mut best: Option<(f64, HostId)> = None;
        for &h in &self.scratch {
            let learned = self.learned(w, h, view.fleet);
            let filters = self.filters(w, h, view.fleet, learned);
            let passed = filters.iter().all(|f| f.passed);
            let mut total = 0.0;
            let mut terms = Vec::new();
            if passed {
                let cx = ScoreContext {
                    core,
                    tables: &self.tables,
                    now_s,
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
        }
        winner
    }

    /// Draws per placement from random starting points, and the budget rebalancing samples
    /// destinations with.
    pub fn candidates(&self) -> usize {
        self.candidates
    }

    /// The recipe's total for `w` on `h` now (Σ weight × scorer, as a placement scores a
    /// candidate), or `None` where a filter other than "fits" fails: the caller (rebalancing,
    /// whose plan has its own free room) checks the fit itself.
    pub fn total_on(
        &mut self,
        w: &WorkloadSpec,
        h: HostId,
        fleet: &Fleet,
        (core, now): (&InformationCore, SimTime),
    ) -> Option<f64> {
        self.tables.refresh(fleet, core);
        let learned = self.learned(w, h, fleet);
        let filters = self.filters(w, h, fleet, learned);
        if !filters[1..].iter().all(|f| f.passed) {
            return None;
        }
        let cx = ScoreContext {
            core,
            tables: &self.tables,
            now_s: now.as_secs_f64(),
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
}
