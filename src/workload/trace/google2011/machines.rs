//! Machine tables (for `landscape.from_trace`): `MachineTable` keeps each machine's latest known
//! capacity in order of first appearance; `read_2011` fills one from the 2011 machine_events.

use super::fields::{Scale, error_at, optional_size, whole};
use crate::landscape::Machine;
use crate::workload::trace::TraceError;
use crate::workload::trace::io::{csv_reader, next_record};
use std::collections::HashMap;
use std::path::Path;

/// Machines by id, each with its latest known cores and GiB.
#[derive(Default)]
pub(crate) struct MachineTable {
    rows: Vec<(String, Option<f64>, Option<f64>)>,
    index: HashMap<String, usize>,
}

impl MachineTable {
    /// Records machine `id` with the capacity an ADD or UPDATE gives (missing values keep the
    /// previous ones).
    pub fn set(&mut self, id: &str, cores: Option<f64>, memory_gib: Option<f64>) {
        let i = match self.index.get(id) {
            Some(&i) => i,
            None => {
                self.index.insert(id.to_string(), self.rows.len());
                self.rows.push((id.to_string(), None, None));
                self.rows.len() - 1
            }
        };
        let row = &mut self.rows[i];
        row.1 = cores.or(row.1);
        row.2 = memory_gib.or(row.2);
    }

    /// The machines whose cores and memory are both known, in order of first appearance.
    pub fn machines(self) -> Vec<Machine> {
        self.rows
            .into_iter()
            .filter_map(|(name, cores, memory)| {
                Some(Machine {
                    name,
                    cores: cores.filter(|&c| c > 0.0)?,
                    memory_gib: memory.filter(|&m| m > 0.0)?,
                })
            })
            .collect()
    }
}

/// The error of a reader asked for machines without a machine table.
pub(crate) fn no_table(main: &Path, table: &str) -> TraceError {
    TraceError::new(
        main,
        None,
        None,
        format!("landscape.from_trace needs the trace's {table}: set workload.trace.machines_path"),
    )
}

/// Reads the 2011 machine_events (timestamp, machine ID, event type 0 ADD / 1 REMOVE /
/// 2 UPDATE, platform ID, CPUs, memory; sizes normalised and scaled by `scale`).
pub(crate) fn read_2011(path: &Path, scale: Scale) -> Result<Vec<Machine>, TraceError> {
    let mut reader = csv_reader(path, false, b',')?;
    let mut record = csv::StringRecord::new();
    let mut table = MachineTable::default();
    while next_record(&mut reader, &mut record, path)? {
        let r = &record;
        whole(r, 0, "timestamp", path)?;
        let id = whole(r, 1, "machine ID", path)?;
        let kind = whole(r, 2, "event type", path)?;
        let cpus = optional_size(r, 4, "CPUs", path)?;
        let memory = optional_size(r, 5, "memory", path)?;
        match kind {
            0 | 2 => table.set(
                &id.to_string(),
                cpus.map(|c| c * scale.cpu),
                memory.map(|m| m * scale.memory_gib),
            ),
            1 => {}
            k => {
                return Err(error_at(
                    path,
                    r,
                    2,
                    format!(
                        "field `event type`: expected 0 (ADD), 1 (REMOVE) or 2 (UPDATE), found {k}"
                    ),
                ));
            }
        }
    }
    Ok(table.machines())
}
