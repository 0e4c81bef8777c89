//! alibaba-2018: batch_task (instances, invalid −1/101 values, skipped rows), container_meta,
//! both merged from a folder, and machine_meta.

use super::{Row, assert_names, files, read_all, rows, write};
use crate::cli::temp_dir;
use dcsim::scenario::TraceFormat;

/// task_name, instance_num, job_name, task_type, status, start_time, end_time, plan_cpu, plan_mem.
const BATCH_TASK: &str = "\
M1,3,j_1,1,Terminated,100,160,50,0.5
R2_1,1,j_1,1,Terminated,170,200,100,101
task_x,2,j_2,12,Running,200,0,200,-1
M1,1,j_3,1,Waiting,-1,-1,100,0.2
M2,,j_3,1,Terminated,250,240,100,0.2
M3,0,j_3,1,Terminated,300,400,,0.3
";

/// container_id, machine_id, time_stamp, app_du, status, cpu_request, cpu_limit, mem_size.
const CONTAINER_META: &str = "\
c_1,m_1,0,app_1,started,400,400,1.56
c_1,m_1,287942,app_1,started,400,400,1.56
c_2,m_2,150,app_2,started,800,800,3.12
c_2,m_2,500,app_2,started,800,800,101
c_3,m_3,-1,app_3,allocated,100,100,1
";

/// machine_id, time_stamp, failure_domain_1, failure_domain_2, cpu_num, mem_size, status.
const MACHINE_META: &str = "\
m_1,0,65,3,96,100,USING
m_1,500,65,3,96,100,USING
m_2,0,66,4,64,50,USING
m_3,0,67,5,32,-1,USING
";

fn batch(t: f64, l: Option<f64>, c: Option<f64>, m: Option<f64>) -> Row {
    (t, l, c, m, "batch".into())
}

fn batch_rows() -> Vec<Row> {
    let mut out = vec![batch(100.0, Some(60.0), Some(0.5), Some(0.5)); 3];
    out.push(batch(170.0, Some(30.0), Some(1.0), None));
    out.extend(vec![batch(200.0, None, Some(2.0), None); 2]);
    out.push(batch(300.0, Some(100.0), None, Some(0.3)));
    out
}

fn online(t: f64, c: f64, m: f64) -> Row {
    (t, None, Some(c), Some(m), "online".into())
}

#[test]
fn batch_tasks_expand_into_their_instances() {
    let dir = temp_dir("cluster-alibaba-batch");
    let path = write(&dir, "batch_task.csv", BATCH_TASK);
    let vms = read_all(TraceFormat::Alibaba2018, &files(&path, None, None)).unwrap();
    assert_eq!(rows(&vms), batch_rows());
}

#[test]
fn containers_and_a_folder_of_both_tables() {
    let dir = temp_dir("cluster-alibaba-containers");
    let path = write(&dir, "container_meta.csv", CONTAINER_META);
    let vms = read_all(TraceFormat::Alibaba2018, &files(&path, None, None)).unwrap();
    let containers = vec![online(0.0, 4.0, 1.56), online(150.0, 8.0, 3.12)];
    assert_eq!(rows(&vms), containers);
    write(&dir, "batch_task.csv", BATCH_TASK);
    let vms = read_all(TraceFormat::Alibaba2018, &files(&dir, None, None)).unwrap();
    let mut merged = batch_rows();
    merged.extend(containers);
    merged.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(rows(&vms), merged);
}

#[test]
fn machine_meta_lists_machines_and_bad_rows_are_named() {
    let dir = temp_dir("cluster-alibaba-machines");
    let main = write(&dir, "batch_task.csv", BATCH_TASK);
    let machines = write(&dir, "machine_meta.csv", MACHINE_META);
    let listed = dcsim::workload::trace::open_reader(
        TraceFormat::Alibaba2018,
        &files(&main, None, Some(&machines)),
    )
    .unwrap()
    .machines()
    .unwrap();
    let sizes: Vec<(&str, f64, f64)> = listed
        .iter()
        .map(|m| (m.name.as_str(), m.cores, m.memory_gib))
        .collect();
    assert_eq!(sizes, [("m_1", 96.0, 100.0), ("m_2", 64.0, 50.0)]);
    let bad = write(
        &dir,
        "batch_task.csv",
        &BATCH_TASK.replace(",170,200,", ",soon,200,"),
    );
    let err = read_all(TraceFormat::Alibaba2018, &files(&bad, None, None)).unwrap_err();
    assert_names(&err, "batch_task.csv:2:6", &["`start_time`", "\"soon\""]);
    let odd = write(&dir, "other.csv", "a,b,c\n");
    let err = read_all(TraceFormat::Alibaba2018, &files(&odd, None, None)).unwrap_err();
    assert_names(&err, "other.csv:1", &["batch_task (9 columns)", "found 3"]);
}
