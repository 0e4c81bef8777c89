//! google-2019: instance_events and machine_events as BigQuery CSV (with a header) and as JSON
//! lines (nested fields, 64-bit integers as strings, gzip), read alike.

use super::{Row, assert_names, files, read_all, rows, write};
use crate::cli::temp_dir;
use dcsim::scenario::TraceFormat;
use std::io::Write;

const HEADER: &str = "time,type,collection_id,scheduling_class,missing_type,collection_type,priority,alloc_collection_id,instance_index,machine_id,alloc_instance_index,resource_request.cpus,resource_request.memory";

/// (time µs, type, collection, class, collection type, index, cpus, memory).
/// (time, kind, collection, index, type, machine, cpus, memory) of one instance event.
type Event = (u64, u8, u64, u8, u8, u64, &'static str, &'static str);

const EVENTS: [Event; 8] = [
    (0, 0, 100, 2, 0, 0, "0.02", "0.01"),
    (0, 3, 100, 2, 0, 0, "", ""),
    (300_000_000, 0, 200, 1, 0, 1, "0.5", "0.25"),
    (301_000_000, 0, 300, 0, 1, 0, "4", "2"),
    (310_000_000, 3, 200, 1, 0, 1, "", ""),
    (400_000_000, 6, 100, 2, 0, 0, "", ""),
    (500_000_000, 7, 200, 1, 0, 1, "", ""),
    (600_000_000, 1, 400, 0, 0, 3, "0.1", "0.1"),
];

fn csv() -> String {
    let mut text = format!("{HEADER}\n");
    for (t, ty, c, class, ct, i, cpus, mem) in EVENTS {
        text += &format!("{t},{ty},{c},{class},,{ct},100,0,{i},-1,-1,{cpus},{mem}\n");
    }
    text
}

fn json() -> String {
    let mut text = String::new();
    for (t, ty, c, class, ct, i, cpus, mem) in EVENTS {
        let request = if cpus.is_empty() {
            "null".to_string()
        } else {
            format!(r#"{{"cpus":{cpus},"memory":{mem}}}"#)
        };
        text += &format!(
            r#"{{"time":"{t}","type":{ty},"collection_id":"{c}","scheduling_class":{class},"collection_type":{ct},"priority":100,"instance_index":{i},"resource_request":{request}}}"#
        );
        text.push('\n');
    }
    text
}

fn expected() -> Vec<Row> {
    vec![
        (0.0, Some(400.0), Some(0.02), Some(0.01), "class-2".into()),
        (300.0, Some(200.0), Some(0.5), Some(0.25), "class-1".into()),
        (600.0, None, Some(0.1), Some(0.1), "class-0".into()),
    ]
}

#[test]
fn csv_and_json_lines_give_the_same_instances() {
    let dir = temp_dir("cluster-google2019");
    let csv_path = write(&dir, "instance_events.csv", &csv());
    let vms = read_all(TraceFormat::Google2019, &files(&csv_path, None, None)).unwrap();
    assert_eq!(rows(&vms), expected(), "the alloc-set instance is skipped");
    let json_path = write(&dir, "instance_events.json", &json());
    let vms = read_all(TraceFormat::Google2019, &files(&json_path, None, None)).unwrap();
    assert_eq!(rows(&vms), expected());
    // Gzip without a telling name: recognised by its first character.
    let gz = dir.join("events-000.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(json().as_bytes()).unwrap();
    enc.finish().unwrap();
    let vms = read_all(TraceFormat::Google2019, &files(&gz, None, None)).unwrap();
    assert_eq!(rows(&vms), expected());
}

#[test]
fn malformed_rows_name_file_line_and_column() {
    let dir = temp_dir("cluster-google2019-bad");
    let bad = csv().replace("310000000,3,", "310000000,BOOT,");
    let path = write(&dir, "instance_events.csv", &bad);
    let err = read_all(TraceFormat::Google2019, &files(&path, None, None)).unwrap_err();
    assert_names(
        &err,
        "instance_events.csv:6:2",
        &["`type`", "\"BOOT\"", "SUBMIT"],
    );
    let bad = json().replace(r#""time":"400000000""#, r#""time":"soon""#);
    let path = write(&dir, "instance_events.json", &bad);
    let err = read_all(TraceFormat::Google2019, &files(&path, None, None)).unwrap_err();
    assert_names(&err, "instance_events.json:6:9", &["`time`", "\"soon\""]);
    let bad = json().replace(r#""priority":100,"instance_index":3"#, r#""priority":100,"#);
    let path = write(&dir, "instance_events.json", &bad);
    let err = read_all(TraceFormat::Google2019, &files(&path, None, None)).unwrap_err();
    assert_names(&err, "instance_events.json:8:", &["malformed JSON"]);
    let path = write(
        &dir,
        "no_type.csv",
        "time,collection_id,instance_index\n0,1,2\n",
    );
    let err = read_all(TraceFormat::Google2019, &files(&path, None, None)).unwrap_err();
    assert_names(&err, "no_type.csv:1", &["column type"]);
}

#[test]
fn machine_events_list_the_machines() {
    let dir = temp_dir("cluster-google2019-machines");
    let main = write(&dir, "instance_events.csv", &csv());
    let machines = write(
        &dir,
        "machine_events.json",
        r#"{"time":"0","machine_id":"11","type":1,"capacity":{"cpus":0.5,"memory":0.25}}
{"time":"0","machine_id":"12","type":"ADD","capacity":{"cpus":1,"memory":1}}
{"time":"5","machine_id":"11","type":3,"capacity":{"cpus":0.75,"memory":null}}
{"time":"9","machine_id":"13","type":2}
"#,
    );
    let listed = dcsim::workload::trace::open_reader(
        TraceFormat::Google2019,
        &files(&main, None, Some(&machines)),
    )
    .unwrap()
    .machines()
    .unwrap();
    let sizes: Vec<(&str, f64, f64)> = listed
        .iter()
        .map(|m| (m.name.as_str(), m.cores, m.memory_gib))
        .collect();
    assert_eq!(sizes, [("11", 0.75, 0.25), ("12", 1.0, 1.0)]);
}
