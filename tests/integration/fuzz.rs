//! Fuzzing on stable Rust, inside the test binary: every trace reader and the scenario loader
//! (with `--set` overrides) fed mutations of a seed corpus the project makes (`corpus`). An
//! execution passes when it returns, Ok or with an error naming the file; a panic fails the
//! test and keeps its input under target/fuzz-crashes/; an execution running past
//! `HANG_SECONDS` is a hang: the input is kept and the process aborts.
//!
//! `cargo test --release --test integration fuzz::` runs each target briefly (`SHORT_EXECS`);
//! the long run is the same test with more executions, e.g. a million of every target:
//!
//!     DCSIM_FUZZ_EXECS=1000000 nice -n 19 cargo test --release --test integration \
//!         fuzz::every_target_survives_its_run -- --nocapture
//!
//! (`DCSIM_FUZZ_TARGETS=swf,planetlab` picks targets, `DCSIM_FUZZ_SEED` the stream.)

pub mod corpus;
mod mutate;

use corpus::{Seed, Target};
use dcsim::scenario::{self, Override};
use dcsim::time::SimTime;
use dcsim::workload::trace::{self, TraceFiles};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Executions per target in the bounded run of `cargo test`.
const SHORT_EXECS: u64 = 300;
/// An execution this long is a hang (the inputs are a few kB: each takes well under 10 ms).
const HANG_SECONDS: u64 = 20;
/// What `started` holds once a target's run is over (the watchdog then stops).
const DONE: u64 = u64::MAX - 1;
/// Inputs never grow past this.
const MAX_LEN: usize = 1 << 18;

/// `--set` keys of the bundled scenarios, and a misspelt one, for the loader target.
const SET_KEYS: [&str; 14] = [
    "simulation.duration",
    "simulation.sample_interval",
    "simulation.seed",
    "policy.placement",
    "landscape.racks.0.count",
    "landscape.racks.0.hosts_per_rack",
    "landscape.racks_per_pdu",
    "workload.classes.0.arrival.rate_per_hour",
    "workload.classes.0.arrival.at_once",
    "workload.classes.0.lifetime.mean",
    "host_types.0.cores",
    "queue.max_wait",
    "rebalance.policy",
    "simulaton.duraton",
];
const SET_VALUES: [&str; 12] = [
    "2h",
    "0",
    "-1",
    "1099511627776",
    "\"first-fit\"",
    "1us",
    "99999d",
    "nan",
    "[1,2]",
    "{a=1}",
    "\"thr-mmt\"",
    "true",
];

/// What a run of one target saw.
#[derive(Debug, Default)]
pub struct Tally {
    pub execs: u64,
    pub ok: u64,
    pub errors: u64,
    pub seconds: f64,
}

/// The input being executed, for the hang watchdog to keep.
struct Current {
    target: String,
    exec: u64,
    files: Vec<(String, Vec<u8>)>,
}

fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
    };
    let dir = base.join(format!("dcsim-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn crash_dir(target: &str, exec: u64) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/fuzz-crashes")
        .join(format!("{target}-{exec}"))
}

fn keep(c: &Current) -> PathBuf {
    let dir = crash_dir(&c.target, c.exec);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in &c.files {
        let path = dir.join(name.replace('/', "_"));
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// Aborts the process when one execution runs past `HANG_SECONDS`, keeping its input.
fn watchdog(current: Arc<Mutex<Current>>, started: Arc<AtomicU64>, clock: Instant) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_millis(500));
            let t0 = started.load(Ordering::Relaxed);
            if t0 == DONE {
                return;
            }
            let now = clock.elapsed().as_millis() as u64;
            if t0 != u64::MAX && now.saturating_sub(t0) > HANG_SECONDS * 1000 {
                let c = current.lock().unwrap_or_else(|p| p.into_inner());
                let dir = keep(&c);
                eprintln!(
                    "fuzz: HANG in target {} at execution {}: input kept in {}",
                    c.target,
                    c.exec,
                    dir.display()
                );
                std::process::abort();
            }
        }
    });
}

/// Runs `execs` mutated executions of `target`; panics (naming the kept input) on a panic.
pub fn fuzz(target: &Target, execs: u64, seed: u64, work: &Path) -> Tally {
    let current = Arc::new(Mutex::new(Current {
        target: target.name.to_string(),
        exec: 0,
        files: Vec::new(),
    }));
    let started = Arc::new(AtomicU64::new(u64::MAX));
    let clock = Instant::now();
    watchdog(current.clone(), started.clone(), clock);
    let dir = work.join(target.name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut tally = Tally::default();
    let t = Instant::now();
    let mut exec = Exec::new(&target.seed, &dir);
    for i in 0..execs {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (i.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        let input = exec.prepare(&mut rng);
        {
            let mut c = current.lock().unwrap();
            c.exec = i;
            c.files = input;
        }
        started.store(clock.elapsed().as_millis() as u64, Ordering::Relaxed);
        let outcome = catch_unwind(AssertUnwindSafe(|| exec.run()));
        started.store(u64::MAX, Ordering::Relaxed);
        match outcome {
            Ok(Ok(())) => tally.ok += 1,
            Ok(Err(message)) => {
                assert!(!message.trim().is_empty(), "an empty error message");
                tally.errors += 1;
            }
            Err(_) => {
                let kept = keep(&current.lock().unwrap());
                panic!(
                    "fuzz: PANIC in target {} at execution {i}: input kept in {}",
                    target.name,
                    kept.display()
                );
            }
        }
        tally.execs += 1;
    }
    tally.seconds = t.elapsed().as_secs_f64();
    started.store(DONE, Ordering::Relaxed);
    tally
}

/// One target's inputs on disk, mutated and restored file by file.
struct Exec<'a> {
    seed: &'a Seed,
    dir: PathBuf,
    /// The file mutated last (restored before the next mutation), for trace targets.
    dirty: Option<usize>,
    scenario: Option<(String, Vec<Override>)>,
}

impl<'a> Exec<'a> {
    fn new(seed: &'a Seed, dir: &Path) -> Exec<'a> {
        if let Seed::Trace { files, .. } = seed {
            for f in files {
                std::fs::write(dir.join(&f.name), &f.bytes).unwrap();
            }
        }
        Exec {
            seed,
            dir: dir.to_path_buf(),
            dirty: None,
            scenario: None,
        }
    }

    /// Mutates the input for this execution; returns what the watchdog keeps.
    fn prepare(&mut self, rng: &mut ChaCha8Rng) -> Vec<(String, Vec<u8>)> {
        match self.seed {
            Seed::Trace { files, .. } => {
                if let Some(k) = self.dirty.take() {
                    std::fs::write(self.dir.join(&files[k].name), &files[k].bytes).unwrap();
                }
                let k = rng.random_range(0..files.len());
                let mut bytes = files[k].bytes.clone();
                mutate::mutate(rng, &mut bytes, MAX_LEN);
                std::fs::write(self.dir.join(&files[k].name), &bytes).unwrap();
                self.dirty = Some(k);
                vec![(files[k].name.clone(), bytes)]
            }
            Seed::Scenario { text, .. } => {
                let mut bytes = text.as_bytes().to_vec();
                if rng.random_bool(0.8) {
                    mutate::mutate(rng, &mut bytes, MAX_LEN);
                }
                let mut sets = Vec::new();
                let mut shown = Vec::new();
                for _ in 0..rng.random_range(0..3u32) {
                    let key = SET_KEYS[rng.random_range(0..SET_KEYS.len())];
                    let mut value = SET_VALUES[rng.random_range(0..SET_VALUES.len())]
                        .as_bytes()
                        .to_vec();
                    if rng.random_bool(0.3) {
                        mutate::mutate(rng, &mut value, 256);
                    }
                    let arg = format!("{key}={}", String::from_utf8_lossy(&value));
                    shown.extend(format!("--set {arg}\n").into_bytes());
                    if let Ok(o) = Override::parse(&arg) {
                        sets.push(o);
                    }
                }
                let text = String::from_utf8_lossy(&bytes).into_owned();
                self.scenario = Some((text, sets));
                vec![("scenario.toml".into(), bytes), ("sets.txt".into(), shown)]
            }
        }
    }

    /// Reads the input the way dcsim does; Err is the error's text.
    fn run(&self) -> Result<(), String> {
        match self.seed {
            Seed::Trace {
                format,
                files,
                folder,
                usage,
                machines,
            } => {
                let at = |k: &usize| self.dir.join(&files[*k].name);
                let main = if *folder {
                    self.dir.clone()
                } else {
                    self.dir.join(&files[0].name)
                };
                let files = TraceFiles {
                    main,
                    usage: usage.as_ref().map(at),
                    machines: machines.as_ref().map(at),
                    ..TraceFiles::default()
                };
                read_trace(*format, &files).map_err(|e| {
                    assert!(
                        !e.file.as_os_str().is_empty(),
                        "an error naming no file: {e}"
                    );
                    e.to_string()
                })
            }
            Seed::Scenario { path, .. } => {
                let (text, sets) = self.scenario.as_ref().expect("prepared");
                let loaded =
                    scenario::parse(text, path, "fuzz", sets).map_err(|e| e.to_string())?;
                // What `dcsim validate` does after loading, held to 256 MiB.
                dcsim::report::describe(&loaded, Some(256 << 20)).map_err(|e| e.to_string())?;
                Ok(())
            }
        }
    }
}

/// Everything a run reads of a trace: every workload, the usage feed, the machine table.
pub fn read_trace(
    format: dcsim::scenario::TraceFormat,
    files: &TraceFiles,
) -> Result<(), trace::TraceError> {
    let mut reader = trace::open_reader(format, files)?;
    trace::inspect(reader.as_mut())?;
    let mut readings = Vec::new();
    reader.usage_until(SimTime::MAX, &mut readings)?;
    if files.machines.is_some() {
        reader.machines()?;
    }
    let _ = reader.assumptions();
    Ok(())
}

fn execs_from_env(default: u64) -> u64 {
    std::env::var("DCSIM_FUZZ_EXECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn selected(all: Vec<Target>) -> Vec<Target> {
    match std::env::var("DCSIM_FUZZ_TARGETS") {
        Ok(list) => {
            let names: Vec<&str> = list.split(',').map(str::trim).collect();
            all.into_iter()
                .filter(|t| names.contains(&t.name))
                .collect()
        }
        Err(_) => all,
    }
}

#[test]
fn every_seed_reads_without_error() {
    // The corpus is valid input: mutations start from what the readers accept.
    let work = scratch().join("seeds");
    for target in corpus::targets(&work) {
        let dir = work.join(target.name);
        std::fs::create_dir_all(&dir).unwrap();
        let mut exec = Exec::new(&target.seed, &dir);
        if let Seed::Scenario { text, .. } = &target.seed {
            exec.scenario = Some((text.clone(), Vec::new()));
        }
        exec.run()
            .unwrap_or_else(|e| panic!("seed of {}: {e}", target.name));
    }
}

#[test]
fn every_target_survives_its_run() {
    // `SHORT_EXECS` per target in `cargo test`; the long run is this same test with
    // DCSIM_FUZZ_EXECS (and DCSIM_FUZZ_TARGETS, DCSIM_FUZZ_SEED) set, printing its table.
    let work = scratch().join("run");
    std::fs::create_dir_all(&work).unwrap();
    let execs = execs_from_env(SHORT_EXECS);
    let seed = std::env::var("DCSIM_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(14);
    println!("| target | executions | errors | panics | hangs | seconds |");
    println!("|---|---:|---:|---:|---:|---:|");
    for target in selected(corpus::targets(&work)) {
        let t = fuzz(&target, execs, seed, &work);
        assert_eq!(t.execs, execs);
        // Mutations must reach the readers' checks, not only their happy path.
        assert!(t.errors > 0, "{}: no mutation was refused", target.name);
        println!(
            "| {} | {} | {} | 0 | 0 | {:.0} |",
            target.name, t.execs, t.errors, t.seconds
        );
    }
    let _ = std::fs::remove_dir_all(&work);
}
