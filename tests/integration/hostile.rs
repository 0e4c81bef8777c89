//! Hostile input (issue 14): each reader and the loader given a pathological input (a 10 MB
//! line, a million columns, deep TOML nesting, a count of 2^40) stops with a clear error (file,
//! line, field; exit status 2) and no hang: none of these asserts a time (a hang shows as the
//! test's timeout). Also: missing files exit 2 everywhere, per-VM folders skip a README and a
//! SOURCE.txt and say so, and a scenario too large for the memory allowed is refused at once.

use crate::cli::{dcsim, temp_dir};
use crate::fuzz::corpus::{Seed, targets};
use crate::fuzz::read_trace;
use dcsim::scenario::{self, TraceFormat};
use dcsim::workload::trace::{TraceFiles, inspect_files};
use std::path::{Path, PathBuf};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_bad_input(o: &std::process::Output, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for w in words {
        assert!(err.contains(w), "expected {w:?} in: {err}");
    }
}

/// Every trace target of the fuzz corpus with its main file replaced by `text`: the error
/// names the main file (and a line where the format has lines) and stays short.
fn each_reader_refuses(label: &str, text: &[u8]) {
    let root = temp_dir(&format!("hostile-{label}"));
    for t in targets(&root.join("corpus")) {
        let Seed::Trace {
            format,
            files,
            folder,
            usage,
            machines,
        } = &t.seed
        else {
            continue;
        };
        let dir = root.join(t.name);
        std::fs::create_dir_all(&dir).unwrap();
        for f in files {
            std::fs::write(dir.join(&f.name), &f.bytes).unwrap();
        }
        // The per-VM and folder formats read every file: the first one is hostile.
        std::fs::write(dir.join(&files[0].name), text).unwrap();
        let at = |k: &usize| dir.join(&files[*k].name);
        let main = if *folder { dir.clone() } else { at(&0) };
        let tf = TraceFiles {
            main,
            usage: usage.as_ref().map(at),
            machines: machines.as_ref().map(at),
            ..TraceFiles::default()
        };
        let err = read_trace(*format, &tf).expect_err(t.name).to_string();
        assert!(
            err.contains(&files[0].name),
            "{}: the error does not name {}: {err}",
            t.name,
            files[0].name
        );
        assert!(err.contains(":1"), "{}: no line 1 in: {err}", t.name);
        // Messages are clipped (MAX_MESSAGE characters, plus the place).
        assert!(err.len() < 1000, "{}: {} bytes of error", t.name, err.len());
    }
}

#[test]
fn a_ten_megabyte_line_is_refused_by_every_reader() {
    each_reader_refuses("long-line", &vec![b'x'; 10 << 20]);
}

#[test]
fn a_million_columns_are_refused_by_every_reader() {
    let mut row = "x,".repeat(1_000_000).into_bytes();
    row.push(b'\n');
    each_reader_refuses("wide-row", &row);
}

#[test]
fn a_task_of_two_to_the_sixty_instances_is_an_error_not_an_endless_replay() {
    // Before the bound, BatchTasks yielded instance after instance of this row forever.
    let dir = temp_dir("hostile-alibaba-instances");
    let path = dir.join("batch_task.csv");
    std::fs::write(
        &path,
        "M1,1152921504606846976,j_1,1,Terminated,100,160,50,0.5\n",
    )
    .unwrap();
    let err = inspect_files(TraceFormat::Alibaba2018, &TraceFiles::main_only(&path))
        .unwrap_err()
        .to_string();
    // Line 1, column 2 (instance_num).
    assert!(err.contains("batch_task.csv:1:2"), "{err}");
    assert!(err.contains("instance_num"), "{err}");
    let o = dcsim(&["trace", "inspect", "alibaba-2018", path.to_str().unwrap()]);
    assert_bad_input(&o, &["instance_num"]);
}

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

#[test]
fn deep_toml_nesting_is_a_clear_error() {
    let dir = temp_dir("hostile-deep-toml");
    let depth = 100_000;
    for (name, text) in [
        (
            "arrays",
            format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "tables",
            format!("a = {}1{}\n", "{b=".repeat(depth), "}".repeat(depth)),
        ),
    ] {
        let err = scenario::parse(&text, Path::new("deep.toml"), "deep", &[]).unwrap_err();
        assert_eq!(err.line, Some(1), "{name}: {err}");
        assert!(err.message.contains("recurs"), "{name}: {err}");
        let file = write(&dir.join(format!("{name}.toml")), &text);
        assert_bad_input(
            &dcsim(&["validate", file.to_str().unwrap()]),
            &["deep", ":1:"],
        );
    }
    // The same through --set (the override's value is parsed as TOML too), 30,000 deep: an
    // argument longer than 128 KiB is refused by the kernel before dcsim starts.
    let value = format!("{}{}", "[".repeat(30_000), "]".repeat(30_000));
    let o = dcsim(&[
        "validate",
        "scenarios/quickstart.toml",
        "--set",
        &format!("simulation.seed={value}"),
    ]);
    assert_bad_input(&o, &["simulation.seed"]);
}

#[test]
fn a_ten_megabyte_scenario_line_is_a_short_clear_error() {
    let text = format!("[simulation]\nduration = \"{}h\"\n", "9".repeat(10 << 20));
    let err = scenario::parse(&text, Path::new("long.toml"), "long", &[]).unwrap_err();
    assert_eq!(err.line, Some(2), "{err}");
    assert_eq!(err.field.as_deref(), Some("duration"), "{err}");
    assert!(err.to_string().len() < 1000);
}

#[test]
fn counts_of_two_to_the_forty_are_refused_at_once_with_the_key() {
    // A rack count is 32 bits: 2^40 is refused by the schema.
    let o = dcsim(&[
        "validate",
        "scenarios/quickstart.toml",
        "--set",
        "landscape.racks.0.count=1099511627776",
    ]);
    assert_bad_input(&o, &["count", "1099511627776"]);
    // 2^31 racks × 40 hosts = 2^36.3 hosts: past 32-bit host ids, refused by arithmetic.
    let o = dcsim(&[
        "validate",
        "scenarios/quickstart.toml",
        "--set",
        "landscape.racks.0.count=2147483648",
    ]);
    assert_bad_input(&o, &["landscape.racks.0.count", "at most 4294967295"]);
    // 2^40 VMs at once: 2^40 × 512 B = 512 TiB, more than any machine.
    for cmd in ["validate", "run"] {
        let o = dcsim(
            &[
                cmd,
                "scenarios/quickstart.toml",
                "--set",
                "workload.classes.0.arrival.at_once=1099511627776",
                "--out",
                temp_dir("hostile-at-once").join("out").to_str().unwrap(),
            ][..if cmd == "run" { 6 } else { 4 }],
        );
        assert_bad_input(
            &o,
            &["workload.classes.0.arrival.at_once", "512.0 TiB", "lower"],
        );
    }
    // A 1 µs sample interval over a day: 8.64e10 rows × 400 B = 31.4 TiB; the key to raise.
    let o = dcsim(&[
        "validate",
        "scenarios/quickstart.toml",
        "--set",
        "simulation.sample_interval=1us",
    ]);
    assert_bad_input(&o, &["raise `simulation.sample_interval`", "31.4 TiB"]);
}

#[test]
fn a_run_over_max_memory_is_refused_before_anything_is_built() {
    let root = temp_dir("hostile-max-memory");
    let out = root.join("out");
    // 100,000 racks × 40 hosts + the 2 × 20 of the second group = 4,000,040 hosts, with the
    // 100,002 racks: 4,100,042 × 640 B = 2.44 GiB (+ 32 MiB base, rows, VMs) > 1 GiB.
    let o = dcsim(&[
        "run",
        "scenarios/quickstart.toml",
        "--set",
        "landscape.racks.0.count=100000",
        "--max-memory",
        "1G",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_bad_input(
        &o,
        &[
            "landscape.racks.0.count",
            "4000040 hosts",
            "more than --max-memory allows (1.0 GiB)",
        ],
    );
    assert!(!out.exists(), "nothing is written");
    // The quickstart itself fits in 1 GiB and validate says what it needs.
    let o = dcsim(&[
        "validate",
        "scenarios/quickstart.toml",
        "--max-memory",
        "1G",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("a run needs about"), "{text}");
    let o = dcsim(&[
        "validate",
        "scenarios/quickstart.toml",
        "--max-memory",
        "lots",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_huge_landscape_validates_by_arithmetic() {
    // 10,000,000 racks × 40 hosts: counted, not built (4e8 hosts would take ~250 GB).
    let o = dcsim(&[
        "validate",
        "scenarios/quickstart.toml",
        "--set",
        "landscape.racks.0.count=10000000",
        "--max-memory",
        "1T",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    // Hosts: 10,000,000 × 40 + 2 × 20 = 400,000,040 in 10,000,002 racks; racks_per_pdu = 2
    // gives 5,000,001 PDUs, racks_per_cooling_unit = 4 gives 2,500,001 cooling units.
    assert!(
        text.contains("400000040 hosts in 10000002 racks (5000001 PDUs, 2500001 cooling units)"),
        "{text}"
    );
}

#[test]
fn missing_files_exit_2_in_every_command() {
    let root = temp_dir("hostile-missing");
    let copy = root.join("scenarios");
    std::fs::create_dir_all(copy.join("traces")).unwrap();
    let scenario = copy.join("traces/swf.toml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/traces/swf.toml"),
        &scenario,
    )
    .unwrap();
    let s = scenario.to_str().unwrap();
    let out = root.join("out");
    let o_ = out.to_str().unwrap();
    let missing = "workload.trace.path=no-such.swf";
    for args in [
        vec!["run", s, "-q", "--no-plots", "--set", missing, "--out", o_],
        vec!["validate", s, "--set", missing],
        vec!["explain", s, "--workload", "1", "--set", missing],
        vec!["landscape", s, "--format", "dot", "--set", missing],
        vec![
            "compare",
            s,
            "--policy",
            "first-fit",
            "--seeds",
            "1",
            "--set",
            missing,
            "--out",
            o_,
        ],
        vec!["trace", "inspect", "swf", "no-such.swf"],
        vec!["trace", "convert", "swf", "no-such.swf", "--out", o_],
        vec!["run", "no-such.toml"],
    ] {
        let o = dcsim(&args);
        assert_bad_input(&o, &["no-such"]);
    }
    // Options that do not go together are bad input too.
    let o = dcsim(&[
        "landscape",
        "scenarios/quickstart.toml",
        "--format",
        "dot",
        "--group-by",
        "rack",
        "--at",
        "1h",
    ]);
    assert_bad_input(&o, &["--at"]);
}

#[test]
fn per_vm_folders_skip_a_readme_and_a_source_file_and_say_so() {
    for (format, name) in [
        ("bitbrains", TraceFormat::Bitbrains),
        ("planetlab", TraceFormat::Planetlab),
    ] {
        let dir = temp_dir(&format!("hostile-readme-{format}"));
        let sample = dcsim::workload::trace::sample::write_sample(name, &dir).unwrap();
        let clean = inspect_files(name, &TraceFiles::main_only(&dir)).unwrap();
        write(
            &dir.join("README"),
            "Downloaded from the Grid Workloads Archive.\n",
        );
        write(&dir.join("SOURCE.txt"), "https://example.org/trace\n");
        let summary = inspect_files(name, &TraceFiles::main_only(&dir)).unwrap();
        // The same workloads as without the two files, and a note naming them.
        assert_eq!(summary.workloads, clean.workloads);
        assert_eq!(summary.workloads as usize, sample.len());
        assert_eq!(
            summary.notes,
            vec![format!(
                "{format}: skipped 2 files not of the format: README, SOURCE.txt"
            )]
        );
        let o = dcsim(&["trace", "inspect", format, dir.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("skipped 2 files"));
    }
}

/// A native trace naming a new class on every one of `rows` rows.
#[test]
fn a_thousand_tasks_of_nine_million_instances_inspect_in_linear_time() {
    // Found by the fuzzer (alibaba-2018, execution 355,479): 1,000 rows each under the per-row
    // limit but 9.2e9 instances in all, which inspect counted one by one. A row is now
    // counted once with its instance count: the summary is the same, the time is the file's.
    let dir = temp_dir("hostile-alibaba-expansion");
    let path = dir.join("batch_task.csv");
    let mut text = String::new();
    for i in 0..1000 {
        text += &format!(
            "M{i},9200000,j_{i},1,Terminated,{},{},50,0.5\n",
            100 + i,
            160 + i
        );
    }
    std::fs::write(&path, &text).unwrap();
    let s = inspect_files(TraceFormat::Alibaba2018, &TraceFiles::main_only(&path)).unwrap();
    assert_eq!(s.workloads, 9_200_000_000);
    assert_eq!(s.classes, vec![("batch".to_string(), 9_200_000_000)]);
    let life = s.lifetime_s.expect("lifetimes");
    assert_eq!(
        (life.count, life.min, life.max),
        (9_200_000_000, 60.0, 60.0)
    );
    let cores = s.cores.expect("cores");
    assert_eq!(
        (cores.count, cores.p50, cores.mean),
        (9_200_000_000, 0.5, 0.5)
    );
    assert_eq!((s.first_arrival_s, s.last_arrival_s), (100.0, 1099.0));
}

fn class_per_row(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from(
        "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\n",
    );
    for i in 0..rows {
        text += &format!("c{i},{i},10,1,1,,,\n");
    }
    write(&dir.join("trace.csv"), &text)
}

#[test]
fn a_class_per_row_is_counted_in_linear_time_and_past_16_bits_is_an_error() {
    // Classes were found by a scan: 100,000 distinct ones took 22 s to inspect (quadratic).
    let dir = temp_dir("hostile-classes");
    let path = class_per_row(&dir, 100_000);
    let s = inspect_files(TraceFormat::Native, &TraceFiles::main_only(&path)).unwrap();
    assert_eq!(s.classes.len(), 100_000);
    assert!(s.classes.iter().all(|(_, n)| *n == 1));
    // A run numbers classes in 16 bits: class 65,537 (c65536, on line 65,538 after the
    // header) is refused, where it used to wrap onto class 0.
    let path = class_per_row(&dir, 70_000);
    let scenario = crate::traces::trace_scenario(&dir, "native", path.to_str().unwrap(), "");
    let o = dcsim(&[
        "run",
        scenario.to_str().unwrap(),
        "-q",
        "--no-plots",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_bad_input(
        &o,
        &["trace.csv:65538", "\"c65536\"", "65536 distinct classes"],
    );
}

#[test]
fn racks_of_sixty_five_thousand_hosts_validate_and_run_in_linear_time() {
    // Found by the fuzzer (scenario-reference, execution 55,192: hosts_per_rack = 65536):
    // each host's PDU, UPS and cooling unit was looked up by walking its rack's edges, one per
    // host of the rack, so validate took over 120 s on 4 × 65,536 + 20 hosts; now under one.
    let o = dcsim(&[
        "validate",
        "scenarios/reference.toml",
        "--set",
        "landscape.racks.0.hosts_per_rack=65536",
        "--max-memory",
        "1G",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Failure domains: 262,164 hosts + 5 racks + the PDUs, cooling units and the 5 racks' ToR
    // switches around them.
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("262164 hosts in 5 racks"), "{text}");
    assert!(text.contains("failures: 262181 entities"), "{text}");
    // The same walk set each host's cooling power per IT watt (CRAC model): a 1 h run on
    // 8 × 16,384 hosts took 9 s.
    let out = temp_dir("hostile-wide-racks").join("out");
    let o = dcsim(&[
        "run",
        "scenarios/quickstart.toml",
        "-q",
        "--no-plots",
        "--set",
        "landscape.racks.0.count=8",
        "--set",
        "landscape.racks.0.hosts_per_rack=16384",
        "--set",
        "simulation.duration=1h",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn an_arrival_rate_too_small_to_draw_a_gap_means_no_arrivals_not_a_hang() {
    // Found by the fuzzer (scenario-failures, execution 121,678): at 1e-308 an hour the gap
    // to the next arrival overflows to infinity, and diurnal thinning at t = ∞ (cos ∞ = NaN)
    // rejected for ever. Now the class simply never arrives again.
    let tiny = "workload.classes.0.arrival.rate_per_hour=1e-308";
    let v = dcsim(&["validate", "scenarios/failures.toml", "--set", tiny]);
    assert!(v.status.success(), "validate: {}", stderr(&v));
    let out = temp_dir("hostile-tiny-rate").join("out");
    let r = dcsim(&[
        "run",
        "scenarios/failures.toml",
        "--set",
        tiny,
        "--set",
        "simulation.duration=1h",
        "--out",
        out.to_str().unwrap(),
        "--no-plots",
        "-q",
    ]);
    assert!(r.status.success(), "run: {}", stderr(&r));
}
