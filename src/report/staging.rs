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
        remove_stale(parent, &name);
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
        if let Some(m) = &replaced
            && exchange(&self.tmp, &self.target).map_err(io_err(&self.target))?
        {
            // One step: the new folder is in place and the previous one where the staged was;
            // a kill at any instant leaves one complete folder under the target's name.
            self.committed = true;
            let previous = &self.tmp;
            return if m.is_dir() {
                std::fs::remove_dir_all(previous).map_err(io_err(previous))
            } else {
                std::fs::remove_file(previous).map_err(io_err(previous))
            };
        }
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

/// Swaps `a` and `b` in one step (Linux `renameat2` with `RENAME_EXCHANGE`); `false` where the
/// system or the file system cannot (the caller then renames in two steps).
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::ffi::OsStrExt;
        let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
        let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: two NUL-terminated paths relative to the current folder; no memory is shared.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(true);
        }
        let e = std::io::Error::last_os_error();
        return match e.raw_os_error() {
            Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
            _ => Err(e),
        };
    }
    #[allow(unreachable_code)]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Removes the staging folders (`.<name>.tmp-<pid>`, and `.old` ones) that runs killed before
/// their end left beside the target: those whose process is gone.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.tmp-");
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether process `pid` exists (unknown: assumed alive, so nothing is removed).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
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
