//! `report.html`: one self-contained page (no script, no external resource) with two plain
//! sentences and a capacity note, the headline numbers, service levels per class, failures and
//! availability (with `[failures]` or services), the TCO table, every chart inlined as SVG (and
//! why any was left out) and the scenario as resolved.

mod availability;
mod overview;

use super::plots::PlotFile;
use super::plots::format::{duration, number, share, usd};
use super::{ReportError, ReportInput};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::fmt::Write;
use std::path::Path;

/// Summary keys shown as headline cards when present, with their labels.
const HEADLINES: [(&str, &str); 8] = [
    ("energy_kwh", "IT energy"),
    ("tco_usd", "total cost of ownership over the horizon"),
    ("cost_per_vm_hour_usd", "cost per VM-hour"),
    ("mean_cpu_utilisation", "mean CPU utilisation"),
    ("workloads_rejected", "workloads rejected"),
    ("mean_wait_seconds", "mean wait before placement"),
    ("peak_active_hosts", "peak active hosts"),
    ("carbon_kgco2e", "carbon, operational + embodied"),
];

/// Writes `dir/report.html`, inlining the SVG of every plot in `plots`.
pub fn write_report(
    dir: &Path,
    input: &ReportInput,
    plots: &[PlotFile],
) -> Result<(), ReportError> {
    let mut figures = Vec::with_capacity(plots.len());
    for p in plots {
        let svg = std::fs::read_to_string(&p.svg).map_err(|source| ReportError::Io {
            path: p.svg.clone(),
            source,
        })?;
        figures.push((p, inline_svg(&svg, p.name, &p.title)));
    }
    let path = dir.join("report.html");
    std::fs::write(&path, page(input, &figures)).map_err(|source| ReportError::Io { path, source })
}

const STYLE: &str = "body{font-family:sans-serif;color:#222;max-width:1060px;margin:2em auto;\
padding:0 1em;line-height:1.4}h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;\
padding-bottom:.2em;margin-top:2em}nav a{margin-right:1em}.cards{display:flex;flex-wrap:wrap;\
gap:.8em;margin-bottom:1.2em}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;\
min-width:10em;background:#f7f9fc}.card .v{font-size:1.4em;font-weight:bold}.card .k{color:#555;\
font-size:.9em}table{border-collapse:collapse}td,th{border-bottom:1px solid #e4e4e4;\
padding:.25em .8em;text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n{white-space:nowrap}\
tr.total td{font-weight:bold;border-top:2px solid #999}code{font-size:.9em}\
figure{margin:1.5em 0}figcaption{color:#666;font-size:.85em}\
figure svg{width:100%;height:auto;max-width:1000px}pre{background:#f5f5f5;padding:1em;\
overflow-x:auto;font-size:.85em}.lede{font-size:1.1em}.note{border-left:4px solid #7a9cc6;\
padding:.4em .8em;background:#f3f6fa}.warn{border-left-color:#d08a2e;background:#fdf6ec}";

/// The whole page.
fn page(input: &ReportInput, figures: &[(&PlotFile, String)]) -> String {
    let title = escape(input.title);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>dcsim report: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>dcsim report: {title}</h1>\n<nav><a href=\"#summary\">Summary</a>\
         <a href=\"#sla\">Service levels</a><a href=\"#tco\">TCO</a><a href=\"#plots\">Plots</a>\
         <a href=\"#scenario\">Scenario</a></nav>\n"
    );
    h.push_str(&overview::plain_summary(input));
    h.push_str(&overview::capacity_note(input));
    summary_section(&mut h, &summary_entries(input.summary));
    overview::service_section(&mut h, input);
    availability::section(&mut h, input);
    tco_section(&mut h, input.tco_terms, input.summary.simulated_seconds);
    h.push_str("<section id=\"plots\">\n<h2>Plots</h2>\n");
    if !figures.is_empty() {
        for (name, why) in super::plots::left_out(input) {
            let _ = writeln!(
                h,
                "<p class=\"note\">Not drawn: <code>{name}</code>, {}.</p>",
                escape(why)
            );
        }
    }
    for (p, svg) in figures {
        let _ = write!(
            h,
            "<figure id=\"plot-{name}\">\n{svg}<figcaption>{title} (also {name}.png and \
             {name}.svg)</figcaption>\n</figure>\n",
            name = p.name,
            title = escape(&p.title)
        );
    }
    if let Some(svg) = input.landscape_svg {
        let _ = write!(
            h,
            "<figure id=\"plot-landscape_by_rack\">\n{}<figcaption>The landscape by rack: \
             hosts folded into their racks, with the PDU and cooling unit of each (also \
             landscape_by_rack.svg; <code>dcsim landscape FILE --group-by rack</code> writes it \
             as DOT or JSON)</figcaption>\n</figure>\n",
            inline_svg(svg, "landscape_by_rack", "The landscape by rack")
        );
    }
    let _ = write!(
        h,
        "</section>\n<section id=\"scenario\">\n<h2>Scenario (as resolved)</h2>\n<pre>{}</pre>\n\
         </section>\n<footer><p>Written by dcsim {}.</p></footer>\n</body>\n</html>\n",
        escape(input.scenario_toml),
        env!("CARGO_PKG_VERSION")
    );
    h
}

fn summary_section(h: &mut String, entries: &[(String, Value)]) {
    h.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
    for (key, label) in HEADLINES {
        if let Some((_, v)) = entries.iter().find(|(k, _)| k == key) {
            let _ = writeln!(
                h,
                "<div class=\"card\" data-key=\"{key}\"><div class=\"v\">{}</div>\
                 <div class=\"k\">{label}</div></div>",
                escape(&format_value(key, v))
            );
        }
    }
    h.push_str(
        "</div>\n<details>\n<summary>Every key of <code>summary.json</code> \
         (docs/outputs.md gives each one's meaning and unit)</summary>\n<table>\n\
         <tr><th>key</th><th class=\"n\">value</th></tr>\n",
    );
    for (k, v) in entries {
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td></tr>",
            escape(k),
            escape(&format_value(k, v))
        );
    }
    h.push_str("</table>\n</details>\n</section>\n");
}

fn tco_section(h: &mut String, terms: &[(&str, f64)], horizon_s: f64) {
    let horizon = escape(&overview::in_words(horizon_s));
    let _ = writeln!(
        h,
        "<section id=\"tco\">\n<h2>Total cost of ownership over {horizon}</h2>"
    );
    if terms.is_empty() {
        h.push_str("<p>No TCO terms.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        h,
        "<p>Every term covers the simulated horizon ({horizon}): capital is amortised over it, \
         energy and penalties are what it used. <em>Per year</em> scales each term to 365 days, \
         as if the horizon's workload went on all year.</p>\n<table>\n<tr><th>term</th>\
         <th class=\"n\">USD over {horizon}</th><th class=\"n\">USD per year</th>\
         <th class=\"n\">share</th></tr>"
    );
    let total: f64 = terms.iter().map(|t| t.1).filter(|v| v.is_finite()).sum();
    let row = |h: &mut String, class: &str, name: &str, v: f64| {
        let _ = writeln!(
            h,
            "<tr{class}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td></tr>",
            escape(name),
            usd(v),
            usd(overview::annualised(v, horizon_s)),
            share(v, total)
        );
    };
    for &(name, v) in terms {
        row(h, "", name, v);
    }
    row(h, " class=\"total\"", "total", total);
    h.push_str("</table>\n</section>\n");
}

/// The summary's keys and values in struct order (serde_json's map would sort them).
fn summary_entries(summary: &crate::metrics::RunSummary) -> Vec<(String, Value)> {
    struct Entries(Vec<(String, Value)>);
    struct EntriesVisitor;
    impl<'de> Visitor<'de> for EntriesVisitor {
        type Value = Entries;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry::<String, Value>()? {
                out.push(entry);
            }
            Ok(Entries(out))
        }
    }
    impl<'de> Deserialize<'de> for Entries {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
            d.deserialize_map(EntriesVisitor)
        }
    }
    serde_json::to_string(summary)
        .ok()
        .and_then(|text| serde_json::from_str::<Entries>(&text).ok())
        .map_or_else(Vec::new, |e| e.0)
}

/// A summary value for people, its unit taken from the key's name.
fn format_value(key: &str, v: &Value) -> String {
    let Some(x) = v.as_f64() else {
        return match v {
            Value::String(s) => s.clone(),
            Value::Null => "–".to_string(),
            other => other.to_string(),
        };
    };
    if v.is_u64() || v.is_i64() {
        return number(x, 0);
    }
    if key.contains("utilisation") || key.ends_with("fraction") {
        return format!("{:.1} %", 100.0 * x);
    }
    const UNITS: [(&str, &str); 7] = [
        ("_kwh", "kWh"),
        ("_mwh", "MWh"),
        ("_kw", "kW"),
        ("_kgco2e", "kg CO₂e"),
        ("_tco2e", "t CO₂e"),
        ("_gib", "GiB"),
        ("_hours", "h"),
    ];
    if key.ends_with("_usd") {
        return usd(x);
    }
    if key.ends_with("_seconds") {
        return duration(x);
    }
    let decimals = if x.abs() >= 100.0 { 1 } else { 3 };
    match UNITS.iter().find(|(suffix, _)| key.ends_with(suffix)) {
        Some((_, unit)) => format!("{} {unit}", number(x, decimals)),
        None => number(x, decimals),
    }
}

/// Plotters' SVG made fit to sit inside HTML: no XML declaration or namespace URL, ids
/// prefixed with `prefix`, labelled for screen readers.
pub fn inline_svg(svg: &str, prefix: &str, title: &str) -> String {
    let mut s = svg.trim_start();
    while s.starts_with("<?") || s.starts_with("<!") {
        s = s.find('>').map_or("", |i| &s[i + 1..]).trim_start();
    }
    s.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "")
        .replace(" id=\"", &format!(" id=\"{prefix}-"))
        .replace("href=\"#", &format!("href=\"#{prefix}-"))
        .replacen(
            "<svg ",
            &format!("<svg role=\"img\" aria-label=\"{}\" ", escape(title)),
            1,
        )
}

/// Text made safe for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn svg_loses_its_declaration_and_namespace_url() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"1\" xmlns=\"http://www.w3.org/2000/svg\">\
                   <g id=\"a\"/><use href=\"#a\"/></svg>";
        assert_eq!(
            inline_svg(svg, "p", "T's <x>"),
            "<svg role=\"img\" aria-label=\"T&#39;s &lt;x&gt;\" width=\"1\">\
             <g id=\"p-a\"/><use href=\"#p-a\"/></svg>"
        );
    }

    #[test]
    fn values_get_units_from_their_keys() {
        assert_eq!(format_value("energy_kwh", &json!(1234.56)), "1,234.6 kWh");
        assert_eq!(format_value("tco_usd", &json!(98765.4)), "$98,765");
        // The report once showed these as "$0".
        assert_eq!(
            format_value("cost_per_vm_hour_usd", &json!(0.05612)),
            "$0.0561"
        );
        assert_eq!(format_value("migrated_gib", &json!(12.5)), "12.5 GiB");
        assert_eq!(format_value("simulated_seconds", &json!(86400.0)), "1 d");
        assert_eq!(
            format_value("mean_cpu_utilisation", &json!(0.4567)),
            "45.7 %"
        );
        assert_eq!(format_value("rejected_fraction", &json!(0.0)), "0.0 %");
        assert_eq!(format_value("hosts", &json!(12000)), "12,000");
        assert_eq!(format_value("mean_wait_seconds", &json!(1.5)), "1.5 s");
        assert_eq!(
            format_value("operational_kgco2e", &json!(10.0)),
            "10 kg CO₂e"
        );
        assert_eq!(format_value("pue", &json!(1.3281)), "1.328");
        assert_eq!(format_value("scenario", &json!("q")), "q");
        assert_eq!(format_value("x", &Value::Null), "–");
    }

    #[test]
    fn summary_keys_keep_struct_order() {
        let run = crate::simulate(
            &crate::scenario::parse(
                &std::fs::read_to_string("scenarios/quickstart.toml").unwrap(),
                Path::new("q.toml"),
                "q",
                &[crate::scenario::Override::parse("simulation.duration=1h").unwrap()],
            )
            .unwrap(),
        )
        .unwrap();
        let keys: Vec<String> = summary_entries(&run.summary)
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(keys[..3], ["scenario", "seed", "placement_policy"]);
        assert!(keys.iter().any(|k| k == "energy_kwh"));
    }
}
