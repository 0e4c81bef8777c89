//! docs/outputs.md keeps in step with what a run writes: every summary key and every column of
//! every CSV has its line.

use crate::cli::{dcsim, temp_dir};

#[test]
fn every_column_is_documented() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/outputs.md")).unwrap();
    let out = temp_dir("outputs-doc");
    let o = dcsim(&[
        "run",
        "scenarios/quickstart.toml",
        "--set",
        "simulation.duration=1h",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let mut names: Vec<String> = summary.as_object().unwrap().keys().cloned().collect();
    for csv in ["timeseries.csv", "hosts.csv", "workloads.csv"] {
        let text = std::fs::read_to_string(out.join(csv)).unwrap();
        names.extend(text.lines().next().unwrap().split(',').map(str::to_string));
        assert!(doc.contains(&format!("## {csv}")), "no section for {csv}");
    }
    for name in names {
        assert!(
            doc.contains(&format!("| `{name}` |")),
            "docs/outputs.md lacks `{name}`"
        );
    }
    for file in std::fs::read_dir(&out).unwrap() {
        let name = file.unwrap().file_name().into_string().unwrap();
        let stem = name.split('.').next().unwrap();
        assert!(
            doc.contains(&format!("`{stem}.")),
            "docs/outputs.md lacks {name}"
        );
    }
}
