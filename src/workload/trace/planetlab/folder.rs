//! Per-VM trace folders (PlanetLab, Bitbrains): the files of a folder that belong to the format,
//! in byte-wise name order, so that a replay never depends on the order a file system lists
//! them in; the others (a README, a SOURCE.txt, checksums) are skipped and named.

use crate::workload::trace::TraceError;
use std::path::{Path, PathBuf};

/// The files of a per-VM folder: those read, and the names of those skipped.
#[derive(Debug, Default)]
pub struct FolderFiles {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<String>,
}

impl FolderFiles {
    /// A note naming the files skipped (empty when none were), for assumptions and inspect.
    pub fn skipped_note(&self, format: &str) -> Option<String> {
        const SHOWN: usize = 8;
        if self.skipped.is_empty() {
            return None;
        }
        let mut names = self.skipped[..self.skipped.len().min(SHOWN)].join(", ");
        if self.skipped.len() > SHOWN {
            names += &format!(" and {} more", self.skipped.len() - SHOWN);
        }
        Some(format!(
            "{format}: skipped {} files not of the format: {names}",
            self.skipped.len()
        ))
    }
}

/// Names a downloaded dataset keeps beside its data: documentation, licences, checksums.
pub fn is_documentation(name: &str) -> bool {
    const EXTENSIONS: [&str; 18] = [
        "txt", "md", "rst", "pdf", "html", "htm", "json", "xml", "yaml", "yml", "toml", "sha256",
        "sha1", "md5", "asc", "sig", "zip", "tar",
    ];
    const STEMS: [&str; 10] = [
        "readme",
        "license",
        "licence",
        "source",
        "sources",
        "checksums",
        "sha256sums",
        "md5sums",
        "manifest",
        "citation",
    ];
    let lower = name.to_ascii_lowercase();
    let (stem, ext) = match lower.rsplit_once('.') {
        Some((s, e)) => (s, e),
        None => (lower.as_str(), ""),
    };
    EXTENSIONS.contains(&ext) || STEMS.contains(&stem) || STEMS.contains(&lower.as_str())
}

/// The regular files of folder `path` that `belongs` accepts (hidden files, starting with '.',
/// and subfolders left out silently; other files skipped and named), sorted by the bytes of
/// their names; `path` itself when it is a file.
pub fn sorted_files(path: &Path, belongs: fn(&str) -> bool) -> Result<FolderFiles, TraceError> {
    if path.is_file() {
        return Ok(FolderFiles {
            files: vec![path.to_path_buf()],
            skipped: Vec::new(),
        });
    }
    let fail = |e: std::io::Error| {
        TraceError::new(
            path,
            None,
            None,
            format!("cannot read the folder of per-VM files: {e}"),
        )
    };
    let mut found = FolderFiles::default();
    // Each file with its name, so that sorting compares names without parsing paths.
    let mut named = Vec::new();
    for entry in std::fs::read_dir(path).map_err(fail)? {
        let entry = entry.map_err(fail)?;
        let name = entry.file_name();
        let file = entry.path();
        // The entry's type, from the listing where it can say (no stat per file); a link is
        // followed, as `is_file` does.
        let is_file = match entry.file_type() {
            Ok(t) if t.is_file() => true,
            Ok(t) if t.is_dir() => false,
            _ => file.is_file(),
        };
        if name.as_encoded_bytes().starts_with(b".") || !is_file {
            continue;
        }
        if belongs(&name.to_string_lossy()) {
            named.push((name, file));
        } else {
            found.skipped.push(name.to_string_lossy().into_owned());
        }
    }
    named.sort_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
    found.files = named.into_iter().map(|(_, file)| file).collect();
    found.skipped.sort();
    if found.files.is_empty() {
        let mut msg =
            "expected a folder holding at least one per-VM file (or a single file)".to_string();
        if !found.skipped.is_empty() {
            msg += &format!(
                ", found only files not of the format: {}",
                found.skipped.join(", ")
            );
        }
        return Err(TraceError::new(path, None, None, msg));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::is_documentation;

    #[test]
    fn documentation_is_told_from_data() {
        for doc in [
            "README",
            "readme.md",
            "SOURCE.txt",
            "LICENSE",
            "SHA256SUMS",
            "x.sha256",
        ] {
            assert!(is_documentation(doc), "{doc}");
        }
        for data in [
            "1.csv",
            "2.csv.gz",
            "sample-node-00",
            "planetlab1_cs_du_edu_uw_5",
        ] {
            assert!(!is_documentation(data), "{data}");
        }
    }
}
