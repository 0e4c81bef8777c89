//! The charts and the HTML report: every file written, PNGs decode, SVGs parse, the page is
//! self-contained; degenerate runs still get every file.

use crate::cli::temp_dir;
use dcsim::metrics::{HostRow, TimeseriesRow};
use dcsim::report::html::write_report;
use dcsim::report::plots::{PLOT_SIZE, PlotFile, left_out, write_plots};
use dcsim::report::{ReportInput, host_rows};
use dcsim::scenario::{self, Override};
use std::path::Path;

const CHARTS: [&str; 9] = [
    "utilisation",
    "power",
    "queue",
    "consolidation",
    "sla",
    "transitions",
    "tco_breakdown",
    "host_utilisation_cdf",
    "landscape_heatmap",
];

const TCO: [(&str, f64); 3] = [
    ("server capex", 120_000.0),
    ("energy", 8_500.0),
    ("space", 3_000.0),
];

/// Writes plots and report for a six-hour quickstart run into `dir`.
fn quickstart_report(dir: &Path) -> Vec<PlotFile> {
    quickstart_report_with(dir, &[])
}

/// The same, with more overrides `sets`.
fn quickstart_report_with(dir: &Path, sets: &[&str]) -> Vec<PlotFile> {
    let mut overrides = vec![Override::parse("simulation.duration=6h").unwrap()];
    overrides.extend(sets.iter().map(|s| Override::parse(s).unwrap()));
    let loaded = scenario::load(Path::new("scenarios/quickstart.toml"), &overrides).unwrap();
    let result = dcsim::simulate(&loaded).unwrap();
    let hosts = host_rows(&result);
    let toml = toml::to_string(&loaded.scenario).unwrap();
    let input = ReportInput {
        title: "quickstart",
        summary: &result.summary,
        timeseries: &result.timeseries,
        hosts: &hosts,
        tco_terms: &TCO,
        scenario_toml: &toml,
        service: None,
        landscape_svg: None,
    };
    let plots = write_plots(dir, &input).unwrap();
    write_report(dir, &input, &plots).unwrap();
    plots
}

fn png_size(path: &Path) -> (u32, u32) {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).unwrap();
    (frame.width, frame.height)
}

/// Parses the SVG at `path` and returns its text elements' contents.
fn svg_texts(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect();
    assert!(!texts.is_empty(), "{path:?} has no text");
    texts
}

/// The charts drawn are every chart but those `left_out` names, each file complete.
fn check_files(dir: &Path, plots: &[PlotFile], input: &ReportInput) {
    let skipped: Vec<&str> = left_out(input).iter().map(|s| s.0).collect();
    for name in &skipped {
        assert!(
            !dir.join(format!("{name}.png")).exists(),
            "{name} was drawn"
        );
    }
    check_drawn(dir, plots, &skipped);
}

/// Every chart but `skipped` was drawn, in order; each PNG decodes at full size and each SVG
/// parses and carries its title.
fn check_drawn(dir: &Path, plots: &[PlotFile], skipped: &[&str]) {
    let expected: Vec<&str> = CHARTS
        .iter()
        .copied()
        .filter(|c| !skipped.contains(c))
        .collect();
    let names: Vec<&str> = plots.iter().map(|p| p.name).collect();
    assert_eq!(names, expected);
    for p in plots {
        assert_eq!(p.png, dir.join(format!("{}.png", p.name)));
        assert_eq!(p.svg, dir.join(format!("{}.svg", p.name)));
        assert!(p.png.metadata().unwrap().len() > 0, "{:?} is empty", p.png);
        assert_eq!(png_size(&p.png), PLOT_SIZE, "{:?}", p.png);
        let texts = svg_texts(&p.svg);
        assert!(
            texts.contains(&p.title),
            "{:?} lacks its title {}",
            p.svg,
            p.title
        );
    }
}

fn check_self_contained(html: &str) {
    for banned in ["<script", "http://", "https://", "src=", "url(", "@import"] {
        assert!(!html.contains(banned), "report.html contains {banned}");
    }
}

#[test]
fn a_run_gets_every_chart_and_a_self_contained_report() {
    let dir = temp_dir("plots-quickstart");
    let plots = quickstart_report(&dir);
    // The quickstart has no rebalancing and no power states: its consolidation, SLA and
    // transitions charts would be flat at zero, so the report says why they are absent.
    let flat = ["consolidation", "sla", "transitions"];
    check_drawn(&dir, &plots, &flat);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for name in flat {
        assert!(
            html.contains(&format!("Not drawn: <code>{name}</code>")),
            "{name}"
        );
    }
    check_self_contained(&html);
    for section in ["summary", "tco", "plots", "scenario"] {
        assert!(
            html.contains(&format!("<section id=\"{section}\">")),
            "no {section}"
        );
    }
    assert_eq!(html.matches("<svg ").count(), plots.len());
    assert!(!html.contains("<?xml"));
    for p in &plots {
        assert!(
            html.contains(&format!("id=\"plot-{}\"", p.name)),
            "{}",
            p.name
        );
    }
    for (term, _) in TCO {
        assert!(html.contains(&format!("<td>{term}</td>")), "{term}");
    }
    assert!(
        html.contains("$120,000") && html.contains("$131,500"),
        "TCO amounts"
    );
    for key in [
        "energy_kwh",
        "mean_cpu_utilisation",
        "workloads_rejected",
        "peak_active_hosts",
    ] {
        assert!(
            html.contains(&format!("data-key=\"{key}\"")),
            "no headline {key}"
        );
        assert!(
            html.contains(&format!("<code>{key}</code>")),
            "no row {key}"
        );
    }
    assert!(html.contains("best-fit"), "the scenario is shown");
}

#[test]
fn a_rebalancing_run_with_power_states_draws_every_chart() {
    let dir = temp_dir("plots-rebalancing");
    let plots = quickstart_report_with(
        &dir,
        &["rebalance.policy=thr-mmt", "power.empty_host=switch-off"],
    );
    // Migrations and power-state changes are worth their charts: all nine are drawn.
    check_drawn(&dir, &plots, &[]);
}

#[test]
fn the_same_run_draws_the_same_files() {
    let (a, b) = (temp_dir("plots-again-a"), temp_dir("plots-again-b"));
    let plots = quickstart_report(&a);
    quickstart_report(&b);
    let names = plots.iter().flat_map(|p| [&p.png, &p.svg]);
    for path in names
        .map(|p| p.file_name().unwrap())
        .chain(["report.html".as_ref()])
    {
        let read = |d: &Path| std::fs::read(d.join(path)).unwrap();
        assert!(
            read(&a) == read(&b),
            "{path:?} differs between identical runs"
        );
    }
}

/// A real run (so its summary has every field the struct will ever gain) of one host.
fn tiny_run() -> dcsim::engine::RunResult {
    let q = crate::common::Queueing {
        hosts: 1,
        rate_per_hour: 1.0,
        mean_lifetime: "10m",
        duration: "1h",
        queue: false,
        seed: 1,
    };
    crate::common::run_checked(&crate::common::parse(&q.toml())).0
}

fn one_host() -> HostRow {
    HostRow {
        host: 0,
        name: "rack-000-h00".into(),
        rack: "rack-000".into(),
        host_type: "tiny".into(),
        cores: 1.0,
        memory_gib: 1.0,
        mean_cpu_utilisation: 0.0,
        mean_memory_utilisation: 0.0,
        active_seconds: 0.0,
        overload_seconds: 0.0,
        energy_kwh: 0.0,
        workloads_placed: 0,
        anomaly_score: None,
    }
}

#[test]
fn degenerate_inputs_still_get_every_file() {
    let run = tiny_run();
    let one_row = &run.timeseries[..1];
    let hosts = [one_host()];
    let zero_tco = [("server capex", 0.0), ("energy", 0.0)];
    let odd_tco = [("credit", -50.0), ("nan", f64::NAN)];
    type Case<'a> = (
        &'static str,
        &'a [TimeseriesRow],
        &'a [HostRow],
        &'a [(&'static str, f64)],
    );
    let cases: [Case; 4] = [
        ("plots-degenerate-one-host", &[], &hosts, &zero_tco),
        ("plots-degenerate-nothing", &[], &[], &[]),
        ("plots-degenerate-one-row", one_row, &hosts, &odd_tco),
        ("plots-degenerate-tiny-run", &run.timeseries, &hosts, &TCO),
    ];
    for (name, timeseries, hosts, tco_terms) in cases {
        let dir = temp_dir(name);
        let input = ReportInput {
            title: "empty <&>",
            summary: &run.summary,
            timeseries,
            hosts,
            tco_terms,
            scenario_toml: "name = \"<empty>\"\n",
            service: None,
            landscape_svg: None,
        };
        let plots = write_plots(&dir, &input).unwrap();
        check_files(&dir, &plots, &input);
        write_report(&dir, &input, &plots).unwrap();
        let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
        check_self_contained(&html);
        assert!(
            html.contains("name = &quot;&lt;empty&gt;&quot;"),
            "escaped scenario"
        );
    }
}

#[test]
fn an_unwritable_folder_is_an_error_not_a_panic() {
    let dir = temp_dir("plots-missing").join("does-not-exist");
    let run = tiny_run();
    let input = ReportInput {
        title: "t",
        summary: &run.summary,
        timeseries: &[],
        hosts: &[],
        tco_terms: &[],
        scenario_toml: "",
        service: None,
        landscape_svg: None,
    };
    let e = write_plots(&dir, &input).unwrap_err();
    assert!(e.to_string().contains("does-not-exist"), "{e}");
    assert!(write_report(&dir, &input, &[]).is_err());
}
