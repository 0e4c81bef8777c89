//! Google cluster data 2019 (`google-2019`): instance_events (the main file) and machine_events
//! exported from BigQuery as CSV with a header or as JSON lines (see `table`). One workload per
//! instance (collection_id, instance_index) of a job, from its SUBMIT (or first event) to its
//! EVICT, FAIL, FINISH, KILL or LOST, as for 2011 (`google2011::assemble`). Event codes: SUBMIT 0,
//! QUEUE 1, ENABLE 2, SCHEDULE 3, EVICT 4, FAIL 5, FINISH 6, KILL 7, LOST 8, UPDATE_PENDING 9,
//! UPDATE_RUNNING 10 (numbers or names). Times in µs (0 before the window, 2^63 − 1 after it);
//! resource_request {cpus, memory} in NCU and normalised memory, scaled by `cpu_scale` and
//! `memory_scale_gib`. Alloc-set instances (collection_type 1) are reservations, not work: skipped.

mod table;

use super::google2011::assemble::{Assembler, Event, Step};
use super::google2011::fields::{Moment, Scale, class_name};
use super::google2011::machines::{MachineTable, no_table};
use super::{TraceError, TraceFiles, TraceReader, TraceVm, key_of};
use crate::landscape::Machine;
use std::path::{Path, PathBuf};
use table::{Field, Table};

const TIME: usize = 0;
const TYPE: usize = 1;
const COLLECTION: usize = 2;
const INDEX: usize = 3;
const CLASS: usize = 4;
const COLLECTION_TYPE: usize = 5;
const CPUS: usize = 6;
const MEMORY: usize = 7;

const fn field(name: &'static str, aliases: &'static [&'static str]) -> Field {
    Field { name, aliases }
}

static INSTANCE_FIELDS: [Field; 8] = [
    field("time", &[]),
    field("type", &["event_type"]),
    field("collection_id", &[]),
    field("instance_index", &[]),
    field("scheduling_class", &[]),
    field("collection_type", &[]),
    field("resource_request.cpus", &["resource_request_cpus", "cpus"]),
    field(
        "resource_request.memory",
        &["resource_request_memory", "memory"],
    ),
];

/// Event names in code order.
const EVENTS: [&str; 11] = [
    "SUBMIT",
    "QUEUE",
    "ENABLE",
    "SCHEDULE",
    "EVICT",
    "FAIL",
    "FINISH",
    "KILL",
    "LOST",
    "UPDATE_PENDING",
    "UPDATE_RUNNING",
];

/// Opens the reader.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    let table = Table::open(&files.main, &INSTANCE_FIELDS)?;
    table.require_columns(&[TIME, TYPE, COLLECTION, INDEX])?;
    Ok(Box::new(Google2019 {
        path: files.main.clone(),
        table,
        scale: Scale::of(files),
        tasks: Assembler::grouped(
            files
                .groups
                .then_some(collection_group as fn(&(u64, u64)) -> _),
        ),
        machines: files.machines.clone(),
        alloc_events: 0,
    }))
}

struct Google2019 {
    path: PathBuf,
    table: Table,
    scale: Scale,
    tasks: Assembler<(u64, u64)>,
    machines: Option<PathBuf>,
    /// Events of alloc-set instances, skipped.
    alloc_events: u64,
}

/// An event type given as a code or a name.
fn event_code(t: &Table, f: usize, names: &[&str]) -> Result<usize, TraceError> {
    let raw = t
        .text(f)
        .ok_or_else(|| t.error(f, "expected an event type, found nothing".into()))?;
    raw.parse::<usize>()
        .ok()
        .filter(|&c| c < names.len())
        .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(&raw)))
        .ok_or_else(|| {
            t.error(
                f,
                format!(
                    "expected an event type 0 … {} or its name ({}), found {raw:?}",
                    names.len() - 1,
                    names.join(", ")
                ),
            )
        })
}

impl Google2019 {
    fn event(&mut self) -> Result<(), TraceError> {
        let t = &self.table;
        let time = Moment::of_micros(t.required(TIME)?);
        let step = match event_code(t, TYPE, &EVENTS)? {
            0 => Step::Open,
            4..=8 => Step::End,
            _ => Step::Update,
        };
        let collection = t.required(COLLECTION)?;
        let index = t.required(INDEX)?;
        if t.whole(COLLECTION_TYPE)? == Some(1) {
            self.alloc_events += 1;
            return Ok(());
        }
        let class = match t.whole(CLASS)? {
            None => "",
            Some(c) => {
                class_name(c).ok_or_else(|| t.error(CLASS, format!("expected 0 … 3, found {c}")))?
            }
        };
        let cores = size(t, CPUS)?.map(|c| c * self.scale.cpu);
        let memory = size(t, MEMORY)?.map(|m| m * self.scale.memory_gib);
        let key = if step == Step::End {
            0
        } else {
            key_of(&format!("{collection}/{index}"))
        };
        let ev = Event {
            time,
            step,
            line: t.line(),
            key,
            // Instance events carry no user (it is in collection_events, not read here).
            subscription: 0,
            class,
            cores,
            memory_gib: memory,
        };
        self.tasks.apply((collection, index), ev);
        Ok(())
    }
}

/// An instance's service: its collection (one component, the collection's instances).
fn collection_group(&(collection, _): &(u64, u64)) -> super::TraceGroup {
    super::TraceGroup {
        service: collection.to_string(),
        component: "instances".to_string(),
    }
}

/// A size zero or greater, or `None`.
fn size(t: &Table, f: usize) -> Result<Option<f64>, TraceError> {
    match t.number(f)? {
        Some(v) if v < 0.0 => {
            Err(t.error(f, format!("expected a number zero or greater, found {v}")))
        }
        v => Ok(v),
    }
}

impl TraceReader for Google2019 {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        loop {
            if let Some(vm) = self.tasks.pop() {
                return Ok(Some(vm));
            }
            if self.tasks.is_drained() {
                return Ok(None);
            }
            if self.table.next()? {
                self.event()?;
            } else {
                self.tasks.finish();
            }
        }
    }

    fn assumptions(&self) -> Vec<String> {
        let mut a = vec![
            "google-2019: one workload per job instance (collection_id, instance_index), from its SUBMIT (or first event) to its EVICT, FAIL, FINISH, KILL or LOST; alloc-set instances (reservations) are skipped".to_string(),
            "google-2019: time 0 (before the trace window) is time 0; instances ending at 2^63-1 (after the window) or never ending run past the trace's end".to_string(),
            format!("google-2019: resource_request scaled by {} cores per NCU and {} GiB per normalised memory unit; an instance's size is its latest request", self.scale.cpu, self.scale.memory_gib),
            "google-2019: classes are scheduling classes 0-3 (class-0 … class-3); usage is not read (each instance uses its whole request)".to_string(),
        ];
        if self.alloc_events > 0 {
            a.push(format!(
                "google-2019: {} events of alloc-set instances were skipped",
                self.alloc_events
            ));
        }
        if self.tasks.orphans > 0 {
            a.push(format!(
                "google-2019: {} terminal events of instances not seen starting were ignored",
                self.tasks.orphans
            ));
        }
        a
    }

    fn machines(&mut self) -> Result<Vec<Machine>, TraceError> {
        match &self.machines {
            Some(m) => read_machines(m, self.scale),
            None => Err(no_table(&self.path, "machine_events")),
        }
    }
}

static MACHINE_FIELDS: [Field; 4] = [
    field("machine_id", &[]),
    field("type", &["event_type"]),
    field("capacity.cpus", &["capacity_cpus", "cpus"]),
    field("capacity.memory", &["capacity_memory", "memory"]),
];

/// Machine event names in code order (0 is "unknown").
const MACHINE_EVENTS: [&str; 4] = ["EVENT_TYPE_UNKNOWN", "ADD", "REMOVE", "UPDATE"];

/// Reads machine_events: ADD and UPDATE set a machine's capacity.
fn read_machines(path: &Path, scale: Scale) -> Result<Vec<Machine>, TraceError> {
    let mut t = Table::open(path, &MACHINE_FIELDS)?;
    t.require_columns(&[0, 1])?;
    let mut machines = MachineTable::default();
    while t.next()? {
        let id = t.required(0)?;
        if matches!(event_code(&t, 1, &MACHINE_EVENTS)?, 1 | 3) {
            let cpus = size(&t, 2)?.map(|c| c * scale.cpu);
            let memory = size(&t, 3)?.map(|m| m * scale.memory_gib);
            machines.set(&id.to_string(), cpus, memory);
        }
    }
    Ok(machines.machines())
}
