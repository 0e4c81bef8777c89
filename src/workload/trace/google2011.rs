//! Google cluster data 2011 (`google-2011`): task_events (the main file) become one workload per
//! task (job ID, task index), from its SUBMIT (or first event) to its EVICT, FAIL, FINISH, KILL
//! or LOST; machine_events list the machines; task_usage feeds usage readings.
//!
//! task_events columns (CSV, no header): timestamp (µs), missing info, job ID, task index,
//! machine ID, event type, user, scheduling class, priority, CPU request, memory request, disk
//! request, different-machine restriction. Timestamp 0 is "before the trace window" and
//! 2^63 − 1 "after it". Requests are normalised (0–1) and scaled by `cpu_scale` and
//! `memory_scale_gib`. Tasks are emitted when they end, held until no open task arrived
//! earlier, so the output is sorted by arrival (see `assemble`).

pub(crate) mod assemble;
pub(crate) mod fields;
pub(crate) mod machines;
mod usage;

use super::io::{csv_reader, line_of, next_record};
use super::{TraceError, TraceFiles, TraceReader, TraceVm, key_of};
use crate::landscape::Machine;
use crate::time::SimTime;
use assemble::{Assembler, Event, Step};
use fields::{Moment, Scale, class_name, error_at, optional_size, optional_whole, whole};
use std::path::PathBuf;

/// task_events columns (0-based).
const TIME: usize = 0;
const JOB: usize = 2;
const TASK: usize = 3;
const EVENT: usize = 5;
const USER: usize = 6;
const CLASS: usize = 7;
const CPU: usize = 9;
const MEMORY: usize = 10;

/// Opens the reader.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Ok(Box::new(Google2011::open(files)?))
}

pub struct Google2011 {
    path: PathBuf,
    reader: csv::Reader<Box<dyn std::io::BufRead>>,
    record: csv::StringRecord,
    scale: Scale,
    tasks: Assembler<(u64, u64)>,
    usage: Option<usage::TaskUsage>,
    machines: Option<PathBuf>,
}

impl Google2011 {
    pub fn open(files: &TraceFiles) -> Result<Google2011, TraceError> {
        Ok(Google2011 {
            path: files.main.clone(),
            reader: csv_reader(&files.main, false, b',')?,
            record: csv::StringRecord::new(),
            scale: Scale::of(files),
            tasks: Assembler::grouped(files.groups.then_some(job_group as fn(&(u64, u64)) -> _)),
            usage: files
                .usage
                .as_deref()
                .map(usage::TaskUsage::open)
                .transpose()?,
            machines: files.machines.clone(),
        })
    }

    /// Parses the current row and applies it to its task.
    fn event(&mut self) -> Result<(), TraceError> {
        let (r, p) = (&self.record, self.path.as_path());
        let time = Moment::of_micros(whole(r, TIME, "timestamp", p)?);
        let job = whole(r, JOB, "job ID", p)?;
        let task = whole(r, TASK, "task index", p)?;
        let step = match whole(r, EVENT, "event type", p)? {
            0 => Step::Open,
            1 | 7 | 8 => Step::Update,
            2..=6 => Step::End,
            k => {
                return Err(error_at(
                    p,
                    r,
                    EVENT,
                    format!(
                        "field `event type`: expected 0 (SUBMIT) … 8 (UPDATE_RUNNING), found {k}"
                    ),
                ));
            }
        };
        let class = match optional_whole(r, CLASS, "scheduling class", p)? {
            None => "",
            Some(c) => class_name(c).ok_or_else(|| {
                error_at(
                    p,
                    r,
                    CLASS,
                    format!("field `scheduling class`: expected 0 … 3, found {c}"),
                )
            })?,
        };
        let cores = optional_size(r, CPU, "CPU request", p)?.map(|c| c * self.scale.cpu);
        let memory =
            optional_size(r, MEMORY, "memory request", p)?.map(|m| m * self.scale.memory_gib);
        let key = if step == Step::End {
            0
        } else {
            key_of(&format!("{job}/{task}"))
        };
        // The job's user (a hashed name): its workloads' subscription for the per-subscription
        // learners; blank is none.
        let subscription = match r.get(USER).map(str::trim) {
            None | Some("") => 0,
            Some(user) => key_of(user),
        };
        let ev = Event {
            time,
            step,
            line: line_of(r),
            key,
            subscription,
            class,
            cores,
            memory_gib: memory,
        };
        self.tasks.apply((job, task), ev);
        Ok(())
    }
}

impl TraceReader for Google2011 {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        loop {
            if let Some(vm) = self.tasks.pop() {
                if let Some(u) = &mut self.usage {
                    u.register(&vm, self.scale.cpu);
                }
                return Ok(Some(vm));
            }
            if self.tasks.is_drained() {
                return Ok(None);
            }
            if next_record(&mut self.reader, &mut self.record, &self.path)? {
                self.event()?;
            } else {
                self.tasks.finish();
            }
        }
    }

    fn assumptions(&self) -> Vec<String> {
        let mut a = vec![
            "google-2011: one workload per task (job ID, task index), from its SUBMIT (or first event) to its EVICT, FAIL, FINISH, KILL or LOST; a resubmitted task is a new workload".to_string(),
            "google-2011: timestamp 0 (before the trace window) is time 0; tasks ending at 2^63-1 (after the window) or never ending run past the trace's end".to_string(),
            format!("google-2011: normalised requests scaled by {} cores and {} GiB per unit; a task's size is its latest request", self.scale.cpu, self.scale.memory_gib),
            "google-2011: classes are scheduling classes 0-3 (class-0 … class-3)".to_string(),
        ];
        if self.tasks.orphans > 0 {
            a.push(format!(
                "google-2011: {} terminal events of tasks not seen starting were ignored",
                self.tasks.orphans
            ));
        }
        if self.usage.is_some() {
            a.push("google-2011: usage = task_usage mean CPU rate / CPU request, applied from each row's start time".to_string());
        }
        a
    }

    fn usage_until(&mut self, until: SimTime, out: &mut Vec<(u64, f64)>) -> Result<(), TraceError> {
        match &mut self.usage {
            Some(u) => u.until(until, out),
            None => Ok(()),
        }
    }

    fn has_usage_feed(&self) -> bool {
        self.usage.is_some()
    }

    fn machines(&mut self) -> Result<Vec<Machine>, TraceError> {
        match &self.machines {
            Some(m) => machines::read_2011(m, self.scale),
            None => Err(machines::no_table(&self.path, "machine_events")),
        }
    }
}

/// A task's service: its job (one component, the job's tasks).
fn job_group(&(job, _): &(u64, u64)) -> super::TraceGroup {
    super::TraceGroup {
        service: job.to_string(),
        component: "tasks".to_string(),
    }
}
