//! Alibaba cluster trace 2018 (`alibaba-2018`). The main path is batch_task.csv(.gz) (batch
//! tasks, each expanded into its instances), container_meta.csv(.gz) (online containers), or a
//! folder holding either or both (merged by arrival). A file is recognised by its columns: 9 for
//! batch_task, 8 for container_meta. machine_meta (machines_path) lists the machines. Times are
//! seconds; CPU in hundredths of a core; memory normalised to [0, 100] and scaled by
//! `memory_scale_gib`; −1 and 101 (invalid) count as unknown. See `tables` for each mapping.

mod tables;

use super::google2011::fields::Scale;
use super::google2011::machines::no_table;
use super::io::{csv_reader, next_record};
use super::{TraceError, TraceFiles, TraceReader, TraceVm};
use crate::landscape::Machine;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use tables::BatchTasks;

/// Opens the reader.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    let scale = Scale::of(files);
    let (batch, containers) = tables_of(&files.main)?;
    let (containers, timeless) = match containers {
        Some(p) => tables::containers(&p, scale.memory_gib, files.groups)?,
        None => (VecDeque::new(), 0),
    };
    Ok(Box::new(Alibaba2018 {
        main: files.main.clone(),
        batch: batch
            .map(|p| BatchTasks::open(&p, scale.memory_gib, files.groups))
            .transpose()?,
        containers,
        timeless,
        next_batch: None,
        scale,
        machines: files.machines.clone(),
    }))
}

/// The batch_task and container_meta files `main` names.
fn tables_of(main: &Path) -> Result<(Option<PathBuf>, Option<PathBuf>), TraceError> {
    if !main.is_dir() {
        return match columns_of(main)? {
            9 => Ok((Some(main.to_path_buf()), None)),
            8 => Ok((None, Some(main.to_path_buf()))),
            n => Err(TraceError::new(
                main,
                Some(1),
                None,
                format!(
                    "expected batch_task (9 columns) or container_meta (8 columns), found {n} columns"
                ),
            )),
        };
    }
    let find = |stem: &str| {
        [format!("{stem}.csv"), format!("{stem}.csv.gz")]
            .into_iter()
            .map(|n| main.join(n))
            .find(|p| p.is_file())
    };
    let (batch, containers) = (find("batch_task"), find("container_meta"));
    if batch.is_none() && containers.is_none() {
        return Err(TraceError::new(
            main,
            None,
            None,
            "expected batch_task.csv(.gz) or container_meta.csv(.gz) in this folder",
        ));
    }
    Ok((batch, containers))
}

/// The number of fields of the first row of `path` (0 if empty).
fn columns_of(path: &Path) -> Result<usize, TraceError> {
    let mut reader = csv_reader(path, false, b',')?;
    let mut record = csv::StringRecord::new();
    Ok(if next_record(&mut reader, &mut record, path)? {
        record.len()
    } else {
        0
    })
}

struct Alibaba2018 {
    main: PathBuf,
    batch: Option<BatchTasks>,
    containers: VecDeque<TraceVm>,
    /// Containers without a valid time_stamp (skipped).
    timeless: u64,
    /// The next batch instance, read ahead to merge with the containers.
    next_batch: Option<TraceVm>,
    scale: Scale,
    machines: Option<PathBuf>,
}

impl Alibaba2018 {
    /// The next workload in arrival order, and whether it is a batch instance.
    fn pick(&mut self) -> Result<Option<(TraceVm, bool)>, TraceError> {
        if self.next_batch.is_none()
            && let Some(b) = &mut self.batch
        {
            self.next_batch = b.next()?;
        }
        let container_first = match (&self.next_batch, self.containers.front()) {
            (Some(b), Some(c)) => c.arrival <= b.arrival,
            (None, _) => true,
            (Some(_), None) => false,
        };
        Ok(if container_first {
            self.containers.pop_front().map(|c| (c, false))
        } else {
            self.next_batch.take().map(|b| (b, true))
        })
    }
}

impl TraceReader for Alibaba2018 {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        Ok(self.pick()?.map(|(vm, _)| vm))
    }

    fn next_run(&mut self) -> Result<Option<(TraceVm, u64)>, TraceError> {
        // A task's other instances arrive with it, before any later container (a container at
        // the same time comes first), so they are the ones that follow it in arrival order.
        Ok(self.pick()?.map(|(vm, batch)| {
            let rest = match (&mut self.batch, batch) {
                (Some(b), true) => b.take_remaining(),
                _ => 0,
            };
            (vm, 1 + rest)
        }))
    }

    fn assumptions(&self) -> Vec<String> {
        let mut a = vec![
            "alibaba-2018: each batch_task row is instance_num workloads (class batch) of plan_cpu/100 cores and plan_mem, from start_time to end_time; rows without a start_time or ending before it are skipped; end_time 0 or missing: still running at the end".to_string(),
            "alibaba-2018: each container_meta container is one workload (class online) from its earliest time_stamp to the end of the trace, sized by its last row (cpu_request/100 cores, mem_size)".to_string(),
            format!("alibaba-2018: normalised memory (0-100) scaled by {} GiB per unit; -1, 101 and empty values are unknown (sizes then come from the catalogue)", self.scale.memory_gib),
            "alibaba-2018: time_stamp 0 (before the trace window) is time 0; usage is not read (each workload uses its whole request)".to_string(),
        ];
        let skipped = self.batch.as_ref().map_or(0, |b| b.skipped);
        if skipped + self.timeless > 0 {
            a.push(format!("alibaba-2018: skipped {skipped} batch_task rows without a start_time or ending before it, and {} containers without a valid time_stamp", self.timeless));
        }
        a
    }

    fn machines(&mut self) -> Result<Vec<Machine>, TraceError> {
        match &self.machines {
            Some(m) => tables::machines(m, self.scale.memory_gib),
            None => Err(no_table(&self.main, "machine_meta")),
        }
    }
}
