//! What an experiment runs: a base scenario, fixed overrides, axes of varied values (every
//! combination is an *arm*) and seeds. Run `i` is arm `i / seeds`, seed `i % seeds`; shard K of
//! N takes the runs with `i mod N = K − 1`.

use super::ExperimentError;
use crate::policy::PLACEMENT_POLICIES;
use crate::scenario::Override;
use serde::{Deserialize, Serialize};

/// The axis key that names a policy rather than a scenario key.
pub const POLICY_KEY: &str = "policy";

/// Scenario overrides that select the policy called `name`. The one place where a policy name
/// becomes scenario keys: today `policy.placement`.
pub fn policy_overrides(name: &str) -> Result<Vec<Override>, ExperimentError> {
    let set = |table: &str, key: &str| Override {
        path: vec![table.into(), key.into()],
        value: format!("\"{name}\""),
    };
    if PLACEMENT_POLICIES.contains(&name) {
        return Ok(vec![set("policy", "placement")]);
    }
    if crate::policy::rebalance::parse_name(name).is_some() {
        return Ok(vec![set("rebalance", "policy")]);
    }
    // The paper's baselines: no consolidation, power following utilisation ("dvfs") or every
    // host at peak power ("npa").
    let literal = |path: [&str; 2], value: &str| Override {
        path: path.iter().map(|p| p.to_string()).collect(),
        value: value.to_string(),
    };
    // Neither baseline switches hosts off or migrates; both place first-fit, as CloudSim's
    // `PowerVmAllocationPolicySimple` does.
    let baseline = || {
        vec![
            literal(["rebalance", "policy"], "\"none\""),
            literal(["power", "empty_host"], "\"idle\""),
            literal(["policy", "placement"], "\"first-fit\""),
        ]
    };
    match name {
        "dvfs" => return Ok(baseline()),
        "npa" => {
            let mut o = baseline();
            o.push(literal(["power", "non_power_aware"], "true"));
            return Ok(o);
        }
        _ => {}
    }
    Err(ExperimentError::BadInput(format!(
        "unknown policy {name:?}: expected a placement policy ({}), npa, dvfs, or a rebalancing policy (none, or <detector>-<selector> with detector {} and selector {})",
        PLACEMENT_POLICIES.join(", "),
        crate::policy::rebalance::DETECTORS.join(", "),
        crate::policy::rebalance::SELECTORS.join(", ")
    )))
}

/// One varied key and its values, each written as after `--set key=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    pub key: String,
    pub values: Vec<String>,
}

impl Axis {
    /// Parses `--vary dotted.key=v1,v2,…`.
    pub fn parse_vary(text: &str) -> Result<Axis, ExperimentError> {
        let bad = |why: &str| ExperimentError::BadInput(format!("--vary {text:?}: {why}"));
        let (key, values) = text
            .split_once('=')
            .ok_or_else(|| bad("expected dotted.key=v1,v2,…"))?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(|p| p.trim().is_empty()) {
            return Err(bad("the key is empty or has an empty part"));
        }
        let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
        if values.iter().any(String::is_empty) {
            return Err(bad("a value is empty"));
        }
        let axis = Axis {
            key: key.to_string(),
            values,
        };
        axis.check()?;
        Ok(axis)
    }

    /// Every value of the axis must turn into overrides, and no value may repeat.
    pub fn check(&self) -> Result<(), ExperimentError> {
        if self.values.is_empty() {
            return Err(ExperimentError::BadInput(format!(
                "axis {:?} has no values",
                self.key
            )));
        }
        for (i, v) in self.values.iter().enumerate() {
            if self.values[..i].contains(v) {
                return Err(ExperimentError::BadInput(format!(
                    "axis {:?} lists {v:?} twice",
                    self.key
                )));
            }
            self.overrides(v)?;
        }
        Ok(())
    }

    /// The overrides that set this axis to `value`.
    pub fn overrides(&self, value: &str) -> Result<Vec<Override>, ExperimentError> {
        if self.key == POLICY_KEY {
            return policy_overrides(value);
        }
        Override::parse(&format!("{}={value}", self.key))
            .map(|o| vec![o])
            .map_err(ExperimentError::BadInput)
    }
}

/// A whole experiment. Serialised as `comparison.json` or `sweep.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Title of the reports.
    pub name: String,
    /// The base scenario, as given.
    pub scenario: String,
    /// Overrides applied to every run (`--set` / the sweep file's `set`).
    pub set: Vec<String>,
    /// The varied keys; arms are every combination, the first axis outermost.
    pub axes: Vec<Axis>,
    pub seeds: Vec<u64>,
}

impl Plan {
    pub fn arm_count(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    pub fn run_count(&self) -> usize {
        self.arm_count() * self.seeds.len()
    }

    /// (arm, seed) of run `run`.
    pub fn run(&self, run: usize) -> (usize, u64) {
        (run / self.seeds.len(), self.seeds[run % self.seeds.len()])
    }

    /// The value index on each axis of arm `arm`.
    pub fn arm_values(&self, arm: usize) -> Vec<&str> {
        let mut rest = arm;
        let mut out = vec![""; self.axes.len()];
        for (i, axis) in self.axes.iter().enumerate().rev() {
            out[i] = &axis.values[rest % axis.values.len()];
            rest /= axis.values.len();
        }
        out
    }

    /// The arm's name: its value alone on one axis, else `key=value, …`.
    pub fn arm_label(&self, arm: usize) -> String {
        let values = self.arm_values(arm);
        if let [only] = values[..] {
            return only.to_string();
        }
        let pairs = self.axes.iter().zip(values);
        let parts: Vec<String> = pairs.map(|(a, v)| format!("{}={v}", a.key)).collect();
        parts.join(", ")
    }

    /// Every override of run (`arm`, `seed`): the fixed ones, the arm's values, the seed.
    pub fn overrides(&self, arm: usize, seed: u64) -> Result<Vec<Override>, ExperimentError> {
        let mut out = self
            .set
            .iter()
            .map(|s| Override::parse(s).map_err(ExperimentError::BadInput))
            .collect::<Result<Vec<_>, _>>()?;
        for (axis, value) in self.axes.iter().zip(self.arm_values(arm)) {
            out.extend(axis.overrides(value)?);
        }
        out.push(Override {
            path: vec!["simulation".into(), "seed".into()],
            value: seed.to_string(),
        });
        Ok(out)
    }

    /// Checks axes, seeds and fixed overrides (not the scenario itself).
    pub fn check(&self) -> Result<(), ExperimentError> {
        if self.seeds.is_empty() {
            return Err(ExperimentError::BadInput("no seeds to run".into()));
        }
        if let Some(i) = (1..self.seeds.len()).find(|&i| self.seeds[..i].contains(&self.seeds[i])) {
            let seed = self.seeds[i];
            return Err(ExperimentError::BadInput(format!(
                "seed {seed} is listed twice"
            )));
        }
        for (i, a) in self.axes.iter().enumerate() {
            if self.axes[..i].iter().any(|b| b.key == a.key) {
                let key = &a.key;
                return Err(ExperimentError::BadInput(format!(
                    "{key:?} is varied twice"
                )));
            }
            a.check()?;
        }
        self.overrides(0, self.seeds[0]).map(|_| ())
    }
}

/// Slice K (1-based) of N of a plan's runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parses "K/N" with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Shard, ExperimentError> {
        let bad = |why: &str| ExperimentError::BadInput(format!("--shard {text:?}: {why}"));
        let (k, n) = text.split_once('/').ok_or_else(|| bad("expected K/N"))?;
        let k: usize = k.trim().parse().map_err(|_| bad("K is not a number"))?;
        let n: usize = n.trim().parse().map_err(|_| bad("N is not a number"))?;
        if n == 0 || k == 0 || k > n {
            return Err(bad("expected 1 ≤ K ≤ N (shards are numbered from 1)"));
        }
        Ok(Shard { index: k, count: n })
    }

    /// True when run `run` belongs to this shard.
    pub fn contains(&self, run: usize) -> bool {
        run % self.count == self.index - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            name: "t".into(),
            scenario: "s.toml".into(),
            set: vec![],
            axes: vec![
                Axis::parse_vary("policy=best-fit,first-fit").unwrap(),
                Axis::parse_vary("queue.enabled=true,false").unwrap(),
            ],
            seeds: vec![1, 2, 3],
        }
    }

    #[test]
    fn arms_are_every_combination_first_axis_outermost() {
        let p = plan();
        assert_eq!((p.arm_count(), p.run_count()), (4, 12));
        assert_eq!(p.arm_values(1), ["best-fit", "false"]);
        assert_eq!(p.arm_label(2), "policy=first-fit, queue.enabled=true");
        assert_eq!(p.run(7), (2, 2));
        let o = p.overrides(3, 2).unwrap();
        assert_eq!(o[0].value, "\"first-fit\"");
        assert_eq!(
            (o[1].path.join("."), o[1].value.as_str()),
            ("queue.enabled".into(), "false")
        );
        assert_eq!(o[2].value, "2");
    }

    #[test]
    fn bad_axes_and_shards_are_refused() {
        assert!(Axis::parse_vary("policy=best-fit,nope").is_err());
        assert!(Axis::parse_vary("novalues").is_err());
        assert!(Axis::parse_vary("a..b=1").is_err());
        assert!(Axis::parse_vary("a=1,,2").is_err());
        assert!(Axis::parse_vary("a=1,1").is_err());
        assert!(Shard::parse("4/3").is_err());
        assert!(Shard::parse("0/3").is_err());
        assert!(Shard::parse("x").is_err());
        let s = Shard::parse("2/3").unwrap();
        assert!(s.contains(1) && s.contains(4) && !s.contains(2));
    }
}
