//! The one way a chart reaches the disk: the canvas types every chart draws on, the `Figure`
//! a chart is, and `render`, which draws it on white once per backend (SVG, then PNG) with the
//! embedded font. The run report's charts and those of `compare`, `sweep`, `regress` and
//! `bench` all go through it.

use super::register_fonts;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// What drawing on a backend returns.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;
/// The whole canvas of one chart.
pub type Canvas<DB> = DrawingArea<DB, Shift>;

/// A chart that can draw itself on any backend.
pub trait Figure {
    /// Width and height in pixels (PNG pixels; SVG user units).
    fn size(&self) -> (u32, u32);
    /// Draws on a canvas already filled white.
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>) -> DrawResult<DB>;
}

/// Why a chart could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot draw {path}: {message}")]
    Draw { path: PathBuf, message: String },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes `figure` as `dir/name.svg` and `dir/name.png`; returns both paths (SVG, PNG).
pub fn render(
    dir: &Path,
    name: &str,
    figure: &impl Figure,
) -> Result<(PathBuf, PathBuf), RenderError> {
    let svg_path = dir.join(format!("{name}.svg"));
    let png_path = dir.join(format!("{name}.png"));
    let fail = |path: &Path, e: &dyn std::fmt::Display| RenderError::Draw {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    register_fonts().map_err(|e| fail(&svg_path, &e))?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, figure.size()).into_drawing_area();
        root.fill(&WHITE)
            .and_then(|()| figure.draw(&root))
            .and_then(|()| root.present())
            .map_err(|e| fail(&svg_path, &e))?;
    }
    std::fs::write(&svg_path, svg).map_err(|source| RenderError::Io {
        path: svg_path.clone(),
        source,
    })?;
    {
        let root = BitMapBackend::new(&png_path, figure.size()).into_drawing_area();
        root.fill(&WHITE)
            .and_then(|()| figure.draw(&root))
            .and_then(|()| root.present())
            .map_err(|e| fail(&png_path, &e))?;
    }
    Ok((svg_path, png_path))
}
