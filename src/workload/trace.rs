//! Recorded traces: the `TraceReader` each format implements, and `TraceStream`, which turns a
//! reader's rows into `WorkloadSpec`s in arrival order (bounded reordering, sizes from the
//! catalogue where the trace has none, classes by name) without ever holding the whole trace.

mod alibaba2018;
mod azure;
mod azure_packing;
mod bitbrains;
mod google2011;
mod google2019;
mod huawei;
mod inspect;
pub mod io;
mod native;
mod openb;
mod planetlab;
pub mod public;
mod reorder;
pub mod sample;
mod stream;
mod swf;

pub use inspect::{TraceSummary, inspect, summary_text};
pub use native::{NativeReader, NativeWriter};
pub use reorder::Reorder;
pub use stream::TraceStream;

use crate::landscape::Machine;
use crate::scenario::{TraceFormat, TraceSpec};
use crate::time::SimTime;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

/// A malformed or unreadable trace: file, line and column where known.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{}{}: {}", file.display(), line.map_or(String::new(), |l| format!(":{l}")), column.map_or(String::new(), |c| format!(":{c}")), crate::scenario::clip(message, crate::scenario::MAX_MESSAGE))]
pub struct TraceError {
    pub file: PathBuf,
    pub line: Option<u64>,
    /// 1-based column (field) number.
    pub column: Option<usize>,
    pub message: String,
}

impl TraceError {
    pub fn new(
        file: &Path,
        line: Option<u64>,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> TraceError {
        TraceError {
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// CPU usage a trace gives for one workload.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceUsage {
    /// The trace says nothing: the workload uses its whole request.
    Unknown,
    /// A constant fraction of the request (e.g. a recorded average).
    Constant(f64),
    /// Fractions of the request at a fixed interval from the workload's arrival.
    Series { interval: SimTime, values: Vec<f32> },
}

/// One workload as a trace records it. Times are from the trace's start.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceVm {
    /// Line of the trace file it came from, for messages (0 when unknown).
    pub line: u64,
    /// The trace's identity of the workload (e.g. a hash of its VM id), for usage readings that
    /// arrive later through `usage_until`; 0 when the reader has no such readings.
    pub key: u64,
    /// `key_of` the trace's subscription or user id (Azure `subscriptionid`); 0 when it has none.
    pub subscription: u64,
    /// The trace's class or category name ("" when it has none).
    pub class: String,
    pub arrival: SimTime,
    /// `None`: still running when the trace ends.
    pub lifetime: Option<SimTime>,
    /// Requested cores and GiB; `None` when the trace does not say (sizes then come from the catalogue).
    pub cores: Option<f64>,
    pub memory_gib: Option<f64>,
    pub usage: TraceUsage,
    /// The service and component the trace puts it in (Google collections, Alibaba jobs and
    /// tasks, Azure deployments); filled only when `TraceFiles::groups` asks for it.
    pub group: Option<TraceGroup>,
}

/// A workload's service (job, collection, deployment) and component (task group) in a trace,
/// by the trace's own names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceGroup {
    pub service: String,
    pub component: String,
}

/// One recorded format, read row by row.
pub trait TraceReader {
    /// The next workload in file order (the stream sorts within a window), or `None` at the end.
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError>;
    /// The next workload and how many identical ones follow it in file order, itself included
    /// (a trace row that stands for many instances). `dcsim trace inspect` reads this, so that
    /// summarising a trace is linear in its size, not in the number of workloads it expands to.
    fn next_run(&mut self) -> Result<Option<(TraceVm, u64)>, TraceError> {
        Ok(self.next_vm()?.map(|vm| (vm, 1)))
    }
    /// What a user should hear about the input as read (e.g. files of a folder skipped as not
    /// of the format); `dcsim trace inspect` prints these, and `assumptions` includes them.
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
    /// What the reader assumed where the trace is silent, for run.json.
    fn assumptions(&self) -> Vec<String> {
        Vec::new()
    }
    /// Usage readings (key, fraction of the request) timestamped up to `until`, in time order,
    /// from a separate readings file. Readers without one keep the default.
    fn usage_until(
        &mut self,
        _until: SimTime,
        _out: &mut Vec<(u64, f64)>,
    ) -> Result<(), TraceError> {
        Ok(())
    }
    /// Whether `usage_until` ever yields readings.
    fn has_usage_feed(&self) -> bool {
        false
    }
    /// The machines the trace lists (for `landscape.from_trace`), read from its machine table.
    fn machines(&mut self) -> Result<Vec<Machine>, TraceError> {
        Ok(Vec::new())
    }
}

/// The files of one trace: the main table and, where the format has them, usage readings and a
/// machine table.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceFiles {
    pub main: PathBuf,
    pub usage: Option<PathBuf>,
    pub machines: Option<PathBuf>,
    /// Cores and GiB per normalised unit, for traces with normalised sizes (Google, packing).
    pub cpu_scale: f64,
    pub memory_scale_gib: f64,
    /// Readers that know a workload's service fill `TraceVm::group` (`[workload.trace.services]`).
    pub groups: bool,
}

impl Default for TraceFiles {
    fn default() -> Self {
        TraceFiles {
            main: PathBuf::new(),
            usage: None,
            machines: None,
            cpu_scale: 1.0,
            memory_scale_gib: 1.0,
            groups: false,
        }
    }
}

impl TraceFiles {
    /// The files a `[workload.trace]` names, relative to `base`.
    pub fn of(spec: &TraceSpec, base: &Path) -> TraceFiles {
        TraceFiles {
            main: base.join(spec.path.get_ref()),
            usage: spec.usage_path.as_ref().map(|p| base.join(p)),
            machines: spec.machines_path.as_ref().map(|p| base.join(p)),
            cpu_scale: spec.cpu_scale.0,
            memory_scale_gib: spec.memory_scale_gib.0,
            groups: spec.services.is_some(),
        }
    }

    pub fn main_only(path: &Path) -> TraceFiles {
        TraceFiles {
            main: path.to_path_buf(),
            ..TraceFiles::default()
        }
    }
}

/// A stable 64-bit key for a trace's textual id (FNV-1a, then mixed).
pub fn key_of(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    crate::engine::rng::mix64(h) | 1
}

/// A map keyed by `key_of` keys. They are mixed already, so each is its own hash (SipHash over
/// them again was an eighth of the huawei-2021 reader's instructions); not for iterating into
/// output, as no `HashMap` is.
pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHash>>;

/// The hasher of `KeyMap`: a `u64` key as it is (other input, never written by `KeyMap`, FNV-1a).
#[derive(Default)]
pub struct KeyHash(u64);

impl Hasher for KeyHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// Opens the reader of `format` over `files`.
pub fn open_reader(
    format: TraceFormat,
    files: &TraceFiles,
) -> Result<Box<dyn TraceReader>, TraceError> {
    let named = [
        Some(&files.main),
        files.usage.as_ref(),
        files.machines.as_ref(),
    ];
    if let Some(missing) = named.into_iter().flatten().find(|p| !p.exists()) {
        return Err(TraceError::new(
            missing,
            None,
            None,
            public::missing_file_message(format),
        ));
    }
    match format {
        TraceFormat::Native => Ok(Box::new(NativeReader::open(&files.main)?)),
        TraceFormat::AzureV1 => azure::open_v1(files),
        TraceFormat::AzureV2 => azure::open_v2(files),
        TraceFormat::AzurePacking2020 => azure_packing::open(files),
        TraceFormat::Huawei2021 => huawei::open(files),
        TraceFormat::Google2011 => google2011::open(files),
        TraceFormat::Google2019 => google2019::open(files),
        TraceFormat::Alibaba2018 => alibaba2018::open(files),
        TraceFormat::AlibabaGpu2023 => openb::open(files),
        TraceFormat::Bitbrains => bitbrains::open(files),
        TraceFormat::Planetlab => planetlab::open(files),
        TraceFormat::Swf => swf::open(files),
    }
}

/// Summarises a trace (`dcsim trace inspect`).
pub fn inspect_files(format: TraceFormat, files: &TraceFiles) -> Result<TraceSummary, TraceError> {
    inspect(open_reader(format, files)?.as_mut())
}

/// Converts the trace at `path` to the native format in `out`, written through a temporary file
/// and a rename (`dcsim trace convert`). Returns the number of workloads written.
pub fn convert(format: TraceFormat, files: &TraceFiles, out: &Path) -> Result<u64, TraceError> {
    let mut reader = open_reader(format, files)?;
    let tmp = out.with_file_name(format!(
        ".{}.tmp-{}",
        out.file_name()
            .map_or("trace".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let write_err =
        |e: &dyn std::fmt::Display| TraceError::new(out, None, None, format!("cannot write: {e}"));
    let result = (|| {
        let file = std::fs::File::create(&tmp).map_err(|e| write_err(&e))?;
        let mut writer =
            NativeWriter::new(std::io::BufWriter::new(file)).map_err(|e| write_err(&e))?;
        let mut n = 0;
        while let Some(vm) = reader.next_vm()? {
            writer.write(&vm).map_err(|e| write_err(&e))?;
            n += 1;
        }
        writer.finish().map_err(|e| write_err(&e))?;
        std::fs::rename(&tmp, out).map_err(|e| write_err(&e))?;
        Ok(n)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
