//! The tables of the Alibaba 2018 trace (CSV, no header, times in seconds, normalised values in
//! [0, 100] with −1 and 101 marking invalid ones): batch_task streamed row by row, each task
//! expanded into its `instance_num` instances; container_meta and machine_meta, which are small,
//! loaded whole.

use crate::landscape::Machine;
use crate::time::SimTime;
use crate::workload::trace::google2011::fields::error_at;
use crate::workload::trace::google2011::machines::MachineTable;
use crate::workload::trace::io::{csv_reader, line_of, next_record, optional_number};
use crate::workload::trace::{TraceError, TraceGroup, TraceUsage, TraceVm};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

/// A normalised value in [0, 100]; −1, 101 and anything else outside is unknown.
pub(super) fn normalised(v: Option<f64>) -> Option<f64> {
    v.filter(|v| (0.0..=100.0).contains(v))
}

/// A CPU amount in hundredths of a core (100 = 1 core); zero, negative or empty is unknown.
fn hundredths(v: Option<f64>) -> Option<f64> {
    v.filter(|&v| v > 0.0).map(|v| v / 100.0)
}

fn vm(line: u64, class: &str, arrival: f64, end: Option<f64>) -> TraceVm {
    TraceVm {
        subscription: 0,
        line,
        key: 0,
        class: class.to_string(),
        arrival: SimTime::from_secs_f64(arrival),
        lifetime: end.map(|e| SimTime::from_secs_f64(e - arrival)),
        cores: None,
        memory_gib: None,
        usage: TraceUsage::Unknown,
        group: None,
    }
}

/// The most instances one batch_task row may expand into. The 2018 trace's largest task has
/// about 1e5; a larger `instance_num` is an error rather than a replay that never ends.
pub(super) const MAX_INSTANCES: f64 = 10_000_000.0;

/// A row of `table` with fewer than `fields` fields is malformed (the trace's rows always have
/// every field, empty or not).
fn check_fields(
    path: &Path,
    r: &csv::StringRecord,
    fields: usize,
    table: &str,
) -> Result<(), TraceError> {
    if r.len() >= fields {
        return Ok(());
    }
    Err(error_at(
        path,
        r,
        r.len().saturating_sub(1),
        format!(
            "expected {fields} fields in a {table} row, found {}",
            r.len()
        ),
    ))
}

/// batch_task: task_name, instance_num, job_name, task_type, status, start_time, end_time,
/// plan_cpu, plan_mem. With `groups`, an instance's service is its job_name and its component
/// its task_name.
pub(super) struct BatchTasks {
    path: PathBuf,
    reader: csv::Reader<Box<dyn std::io::BufRead>>,
    record: csv::StringRecord,
    memory_scale: f64,
    /// Instances carry their job (service) and task (component).
    groups: bool,
    current: Option<TraceVm>,
    remaining: u64,
    /// Rows skipped: no start time, or an end before it.
    pub skipped: u64,
}

impl BatchTasks {
    pub fn open(path: &Path, memory_scale: f64, groups: bool) -> Result<BatchTasks, TraceError> {
        Ok(BatchTasks {
            path: path.to_path_buf(),
            reader: csv_reader(path, false, b',')?,
            record: csv::StringRecord::new(),
            memory_scale,
            groups,
            current: None,
            remaining: 0,
            skipped: 0,
        })
    }

    /// The next instance of a task.
    pub fn next(&mut self) -> Result<Option<TraceVm>, TraceError> {
        while self.remaining == 0 {
            if !next_record(&mut self.reader, &mut self.record, &self.path)? {
                return Ok(None);
            }
            match self.task()? {
                Some((task, instances)) => {
                    self.current = Some(task);
                    self.remaining = instances;
                }
                None => self.skipped += 1,
            }
        }
        self.remaining -= 1;
        Ok(self.current.clone())
    }

    /// The instances of the current task not yet returned, now counted as returned.
    pub fn take_remaining(&mut self) -> u64 {
        std::mem::take(&mut self.remaining)
    }

    /// The current row as a task and its number of instances; `None` to skip it (no start time,
    /// or an end before the start).
    fn task(&self) -> Result<Option<(TraceVm, u64)>, TraceError> {
        let (r, p) = (&self.record, self.path.as_path());
        check_fields(p, r, 9, "batch_task")?;
        let instances = optional_number(r, 1, "instance_num", p)?.unwrap_or(1.0);
        if instances > MAX_INSTANCES {
            return Err(error_at(
                p,
                r,
                1,
                format!(
                    "field `instance_num`: expected at most {MAX_INSTANCES} instances per task, found {instances}"
                ),
            ));
        }
        let start = optional_number(r, 5, "start_time", p)?.filter(|&s| s >= 0.0);
        let end = optional_number(r, 6, "end_time", p)?.filter(|&e| e > 0.0);
        let Some(start) = start else {
            return Ok(None);
        };
        if end.is_some_and(|e| e < start) {
            return Ok(None);
        }
        let mut task = vm(line_of(r), "batch", start, end);
        task.cores = hundredths(optional_number(r, 7, "plan_cpu", p)?);
        task.memory_gib =
            normalised(optional_number(r, 8, "plan_mem", p)?).map(|m| m * self.memory_scale);
        if self.groups {
            task.group = Some(TraceGroup {
                service: r.get(2).unwrap_or("").to_string(),
                component: r.get(0).unwrap_or("").to_string(),
            });
        }
        Ok(Some((task, instances.max(1.0) as u64)))
    }
}

/// container_meta: container_id, machine_id, time_stamp, app_du, status, cpu_request,
/// cpu_limit, mem_size. One workload per container (its service, with `groups`, its app_du), arriving at its earliest time_stamp and
/// running to the end, sized by its last row; sorted by arrival. Also the number of containers
/// skipped for want of a valid time_stamp.
pub(super) fn containers(
    path: &Path,
    memory_scale: f64,
    groups: bool,
) -> Result<(VecDeque<TraceVm>, u64), TraceError> {
    let mut reader = csv_reader(path, false, b',')?;
    let mut record = csv::StringRecord::new();
    let mut all: Vec<TraceVm> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    while next_record(&mut reader, &mut record, path)? {
        let r = &record;
        check_fields(path, r, 8, "container_meta")?;
        let id = r.get(0).unwrap_or("");
        if id.is_empty() {
            return Err(error_at(
                path,
                r,
                0,
                "field `container_id`: expected an id, found nothing",
            ));
        }
        let time = optional_number(r, 2, "time_stamp", path)?.filter(|&t| t >= 0.0);
        let cores = hundredths(optional_number(r, 5, "cpu_request", path)?);
        let memory = normalised(optional_number(r, 7, "mem_size", path)?).map(|m| m * memory_scale);
        let i = *index.entry(id.to_string()).or_insert_with(|| {
            let mut c = vm(line_of(r), "online", f64::INFINITY, None);
            c.group = groups.then(|| TraceGroup {
                service: r.get(3).unwrap_or("").to_string(),
                component: "containers".to_string(),
            });
            all.push(c);
            all.len() - 1
        });
        let c = &mut all[i];
        if let Some(t) = time {
            c.arrival = c.arrival.min(SimTime::from_secs_f64(t));
        }
        c.cores = cores.or(c.cores);
        c.memory_gib = memory.or(c.memory_gib);
    }
    let listed = all.len();
    all.retain(|c| c.arrival != SimTime::MAX);
    all.sort_by_key(|c| c.arrival);
    let skipped = (listed - all.len()) as u64;
    Ok((all.into(), skipped))
}

/// machine_meta: machine_id, time_stamp, failure_domain_1, failure_domain_2, cpu_num,
/// mem_size, status. Cores are real; memory is normalised and scaled by `memory_scale`.
pub(super) fn machines(path: &Path, memory_scale: f64) -> Result<Vec<Machine>, TraceError> {
    let mut reader = csv_reader(path, false, b',')?;
    let mut record = csv::StringRecord::new();
    let mut table = MachineTable::default();
    while next_record(&mut reader, &mut record, path)? {
        let r = &record;
        check_fields(path, r, 7, "machine_meta")?;
        let id = r.get(0).unwrap_or("");
        if id.is_empty() {
            return Err(error_at(
                path,
                r,
                0,
                "field `machine_id`: expected an id, found nothing",
            ));
        }
        let cores = optional_number(r, 4, "cpu_num", path)?.filter(|&c| c > 0.0);
        let memory = normalised(optional_number(r, 5, "mem_size", path)?).map(|m| m * memory_scale);
        table.set(id, cores, memory);
    }
    Ok(table.machines())
}
