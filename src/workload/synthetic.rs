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
        if arrival > self.horizon {
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
        };
        class.advance();
        class
    }

    /// λ(t) relative to its peak λ·(1 + a), for thinning.
    fn acceptance(&self, t_s: f64) -> f64 {
        let a = self.diurnal_amplitude;
        let phase = (t_s - self.peak_s) / DAY_S * std::f64::consts::TAU;
        (1.0 + a * phase.cos()) / (1.0 + a)
    }

    /// Moves `next_s` to the next arrival: exponential gaps at the peak rate, thinned by λ(t).
    fn advance(&mut self) {
        let peak = self.rate_per_s * (1.0 + self.diurnal_amplitude);
        loop {
            let gap: f64 = Exp1.sample(&mut self.arrivals);
            self.next_s += gap / peak;
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
