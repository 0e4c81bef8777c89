//! A staging folder beside the output folder: files are written there and the whole folder is
//! renamed into place at the end, so a failed run never leaves a half-written output folder.

use super::ReportError;
use super::guard::{self, OutputPolicy};
use std::path::{Path, PathBuf};

pub struct Staging {
    target: PathBuf,
    tmp: PathBuf,
    folder: &'static str,
    policy: OutputPolicy,
    committed: bool,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Staging {
    /// Checks that `target` may be replaced under `policy` (see `guard`), then creates
    /// `.<name>.tmp-<pid>` beside it (and its parent folders). `folder` names the kind of
    /// folder (`run`, `comparison`, `sweep`, …) in the marker written at commit.
    pub fn create(
        target: &Path,
        folder: &'static str,
        policy: &OutputPolicy,
    ) -> Result<Staging, ReportError> {
        guard::check_target(target, policy)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        let name = target
            .file_name()
            .map_or("run".into(), |n| n.to_string_lossy().into_owned());
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
        }
        std::fs::create_dir(&tmp).map_err(io_err(&tmp))?;
        Ok(Staging {
            target: target.to_path_buf(),
            tmp,
            folder,
            policy: policy.clone(),
            committed: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Marks the staged folder as dcsim's, checks the target again (it may have changed while
    /// the staged files were written) and replaces it with the staged folder.
    pub fn commit(mut self) -> Result<(), ReportError> {
        guard::write_marker(&self.tmp, self.folder)?;
        guard::check_target(&self.target, &self.policy)?;
        let old = self.tmp.with_extension("old");
        let replaced = std::fs::symlink_metadata(&self.target).ok();
        if replaced.is_some() {
            std::fs::rename(&self.target, &old).map_err(io_err(&self.target))?;
        }
        std::fs::rename(&self.tmp, &self.target).map_err(io_err(&self.target))?;
        match replaced {
            // A link is removed as a link (never its target), a file as a file.
            Some(m) if m.is_dir() => std::fs::remove_dir_all(&old).map_err(io_err(&old))?,
            Some(_) => std::fs::remove_file(&old).map_err(io_err(&old))?,
            None => {}
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let name = path
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        ReportError::Io {
            path: path.to_path_buf(),
            source: e,
        }
    })
}
