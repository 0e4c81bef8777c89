//! Reads a failure trace: a CSV of `time,target,duration[,fraction]` rows (OpenDC's shape: when,
//! what, for how long), with errors that name the file, line and field.
//!
//! `time` and `duration` are durations from the start ("6h", "90m", or seconds); `target` is the
//! name of an entity of the landscape (a host "rack-000-h03", a rack "rack-002", a PDU "pdu-001",
//! a cooling unit "crac-000", a UPS "ups-000", a ToR switch "tor-000") or a kind (`host`, `rack`,
//! `pdu`, `cooling`, `ups`, `tor`) with a `fraction` in
//! (0, 1]: that share of the kind's entities (rounded, at least one) fails, drawn at random from
//! the failure stream. Lines starting with `#` are comments.

use crate::landscape::{DomainKind, FailureDomain};
use crate::scenario::ScenarioError;
use crate::time::{SimTime, parse_duration};
use std::collections::BTreeMap;
use std::path::Path;

/// What a row of the trace takes down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// One entity, by its index among the failure domains.
    Domain(u32),
    /// A share of the entities of a kind.
    Kind { kind: DomainKind, fraction: f64 },
}

/// One row of a failure trace.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceRow {
    pub time: SimTime,
    pub target: Target,
    pub duration: SimTime,
}

fn error(file: &Path, line: Option<u64>, field: &str, message: String) -> ScenarioError {
    ScenarioError {
        file: file.to_path_buf(),
        line: line.map(|l| l as usize),
        column: None,
        field: Some(field.to_string()),
        message,
    }
}

/// Reads the trace at `path`, resolving entity names against `domains`; rows sorted by time.
pub fn read(path: &Path, domains: &[FailureDomain]) -> Result<Vec<TraceRow>, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        error(
            path,
            None,
            "failures.trace",
            format!("cannot read the failure trace: {e}"),
        )
    })?;
    parse(&text, path, domains)
}

/// Parses trace text; `file` names it in errors.
pub fn parse(
    text: &str,
    file: &Path,
    domains: &[FailureDomain],
) -> Result<Vec<TraceRow>, ScenarioError> {
    let names: BTreeMap<&str, u32> = domains
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i as u32))
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| error(file, Some(1), "header", format!("malformed CSV: {e}")))?
        .clone();
    let wanted = ["time", "target", "duration"];
    if header.len() < 3 || header.iter().take(3).ne(wanted) {
        return Err(error(
            file,
            Some(1),
            "header",
            format!(
                "expected the header time,target,duration[,fraction], found {:?}",
                header.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            error(file, line, "row", format!("malformed CSV: {e}"))
        })?;
        let line = record.position().map(|p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let time =
            parse_duration(field(0)).map_err(|e| error(file, line, "time", e.to_string()))?;
        let duration =
            parse_duration(field(2)).map_err(|e| error(file, line, "duration", e.to_string()))?;
        if duration.0 == 0 {
            return Err(error(
                file,
                line,
                "duration",
                "expected a duration greater than zero".to_string(),
            ));
        }
        let target = target(field(1), field(3), &names)
            .map_err(|(what, message)| error(file, line, what, message))?;
        rows.push(TraceRow {
            time,
            target,
            duration,
        });
    }
    rows.sort_by_key(|r| r.time);
    Ok(rows)
}

fn target(
    name: &str,
    fraction: &str,
    names: &BTreeMap<&str, u32>,
) -> Result<Target, (&'static str, String)> {
    if let Some(kind) = DomainKind::from_name(name) {
        let f: f64 = fraction.parse().map_err(|_| {
            (
                "fraction",
                format!("target {name:?} is a kind: expected a fraction in (0, 1] of its entities, found {fraction:?}"),
            )
        })?;
        if !(f > 0.0 && f <= 1.0) {
            return Err((
                "fraction",
                format!("expected a fraction in (0, 1], found {f}"),
            ));
        }
        return Ok(Target::Kind { kind, fraction: f });
    }
    match names.get(name) {
        Some(&d) if fraction.is_empty() => Ok(Target::Domain(d)),
        Some(_) => Err((
            "fraction",
            format!("target {name:?} is one entity: leave the fraction empty"),
        )),
        None => Err((
            "target",
            format!(
                "no entity {name:?} in the landscape: expected a host, rack, PDU, cooling unit, UPS, ToR or aggregation switch name (e.g. {}) or a kind (host, rack, pdu, cooling, ups, tor, agg) with a fraction",
                names.keys().next().copied().unwrap_or("rack-000")
            ),
        )),
    }
}
