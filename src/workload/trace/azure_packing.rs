//! The Azure trace for packing 2020 (Protean, OSDI'20): its sqlite `vm` and `vmType` tables
//! exported as CSV. `vm`: `vmId,tenantId,vmTypeId,priority,starttime,endtime` (times in
//! fractional days; a negative start means already running; an empty or NULL end, still
//! running). `vmType`: `id,vmTypeId,machineId,core,memory,hdd,ssd,nic`, sizes as fractions of a
//! machine, loaded whole (it is small). A header row in either file is recognised and skipped.

use super::azure::{bad, non_negative};
use super::google2011::fields::Scale;
use super::io::{csv_reader, line_of, next_record, number};
use super::{TraceError, TraceFiles, TraceReader, TraceUsage, TraceVm};
use crate::time::SimTime;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};

const VM_HEADER: [&str; 6] = [
    "vmid",
    "tenantid",
    "vmtypeid",
    "priority",
    "starttime",
    "endtime",
];
const TYPE_HEADER: [&str; 8] = [
    "id",
    "vmtypeid",
    "machineid",
    "core",
    "memory",
    "hdd",
    "ssd",
    "nic",
];
const DAY_S: f64 = 86_400.0;

/// Opens the reader: `files.main` is the vm table, `files.machines` the vmType table.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    let Some(types) = &files.machines else {
        return Err(TraceError::new(
            &files.main,
            None,
            None,
            "azure-packing-2020 needs the vmType table too: set workload.trace.machines_path (or --machines)",
        ));
    };
    Ok(Box::new(PackingReader {
        types: load_types(types)?,
        reader: csv_reader(&files.main, false, b',')?,
        path: files.main.clone(),
        record: csv::StringRecord::new(),
        scale: Scale::of(files),
    }))
}

/// A first row whose field `probe` is not a number is a header: it must be `header`.
fn is_header(
    r: &csv::StringRecord,
    probe: usize,
    header: &[&str],
    path: &Path,
) -> Result<bool, TraceError> {
    if line_of(r) != 1 || r.get(probe).is_some_and(|v| v.parse::<f64>().is_ok()) {
        return Ok(false);
    }
    if r.iter()
        .map(str::to_ascii_lowercase)
        .eq(header.iter().copied())
    {
        return Ok(true);
    }
    Err(TraceError::new(
        path,
        Some(1),
        None,
        format!(
            "expected the header {} (any case) or a first row of data",
            header.join(",")
        ),
    ))
}

/// One vmType row: (vmTypeId, machineId, core, memory).
type TypeRow = (String, String, f64, f64);

/// Sizes of each VM type on the reference machine: the machine offering the most VM types
/// (ties: the first by id). A type that machine does not offer takes its largest fractions on
/// the other machines.
fn load_types(path: &Path) -> Result<HashMap<String, (f64, f64)>, TraceError> {
    let mut reader = csv_reader(path, false, b',')?;
    let mut record = csv::StringRecord::new();
    let mut rows: Vec<TypeRow> = Vec::new();
    while next_record(&mut reader, &mut record, path)? {
        if is_header(&record, 3, &TYPE_HEADER, path)? {
            continue;
        }
        let r = &record;
        let id = |c: usize| r.get(c).unwrap_or("").to_string();
        rows.push((
            id(1),
            id(2),
            non_negative(r, 3, "core", path)?,
            non_negative(r, 4, "memory", path)?,
        ));
    }
    let mut per_machine: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, machine, ..) in &rows {
        *per_machine.entry(machine).or_default() += 1;
    }
    let reference = per_machine
        .iter()
        .rev()
        .max_by_key(|(_, n)| **n)
        .map(|(m, _)| m.to_string())
        .unwrap_or_default();
    let mut types: HashMap<String, (f64, f64)> = HashMap::new();
    for (t, machine, core, memory) in &rows {
        if *machine != reference {
            let e = types.entry(t.clone()).or_insert((0.0, 0.0));
            *e = (e.0.max(*core), e.1.max(*memory));
        }
    }
    for (t, machine, core, memory) in rows {
        if machine == reference {
            types.insert(t, (core, memory));
        }
    }
    Ok(types)
}

struct PackingReader {
    path: PathBuf,
    reader: csv::Reader<Box<dyn BufRead>>,
    record: csv::StringRecord,
    types: HashMap<String, (f64, f64)>,
    /// Cores and GiB of one whole machine.
    scale: Scale,
}

impl PackingReader {
    /// The row as a VM; `None` for a VM that ended before the trace began.
    fn parse(&self) -> Result<Option<TraceVm>, TraceError> {
        let (r, p) = (&self.record, self.path.as_path());
        let type_id = r.get(2).unwrap_or("");
        let &(core, memory) = self.types.get(type_id).ok_or_else(|| {
            bad(r, 2, p, format!("field `vmTypeId`: expected a type listed in the vmType table, found {type_id:?}"))
        })?;
        let class = match number(r, 3, "priority", p)? {
            0.0 => "high-priority",
            1.0 => "low-priority",
            other => {
                return Err(bad(
                    r,
                    3,
                    p,
                    format!("field `priority`: expected 0 (high) or 1 (low), found {other}"),
                ));
            }
        };
        let start = number(r, 4, "starttime", p)?;
        let end = match r.get(5).unwrap_or("") {
            "" | "NULL" | "null" | "None" => None,
            _ => Some(number(r, 5, "endtime", p)?),
        };
        if let Some(e) = end.filter(|&e| e < start) {
            return Err(bad(
                r,
                5,
                p,
                format!(
                    "field `endtime`: expected a time at or after starttime ({start}), found {e}"
                ),
            ));
        }
        if end.is_some_and(|e| e <= 0.0) {
            return Ok(None);
        }
        let arrival = SimTime::from_secs_f64(start.max(0.0) * DAY_S);
        Ok(Some(TraceVm {
            subscription: 0,
            line: line_of(r),
            key: 0,
            class: class.to_string(),
            arrival,
            lifetime: end.map(|e| SimTime::from_secs_f64(e * DAY_S).saturating_sub(arrival)),
            cores: Some(positive_fraction(core, r, p)? * self.scale.cpu),
            memory_gib: Some(memory * self.scale.memory_gib),
            usage: TraceUsage::Unknown,
            group: None,
        }))
    }
}

/// A VM type with no CPU cannot be placed meaningfully: name the row that uses it.
fn positive_fraction(core: f64, r: &csv::StringRecord, p: &Path) -> Result<f64, TraceError> {
    if core > 0.0 {
        return Ok(core);
    }
    Err(bad(
        r,
        2,
        p,
        format!(
            "field `vmTypeId`: its vmType row has core {core}; expected a fraction greater than zero"
        ),
    ))
}

impl TraceReader for PackingReader {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        while next_record(&mut self.reader, &mut self.record, &self.path)? {
            if is_header(&self.record, 4, &VM_HEADER, &self.path)? {
                continue;
            }
            if let Some(vm) = self.parse()? {
                return Ok(Some(vm));
            }
        }
        Ok(None)
    }

    fn assumptions(&self) -> Vec<String> {
        vec![
            format!("azure-packing-2020: sizes are fractions of one machine, taken as the scenario's machine: cores = core × {} (workload.trace.cpu_scale) and GiB = memory × {} (workload.trace.memory_scale_gib)", self.scale.cpu, self.scale.memory_gib),
            "azure-packing-2020: a VM type's fractions are those on the machine offering the most VM types; a type it does not offer takes its largest fractions elsewhere".into(),
            "azure-packing-2020: times are fractional days; a negative starttime (already running) arrives at 0 with its lifetime cut there; an empty or NULL endtime is still running; a VM that ended before 0 is skipped".into(),
            "azure-packing-2020: the class is the priority (0 = high-priority, 1 = low-priority); the trace has no usage, so VMs use their whole request".into(),
        ]
    }
}
