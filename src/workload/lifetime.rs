//! Lifetime distributions: fixed, exponential, lognormal, Weibull, Pareto, or an empirical table.

use crate::scenario::LifetimeSpec;
use crate::time::SimTime;
use rand::Rng;
use rand::distr::weighted::WeightedIndex;
use rand_distr::{Distribution, Exp, LogNormal, Pareto, Weibull};

/// A sampler of lifetimes, in seconds internally.
#[derive(Clone, Debug)]
pub enum Lifetime {
    Fixed(SimTime),
    Exponential(Exp<f64>),
    Lognormal(LogNormal<f64>),
    Weibull(Weibull<f64>),
    Pareto(Pareto<f64>),
    Empirical {
        values: Vec<SimTime>,
        index: WeightedIndex<f64>,
    },
}

impl Lifetime {
    /// Builds the sampler; the spec was validated, so parameters are in range.
    pub fn from_spec(spec: &LifetimeSpec) -> Lifetime {
        const VALID: &str = "validated lifetime parameters";
        match spec {
            LifetimeSpec::Fixed { value } => Lifetime::Fixed(*value),
            LifetimeSpec::Exponential { mean } => {
                Lifetime::Exponential(Exp::new(1.0 / mean.as_secs_f64()).expect(VALID))
            }
            LifetimeSpec::Lognormal { median, sigma } => Lifetime::Lognormal(
                LogNormal::new(median.as_secs_f64().ln(), sigma.0).expect(VALID),
            ),
            LifetimeSpec::Weibull { scale, shape } => {
                Lifetime::Weibull(Weibull::new(scale.as_secs_f64(), shape.0).expect(VALID))
            }
            LifetimeSpec::Pareto { scale, shape } => {
                Lifetime::Pareto(Pareto::new(scale.as_secs_f64(), shape.0).expect(VALID))
            }
            LifetimeSpec::Empirical { values, weights } => Lifetime::Empirical {
                values: values.clone(),
                index: WeightedIndex::new(weights.iter().map(|w| w.0)).expect(VALID),
            },
        }
    }

    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> SimTime {
        let secs = match self {
            Lifetime::Fixed(t) => return *t,
            Lifetime::Empirical { values, index } => return values[index.sample(rng)],
            Lifetime::Exponential(d) => d.sample(rng),
            Lifetime::Lognormal(d) => d.sample(rng),
            Lifetime::Weibull(d) => d.sample(rng),
            Lifetime::Pareto(d) => d.sample(rng),
        };
        // At least one microsecond: a workload that departs as it arrives is no workload.
        SimTime::from_secs_f64(secs).max(SimTime(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::{Purpose, RngStreams};
    use crate::scenario::Positive;

    fn mean_of(spec: LifetimeSpec) -> f64 {
        let l = Lifetime::from_spec(&spec);
        let mut rng = RngStreams::new(3).stream(Purpose::Lifetimes);
        let n = 40_000;
        (0..n)
            .map(|_| l.sample(&mut rng).as_secs_f64())
            .sum::<f64>()
            / n as f64
    }

    #[test]
    fn sample_means_match_the_distributions() {
        let h = SimTime::from_secs(3600);
        // Exponential: mean 3600 s.
        let m = mean_of(LifetimeSpec::Exponential { mean: h });
        assert!((m / 3600.0 - 1.0).abs() < 0.03, "{m}");
        // Lognormal: mean = median·exp(σ²/2) = 3600·e^0.125.
        let m = mean_of(LifetimeSpec::Lognormal {
            median: h,
            sigma: Positive(0.5),
        });
        assert!((m / (3600.0 * 0.125f64.exp()) - 1.0).abs() < 0.03, "{m}");
        // Weibull k = 1 is exponential with mean = scale.
        let m = mean_of(LifetimeSpec::Weibull {
            scale: h,
            shape: Positive(1.0),
        });
        assert!((m / 3600.0 - 1.0).abs() < 0.03, "{m}");
        // Pareto: mean = α·x_m/(α − 1) = 3·3600/2.
        let m = mean_of(LifetimeSpec::Pareto {
            scale: h,
            shape: Positive(3.0),
        });
        assert!((m / 5400.0 - 1.0).abs() < 0.03, "{m}");
        // Empirical: 1 h with weight 3, 5 h with weight 1 → 2 h.
        let m = mean_of(LifetimeSpec::Empirical {
            values: vec![h, SimTime::from_secs(5 * 3600)],
            weights: vec![Positive(3.0), Positive(1.0)],
        });
        assert!((m / 7200.0 - 1.0).abs() < 0.03, "{m}");
    }
}
