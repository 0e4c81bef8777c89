//! `TraceStream`: a trace read as `WorkloadSpec`s sorted by arrival, sizes assigned, classes,
//! subscriptions and services numbered as the stream names them.

use super::{Reorder, TraceError, TraceFiles, TraceGroup, TraceReader, TraceVm, open_reader};
use crate::landscape::Machine;
use crate::scenario::{SizeAssignment, TraceSpec, WorkloadSpecs};
use crate::time::SimTime;
use crate::workload::{ClassId, Resources, SubscriptionId, WorkloadId, WorkloadSpec};
use rand::distr::weighted::WeightedIndex;
use rand::rngs::ChaCha8Rng;
use rand_distr::Distribution;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
