//! Per-VM trace folders (PlanetLab, Bitbrains): the files of a folder in byte-wise name order,
//! so that a replay never depends on the order a file system lists them in.

use crate::workload::trace::TraceError;
use std::path::{Path, PathBuf};

/// The regular files of folder `path` (hidden files, starting with '.', and subfolders left
/// out), sorted by the bytes of their names; `path` itself when it is a file.
pub fn sorted_files(path: &Path) -> Result<Vec<PathBuf>, TraceError> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let fail = |e: std::io::Error| {
        TraceError::new(
            path,
            None,
            None,
            format!("cannot read the folder of per-VM files: {e}"),
        )
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(fail)? {
        let entry = entry.map_err(fail)?;
        let hidden = entry.file_name().as_encoded_bytes().starts_with(b".");
        let file = entry.path();
        if !hidden && file.is_file() {
            files.push(file);
        }
    }
    files.sort_by(|a, b| name_bytes(a).cmp(name_bytes(b)));
    if files.is_empty() {
        return Err(TraceError::new(
            path,
            None,
            None,
            "expected a folder holding at least one per-VM file (or a single file)",
        ));
    }
    Ok(files)
}

fn name_bytes(p: &Path) -> &[u8] {
    p.file_name().map_or(&[], |n| n.as_encoded_bytes())
}
