//! `dcsim compare`: every policy (or every value of a varied key, or every combination of both)
//! on the same seeds, in memory and in parallel; writes comparison.json, comparison.csv,
//! comparison.md and the charts.

use super::output::{COMPARISON_FILES, Extras, write_outputs};
use super::runner::{Progress, RunRow, run_plan};
use super::{Axis, ExperimentError, POLICY_KEY, Plan};
use crate::report::{OutputPolicy, check_target};
use std::path::{Path, PathBuf};

/// What to compare.
#[derive(Clone, Debug)]
pub struct CompareOptions {
    pub scenario: PathBuf,
    /// Policy names, in order; the first is the reference of the paired differences.
    pub policies: Vec<String>,
    /// `dotted.key=v1,v2,…`, crossed with the policies when both are given.
    pub vary: Option<String>,
    /// `key=value` overrides applied to every run.
    pub set: Vec<String>,
    /// Number of seeds: `first_seed`, `first_seed + 1`, …
    pub seeds: u64,
    pub first_seed: u64,
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    /// Output folder; default `results/<scenario>-comparison`.
    pub out: Option<PathBuf>,
    pub charts: bool,
    /// Replace an output folder holding files dcsim did not write (`--force`).
    pub force: bool,
}

impl CompareOptions {
    /// Options with defaults: 5 seeds from 1, one thread per core, charts.
    pub fn new(scenario: impl Into<PathBuf>) -> CompareOptions {
        CompareOptions {
            scenario: scenario.into(),
            policies: Vec::new(),
            vary: None,
            set: Vec::new(),
            seeds: 5,
            first_seed: 1,
            jobs: 0,
            out: None,
            charts: true,
            force: false,
        }
    }

    /// The plan: the policy axis first, then the varied key.
    pub fn plan(&self) -> Result<Plan, ExperimentError> {
        let mut axes = Vec::new();
        if !self.policies.is_empty() {
            let axis = Axis {
                key: POLICY_KEY.to_string(),
                values: self.policies.clone(),
            };
            axis.check()?;
            axes.push(axis);
        }
        if let Some(vary) = &self.vary {
            axes.push(Axis::parse_vary(vary)?);
        }
        if axes.is_empty() {
            return Err(ExperimentError::BadInput(
                "nothing to compare: give --policy NAME (repeatable) and/or --vary key=v1,v2"
                    .into(),
            ));
        }
        if self.seeds == 0 {
            return Err(ExperimentError::BadInput(
                "--seeds must be at least 1".into(),
            ));
        }
        let plan = Plan {
            name: format!("Comparison: {}", stem(&self.scenario)),
            scenario: self.scenario.display().to_string(),
            set: self.set.clone(),
            axes,
            seeds: (0..self.seeds).map(|i| self.first_seed + i).collect(),
        };
        plan.check()?;
        Ok(plan)
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned())
}

/// What a comparison produced.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub out: PathBuf,
    pub plan: Plan,
    pub rows: Vec<RunRow>,
    /// The contents of comparison.md.
    pub markdown: String,
}

/// Runs the comparison and writes its folder.
pub fn compare(opts: &CompareOptions, progress: Progress) -> Result<Comparison, ExperimentError> {
    let plan = opts.plan()?;
    let out = opts.out.clone().unwrap_or_else(|| {
        Path::new("results").join(format!("{}-comparison", stem(&opts.scenario)))
    });
    let policy = OutputPolicy::protecting(&opts.scenario, opts.force);
    check_target(&out, &policy)?;
    let rows = run_plan(&plan, &opts.scenario, &|_| true, opts.jobs, progress)?;
    let extras = Extras {
        charts: opts.charts,
        shard: None,
    };
    let availability = super::availability::section(&plan, &rows);
    let extra: Vec<(&str, &str)> = availability
        .iter()
        .flat_map(|(section, csv)| {
            [
                ("availability.md", section.as_str()),
                ("availability.csv", csv.as_str()),
            ]
        })
        .collect();
    let mut markdown = write_outputs(
        &out,
        &policy,
        &plan,
        &rows,
        COMPARISON_FILES,
        extras,
        &extra,
    )?;
    if let Some((section, _)) = &availability {
        markdown.push_str(section);
    }
    Ok(Comparison {
        out,
        plan,
        rows,
        markdown,
    })
}
