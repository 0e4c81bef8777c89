//! timeseries.csv, formatted by hand a row at a time into one reused line (`CsvLine`): the
//! bytes `write_csv` wrote for the same rows, without serde's per-field calls.

use super::ReportError;
use super::csv_line::CsvLine;
use crate::metrics::TimeseriesRow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// timeseries.csv, each row formatted by hand (`CsvLine`) into one buffer: the bytes
/// `write_csv` gave, the failure columns present only when the rows carry them (as serde
/// skipped them when `None`), the header named from the first row and none without rows.
pub fn write_timeseries(path: &Path, rows: &[TimeseriesRow]) -> Result<(), ReportError> {
    let io = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut out = BufWriter::with_capacity(1 << 16, File::create(path).map_err(io)?);
    if let Some(first) = rows.first() {
        let mut header = TIMESERIES_COLUMNS.join(",");
        for (name, present) in [
            ("failed_entities", first.failed_entities.is_some()),
            ("failed_hosts", first.failed_hosts.is_some()),
            ("cut_off_hosts", first.cut_off_hosts.is_some()),
            ("throttled_hosts", first.throttled_hosts.is_some()),
        ] {
            if present {
                header += ",";
                header += name;
            }
        }
        header += "\n";
        out.write_all(header.as_bytes()).map_err(io)?;
    }
    let mut l = CsvLine::default();
    for r in rows {
        l.clear();
        l.f64(r.time_s);
        l.u64(r.running_workloads);
        l.u64(r.queued_workloads);
        l.u64(r.active_hosts.into());
        for v in [
            r.cpu_utilisation,
            r.cpu_allocated,
            r.memory_utilisation,
            r.power_kw,
            r.facility_power_kw,
            r.energy_kwh,
        ] {
            l.f64(v);
        }
        for v in [r.arrived, r.placed, r.rejected] {
            l.u64(v);
        }
        l.u64(r.hosts_on.into());
        l.u64(r.hosts_at_full_cpu.into());
        for v in [r.migrations, r.host_boots, r.host_shutdowns] {
            l.u64(v);
        }
        for v in [
            r.mean_time_before_shutdown_s,
            r.mean_time_before_migration_s,
            r.slatah,
            r.pdm,
            r.slav,
        ] {
            l.f64(v);
        }
        let failures = [
            r.failed_entities,
            r.failed_hosts,
            r.cut_off_hosts,
            r.throttled_hosts,
        ];
        for v in failures.into_iter().flatten() {
            l.u64(v.into());
        }
        l.end();
        out.write_all(l.as_bytes()).map_err(io)?;
    }
    out.flush().map_err(io)
}

/// The columns of `TimeseriesRow` in its order, but the optional failure ones.
const TIMESERIES_COLUMNS: [&str; 23] = [
    "time_s",
    "running_workloads",
    "queued_workloads",
    "active_hosts",
    "cpu_utilisation",
    "cpu_allocated",
    "memory_utilisation",
    "power_kw",
    "facility_power_kw",
    "energy_kwh",
    "arrived",
    "placed",
    "rejected",
    "hosts_on",
    "hosts_at_full_cpu",
    "migrations",
    "host_boots",
    "host_shutdowns",
    "mean_time_before_shutdown_s",
    "mean_time_before_migration_s",
    "slatah",
    "pdm",
    "slav",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::write_csv;

    #[test]
    fn timeseries_csv_is_what_serde_and_csv_wrote() {
        let row = |i: u32, failures: Option<u32>| TimeseriesRow {
            time_s: 300.0 * i as f64,
            running_workloads: 11 * i as u64,
            queued_workloads: i as u64 / 2,
            active_hosts: i,
            cpu_utilisation: 0.000185625 * i as f64,
            cpu_allocated: 1.0 / (i as f64 + 3.0),
            memory_utilisation: 0.5,
            power_kw: 75.02784375,
            facility_power_kw: 112.541765625 + i as f64,
            energy_kwh: 6.250775258807813 * i as f64,
            arrived: 1 + i as u64,
            placed: i as u64,
            rejected: 1,
            hosts_on: 500 - i,
            hosts_at_full_cpu: i % 3,
            migrations: 7,
            host_boots: 2,
            host_shutdowns: 3,
            mean_time_before_shutdown_s: 1e-7,
            mean_time_before_migration_s: 1e17,
            slatah: f64::NAN,
            pdm: -0.0,
            slav: 0.25,
            failed_entities: failures,
            failed_hosts: failures.map(|f| f * 2),
            cut_off_hosts: failures.map(|f| f + 1),
            throttled_hosts: failures.map(|f| f % 2),
        };
        let path = std::env::temp_dir().join(format!("dcsim-ts-{}.csv", std::process::id()));
        for rows in [
            (0..5).map(|i| row(i, None)).collect::<Vec<_>>(),
            (0..5).map(|i| row(i, Some(i))).collect(),
            Vec::new(),
        ] {
            write_timeseries(&path, &rows).unwrap();
            let got = std::fs::read_to_string(&path).unwrap();
            write_csv(&path, &rows).unwrap();
            assert_eq!(got, std::fs::read_to_string(&path).unwrap());
        }
        let _ = std::fs::remove_file(&path);
    }
}
