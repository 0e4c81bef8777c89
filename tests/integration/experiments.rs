//! Experiments as a user meets them: compare (intervals, paired differences, charts, the same
//! bytes whatever --jobs), sweep in shards + merge (byte for byte), regress (pass, fail with
//! exit 3, accept), and bad input (exit 2, no panic).

use crate::cli::{dcsim, read, temp_dir};
use dcsim::experiment::student::t_quantile;
use std::path::Path;
use std::process::Output;

const SHORT: &str = "simulation.duration=3h";

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Asserts exit status `code` and a stderr mentioning `needle`, without a panic.
fn fails_with(o: &Output, code: i32, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn compare(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["compare", "scenarios/quickstart.toml", "--set", SHORT, "-q"];
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    dcsim(&args)
}

#[test]
fn t_quantiles_match_tables() {
    for (df, t) in [
        (1.0, 12.706),
        (4.0, 2.776),
        (29.0, 2.045),
        (f64::INFINITY, 1.960),
    ] {
        assert!((t_quantile(0.975, df) - t).abs() < 5e-4, "df {df}");
    }
    assert!((t_quantile(0.975, 1e9) - 1.960).abs() < 5e-4);
}

#[test]
fn compare_writes_intervals_differences_and_charts_whatever_the_jobs() {
    let dir = temp_dir("exp-compare");
    let policies = [
        "--policy",
        "best-fit",
        "--policy",
        "worst-fit",
        "--seeds",
        "3",
    ];
    let (one, two) = (dir.join("j1"), dir.join("j2"));
    ok(&compare(&one, &[&policies[..], &["--jobs", "1"]].concat()));
    ok(&compare(
        &two,
        &[&policies[..], &["--jobs", "2", "--no-charts"]].concat(),
    ));
    for f in ["comparison.csv", "comparison.md", "comparison.json"] {
        assert_eq!(
            read(&one.join(f)),
            read(&two.join(f)),
            "{f} depends on --jobs"
        );
    }
    let csv = read(&one.join("comparison.csv"));
    assert_eq!(csv.lines().count(), 1 + 2 * 3);
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("run,arm,policy,scenario,seed,placement_policy,"));
    assert!(header.contains("energy_kwh") && header.contains("tco_usd"));
    let md = read(&one.join("comparison.md"));
    assert!(
        md.contains("| IT energy (kWh) `energy_kwh` |") && md.contains(" ± "),
        "{md}"
    );
    assert!(
        md.contains("## Paired differences against `best-fit`"),
        "{md}"
    );
    assert!(md.contains("worst-fit − best-fit"), "{md}");
    for chart in [
        "bars",
        "box_energy_kwh",
        "box_tco_usd",
        "box_workloads_rejected",
    ] {
        for ext in ["png", "svg"] {
            let f = one.join(format!("{chart}.{ext}"));
            assert!(f.metadata().unwrap().len() > 0, "{}", f.display());
        }
    }
}

#[test]
fn one_seed_says_intervals_are_unavailable() {
    let out = temp_dir("exp-one-seed").join("c");
    let args = [
        "--policy",
        "best-fit",
        "--policy",
        "first-fit",
        "--seeds",
        "1",
    ];
    ok(&compare(&out, &[&args[..], &["--no-charts"]].concat()));
    let md = read(&out.join("comparison.md"));
    assert!(md.contains("Confidence intervals are unavailable"), "{md}");
    assert!(md.contains("(no interval)"), "{md}");
    assert!(!md.contains("± 0"), "{md}");
}

#[test]
fn vary_compares_any_key() {
    let out = temp_dir("exp-vary").join("c");
    let args = [
        "--vary",
        "queue.enabled=true,false",
        "--seeds",
        "2",
        "--no-charts",
    ];
    ok(&compare(&out, &args));
    let csv = read(&out.join("comparison.csv"));
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .starts_with("run,arm,queue.enabled,")
    );
    assert_eq!(csv.lines().count(), 1 + 2 * 2);
    assert!(read(&out.join("comparison.md")).contains("false − true"));
}

fn write_sweep(dir: &Path) -> std::path::PathBuf {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/quickstart.toml");
    let text = format!(
        "scenario = {:?}\nseeds = 2\nset = [\"{SHORT}\"]\n\n\
         [[grid]]\nkey = \"policy\"\nvalues = [\"best-fit\", \"first-fit\"]\n\n\
         [[grid]]\nkey = \"workload.classes.1.arrival.rate_per_hour\"\nvalues = [200, 400]\n",
        scenario.display().to_string()
    );
    let path = dir.join("grid.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn three_shards_merge_into_the_unsharded_sweep_byte_for_byte() {
    let dir = temp_dir("exp-sweep");
    let sweep = write_sweep(&dir);
    let run = |out: &str, shard: Option<&str>| {
        let out = dir.join(out);
        let mut args = vec![
            "sweep",
            sweep.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(shard.map(|s| ["--shard", s]).iter().flatten());
        args.push("-q");
        ok(&dcsim(&args));
        out
    };
    let whole = run("whole", None);
    let shards: Vec<_> = ["1/3", "2/3", "3/3"]
        .iter()
        .enumerate()
        .map(|(i, s)| run(&format!("shard{}", i + 1), Some(s)))
        .collect();
    assert!(read(&shards[1].join("shard.json")).contains("\"of\": 3"));
    let merged = dir.join("merged");
    let mut args = vec!["merge"];
    args.extend(shards.iter().rev().map(|s| s.to_str().unwrap()));
    args.extend(["--out", merged.to_str().unwrap()]);
    ok(&dcsim(&args));
    assert_eq!(files(&whole), files(&merged));
    assert!(files(&whole).contains(&"bars.png".to_string()));
    for f in files(&whole) {
        let same =
            std::fs::read(whole.join(&f)).unwrap() == std::fs::read(merged.join(&f)).unwrap();
        assert!(
            same,
            "{f} differs between the unsharded and the merged sweep"
        );
    }
    assert_eq!(read(&whole.join("runs.csv")).lines().count(), 1 + 2 * 2 * 2);
    let missing = dcsim(&[
        "merge",
        shards[0].to_str().unwrap(),
        "--out",
        "/nonexistent/x",
    ]);
    fails_with(&missing, 2, "shard 2/3 is missing");
}

#[test]
fn regress_passes_unchanged_fails_worse_and_accepts_on_purpose() {
    let dir = temp_dir("exp-regress");
    let run = dir.join("run");
    let args = [
        "run",
        "scenarios/ci-small.toml",
        "--set",
        SHORT,
        "-q",
        "--no-plots",
    ];
    ok(&dcsim(
        &[&args[..], &["--out", run.to_str().unwrap()]].concat(),
    ));
    let (base, history) = (dir.join("base.json"), dir.join("history.csv"));
    let regress = |current: &Path, extra: &[&str]| {
        let mut a = vec!["regress", "--baseline", base.to_str().unwrap()];
        a.extend(["--current", current.to_str().unwrap()]);
        a.extend(["--history", history.to_str().unwrap()]);
        a.extend(extra);
        dcsim(&a)
    };
    fails_with(&regress(&run, &[]), 2, "--accept");
    ok(&regress(&run, &["--accept"]));
    assert!(read(&base).contains("\"worse\": \"higher\""));
    ok(&regress(&run, &["--label", "unchanged"]));
    let worse = dir.join("worse");
    std::fs::create_dir_all(&worse).unwrap();
    let mut summary: serde_json::Value =
        serde_json::from_str(&read(&run.join("summary.json"))).unwrap();
    let energy = summary["energy_kwh"].as_f64().unwrap();
    summary["energy_kwh"] = serde_json::json!(energy * 1.10);
    std::fs::write(worse.join("summary.json"), summary.to_string()).unwrap();
    let o = regress(&worse, &[]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("WORSE"));
    ok(&regress(&worse, &["--tolerance", "energy_kwh=15"]));
    let h = read(&history);
    assert_eq!(h.lines().count(), 1 + 4, "{h}");
    assert!(
        h.lines().nth(2).unwrap().contains(",unchanged,pass,"),
        "{h}"
    );
    assert!(h.lines().nth(3).unwrap().contains(",fail,"), "{h}");
    for ext in ["png", "svg"] {
        assert!(history.with_extension(ext).metadata().unwrap().len() > 0);
    }
    fails_with(&regress(&run, &["--tolerance", "nope=1"]), 2, "no metric");
}

#[test]
fn regress_reads_a_comparison() {
    let dir = temp_dir("exp-regress-cmp");
    let cmp = dir.join("cmp");
    let args = [
        "--policy",
        "best-fit",
        "--policy",
        "first-fit",
        "--seeds",
        "2",
        "--no-charts",
    ];
    ok(&compare(&cmp, &args));
    let (base, history) = (dir.join("base.json"), dir.join("h.csv"));
    let regress = |extra: &[&str]| {
        let mut a = vec![
            "regress",
            "--baseline",
            base.to_str().unwrap(),
            "--no-chart",
        ];
        a.extend(["--current", cmp.to_str().unwrap()]);
        a.extend(["--history", history.to_str().unwrap()]);
        a.extend(extra);
        dcsim(&a)
    };
    ok(&regress(&["--accept"]));
    assert!(read(&base).contains("\"first-fit/tco_usd\""));
    ok(&regress(&[]));
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let dir = temp_dir("exp-bad");
    let out = dir.join("c");
    fails_with(
        &compare(&out, &["--policy", "nope"]),
        2,
        "unknown policy \"nope\"",
    );
    fails_with(&compare(&out, &["--vary", "queue.enabled"]), 2, "--vary");
    fails_with(&compare(&out, &["--vary", "no.such.key=1,2"]), 2, "no");
    fails_with(&compare(&out, &[]), 2, "nothing to compare");
    let sweep = write_sweep(&dir);
    let o = dcsim(&[
        "sweep",
        sweep.to_str().unwrap(),
        "--out",
        "x",
        "--shard",
        "4/3",
    ]);
    fails_with(&o, 2, "1 ≤ K ≤ N");
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "scenario = \"x.toml\"\nseeds = 2\n[[grid]]\nkey = \"a\"\nvalue = 1\n",
    )
    .unwrap();
    fails_with(
        &dcsim(&["sweep", bad.to_str().unwrap(), "--out", "x"]),
        2,
        "bad.toml",
    );
    std::fs::write(&bad, "scenario = \"x.toml\"\nseeds = [1, 1]\n").unwrap();
    fails_with(
        &dcsim(&["sweep", bad.to_str().unwrap(), "--out", "x"]),
        2,
        "twice",
    );
}
