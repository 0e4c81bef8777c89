//! The Azure Public Dataset VM traces, V1 (2017) and V2 (2019): `vmtable.csv(.gz)`, one VM per
//! row, read as a stream, and optionally the `vm_cpu_readings-*.csv(.gz)` 5-minute CPU readings
//! as a usage feed (read lazily, in time order).

mod fields;
mod readings;
mod vmtable;

pub(super) use fields::{bad, non_negative, positive};

use super::{TraceError, TraceFiles, TraceReader, TraceVm};
use crate::time::SimTime;
use readings::Readings;
use vmtable::{TRACE_END_S, VmTable};

/// Opens an Azure V1 trace.
pub fn open_v1(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Ok(Box::new(AzureReader::open(files, false)?))
}

/// Opens an Azure V2 trace (core and memory buckets).
pub fn open_v2(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Ok(Box::new(AzureReader::open(files, true)?))
}

struct AzureReader {
    table: VmTable,
    readings: Option<Readings>,
    v2: bool,
}

impl AzureReader {
    fn open(files: &TraceFiles, v2: bool) -> Result<AzureReader, TraceError> {
        let readings = files.usage.as_deref().map(Readings::open).transpose()?;
        Ok(AzureReader {
            table: VmTable::open(&files.main, v2, readings.is_some(), files.groups)?,
            readings,
            v2,
        })
    }
}

impl TraceReader for AzureReader {
    fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        self.table.next_vm()
    }

    fn assumptions(&self) -> Vec<String> {
        let name = if self.v2 { "azure-v2" } else { "azure-v1" };
        let mut a = vec![
            format!("{name}: the class of a VM is its vmcategory"),
            format!(
                "{name}: a VM created at 0 s may have started before the trace: it arrives at 0 and its lifetime is counted from 0 (cut at the window's start)"
            ),
            format!(
                "{name}: a VM deleted at or after {TRACE_END_S} s (the last 5-minute reading of the 30-day trace) is taken as still running when the trace ends"
            ),
            format!("{name}: vmmemory is in GB, taken as GiB"),
        ];
        if self.v2 {
            a.push(format!("{name}: a core or memory bucket \"N\" is taken as N; an open bucket \">N\" as the next power of two above N (\">24\" cores = 32, \">64\" GB = 128)"));
        }
        a.push(match &self.readings {
            None => format!("{name}: CPU usage is constant at the VM's lifetime average (avgcpu / 100, capped at 1); an empty avgcpu means the whole request"),
            Some(r) => format!("{name}: CPU usage starts at avgcpu / 100 and then follows the 5-minute avgcpu readings ({} file(s)) from the first sample after each reading; readings of VMs not replayed are ignored", r.files),
        });
        a
    }

    fn usage_until(&mut self, until: SimTime, out: &mut Vec<(u64, f64)>) -> Result<(), TraceError> {
        match self.readings.as_mut() {
            Some(r) => r.until(until, out),
            None => Ok(()),
        }
    }

    fn has_usage_feed(&self) -> bool {
        self.readings.is_some()
    }
}
