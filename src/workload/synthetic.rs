//! The streaming synthetic generator: per-class Poisson arrivals (optionally diurnal), sizes from
//! a weighted catalogue, lifetimes from a distribution, usage profiles. It holds one pending
//! arrival per class, never the whole workload.

use super::{ClassId, Lifetime, Resources, UsageProfile, UsageShape, WorkloadId, WorkloadSpec};
use crate::engine::rng::{Purpose, RngStreams};
use crate::landscape::{FeatureMask, FeatureNames};
use crate::scenario::{ClassSpec, Scenario, UsageSpec};
use crate::time::SimTime;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1};

const DAY_S: f64 = 86_400.0;

/// One class: its arrival process, its samplers and its own random streams.
#[derive(Debug)]
pub struct WorkloadClass {
    pub name: String,
    rate_per_s: f64,
    diurnal_amplitude: f64,
    peak_s: f64,
    sizes: Vec<Resources>,
    size_index: WeightedIndex<f64>,
    lifetime: Lifetime,
    features: FeatureMask,
    usage: UsageSpec,
    arrivals: ChaCha8Rng,
    size_rng: ChaCha8Rng,
    lifetime_rng: ChaCha8Rng,
    usage_rng: ChaCha8Rng,
    /// Time of the next arrival, in seconds (kept in f64 so that gaps do not round cumulatively).
    next_s: f64,
    /// `arrival.at_once`: workloads of the burst at t = 0 still to come (`None`: Poisson).
    at_once_left: Option<u64>,
}

/// Merges the classes' arrival streams in time order (ties: lower class index first).
#[derive(Debug)]
pub struct SyntheticWorkload {
    classes: Vec<WorkloadClass>,
    next_id: u64,
    horizon: SimTime,
}

impl SyntheticWorkload {
    /// The generator for `s`, whose streams derive from `streams`. Validated scenarios only.
    pub fn new(s: &Scenario, features: &FeatureNames, streams: RngStreams) -> SyntheticWorkload {
        let classes = s
            .workload
            .classes
            .iter()
            .enumerate()
            .map(|(i, c)| WorkloadClass::new(c, s, features, streams, i as u32))
            .collect();
        SyntheticWorkload {
            classes,
            next_id: 0,
            horizon: s.simulation.duration,
        }
    }

    pub fn class_name(&self, class: ClassId) -> &str {
        self.classes
            .get(class.0 as usize)
            .map_or("", |c| c.name.as_str())
    }

    pub fn class_names(&self) -> Vec<String> {
        self.classes.iter().map(|c| c.name.clone()).collect()
    }

    /// The next workload arriving before the horizon, or `None`.
    pub fn next_workload(&mut self) -> Option<WorkloadSpec> {
        let (index, class) = self
            .classes
            .iter_mut()
            .enumerate()
            .min_by(|a, b| a.1.next_s.total_cmp(&b.1.next_s))?;
        let arrival = SimTime::from_secs_f64(class.next_s);
        if !class.next_s.is_finite() || arrival > self.horizon {
            return None;
        }
        let id = WorkloadId(self.next_id);
        self.next_id += 1;
        let spec = class.draw(id, ClassId(index as u16), arrival);
        class.advance();
        Some(spec)
    }
}

impl WorkloadClass {
    fn new(
        c: &ClassSpec,
        s: &Scenario,
        features: &FeatureNames,
        streams: RngStreams,
        i: u32,
    ) -> WorkloadClass {
        let sizes: Vec<Resources> = c
            .sizes
            .iter()
            .map(|e| {
                let v = s
                    .workload
                    .vm_sizes
                    .iter()
                    .find(|v| v.name == e.get_ref().size)
                    .expect("validated: sizes exist");
                Resources::from_cores_gib(v.cores.0, v.memory_gib.0)
                    .expect("validated: fits a host")
            })
            .collect();
        let weights = c.sizes.iter().map(|e| e.get_ref().weight.0);
        let mut class = WorkloadClass {
            name: c.name.clone(),
            rate_per_s: c.arrival.rate_per_hour.0 / 3600.0,
            diurnal_amplitude: c.arrival.diurnal_amplitude.0,
            peak_s: c.arrival.peak_hour * 3600.0,
            sizes,
            size_index: WeightedIndex::new(weights).expect("validated: positive weights"),
            lifetime: Lifetime::from_spec(&c.lifetime),
            features: features.mask(&c.features),
            usage: c.usage.clone(),
            arrivals: streams.substream(Purpose::Arrivals, i),
            size_rng: streams.substream(Purpose::Sizes, i),
            lifetime_rng: streams.substream(Purpose::Lifetimes, i),
            usage_rng: streams.substream(Purpose::Usage, i),
            next_s: 0.0,
            at_once_left: c.arrival.at_once,
        };
        match class.at_once_left {
            None => class.advance(),
            Some(0) => class.next_s = f64::INFINITY,
            Some(_) => {}
        }
        class
    }

    /// λ(t) relative to its peak λ·(1 + a), for thinning.
    fn acceptance(&self, t_s: f64) -> f64 {
        let a = self.diurnal_amplitude;
        let phase = (t_s - self.peak_s) / DAY_S * std::f64::consts::TAU;
        (1.0 + a * phase.cos()) / (1.0 + a)
    }

    /// Moves `next_s` to the next arrival: exponential gaps at the peak rate, thinned by λ(t).
    /// A burst (`at_once`) stays at t = 0 until it is used up, then never arrives again.
    fn advance(&mut self) {
        if let Some(left) = &mut self.at_once_left {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.next_s = f64::INFINITY;
            }
            return;
        }
        let peak = self.rate_per_s * (1.0 + self.diurnal_amplitude);
        loop {
            let gap: f64 = Exp1.sample(&mut self.arrivals);
            self.next_s += gap / peak;
            // A rate so small that the gap overflows (1e-308 per hour, found by the fuzzer)
            // means no further arrival: thinning at t = ∞ would reject for ever.
            if !self.next_s.is_finite() {
                self.next_s = f64::INFINITY;
                return;
            }
            if self.diurnal_amplitude == 0.0 {
                return;
            }
            let u: f64 = self.arrivals.random();
            if u < self.acceptance(self.next_s) {
                return;
            }
        }
    }

    fn draw(&mut self, id: WorkloadId, class: ClassId, arrival: SimTime) -> WorkloadSpec {
        let request = self.sizes[self.size_index.sample(&mut self.size_rng)];
        let lifetime = Some(self.lifetime.sample(&mut self.lifetime_rng));
        WorkloadSpec {
            id,
            class,
            arrival,
            lifetime,
            request,
            features: self.features,
            usage: usage_profile(&self.usage, &mut self.usage_rng),
            subscription: None,
        }
    }
}

fn usage_profile<R: Rng + ?Sized>(spec: &UsageSpec, rng: &mut R) -> UsageProfile {
    let noise_key = rng.next_u64();
    match spec {
        UsageSpec::Constant { level, jitter } => {
            let j = jitter.0 * (2.0 * rng.random::<f64>() - 1.0);
            UsageProfile {
                shape: UsageShape::Constant {
                    level: (level.0 + j).clamp(0.0, 1.0),
                },
                noise_sd: 0.0,
                noise_key,
            }
        }
        UsageSpec::Diurnal {
            mean,
            amplitude,
            peak_hour,
            noise_sd,
        } => UsageProfile {
            shape: UsageShape::diurnal(mean.0, amplitude.0, *peak_hour),
            noise_sd: noise_sd.0,
            noise_key,
        },
        UsageSpec::Noisy { mean, sd } => UsageProfile {
            shape: UsageShape::Constant { level: mean.0 },
            noise_sd: sd.0,
            noise_key,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{LoadedScenario, Override, parse};
    use std::path::Path;

    const TWO_CLASSES: &str = r#"
[simulation]
duration = "200d"
[[host_types]]
name = "h"
cores = 8
memory_gib = 8
power = { model = "linear", idle_w = 1, max_w = 2 }
[landscape]
[[landscape.racks]]
hosts_per_rack = 1
host_type = "h"
[[workload.vm_sizes]]
name = "a"
cores = 1
memory_gib = 1
[[workload.vm_sizes]]
name = "b"
cores = 2
memory_gib = 2
[[workload.classes]]
name = "steady"
arrival = { rate_per_hour = 10 }
lifetime = { distribution = "fixed", value = "1h" }
sizes = [{ size = "a", weight = 3 }, { size = "b", weight = 1 }]
[[workload.classes]]
name = "daily"
arrival = { rate_per_hour = 20, diurnal_amplitude = 0.8, peak_hour = 15 }
lifetime = { distribution = "fixed", value = "1h" }
sizes = [{ size = "a" }]
"#;

    fn generator(sets: &[&str]) -> (LoadedScenario, SyntheticWorkload) {
        let o: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
        let l = parse(TWO_CLASSES, Path::new("t.toml"), "t", &o).unwrap();
        let names = FeatureNames::default();
        let g = SyntheticWorkload::new(
            &l.scenario,
            &names,
            RngStreams::new(l.scenario.simulation.seed),
        );
        (l, g)
    }

    fn drain(g: &mut SyntheticWorkload) -> Vec<WorkloadSpec> {
        std::iter::from_fn(|| g.next_workload()).collect()
    }

    #[test]
    fn arrivals_are_sorted_with_ids_in_order_and_rates_as_asked() {
        let (_, mut g) = generator(&[]);
        let all = drain(&mut g);
        assert!(
            all.windows(2)
                .all(|w| w[0].arrival <= w[1].arrival && w[0].id.0 + 1 == w[1].id.0)
        );
        assert!(all.last().unwrap().arrival <= SimTime::from_secs(200 * 86_400));
        let hours = 200.0 * 24.0;
        for (class, rate) in [(0u16, 10.0), (1, 20.0)] {
            let n = all.iter().filter(|w| w.class.0 == class).count() as f64;
            // Poisson count: mean = rate·hours, sd = √mean (≈ 69 for 4 800 h at 10/h).
            assert!(
                (n - rate * hours).abs() < 4.0 * (rate * hours).sqrt(),
                "class {class}: {n}"
            );
        }
        // Sizes: weight 3 : 1 → 75 % "a" (1 core).
        let steady: Vec<_> = all.iter().filter(|w| w.class.0 == 0).collect();
        let small =
            steady.iter().filter(|w| w.request.cpu == 1000).count() as f64 / steady.len() as f64;
        assert!((small - 0.75).abs() < 0.02, "{small}");
    }

    #[test]
    fn diurnal_rate_follows_the_cosine() {
        let (_, mut g) = generator(&[]);
        let mut by_hour = [0f64; 24];
        for w in drain(&mut g).iter().filter(|w| w.class.0 == 1) {
            by_hour[((w.arrival.as_secs_f64() % 86_400.0) / 3600.0) as usize] += 1.0;
        }
        // Expected arrivals in hour h over 200 days: 200·∫ 20·(1 + 0.8·cos(2π(t − 15)/24)) dt.
        for (h, &n) in by_hour.iter().enumerate() {
            let w = std::f64::consts::TAU / 24.0;
            let integral = 1.0
                + 0.8 / w * ((w * (h as f64 + 1.0 - 15.0)).sin() - (w * (h as f64 - 15.0)).sin());
            let expected = 200.0 * 20.0 * integral;
            assert!(
                (n - expected).abs() < 4.5 * expected.sqrt(),
                "hour {h}: {n} vs {expected}"
            );
        }
    }

    #[test]
    fn at_once_requests_exactly_n_workloads_at_zero() {
        let (_, mut g) = generator(&[
            "simulation.duration=1d",
            "workload.classes.0.arrival.at_once=500",
        ]);
        let all = drain(&mut g);
        let burst: Vec<_> = all.iter().filter(|w| w.class.0 == 0).collect();
        assert_eq!(burst.len(), 500);
        assert!(burst.iter().all(|w| w.arrival == SimTime::ZERO));
        assert!(all.iter().any(|w| w.class.0 == 1));
        let (_, mut none) = generator(&["workload.classes.0.arrival.at_once=0"]);
        assert!(drain(&mut none).iter().all(|w| w.class.0 == 1));
    }

    #[test]
    fn one_class_never_shifts_another() {
        let (_, mut base) = generator(&["simulation.duration=5d"]);
        let (_, mut changed) = generator(&[
            "simulation.duration=5d",
            "workload.classes.1.arrival.rate_per_hour=3",
        ]);
        let steady = |v: Vec<WorkloadSpec>| -> Vec<(SimTime, u32)> {
            v.into_iter()
                .filter(|w| w.class.0 == 0)
                .map(|w| (w.arrival, w.request.cpu))
                .collect()
        };
        assert_eq!(steady(drain(&mut base)), steady(drain(&mut changed)));
    }
}
