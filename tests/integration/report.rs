//! report.html says what the run measured: cost cells non-zero where summary.json's are, the
//! carbon card equal to the terminal's total, service levels per class, the horizon of the TCO.

use crate::cli::{dcsim, temp_dir};

/// The value cell of summary key `key` in the page's key table.
fn cell<'a>(html: &'a str, key: &str) -> &'a str {
    let start = format!("<tr><td><code>{key}</code></td><td class=\"n\">");
    let at = html.find(&start).unwrap_or_else(|| panic!("no row {key}")) + start.len();
    &html[at..at + html[at..].find("</td>").unwrap()]
}

/// Whether a formatted amount shows anything but zeros.
fn shows_non_zero(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit() && c != '0')
}

fn quickstart_run(name: &str) -> (String, serde_json::Value, String) {
    let out = temp_dir(name);
    let o = dcsim(&[
        "run",
        "scenarios/quickstart.toml",
        "--set",
        "simulation.duration=6h",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let summary =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    (
        html,
        summary,
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn cost_cells_are_non_zero_where_the_summary_is() {
    let (html, summary, _) = quickstart_run("report-costs");
    let map = summary.as_object().unwrap();
    let mut checked = 0;
    for (key, value) in map.iter().filter(|(k, _)| k.ends_with("_usd")) {
        let v = value.as_f64().unwrap();
        let shown = cell(&html, key);
        assert_eq!(
            shows_non_zero(shown),
            v != 0.0,
            "{key} = {v} shown as {shown:?}"
        );
        checked += 1;
    }
    // tco_usd, six terms, cost per VM-hour and per core-hour.
    assert_eq!(checked, 9);
    // Per VM-hour costs are cents: the report shows the first significant digits, e.g.
    // $0.0561 for 0.05612… (it once showed "$0").
    let per_vm_hour = map["cost_per_vm_hour_usd"].as_f64().unwrap();
    assert!(per_vm_hour > 0.0 && per_vm_hour < 1.0);
    let expected = format!("${}", format!("{per_vm_hour:.4}").trim_end_matches('0'));
    assert_eq!(cell(&html, "cost_per_vm_hour_usd"), expected);
}

#[test]
fn the_carbon_card_is_the_total_the_terminal_prints() {
    let (html, summary, stdout) = quickstart_run("report-carbon");
    let total = summary["carbon_kgco2e"].as_f64().unwrap();
    let op = summary["operational_kgco2e"].as_f64().unwrap();
    let embodied = summary["embodied_kgco2e"].as_f64().unwrap();
    // The total is operational + embodied; the card and the terminal both show it.
    assert!((total - op - embodied).abs() < 1e-6);
    let card = "<div class=\"card\" data-key=\"carbon_kgco2e\"><div class=\"v\">";
    let at = html.find(card).expect("a carbon card") + card.len();
    let shown = &html[at..at + html[at..].find("</div>").unwrap()];
    let one_decimal = dcsim::report::plots::format::number(total, 1);
    assert_eq!(shown, format!("{one_decimal} kg CO₂e"));
    assert!(
        stdout.contains(&format!("{one_decimal} kg CO2e")),
        "{stdout}"
    );
    assert!(!html.contains("data-key=\"operational_kgco2e\""));
}

#[test]
fn the_report_speaks_an_operators_terms() {
    let (html, summary, stdout) = quickstart_run("report-operator");
    // The TCO table says what horizon it covers, with a yearly figure: ×(365 d / 6 h) = ×1460.
    assert!(
        html.contains("Total cost of ownership over 6 h"),
        "TCO horizon"
    );
    let tco = summary["tco_usd"].as_f64().unwrap();
    let yearly = dcsim::report::plots::format::usd(tco * 1460.0);
    assert!(
        html.contains(&format!("<td class=\"n\">{yearly}</td>")),
        "{yearly}"
    );
    // Service levels per class, with wait percentiles, and the total.
    for class in ["web", "batch", "database", "all"] {
        assert!(html.contains(&format!("<td>{class}</td>")), "{class}");
    }
    assert!(html.contains("<th class=\"n\">p95</th>"));
    // Two plain sentences on top, and a capacity note.
    assert!(html.contains("<p class=\"lede\">Over 6 h, 280 hosts ran"));
    assert!(
        html.contains("class=\"note")
            && (html.contains("Headroom")
                || html.contains("Saturated")
                || html.contains("Full at peak"))
    );
    // The landscape collapsed to racks is drawn in the page: a box per rack, none per host.
    assert!(html.contains("id=\"plot-landscape_by_rack\""));
    assert!(html.contains("rack-000: 40 × general-64") && !html.contains(">rack-000-h00<"));
    // Units: migrated GiB, durations.
    assert_eq!(cell(&html, "migrated_gib"), "0 GiB");
    assert_eq!(cell(&html, "simulated_seconds"), "6 h");
    // The terminal: horizon as hours, separators, and where the report is.
    assert!(stdout.contains("6 h"), "{stdout}");
    assert!(
        stdout.contains("report: ") && stdout.contains("report.html"),
        "{stdout}"
    );
}
