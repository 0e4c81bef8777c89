//! The Azure `vmtable` (no header): `vmid,subscriptionid,deploymentid,vmcreated,vmdeleted,
//! maxcpu,avgcpu,p95maxcpu,vmcategory,vmcorecount,vmmemory`, one VM per row. V1 gives cores
//! and GB; V2 gives buckets ("8", ">24"). With groups on, a VM's service is its deployment;
//! its subscription is `key_of(subscriptionid)` (per-subscription learners).

use super::fields::{bad, bucket, non_negative, optional_positive};
use crate::time::SimTime;
use crate::workload::trace::io::{csv_reader, line_of, next_record, number, optional_number};
use crate::workload::trace::{TraceError, TraceGroup, TraceUsage, TraceVm, key_of};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The last 5-minute reading of the 30-day public traces (30 d − 300 s): a VM deleted then (or
/// later) was still running when the trace ended.
pub const TRACE_END_S: f64 = 2_591_700.0;

/// Fields of a row.
const FIELDS: usize = 11;

pub struct VmTable {
    path: PathBuf,
    reader: csv::Reader<Box<dyn BufRead>>,
    record: csv::StringRecord,
    /// V2: core and memory are buckets.
    buckets: bool,
    /// Whether rows carry `key_of(vmid)` (only when usage readings are read).
    keyed: bool,
    /// Whether rows carry their deployment as their service.
    groups: bool,
}

impl VmTable {
    pub fn open(
        path: &Path,
        buckets: bool,
        keyed: bool,
        groups: bool,
    ) -> Result<VmTable, TraceError> {
        Ok(VmTable {
            path: path.to_path_buf(),
            reader: csv_reader(path, false, b',')?,
            record: csv::StringRecord::new(),
            buckets,
            keyed,
            groups,
        })
    }

    /// The next row as a VM, or `None` at the end of the file.
    pub fn next_vm(&mut self) -> Result<Option<TraceVm>, TraceError> {
        if !next_record(&mut self.reader, &mut self.record, &self.path)? {
            return Ok(None);
        }
        let (r, p) = (&self.record, self.path.as_path());
        if r.len() < FIELDS {
            return Err(bad(
                r,
                r.len(),
                p,
                format!(
                    "expected {FIELDS} fields (vmid … vmmemory), found {}",
                    r.len()
                ),
            ));
        }
        let created = non_negative(r, 3, "vmcreated", p)?;
        let deleted = number(r, 4, "vmdeleted", p)?;
        if deleted < created {
            return Err(bad(
                r,
                4,
                p,
                format!(
                    "field `vmdeleted`: expected a time at or after vmcreated ({created}), found {deleted}"
                ),
            ));
        }
        let arrival = SimTime::from_secs_f64(created);
        let lifetime = (deleted < TRACE_END_S)
            .then(|| SimTime::from_secs_f64(deleted).saturating_sub(arrival));
        let (cores, memory_gib) = self.sizes()?;
        let r = &self.record;
        Ok(Some(TraceVm {
            subscription: match r.get(1).unwrap_or("") {
                "" => 0,
                id => key_of(id),
            },
            line: line_of(r),
            key: if self.keyed {
                key_of(r.get(0).unwrap_or(""))
            } else {
                0
            },
            class: r.get(8).unwrap_or("").to_string(),
            arrival,
            lifetime,
            cores,
            memory_gib,
            usage: average_usage(r, 6, "avgcpu", p)?,
            group: self.groups.then(|| TraceGroup {
                service: r.get(2).unwrap_or("").to_string(),
                component: "vms".to_string(),
            }),
        }))
    }

    /// Cores and GiB: numbers (V1) or buckets (V2); empty fields leave them to the catalogue.
    fn sizes(&self) -> Result<(Option<f64>, Option<f64>), TraceError> {
        let (r, p) = (&self.record, self.path.as_path());
        if self.buckets {
            Ok((
                bucket(r, 9, "vmcorecountbucket", p)?,
                bucket(r, 10, "vmmemorybucket", p)?,
            ))
        } else {
            Ok((
                optional_positive(r, 9, "vmcorecount", p)?,
                optional_positive(r, 10, "vmmemory", p)?,
            ))
        }
    }
}

/// A CPU percentage as a constant fraction (above 100 % clamped to 1); empty: unknown.
pub fn average_usage(
    r: &csv::StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<TraceUsage, TraceError> {
    match optional_number(r, column, name, path)? {
        None => Ok(TraceUsage::Unknown),
        Some(v) if v >= 0.0 => Ok(TraceUsage::Constant((v / 100.0).min(1.0))),
        Some(v) => Err(bad(
            r,
            column,
            path,
            format!("field `{name}`: expected a percentage zero or greater, found {v}"),
        )),
    }
}
