//! Small synthetic traces that dcsim makes itself, one per recorded format a bundled scenario
//! replays (`dcsim trace sample FORMAT --out DIR`), so that every bundled scenario runs on a
//! plain clone. Each sample is drawn from a fixed seed and written exactly as the public trace
//! lays out its files (columns, separators, headers, units); the numbers are invented, shaped
//! only loosely like the real traces. `scenarios/traces/samples/` holds the committed output, and
//! a test checks that it is what this module writes.

use super::TraceError;
use crate::scenario::TraceFormat;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The formats `write_sample` can make.
pub const SAMPLE_FORMATS: [TraceFormat; 5] = [
    TraceFormat::AzureV1,
    TraceFormat::AlibabaGpu2023,
    TraceFormat::Bitbrains,
    TraceFormat::Planetlab,
    TraceFormat::Swf,
];

/// One file of a sample: its path under the sample folder and its text.
struct SampleFile {
    name: String,
    text: String,
}

/// Writes the sample of `format` into folder `dir` (created if needed) and returns the files
/// written. The same format always gives the same bytes.
pub fn write_sample(format: TraceFormat, dir: &Path) -> Result<Vec<PathBuf>, TraceError> {
    let files = match format {
        TraceFormat::AzureV1 => vec![azure_v1()],
        TraceFormat::AlibabaGpu2023 => openb(),
        TraceFormat::Bitbrains => bitbrains(),
        TraceFormat::Planetlab => planetlab(),
        TraceFormat::Swf => vec![swf()],
        other => {
            let known: Vec<String> = SAMPLE_FORMATS.iter().map(|f| format_name(*f)).collect();
            return Err(TraceError::new(
                dir,
                None,
                None,
                format!(
                    "no sample generator for `{}` (formats with one: {})",
                    format_name(other),
                    known.join(", ")
                ),
            ));
        }
    };
    let mut written = Vec::new();
    for f in files {
        let path = dir.join(&f.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                TraceError::new(parent, None, None, format!("cannot create the folder: {e}"))
            })?;
        }
        std::fs::write(&path, f.text)
            .map_err(|e| TraceError::new(&path, None, None, format!("cannot write: {e}")))?;
        written.push(path);
    }
    Ok(written)
}

/// The name of `format` as scenarios and the command line spell it.
pub fn format_name(format: TraceFormat) -> String {
    use clap::ValueEnum;
    format
        .to_possible_value()
        .map_or_else(|| format!("{format:?}"), |v| v.get_name().to_string())
}

/// The seeded stream of one format's sample.
fn rng(format: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(0x5a3d_1e00 + format)
}

/// A base64-looking identifier of `len` characters, as the Azure trace's hashed ids.
fn hashed_id(rng: &mut ChaCha8Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Seconds rounded down to the 300 s grid of the Azure and PlanetLab traces.
fn on_grid(s: f64) -> u64 {
    (s.max(0.0) as u64) / 300 * 300
}

/// Azure V1 `vmtable.csv`: 40 VMs over the trace's 30 days, no header, sorted by creation.
fn azure_v1() -> SampleFile {
    const END: u64 = 2_591_700; // the last 5-minute reading of the 30-day trace
    let mut r = rng(1);
    let subscriptions: Vec<String> = (0..4).map(|_| hashed_id(&mut r, 64)).collect();
    let deployments: Vec<String> = (0..8).map(|_| hashed_id(&mut r, 88)).collect();
    let mut rows: Vec<(u64, String)> = Vec::new();
    for _ in 0..40 {
        // A quarter exist when the trace starts; the rest arrive over the first 25 days.
        let created = if r.random_bool(0.25) {
            0
        } else {
            on_grid(r.random_range(0.0..25.0 * 86_400.0))
        };
        // Lifetimes from an hour to two weeks, log-uniform; some outlive the trace.
        let life = 3_600.0 * 336f64.powf(r.random::<f64>());
        let deleted = (created + on_grid(life).max(300)).min(END);
        let (category, avg): (&str, f64) = match r.random_range(0..3) {
            0 => ("Interactive", r.random_range(5.0..30.0)),
            1 => ("Delay-insensitive", r.random_range(10.0..60.0)),
            _ => ("Unknown", r.random_range(2.0..40.0)),
        };
        let max = (avg * r.random_range(1.5..4.0)).min(100.0);
        let p95 = avg + (max - avg) * r.random_range(0.3..0.9);
        let cores = [1u32, 1, 2, 2, 4, 8][r.random_range(0..6)];
        let memory = cores as f64 * [0.75, 1.75, 3.5][r.random_range(0..3)];
        let line = format!(
            "{},{},{},{created},{deleted},{max:.6},{avg:.6},{p95:.6},{category},{cores},{memory}\n",
            hashed_id(&mut r, 64),
            subscriptions[r.random_range(0..subscriptions.len())],
            deployments[r.random_range(0..deployments.len())],
        );
        rows.push((created, line));
    }
    rows.sort_by_key(|(created, _)| *created);
    SampleFile {
        name: "vmtable.csv".into(),
        text: rows.into_iter().map(|(_, l)| l).collect(),
    }
}

/// Alibaba GPU 2023 (OpenB): a node list of 12 machines and a pod list of 200 pods over 14
/// days, both with the trace's header rows, pods sorted by creation time.
fn openb() -> Vec<SampleFile> {
    let mut r = rng(2);
    let mut nodes = String::from("sn,cpu_milli,memory_mib,gpu,model\n");
    for i in 0..12 {
        let (cpu, mem, gpu, model) = match i % 4 {
            0 => (32_000, 262_144, 0, ""),
            1 => (64_000, 524_288, 2, "T4"),
            2 => (96_000, 786_432, 8, "V100M32"),
            _ => (96_000, 393_216, 8, "A10"),
        };
        writeln!(nodes, "sample-node-{i:04},{cpu},{mem},{gpu},{model}").unwrap();
    }
    const END: u64 = 14 * 86_400;
    let mut created: Vec<u64> = (0..200).map(|_| r.random_range(0..END - 3_600)).collect();
    created.sort_unstable();
    let mut pods = String::from(
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n",
    );
    for (i, c) in created.into_iter().enumerate() {
        let cpu = [1_000u32, 2_000, 4_000, 8_000, 12_000, 16_000][r.random_range(0..6)];
        let mem = cpu / 1_000 * [1_024u32, 2_048, 4_096][r.random_range(0..3)];
        let gpus = [0u32, 0, 1, 1, 2][r.random_range(0..5)];
        let gpu_milli = if gpus == 0 {
            0
        } else {
            [250u32, 500, 1_000][r.random_range(0..3)]
        };
        let qos = ["LS", "BE", "Burstable", "Guaranteed"][r.random_range(0..4)];
        // Minutes to days; a pod still running at the cut carries the trace's last instant.
        let life = (60.0 * 4_000f64.powf(r.random::<f64>())) as u64;
        let (phase, deleted) = if c + life >= END {
            ("Running", END)
        } else {
            (
                ["Succeeded", "Failed"][usize::from(r.random_bool(0.1))],
                c + life,
            )
        };
        writeln!(
            pods,
            "sample-pod-{i:04},{cpu},{mem},{gpus},{gpu_milli},,{qos},{phase},{c},{deleted},{c}"
        )
        .unwrap();
    }
    vec![
        SampleFile {
            name: "openb_node_list_all_node.csv".into(),
            text: nodes,
        },
        SampleFile {
            name: "openb_pod_list_default.csv".into(),
            text: pods,
        },
    ]
}

/// GWA-T-12 Bitbrains: a folder of three per-VM files, one day each at 300 s, with the
/// archive's header and its ";\t" separator (timestamps in Unix seconds, as in the archive).
fn bitbrains() -> Vec<SampleFile> {
    const HEADER: [&str; 11] = [
        "Timestamp [ms]",
        "CPU cores",
        "CPU capacity provisioned [MHZ]",
        "CPU usage [MHZ]",
        "CPU usage [%]",
        "Memory capacity provisioned [KB]",
        "Memory usage [KB]",
        "Disk read throughput [KB/s]",
        "Disk write throughput [KB/s]",
        "Network received throughput [KB/s]",
        "Network transmitted throughput [KB/s]",
    ];
    const START: u64 = 1_376_314_800; // 2013-08-12 13:40 UTC, when the archive's month begins
    let mut r = rng(3);
    (1..=3)
        .map(|vm| {
            let cores = [1u32, 2, 4][vm - 1];
            let mhz = 2_600.0 * cores as f64;
            let memory_kb = 2_097_152 * cores as u64;
            let base = r.random_range(5.0..40.0);
            let mut text = HEADER.join(";\t");
            text.push('\n');
            for i in 0..288u64 {
                // A daily wave with noise: busiest in the afternoon.
                let phase = (i as f64 / 288.0 * std::f64::consts::TAU).sin();
                let pct: f64 = (base * (1.0 + 0.6 * phase) + r.random_range(-3.0..3.0))
                    .clamp(0.0, 100.0);
                let used_kb = memory_kb as f64 * r.random_range(0.2..0.6);
                writeln!(
                    text,
                    "{};\t{cores};\t{mhz:.3};\t{:.3};\t{pct:.3};\t{memory_kb}.0;\t{used_kb:.1};\t{:.1};\t{:.1};\t{:.1};\t{:.1}",
                    START + i * 300,
                    mhz * pct / 100.0,
                    r.random_range(0.0..50.0),
                    r.random_range(0.0..20.0),
                    r.random_range(0.0..10.0),
                    r.random_range(0.0..10.0),
                )
                .unwrap();
            }
            SampleFile {
                name: format!("{vm}.csv"),
                text,
            }
        })
        .collect()
}

/// The number of VMs (files) of the PlanetLab sample.
pub const PLANETLAB_SAMPLE_VMS: usize = 40;

/// PlanetLab (CoMon): a folder of 40 per-VM files, 288 integer CPU percentages each (one per
/// 300 s over 24 h), no header; mostly light, as the real day's machines are.
fn planetlab() -> Vec<SampleFile> {
    let mut r = rng(4);
    (0..PLANETLAB_SAMPLE_VMS)
        .map(|vm| {
            let mean: f64 = r.random_range(2.0..35.0);
            let mut level = mean;
            let mut text = String::with_capacity(288 * 3);
            for _ in 0..288 {
                // A random walk pulled back to its mean, with rare bursts and idle spells.
                level += 0.2 * (mean - level) + r.random_range(-4.0..4.0);
                let v = if r.random_bool(0.02) {
                    r.random_range(60.0..100.0)
                } else if r.random_bool(0.03) {
                    0.0
                } else {
                    level
                };
                writeln!(text, "{}", v.clamp(0.0, 100.0).round() as u32).unwrap();
            }
            SampleFile {
                name: format!("sample-node-{vm:02}"),
                text,
            }
        })
        .collect()
}

/// Standard Workload Format 2.2: a 128-processor machine, 300 jobs over 7 days, with header
/// comments and the 18 whitespace-separated fields (−1 for unknown).
fn swf() -> SampleFile {
    let mut r = rng(5);
    let mut text = String::from(
        "; Version: 2.2\n\
         ; Computer: dcsim sample machine (synthetic)\n\
         ; Installation: none, generated by `dcsim trace sample swf`\n\
         ; MaxJobs: 300\n\
         ; MaxRecords: 300\n\
         ; UnixStartTime: 1700000000\n\
         ; MaxNodes: 128\n\
         ; MaxProcs: 128\n\
         ; Queue: 0 interactive\n\
         ; Queue: 1 batch\n\
         ; Note: synthetic jobs; numbers are invented, the layout is the archive's\n",
    );
    let mut submit = 0u64;
    for job in 1..=300u64 {
        submit += r.random_range(0..4_000);
        let procs = [1u32, 2, 4, 8, 16, 32][r.random_range(0..6)];
        let runtime = (30.0 * 1_000f64.powf(r.random::<f64>())) as u64;
        let cpu = runtime as f64 * r.random_range(0.5..1.0);
        let queue = u32::from(runtime > 600);
        let requested = runtime * 2;
        writeln!(
            text,
            "{job:>5} {submit:>8} {wait:>5} {runtime:>6} {procs:>4} {cpu:>8.1} {mem:>6} {procs:>4} {requested:>6} -1 1 {user:>3} 1 -1 {queue} -1 -1 -1",
            wait = r.random_range(0..600),
            mem = r.random_range(1_000..7_000),
            user = r.random_range(1..20),
        )
        .unwrap();
    }
    SampleFile {
        name: "sample.swf".into(),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_format_gives_the_same_bytes() {
        assert_eq!(azure_v1().text, azure_v1().text);
        assert_eq!(planetlab()[7].text, planetlab()[7].text);
    }

    #[test]
    fn planetlab_files_hold_288_percentages() {
        for f in planetlab() {
            let values: Vec<u32> = f.text.lines().map(|l| l.parse().unwrap()).collect();
            assert_eq!(values.len(), 288, "{}", f.name);
            assert!(values.iter().all(|v| *v <= 100));
        }
    }

    #[test]
    fn formats_without_a_generator_say_which_have_one() {
        let e = write_sample(TraceFormat::Google2019, Path::new("/nonexistent")).unwrap_err();
        assert!(e.message.contains("azure-v1"), "{}", e.message);
    }
}
