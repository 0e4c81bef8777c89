//! Scenarios: the TOML schema, loading with file/line errors, `--set` overrides and validation.

mod accounting;
mod error;
mod failures_spec;
pub mod footprint;
mod insight_spec;
mod landscape_spec;
pub mod names;
mod overrides;
mod schema;
mod series_csv;
mod services_spec;
mod trace_spec;
mod validate;
mod workload_spec;

pub use error::{MAX_MESSAGE, ScenarioError, SourceMap, clip};
pub use footprint::Footprint;
pub use overrides::Override;
pub use schema::*;
pub use services_spec::dependency_cycle;

use crate::time::Series;
use std::path::Path;

/// A scenario read from a file, validated, with the text kept for error messages.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub scenario: Scenario,
    /// The run's name: the `name` key, or the file stem.
    pub name: String,
    pub source: SourceMap,
    /// Electricity price in USD per kWh over time (constant unless a CSV is given).
    pub electricity_price: Series,
    /// Grid carbon intensity in g CO2e per kWh over time.
    pub carbon_intensity: Series,
}

/// Reads, overrides, parses and validates a scenario file.
pub fn load(path: &Path, overrides: &[Override]) -> Result<LoadedScenario, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        file: path.to_path_buf(),
        line: None,
        column: None,
        field: None,
        message: format!("cannot read the scenario file: {e}"),
    })?;
    let stem = path
        .file_stem()
        .map_or("scenario".to_string(), |s| s.to_string_lossy().into_owned());
    parse(&text, path, &stem, overrides)
}

/// Parses and validates scenario text; `file` names it in errors, `stem` is the default name.
pub fn parse(
    text: &str,
    file: &Path,
    stem: &str,
    overrides: &[Override],
) -> Result<LoadedScenario, ScenarioError> {
    let mut source = SourceMap {
        file: file.to_path_buf(),
        text: text.to_string(),
    };
    // Syntax first, against the text as written, so that line numbers are the user's own.
    if let Err(e) = text.parse::<toml_edit::DocumentMut>() {
        let mut err = source.error(None, e.message().trim());
        if let Some(span) = e.span() {
            let (line, col) = source.line_col(span.start);
            err.line = Some(line);
            err.column = Some(col);
            err.field = source.key_near(span);
        }
        return Err(err);
    }
    source.text = overrides::apply(text, overrides).map_err(|m| source.error(None, m))?;
    let scenario: Scenario = toml::from_str(&source.text)
        .map_err(|e| overrides::blame(text, overrides).unwrap_or_else(|| source.from_toml(&e)))?;
    validate::validate(&scenario, &source)?;
    let name = scenario.name.clone().unwrap_or_else(|| stem.to_string());
    let cost = &scenario.cost;
    let electricity_price = match &cost.electricity_price_csv {
        Some(csv) => series_csv::load_series(
            &series_csv::beside(file, csv),
            "usd_per_kwh",
            cost.electricity_price_repeat,
        )?,
        None => Series::constant(cost.electricity_usd_per_kwh.0),
    };
    let carbon = &scenario.carbon;
    let carbon_intensity = match &carbon.intensity_csv {
        Some(csv) => series_csv::load_series(
            &series_csv::beside(file, csv),
            "g_per_kwh",
            carbon.intensity_repeat,
        )?,
        None => Series::constant(carbon.intensity_g_per_kwh.0),
    };
    Ok(LoadedScenario {
        scenario,
        name,
        source,
        electricity_price,
        carbon_intensity,
    })
}

impl LoadedScenario {
    /// The scenario as resolved (defaults filled in, overrides applied), as TOML.
    pub fn resolved_toml(&self) -> String {
        toml::to_string(&self.scenario).unwrap_or_default()
    }
}
