//! Criterion benchmark of trace parsing throughput, in rows/s: 200 000 synthetic rows of the
//! Azure V1 `vmtable` (ids as long as the real trace's) and of the native format, written to a
//! temporary file once and read through the format's `TraceReader`.
//!
//! Run with `cargo bench --bench trace_parse`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dcsim::scenario::TraceFormat;
use dcsim::workload::trace::{TraceFiles, open_reader};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

const ROWS: u64 = 200_000;

/// A deterministic pseudo-random stream (xorshift64*).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// `len` base64-like characters, as the trace's encrypted ids.
    fn id(&mut self, len: usize, out: &mut String) {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for _ in 0..len {
            out.push(ALPHABET[(self.next() % 64) as usize] as char);
        }
    }
}

/// An Azure V1 vmtable of `ROWS` rows, sorted by creation time.
fn azure_rows() -> String {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut text = String::with_capacity(ROWS as usize * 260);
    let categories = ["Interactive", "Delay-insensitive", "Unkown"];
    let sizes = [(1, "1.75"), (2, "3.5"), (4, "7"), (8, "56")];
    for i in 0..ROWS {
        let created = i * 2_500_000 / ROWS / 300 * 300;
        let deleted = (created + 300 * (1 + rng.next() % 5000)).min(2_591_700);
        rng.id(64, &mut text);
        text.push(',');
        rng.id(64, &mut text);
        text.push(',');
        rng.id(88, &mut text);
        let (cores, memory) = sizes[(rng.next() % 4) as usize];
        let avg = (rng.next() % 10_000) as f64 / 100.0;
        let category = categories[(rng.next() % 3) as usize];
        let _ = writeln!(
            text,
            ",{created},{deleted},99.5,{avg},{:.6},{category},{cores},{memory}",
            avg * 1.7
        );
    }
    text
}

/// The native format with `ROWS` rows.
fn native_rows() -> String {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let mut text = String::from(
        "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\n",
    );
    for i in 0..ROWS {
        let lifetime = 300 * (1 + rng.next() % 5000);
        let usage = (rng.next() % 1000) as f64 / 1000.0;
        let _ = writeln!(
            text,
            "web,{}.5,{lifetime},{},4,{usage},,",
            i * 10,
            1 + rng.next() % 8
        );
    }
    text
}

/// Huawei 2021 create/delete events: `ROWS` rows, `ROWS / 2` VMs living 5 s each.
fn huawei_rows() -> String {
    let mut text = String::from("vmid,cpu,memory,time,type\n");
    for i in 0..ROWS / 2 {
        let _ = writeln!(text, "{i},2,4,{i},0");
        let _ = writeln!(text, "{i},2,4,{},1", i + 5);
    }
    text
}

/// SWF 2.2 jobs: 18 whitespace-separated fields per row.
fn swf_rows() -> String {
    let mut rng = XorShift(0x1234_5678_9abc_def1);
    let mut text = String::from("; Version: 2.2\n; MaxProcs: 128\n");
    for i in 0..ROWS {
        let procs = 1 + rng.next() % 64;
        let run = 1 + rng.next() % 10_000;
        let _ = writeln!(
            text,
            "{} {} -1 {run} {procs} -1 -1 {procs} -1 -1 1 1 1 -1 1 -1 -1 -1",
            i + 1,
            i * 3
        );
    }
    text
}

/// Google 2011 task_events: a SUBMIT and a FINISH per task, `ROWS` rows.
fn google_rows() -> String {
    let mut text = String::new();
    for i in 0..ROWS / 2 {
        let t = 600_000_000 + i * 1_000_000;
        let _ = writeln!(
            text,
            "{t},,{},0,,0,user,1,2,0.0625,0.0311,0.0001,0",
            1000 + i
        );
        let _ = writeln!(
            text,
            "{},,{},0,7,4,user,1,2,0.0625,0.0311,0.0001,0",
            t + 1_000,
            1000 + i
        );
    }
    text
}

/// OpenB pod list: `ROWS` pods.
fn openb_rows() -> String {
    let mut text = String::from(
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n",
    );
    for i in 0..ROWS {
        let _ = writeln!(
            text,
            "openb-pod-{i:06},4000,8192,1,500,,LS,Succeeded,{i},{},{i}",
            i + 3600
        );
    }
    text
}

fn write_temp(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the temporary folder is writable");
    path
}

/// Reads every row of `path`; returns the number read.
fn read_all(format: TraceFormat, path: &Path) -> u64 {
    let mut reader = open_reader(format, &TraceFiles::main_only(path)).expect("the file opens");
    let mut n = 0;
    while let Some(vm) = reader.next_vm().expect("the rows parse") {
        black_box(&vm);
        n += 1;
    }
    n
}

fn trace_parse(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("dcsim-bench-trace-parse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temporary folder can be made");
    let files = [
        (
            TraceFormat::AzureV1,
            write_temp(&dir, "vmtable.csv", &azure_rows()),
            "azure-v1",
        ),
        (
            TraceFormat::Native,
            write_temp(&dir, "native.csv", &native_rows()),
            "native",
        ),
        (
            TraceFormat::Huawei2021,
            write_temp(&dir, "huawei.csv", &huawei_rows()),
            "huawei-2021",
        ),
        (
            TraceFormat::Swf,
            write_temp(&dir, "jobs.swf", &swf_rows()),
            "swf",
        ),
        (
            TraceFormat::Google2011,
            write_temp(&dir, "task_events.csv", &google_rows()),
            "google-2011",
        ),
        (
            TraceFormat::AlibabaGpu2023,
            write_temp(&dir, "pods.csv", &openb_rows()),
            "alibaba-gpu-2023",
        ),
    ];
    let mut group = c.benchmark_group("trace_parse");
    group.throughput(Throughput::Elements(ROWS));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for (format, path, name) in &files {
        // Throughput counts file rows; create/delete and event formats yield a workload per 2 rows.
        let workloads = read_all(*format, path);
        assert!(
            workloads == ROWS || workloads == ROWS / 2,
            "{name}: {workloads}"
        );
        group.bench_function(*name, |b| b.iter(|| read_all(*format, path)));
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = trace_parse
}
criterion_main!(benches);
