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
mod swf;

pub use inspect::{TraceSummary, inspect, summary_text};
pub use native::{NativeReader, NativeWriter};
pub use reorder::Reorder;

use crate::landscape::Machine;
use crate::scenario::{SizeAssignment, TraceFormat, TraceSpec, WorkloadSpecs};
use crate::time::SimTime;
use crate::workload::{ClassId, Resources, SubscriptionId, WorkloadId, WorkloadSpec};
use rand::distr::weighted::WeightedIndex;
use rand::rngs::ChaCha8Rng;
use rand_distr::Distribution;
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

/// A trace as a stream of `WorkloadSpec`s sorted by arrival.
pub struct TraceStream {
    reorder: Reorder<Box<dyn TraceReader>>,
    classes: Vec<String>,
    /// Each class's index in `classes` (looked up, never iterated).
    class_index: HashMap<String, u16>,
    /// The class of the last row (an index into `classes` once there is one).
    last_class: u16,
    path: PathBuf,
    sizes: Vec<Resources>,
    size_index: Option<WeightedIndex<f64>>,
    assignment: SizeAssignment,
    expected: u64,
    size_rng: ChaCha8Rng,
    next_id: u64,
    max: u64,
    horizon: SimTime,
    skip: SimTime,
    store: crate::workload::UsageStore,
    assumptions: Vec<String>,
    /// For usage feeds: the workload of each live trace key, and back.
    by_key: HashMap<u64, WorkloadId>,
    key_of_id: HashMap<WorkloadId, u64>,
    readings: Vec<(u64, f64)>,
    /// Workloads that lacked a size and had no catalogue to take one from.
    without_size: u64,
    /// The service group of the workload `next_workload` last returned.
    last_group: Option<TraceGroup>,
    /// Each subscription's trace key, by dense `SubscriptionId`, and back (looked up, never
    /// iterated).
    subscription_keys: Vec<u64>,
    subscription_index: HashMap<u64, u32>,
}

impl std::fmt::Debug for TraceStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TraceStream {{ classes: {:?}, next_id: {} }}",
            self.classes, self.next_id
        )
    }
}

impl TraceStream {
    /// Opens the trace of `spec`; `catalogue` resolves `spec.sizes`.
    pub fn open(
        spec: &TraceSpec,
        catalogue: &WorkloadSpecs,
        base: &Path,
        horizon: SimTime,
        size_rng: ChaCha8Rng,
    ) -> Result<TraceStream, TraceError> {
        let files = TraceFiles::of(spec, base);
        let path = files.main.clone();
        let reader = open_reader(spec.format, &files)?;
        let mut assumptions = Vec::new();
        let sizes: Vec<Resources> = spec
            .sizes
            .iter()
            .filter_map(|e| {
                catalogue
                    .vm_sizes
                    .iter()
                    .find(|v| v.name == e.get_ref().size)
            })
            .filter_map(|v| Resources::from_cores_gib(v.cores.0, v.memory_gib.0))
            .collect();
        let size_index = WeightedIndex::new(spec.sizes.iter().map(|e| e.get_ref().weight.0)).ok();
        if !sizes.is_empty() {
            assumptions.push(format!(
                "workloads without a size get one of {} catalogue sizes ({:?})",
                sizes.len(),
                spec.size_assignment
            ));
        }
        Ok(TraceStream {
            reorder: Reorder::new(reader, spec.reorder_window as usize, path.clone()),
            classes: Vec::new(),
            class_index: HashMap::new(),
            last_class: 0,
            path,
            sizes,
            size_index,
            assignment: spec.size_assignment,
            expected: spec.expected_workloads.unwrap_or(1).max(1),
            size_rng,
            next_id: 0,
            max: spec.max_workloads.unwrap_or(u64::MAX),
            horizon,
            skip: spec.skip,
            store: Default::default(),
            assumptions,
            by_key: HashMap::new(),
            key_of_id: HashMap::new(),
            readings: Vec::new(),
            without_size: 0,
            last_group: None,
            subscription_keys: Vec::new(),
            subscription_index: HashMap::new(),
        })
    }

    pub fn class_name(&self, class: ClassId) -> &str {
        self.classes
            .get(class.0 as usize)
            .map_or("", String::as_str)
    }

    pub fn class_names(&self) -> Vec<String> {
        self.classes.clone()
    }

    /// What the reader and the stream assumed, as of now (readers count skipped rows as they go).
    pub fn assumptions(&self) -> Vec<String> {
        let mut all = self.reorder.reader().assumptions();
        all.extend(self.assumptions.iter().cloned());
        if self.without_size > 0 {
            all.push(format!(
                "{} workloads lacked cores or memory in the trace and got 0 of it (set workload.trace.sizes to use the catalogue)",
                self.without_size
            ));
        }
        all
    }

    pub fn usage_store(&self) -> &crate::workload::UsageStore {
        &self.store
    }

    /// Sets how recorded series are read between samples.
    pub fn set_series_reading(&mut self, reading: crate::workload::SeriesReading) {
        self.store.set_reading(reading);
    }

    /// Frees what the stream holds for a workload that has left.
    pub fn release(&mut self, w: &WorkloadSpec) {
        self.store.release(&w.usage);
        if let Some(key) = self.key_of_id.remove(&w.id) {
            self.by_key.remove(&key);
        }
    }

    /// The trace key of subscription `s` (0 if the stream has not numbered it).
    pub fn subscription_key(&self, s: SubscriptionId) -> u64 {
        self.subscription_keys
            .get(s.0 as usize)
            .copied()
            .unwrap_or(0)
    }

    /// The dense id of the subscription keyed `key`, numbered in first-seen order (`None`
    /// for 0: the row has none).
    fn subscription_id(&mut self, key: u64) -> Option<SubscriptionId> {
        if key == 0 {
            return None;
        }
        let next = self.subscription_keys.len() as u32;
        let id = *self.subscription_index.entry(key).or_insert(next);
        if id == next {
            self.subscription_keys.push(key);
        }
        Some(SubscriptionId(id))
    }

    /// The service group of the workload `next_workload` last returned (taken: asked once).
    pub fn take_group(&mut self) -> Option<TraceGroup> {
        self.last_group.take()
    }

    /// The machines the trace lists.
    pub fn machines(&mut self) -> Result<Vec<Machine>, TraceError> {
        self.reorder.reader_mut().machines()
    }

    pub fn has_usage_feed(&self) -> bool {
        self.reorder.reader().has_usage_feed()
    }

    /// Usage readings up to `until` for workloads the stream has emitted (readings of workloads
    /// not yet arrived, already gone, or never replayed are dropped).
    pub fn usage_until(
        &mut self,
        until: SimTime,
        out: &mut Vec<(WorkloadId, f64)>,
    ) -> Result<(), TraceError> {
        self.readings.clear();
        self.reorder
            .reader_mut()
            .usage_until(until, &mut self.readings)?;
        out.extend(
            self.readings
                .iter()
                .filter_map(|&(k, u)| self.by_key.get(&k).map(|&id| (id, u.clamp(0.0, 1.0)))),
        );
        Ok(())
    }

    /// The next workload arriving within the horizon, or `None`.
    pub fn next_workload(&mut self) -> Result<Option<WorkloadSpec>, TraceError> {
        loop {
            if self.next_id >= self.max {
                return Ok(None);
            }
            let Some(vm) = self.reorder.next_sorted()? else {
                return Ok(None);
            };
            let (arrival, lifetime) = match self.shift(&vm) {
                Some(times) => times,
                None => continue,
            };
            if arrival > self.horizon {
                return Ok(None);
            }
            let id = WorkloadId(self.next_id);
            let request = self.request(&vm, id);
            let class = self.class_id(&vm)?;
            let usage = self.store.profile(vm.usage, arrival);
            let subscription = self.subscription_id(vm.subscription);
            self.next_id += 1;
            if vm.key != 0 {
                self.by_key.insert(vm.key, id);
                self.key_of_id.insert(id, vm.key);
            }
            self.last_group = vm.group;
            return Ok(Some(WorkloadSpec {
                id,
                class,
                arrival,
                lifetime,
                request,
                features: Default::default(),
                usage,
                subscription,
            }));
        }
    }

    /// Arrival and lifetime after skipping the trace's first `skip`; `None` if it ended before.
    fn shift(&self, vm: &TraceVm) -> Option<(SimTime, Option<SimTime>)> {
        let end = vm.lifetime.map(|l| vm.arrival.saturating_add(l));
        if end.is_some_and(|e| e <= self.skip) {
            return None;
        }
        let arrival = vm.arrival.saturating_sub(self.skip);
        Some((arrival, end.map(|e| e.saturating_sub(self.skip) - arrival)))
    }

    fn request(&mut self, vm: &TraceVm, id: WorkloadId) -> Resources {
        let traced = match (vm.cores, vm.memory_gib) {
            (Some(c), Some(m)) => Resources::from_cores_gib(c, m),
            _ => None,
        };
        if let Some(r) = traced {
            return r;
        }
        let k = self.sizes.len();
        let i = match (self.assignment, &self.size_index) {
            // No catalogue: what the trace gives, and nothing for what it does not.
            _ if k == 0 => {
                self.without_size += 1;
                return Resources::from_cores_gib(
                    vm.cores.unwrap_or(0.0),
                    vm.memory_gib.unwrap_or(0.0),
                )
                .unwrap_or(Resources::ZERO);
            }
            (SizeAssignment::RoundRobin, _) => (id.0 % k as u64) as usize,
            (SizeAssignment::Blocks, _) => {
                let block = self.expected.div_ceil(k as u64);
                ((id.0 / block) as usize).min(k - 1)
            }
            (SizeAssignment::Weighted, Some(w)) => w.sample(&mut self.size_rng),
            (SizeAssignment::Weighted, None) => 0,
        };
        let mut r = self.sizes[i];
        if let Some(c) = vm.cores.and_then(|c| Resources::from_cores_gib(c, 0.0)) {
            r.cpu = c.cpu;
        }
        if let Some(m) = vm
            .memory_gib
            .and_then(|m| Resources::from_cores_gib(0.0, m))
        {
            r.memory = m.memory;
        }
        r
    }

    /// The id of class `name` (found by a map, not a scan: a trace may name many classes);
    /// class ids are 16 bits, so a trace naming more classes than that is an error.
    fn class_id(&mut self, vm: &TraceVm) -> Result<ClassId, TraceError> {
        // Most rows name the class the row before did (or none): no hashing for those.
        let last = self.last_class as usize;
        // (Lengths first: comparing two empty strings would call memcmp on dangling pointers,
        // slow in glibc's AVX-512 memcmp; see `ServiceLevels::add`.)
        let same = |c: &String| c.len() == vm.class.len() && (c.is_empty() || *c == vm.class);
        if self.classes.get(last).is_some_and(same) {
            return Ok(ClassId(self.last_class));
        }
        if let Some(&i) = self.class_index.get(&vm.class) {
            self.last_class = i;
            return Ok(ClassId(i));
        }
        let i = u16::try_from(self.classes.len()).map_err(|_| {
            TraceError::new(
                &self.path,
                Some(vm.line),
                None,
                format!(
                    "class {:?}: expected at most {} distinct classes in a trace",
                    vm.class,
                    u16::MAX as usize + 1
                ),
            )
        })?;
        self.classes.push(vm.class.clone());
        self.class_index.insert(vm.class.clone(), i);
        self.last_class = i;
        Ok(ClassId(i))
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
