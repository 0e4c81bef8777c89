//! The `planetlab` reader: CoMon CPU traces as CloudSim ships them (Beloglazov & Buyya, CCPE
//! 2012), a folder of per-VM files, each one integer CPU % per line, one line every 300 s, no
//! header. Every VM arrives at 0 and lives as many 300 s intervals as its file has lines
//! (288 = 24 h); the trace has no sizes, so cores and memory come from the scenario's catalogue.
//! Files are read one at a time, in byte-wise name order, each whole into one reused buffer.

pub(super) mod folder;

use super::{TraceError, TraceFiles, TraceReader, TraceUsage, TraceVm, io};
use crate::time::SimTime;
use std::path::{Path, PathBuf};

/// The CoMon sampling interval.
pub const INTERVAL_S: u64 = 300;

/// Opens the folder (or single file) `files.main`.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Ok(Box::new(PlanetlabReader::open(&files.main)?))
}

pub struct PlanetlabReader {
    files: Vec<PathBuf>,
    skipped: Option<String>,
    next: usize,
    /// The file being read.
    bytes: Vec<u8>,
}

impl PlanetlabReader {
    pub fn open(path: &Path) -> Result<PlanetlabReader, TraceError> {
        // CoMon files have no extension: anything but documentation is a per-VM file.
        let found = folder::sorted_files(path, |name| !folder::is_documentation(name))?;
        Ok(PlanetlabReader {
            skipped: found.skipped_note("planetlab"),
            files: found.files,
            next: 0,
            bytes: Vec::new(),
        })
    }

    /// The CPU fractions of one file; blank lines are allowed only at its end. Errors come in
    /// file order, as reading line by line gave them: a bad line before the point where the
    /// file could not be read any further is the error reported.
    fn read_values(&mut self, path: &Path) -> Result<Vec<f32>, TraceError> {
        self.bytes.clear();
        let failed = io::read_all(path, &mut self.bytes)?.err();
        // Lines whole: up to the last newline, and what follows it if the file was read to its end.
        let complete = match failed {
            Some(_) => self
                .bytes
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1),
            None => self.bytes.len(),
        };
        let mut values = Vec::with_capacity(288);
        let (mut line, mut blank) = (0u64, None);
        let mut rest = &self.bytes[..complete];
        while !rest.is_empty() {
            line += 1;
            // Most lines are one to three digits and a newline: read those first, in one match.
            if blank.is_none()
                && let Some((v, len)) = digits_line(rest)
                && v <= 100
            {
                values.push((v as f64 / 100.0) as f32);
                rest = &rest[len..];
                continue;
            }
            // A line of CoMon's own form (an integer, 0–100) is read from its bytes; any other
            // goes through UTF-8, `trim` and `percent`, with the same value for the same line.
            let field = match quick_line(rest) {
                Some((v, len)) => {
                    rest = &rest[len..];
                    Ok(v)
                }
                None => {
                    let len = rest
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(rest.len(), |i| i + 1);
                    let raw;
                    (raw, rest) = rest.split_at(len);
                    let Ok(text) = std::str::from_utf8(raw) else {
                        let msg = format!("cannot read: {}", io::INVALID_UTF8);
                        return Err(TraceError::new(path, Some(line), None, msg));
                    };
                    let field = text.trim();
                    if field.is_empty() {
                        blank.get_or_insert(line);
                        continue;
                    }
                    Err(field)
                }
            };
            if let Some(b) = blank {
                let msg = "expected a CPU percentage, found an empty line";
                return Err(TraceError::new(path, Some(b), Some(1), msg));
            }
            values.push(match field {
                Ok(v) => v,
                Err(text) => percent(text, path, line)?,
            });
        }
        if let Some(e) = failed {
            let msg = format!("cannot read: {e}");
            return Err(TraceError::new(path, Some(line + 1), None, msg));
        }
        if values.is_empty() {
            let msg = "expected one CPU percentage (0–100) per line, found none";
            return Err(TraceError::new(path, None, None, msg));
        }
        Ok(values)
    }
}

/// The value and length of a first line of `bytes` that is one to three ASCII digits and a
/// newline, nothing else (`quick_line` reads the other plain lines).
fn digits_line(bytes: &[u8]) -> Option<(u32, usize)> {
    let d = |b: u8| (b as u32).wrapping_sub(b'0' as u32);
    match *bytes {
        [a, b'\n', ..] if d(a) < 10 => Some((d(a), 2)),
        [a, b, b'\n', ..] if d(a) < 10 && d(b) < 10 => Some((d(a) * 10 + d(b), 3)),
        [a, b, c, b'\n', ..] if d(a) < 10 && d(b) < 10 && d(c) < 10 => {
            Some((d(a) * 100 + d(b) * 10 + d(c), 4))
        }
        _ => None,
    }
}

/// The first line of `bytes` (up to and with its newline), when it is one to three ASCII digits
/// worth at most 100 between ASCII blanks (space, tab, CR: whitespace to `str::trim` too): its
/// CPU fraction as `percent` reads it, and the line's length. `None` for any other line (an
/// empty one included). One pass over the line's bytes.
fn quick_line(bytes: &[u8]) -> Option<(f32, usize)> {
    let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\r');
    let mut i = 0;
    while i < bytes.len() && blank(bytes[i]) {
        i += 1;
    }
    let (first, mut v) = (i, 0u32);
    while i < bytes.len() && bytes[i].is_ascii_digit() && i - first < 3 {
        v = v * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    if i == first || v > 100 {
        return None;
    }
    while i < bytes.len() && blank(bytes[i]) {
        i += 1;
    }
    match bytes.get(i) {
        None => Some(((v as f64 / 100.0) as f32, i)),
        Some(b'\n') => Some(((v as f64 / 100.0) as f32, i + 1)),
        Some(_) => None,
    }
}

/// One line's CPU % as a fraction.
fn percent(field: &str, path: &Path, line: u64) -> Result<f32, TraceError> {
    // CoMon writes integers: up to three digits are their value, exactly as `parse` gives it.
    let b = field.as_bytes();
    if !b.is_empty() && b.len() <= 3 && b.iter().all(u8::is_ascii_digit) {
        let v = b.iter().fold(0u32, |v, &d| v * 10 + (d - b'0') as u32) as f64;
        if v <= 100.0 {
            return Ok((v / 100.0) as f32);
        }
    }
    match field.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok((v / 100.0) as f32),
        _ => Err(TraceError::new(
            path,
            Some(line),
            Some(1),
            format!("expected a CPU percentage between 0 and 100, found {field:?}"),
        )),
    }
}

impl TraceReader for PlanetlabReader {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        let Some(path) = self.files.get(self.next).cloned() else {
            return Ok(None);
        };
        self.next += 1;
        let values = self.read_values(&path)?;
        Ok(Some(TraceVm {
            subscription: 0,
            line: 1,
            key: 0,
            class: String::new(),
            arrival: SimTime::ZERO,
            lifetime: Some(SimTime::from_secs(INTERVAL_S * values.len() as u64)),
            cores: None,
            memory_gib: None,
            usage: TraceUsage::Series {
                interval: SimTime::from_secs(INTERVAL_S),
                values,
            },
            group: None,
        }))
    }

    fn notes(&self) -> Vec<String> {
        self.skipped.iter().cloned().collect()
    }

    fn assumptions(&self) -> Vec<String> {
        let mut a = vec![
            format!(
                "planetlab: per-VM files: {}, read in byte-wise name order; workload i is the i-th file",
                self.files.len()
            ),
            format!(
                "planetlab: every VM arrives at 0 and lives one {INTERVAL_S} s interval per sample in its file (288 samples = 24 h)"
            ),
            "planetlab: CPU usage = sample / 100 of the requested cores, held for each 300 s interval (CloudSim interpolates linearly between samples)".to_string(),
            "planetlab: the trace has no sizes: cores and memory come from workload.trace.sizes".to_string(),
        ];
        a.extend(self.notes());
        a
    }
}

#[cfg(test)]
mod tests {
    use super::{PlanetlabReader, digits_line, percent, quick_line};
    use proptest::prelude::*;
    use std::io::Write;
    use std::path::PathBuf;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("dcsim-pl-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn first_error(path: &std::path::Path) -> (Option<u64>, String) {
        let mut r = PlanetlabReader::open(path).unwrap();
        let e = r.read_values(path).unwrap_err();
        (e.line, e.message)
    }

    fn gzip_truncated(text: &str) -> Vec<u8> {
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(text.as_bytes()).unwrap();
        let mut bytes = z.finish().unwrap();
        bytes.truncate(bytes.len() - 6); // the CRC and length trailer cut short
        bytes
    }

    proptest! {
        /// The byte path reads a line as `trim` and `percent` do, and leaves every line it
        /// does not take (not a plain integer of 0–100, or blank) to them.
        #[test]
        fn quick_line_reads_as_percent_does(
            raw in prop::collection::vec(
                prop::sample::select(b" \t\r\n0123456789.+-e\x0b".to_vec()), 0..7),
        ) {
            // The first line, with its newline.
            let first = raw.iter().position(|&b| b == b'\n').map_or(raw.len(), |i| i + 1);
            let slow = std::str::from_utf8(&raw[..first]).ok().map(str::trim)
                .filter(|f| !f.is_empty())
                .and_then(|f| percent(f, std::path::Path::new("x"), 1).ok());
            if let Some((v, len)) = digits_line(&raw).filter(|d| d.0 <= 100) {
                prop_assert_eq!(Some(((v as f64 / 100.0) as f32, len)), quick_line(&raw));
            }
            match quick_line(&raw) {
                Some((v, len)) => {
                    prop_assert_eq!(len, first);
                    prop_assert_eq!(Some(v), slow);
                }
                None => prop_assert!(!plain_percent(&raw[..first]), "{raw:?} left to the slow path"),
            }
        }
    }

    /// Whether `raw` is one run of one to three digits worth at most 100 between ASCII blanks.
    fn plain_percent(raw: &[u8]) -> bool {
        let text = String::from_utf8_lossy(raw);
        let field = text.trim_matches([' ', '\t', '\r', '\n']);
        (1..=3).contains(&field.len())
            && field.bytes().all(|b| b.is_ascii_digit())
            && field.parse::<u32>().is_ok_and(|v| v <= 100)
    }

    #[test]
    fn errors_name_the_line_reading_line_by_line_named() {
        let d = dir("errors");
        let bad_utf8 = d.join("a");
        std::fs::write(&bad_utf8, b"10\n20\n3\xff0\n40\n").unwrap();
        let (line, msg) = first_error(&bad_utf8);
        assert_eq!(line, Some(3));
        assert_eq!(msg, "cannot read: stream did not contain valid UTF-8");
        // Every line read, then the gzip stream fails at its end: the line after the last.
        let cut = d.join("b.gz");
        std::fs::write(&cut, gzip_truncated("10\n20\n30\n")).unwrap();
        let (line, msg) = first_error(&cut);
        assert_eq!(line, Some(4));
        assert!(msg.starts_with("cannot read: "), "{msg}");
        // A bad line before the failure is what is reported.
        let both = d.join("c.gz");
        std::fs::write(&both, gzip_truncated("10\n200\n30\n")).unwrap();
        let (line, msg) = first_error(&both);
        assert_eq!(line, Some(2));
        assert!(msg.contains("between 0 and 100"), "{msg}");
        // Integers take the quick path, the rest `parse`; both give what `parse` gives.
        let ok = d.join("d");
        std::fs::write(&ok, "0\n7\n100\n 55 \n12.5\n007\n1e1\n\n").unwrap();
        let mut r = PlanetlabReader::open(&ok).unwrap();
        let v = r.read_values(&ok).unwrap();
        let want: Vec<f32> = [0.0, 7.0, 100.0, 55.0, 12.5, 7.0, 10.0]
            .iter()
            .map(|&x: &f64| (x / 100.0) as f32)
            .collect();
        assert_eq!(v, want);
        let _ = std::fs::remove_dir_all(&d);
    }
}
