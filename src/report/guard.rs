//! What dcsim may replace: an output folder is replaced only when it is absent, empty, or was
//! written by dcsim (its `.dcsim-output` marker lists every entry it wrote), and never when it
//! is the current directory, one of its parents, the home directory, `/`, or holds a protected
//! input (the scenario's own folder). A symbolic link is never followed into replacing its
//! target. `--force` replaces a folder with other contents, but never a refused location.

use super::ReportError;
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};

/// The marker file dcsim writes into every folder it writes.
pub const MARKER: &str = ".dcsim-output";

/// How an output folder may be replaced, given by the command.
#[derive(Clone, Debug, Default)]
pub struct OutputPolicy {
    /// Replace a folder even though it holds files dcsim did not write (`--force`).
    pub force: bool,
    /// Inputs that must survive: the folder of the scenario, sweep file or merged shards.
    /// The output may be neither one of them nor a folder that contains one.
    pub protect: Vec<PathBuf>,
}

impl OutputPolicy {
    /// The policy for a command reading `input` (a scenario or sweep file, or a folder).
    pub fn protecting(input: &Path, force: bool) -> OutputPolicy {
        let folder = if input.is_dir() {
            input
        } else {
            input.parent().unwrap_or(Path::new("."))
        };
        OutputPolicy {
            force,
            protect: vec![folder.to_path_buf()],
        }
    }
}

/// The contents of `.dcsim-output`: what kind of folder this is and every entry dcsim wrote.
#[derive(Serialize, Deserialize)]
struct Marker {
    written_by: String,
    version: String,
    /// `run`, `comparison`, `sweep`, `bench-scaling`.
    folder: String,
    files: Vec<String>,
}

/// Refuses `target` unless dcsim may replace it (see the module doc). Cheap: one listing.
pub fn check_target(target: &Path, policy: &OutputPolicy) -> Result<(), ReportError> {
    if let Some(why) = refused_location(target, &policy.protect) {
        return Err(refusal(target, why, false));
    }
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(ReportError::Io {
                path: target.to_path_buf(),
                source,
            });
        }
    };
    if policy.force {
        return Ok(());
    }
    if meta.file_type().is_symlink() {
        let why = "it is a symbolic link, and dcsim does not replace a link's target; choose \
                   another --out, or add --force to replace the link itself (its target is left \
                   alone)";
        return Err(ReportError::Refused {
            path: target.to_path_buf(),
            message: why.into(),
        });
    }
    if !meta.is_dir() {
        return Err(refusal(target, "it is a file, not a folder".into(), true));
    }
    let foreign = foreign_entries(target)?;
    if foreign.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    let more = match foreign.len() {
        n if n > 5 => format!(" and {} more", n - 5),
        _ => String::new(),
    };
    let why = format!(
        "it holds {} entr{} that dcsim did not write: {}{more}",
        foreign.len(),
        if foreign.len() == 1 { "y" } else { "ies" },
        shown.join(", ")
    );
    Err(refusal(target, why, true))
}

fn refusal(target: &Path, why: String, forceable: bool) -> ReportError {
    let way_out = if forceable {
        "choose another --out, or add --force to replace the folder (destroying everything in it)"
    } else {
        "choose another --out, a folder of its own (--force does not apply here)"
    };
    ReportError::Refused {
        path: target.to_path_buf(),
        message: format!("{why}; {way_out}"),
    }
}

/// Why `target` may never be replaced, if it may not: `/`, home, the current directory or a
/// parent of it, or a protected input or a folder containing one.
fn refused_location(target: &Path, protect: &[PathBuf]) -> Option<String> {
    let abs = resolve(target);
    if abs.parent().is_none() {
        return Some("it is the root folder".into());
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && resolve(Path::new(&home)) == abs
    {
        return Some("it is your home folder".into());
    }
    if let Ok(cwd) = std::env::current_dir()
        && resolve(&cwd).starts_with(&abs)
    {
        return Some("it is the current folder or a parent of it".into());
    }
    for p in protect {
        let p = resolve(p);
        if p.starts_with(&abs) {
            return Some(format!(
                "it is or contains {}, an input of this command",
                p.display()
            ));
        }
    }
    None
}

/// `p` made absolute, with `.` and `..` resolved and every existing prefix's links followed,
/// except `p`'s own last component (so that a link named as output is judged as the link).
fn resolve(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    let parts: Vec<Component> = abs.components().collect();
    for (i, c) in parts.iter().enumerate() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other.as_os_str());
                let last = i + 1 == parts.len();
                if !last && let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    out
}

/// Entries of `dir` that dcsim did not write, sorted by name.
fn foreign_entries(dir: &Path) -> Result<Vec<String>, ReportError> {
    let io = |source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut names = Vec::new();
    let mut plain_files = true;
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        plain_files &= entry.file_type().is_ok_and(|t| t.is_file());
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    if names.is_empty() {
        return Ok(names);
    }
    if let Some(marker) = read_marker(&dir.join(MARKER)) {
        return Ok(names
            .into_iter()
            .filter(|n| n != MARKER && !marker.files.contains(n))
            .collect());
    }
    if plain_files && written_before_markers(dir, &names) {
        return Ok(Vec::new());
    }
    Ok(names)
}

fn read_marker(path: &Path) -> Option<Marker> {
    let text = std::fs::read_to_string(path).ok()?;
    let m: Marker = serde_json::from_str(&text).ok()?;
    (m.written_by == "dcsim").then_some(m)
}

/// A folder that dcsim wrote before it wrote markers: only its kinds of file, and a signature
/// file it writes (run.json with `dcsim_version`, an experiment's plan, the scaling table).
fn written_before_markers(dir: &Path, names: &[String]) -> bool {
    const EXTENSIONS: [&str; 6] = ["json", "csv", "md", "html", "png", "svg"];
    let known_kinds = names.iter().all(|n| {
        Path::new(n)
            .extension()
            .is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().as_ref()))
    });
    let json = |name: &str| -> Option<serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).ok()?).ok()
    };
    let run = json("run.json").is_some_and(|v| v.get("dcsim_version").is_some());
    let plan = ["comparison.json", "sweep.json"]
        .iter()
        .any(|f| json(f).is_some_and(|v| v.get("axes").is_some() && v.get("seeds").is_some()));
    let scaling = std::fs::read_to_string(dir.join("scaling.csv"))
        .is_ok_and(|t| t.starts_with("axis,hosts,vms,events,wall_s,"));
    known_kinds && (run || plan || scaling)
}

/// Writes the marker into the staged folder `dir`, listing every entry in it.
pub(super) fn write_marker(dir: &Path, folder: &str) -> Result<(), ReportError> {
    let io = |source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let name = entry
            .map_err(io)?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name != MARKER {
            files.push(name);
        }
    }
    files.sort();
    let marker = Marker {
        written_by: "dcsim".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        folder: folder.into(),
        files,
    };
    let text = serde_json::to_string_pretty(&marker).expect("a marker serialises") + "\n";
    let path = dir.join(MARKER);
    std::fs::write(&path, text).map_err(|source| ReportError::Io { path, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("dcsim-guard-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn absent_and_empty_folders_may_be_replaced() {
        let d = temp("empty");
        let p = OutputPolicy::default();
        assert!(check_target(&d.join("absent"), &p).is_ok());
        assert!(check_target(&d, &p).is_ok());
    }

    #[test]
    fn a_foreign_file_is_named_and_force_lets_it_go() {
        let d = temp("foreign");
        std::fs::write(d.join("thesis.tex"), "x").unwrap();
        let e = check_target(&d, &OutputPolicy::default()).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("thesis.tex") && msg.contains("--force"),
            "{msg}"
        );
        let force = OutputPolicy {
            force: true,
            ..Default::default()
        };
        assert!(check_target(&d, &force).is_ok());
    }

    #[test]
    fn a_marked_folder_is_ours_but_a_file_added_later_is_not() {
        let d = temp("marked");
        std::fs::write(d.join("summary.json"), "{}").unwrap();
        write_marker(&d, "run").unwrap();
        assert!(check_target(&d, &OutputPolicy::default()).is_ok());
        std::fs::write(d.join("notes.txt"), "mine").unwrap();
        let msg = check_target(&d, &OutputPolicy::default())
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("notes.txt") && !msg.contains("summary.json"),
            "{msg}"
        );
    }

    #[test]
    fn root_home_and_protected_inputs_are_refused_even_with_force() {
        let force = OutputPolicy {
            force: true,
            protect: vec![PathBuf::from("/tmp/some/scenarios")],
        };
        for p in [
            "/",
            "/tmp/some/scenarios",
            "/tmp/some",
            "/tmp/some/x/../scenarios",
        ] {
            let msg = check_target(Path::new(p), &force).unwrap_err().to_string();
            assert!(msg.contains("does not apply"), "{p}: {msg}");
        }
        assert!(check_target(Path::new("/tmp/some/scenarios-out"), &force).is_ok());
    }

    #[test]
    fn resolve_removes_dots_lexically_where_nothing_exists() {
        assert_eq!(
            resolve(Path::new("/nonexistent-dcsim/a/../b/./c")),
            PathBuf::from("/nonexistent-dcsim/b/c")
        );
    }
}
