//! `dcsim bench --scaling`: wall time against fleet size (the burst workload, 10 VMs per host,
//! 1k → 100k hosts) and against workload count (the churn workload on 10k hosts, about 100k VMs
//! live, 10k → 10M VMs), each point in a fresh child process; the points as CSV and a log-log
//! chart.

use super::child::measure_in_child;
use super::measure::Measurement;
use crate::experiment::ExperimentError;
use crate::report::{OutputPolicy, Staging};
use serde::Serialize;
use std::path::Path;

/// Fleet sizes of the hosts axis (multiples of the 40-host rack).
pub const HOSTS: [u64; 5] = [1_000, 3_000, 10_000, 30_000, 100_000];
/// VMs per host on the hosts axis (about 0.41 of the fleet's cores).
const VMS_PER_HOST: u64 = 10;
/// Workload counts of the VMs axis.
pub const VMS: [u64; 7] = [
    10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000, 10_000_000,
];
/// Arrivals per minute of the churn workload (600,000 per hour).
const CHURN_PER_MINUTE: u64 = 10_000;

/// One point of the chart.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ScalingPoint {
    /// "hosts" or "vms": which quantity this point varies.
    pub axis: &'static str,
    pub hosts: u64,
    pub vms: u64,
    pub events: u64,
    pub wall_s: f64,
    pub events_per_s: f64,
    pub peak_rss_mib: f64,
}

impl ScalingPoint {
    fn new(axis: &'static str, m: &Measurement) -> ScalingPoint {
        ScalingPoint {
            axis,
            hosts: m.hosts,
            vms: m.vms,
            events: m.events,
            wall_s: m.wall_s,
            events_per_s: m.events_per_s,
            peak_rss_mib: m.peak_rss_mib,
        }
    }
}

/// Measures every point with at most `max_hosts` hosts and `max_vms` VMs; `log` hears of each.
pub fn run(
    exe: &Path,
    max_hosts: u64,
    max_vms: u64,
    log: &mut dyn FnMut(String),
) -> Result<Vec<ScalingPoint>, ExperimentError> {
    let mut points = Vec::new();
    for hosts in HOSTS.into_iter().filter(|&h| h <= max_hosts) {
        log(format!(
            "scaling: {hosts} hosts, {} VMs at t=0",
            hosts * VMS_PER_HOST
        ));
        let sets = [
            format!("landscape.racks.0.count={}", hosts / 40),
            format!(
                "workload.classes.0.arrival.at_once={}",
                hosts * VMS_PER_HOST
            ),
        ];
        let m = measure_in_child(exe, "burst-best-fit", &sets)?;
        points.push(ScalingPoint::new("hosts", &m));
    }
    for vms in VMS.into_iter().filter(|&v| v <= max_vms) {
        log(format!("scaling: 10000 hosts, about {vms} VMs under churn"));
        let minutes = vms.div_ceil(CHURN_PER_MINUTE);
        let sets = [format!("simulation.duration={minutes}m")];
        let m = measure_in_child(exe, "churn", &sets)?;
        points.push(ScalingPoint::new("vms", &m));
    }
    Ok(points)
}

/// The points as CSV, one row each, with a header.
pub fn csv(points: &[ScalingPoint]) -> String {
    let mut s = String::from("axis,hosts,vms,events,wall_s,events_per_s,peak_rss_mib\n");
    for p in points {
        s += &format!(
            "{},{},{},{},{:.6},{:.0},{:.1}\n",
            p.axis, p.hosts, p.vms, p.events, p.wall_s, p.events_per_s, p.peak_rss_mib
        );
    }
    s
}

/// Writes `scaling.csv` and the chart (`scaling.png`, `scaling.svg`) as the folder `out`,
/// through a staging folder (replacing `out` only if `policy` lets it).
pub fn write(
    out: &Path,
    policy: &OutputPolicy,
    points: &[ScalingPoint],
) -> Result<(), ExperimentError> {
    let staging = Staging::create(out, "bench-scaling", policy)?;
    let dir = staging.path();
    let path = dir.join("scaling.csv");
    std::fs::write(&path, csv(points)).map_err(|e| ExperimentError::io(&path, e))?;
    super::chart::write(dir, points)?;
    Ok(staging.commit()?)
}
