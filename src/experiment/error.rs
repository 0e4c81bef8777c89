//! `ExperimentError`: what can go wrong in compare, sweep, merge and regress, and whether the
//! user's input was at fault (exit status 2) or the run failed (exit status 1).

use crate::report::ReportError;
use crate::report::plots::canvas::RenderError;
use crate::scenario::ScenarioError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// A bad argument or file: unknown policy, malformed --vary, shard 4/3, …
    #[error("{0}")]
    BadInput(String),
    /// A scenario that does not load with one arm's overrides.
    #[error("{context}: {error}")]
    Scenario {
        context: String,
        error: Box<ScenarioError>,
    },
    /// One run failed.
    #[error("{context}: {error}")]
    Run {
        context: String,
        error: Box<crate::Error>,
    },
    /// An input file (sweep file, shard result, baseline, summary) is unreadable or malformed.
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },
    /// An output could not be written.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A chart could not be drawn.
    #[error("cannot draw {path}: {message}")]
    Plot { path: PathBuf, message: String },
    #[error("cannot start the worker threads: {0}")]
    Threads(String),
}

impl From<RenderError> for ExperimentError {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Draw { path, message } => ExperimentError::Plot { path, message },
            RenderError::Io { path, source } => ExperimentError::io(path, source),
        }
    }
}

impl ExperimentError {
    /// True when the user's input was at fault (exit status 2).
    pub fn is_bad_input(&self) -> bool {
        match self {
            ExperimentError::BadInput(_)
            | ExperimentError::Scenario { .. }
            | ExperimentError::Input { .. } => true,
            ExperimentError::Run { error, .. } => error.is_bad_input(),
            ExperimentError::Report(r) => r.is_bad_input(),
            _ => false,
        }
    }

    /// A malformed or unreadable input file.
    pub fn input(path: impl Into<PathBuf>, message: impl std::fmt::Display) -> ExperimentError {
        ExperimentError::Input {
            path: path.into(),
            message: message.to_string(),
        }
    }

    /// An output file that could not be written.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> ExperimentError {
        ExperimentError::Report(ReportError::Io {
            path: path.into(),
            source,
        })
    }
}
