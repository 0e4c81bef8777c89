//! The seed corpus, made by the project: `dcsim trace sample`'s output for the formats it
//! writes (trimmed, so that an execution stays short), small inputs written here in each other
//! format's layout (the same invented rows the format tests use), and the bundled scenarios.

use dcsim::scenario::TraceFormat;
use dcsim::workload::trace::sample::write_sample;
use std::path::{Path, PathBuf};

/// One file of a trace target.
#[derive(Clone)]
pub struct SeedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What one target reads.
pub enum Seed {
    /// A trace: its files; `main` is the folder when `folder`, else the first file.
    Trace {
        format: TraceFormat,
        files: Vec<SeedFile>,
        folder: bool,
        usage: Option<usize>,
        machines: Option<usize>,
    },
    /// A scenario file's text, loaded as if it stood at `path` (for relative files).
    Scenario { path: PathBuf, text: String },
}

pub struct Target {
    pub name: &'static str,
    pub seed: Seed,
}

fn file(name: &str, text: &str) -> SeedFile {
    SeedFile {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    }
}

/// The first `lines` lines of `text`.
fn head(text: &str, lines: usize) -> String {
    text.lines().take(lines).map(|l| format!("{l}\n")).collect()
}

/// The files `dcsim trace sample FORMAT` writes, in name order, each cut to `lines` lines.
fn sampled(format: TraceFormat, keep: usize, lines: usize, scratch: &Path) -> Vec<SeedFile> {
    let dir = scratch.join(format!("sample-{format:?}"));
    let _ = std::fs::remove_dir_all(&dir);
    let mut paths = write_sample(format, &dir).unwrap();
    paths.sort();
    paths
        .iter()
        .take(keep)
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let name = p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
            file(&name, &head(&text, lines))
        })
        .collect()
}

/// A scenario's text without its comment-only and blank lines: mutating a comment changes
/// nothing the loader reads, and `reference.toml` is two-thirds comments (its seed parses three
/// times faster without them, so a long run reaches further).
fn without_comment_lines(text: &str) -> String {
    text.lines()
        .filter(|l| !(l.trim().is_empty() || l.trim_start().starts_with('#')))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn trace(format: TraceFormat, files: Vec<SeedFile>) -> Seed {
    Seed::Trace {
        format,
        files,
        folder: false,
        usage: None,
        machines: None,
    }
}

const AZURE_READINGS: &str =
    "0,vm-0,1,40,25\n0,elsewhere,1,2,3\n600,vm-0,10,80,50\n1200,vm-1,50,100,100\n";
const AZURE_V2: &str = "v1,s,d,0,86400,50,20,40,Interactive,2,4\nv2,s,d,60,2591700,50,20,40,Delay-insensitive,>24,>64\nv3,s,d,120,180,50,20,40,Unknown,8,32\n";
const PACKING_VM: &str = "vmId,tenantId,vmTypeId,priority,starttime,endtime\n1,7,10,0,-0.5,0.25\n2,7,11,1,0,\n3,8,10,0,0.5,NULL\n4,8,12,0,1.0,2.5\n";
const PACKING_TYPES: &str = "id,vmTypeId,machineId,core,memory,hdd,ssd,nic\n1,10,100,0.25,0.125,0,0,0\n2,10,200,0.5,0.25,0,0,0\n3,11,100,0.125,0.0625,0,0,0\n4,12,200,0.75,0.5,0,0,0\n";
const HUAWEI: &str = "vmid,cpu,memory,time,type\n0,4,16,0.0,0\n1,8,16,2.0,0\n2,1,1,5.0,0\n2,1,1,7.0,1\n3,2,4,9.0,0\n1,8,16,20.0,1\n0,4,16,30.0,1\n";
const GOOGLE_2011_TASKS: &str = "0,,1,0,,0,u1,2,9,0.5,0.25,0.01,0\n0,,1,0,7,1,u1,2,9,,,,\n600000000,,1,1,,0,u1,1,9,0.0625,0.03125,,0\n610000000,,1,1,8,1,u1,1,9,,,,\n620000000,,3,0,9,1,u2,0,0,0.125,0.125,,\n650000000,,2,0,,0,u3,3,2,0.125,0.0625,,\n680000000,,2,0,5,1,u3,3,2,,,,\n700000000,,1,0,7,4,u1,2,9,,,,\n";
const GOOGLE_2011_MACHINES: &str =
    "0,5,0,p1,1,1\n0,6,0,p2,,0.5\n0,7,0,p1,0.5,0.25\n100000000,6,2,p2,0.5,\n";
const GOOGLE_2019: &str = "time,type,collection_id,scheduling_class,missing_type,collection_type,priority,alloc_collection_id,instance_index,machine_id,alloc_instance_index,resource_request.cpus,resource_request.memory\n0,0,100,2,,0,100,0,0,-1,-1,0.02,0.01\n0,3,100,2,,0,100,0,0,-1,-1,,\n300000000,0,200,1,,0,100,0,1,-1,-1,0.5,0.25\n310000000,3,200,1,,0,100,0,1,-1,-1,,\n400000000,6,100,2,,0,100,0,0,-1,-1,,\n600000000,1,400,0,,0,100,0,3,-1,-1,0.1,0.1\n";
const ALIBABA_BATCH: &str = "M1,3,j_1,1,Terminated,100,160,50,0.5\nR2_1,1,j_1,1,Terminated,170,200,100,101\ntask_x,2,j_2,12,Running,200,0,200,-1\nM2,,j_3,1,Terminated,250,240,100,0.2\n";
const ALIBABA_CONTAINERS: &str = "c_1,m_1,0,app_1,started,400,400,1.56\nc_1,m_1,287942,app_1,started,400,400,1.56\nc_2,m_2,150,app_2,started,800,800,3.12\n";
const ALIBABA_MACHINES: &str =
    "m_1,0,65,3,96,100,USING\nm_2,0,66,4,64,50,USING\nm_3,0,67,5,32,-1,USING\n";
const NATIVE: &str = "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\nweb,0,3600,2,4,0.5,,\nbatch,30,,,,,300,0.2 1 0.6\nweb,10,600,1,2,,,\n";

/// Every target: one per trace reader (src/workload/trace/*), and the scenario loader.
pub fn targets(scratch: &Path) -> Vec<Target> {
    use TraceFormat::*;
    let mut azure_v1 = sampled(AzureV1, 1, 30, scratch);
    azure_v1.push(file("readings.csv", AZURE_READINGS));
    let per_vm = |format, keep, lines| Seed::Trace {
        format,
        files: sampled(format, keep, lines, scratch),
        folder: true,
        usage: None,
        machines: None,
    };
    let openb = sampled(AlibabaGpu2023, 2, 40, scratch);
    // write_sample names the node list first: the pod list is the main file.
    let openb = vec![openb[1].clone(), openb[0].clone()];
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let scenario = |name: &str| Seed::Scenario {
        path: scenarios.join(name),
        text: without_comment_lines(&std::fs::read_to_string(scenarios.join(name)).unwrap()),
    };
    vec![
        Target {
            name: "azure-v1",
            seed: Seed::Trace {
                format: AzureV1,
                files: azure_v1,
                folder: false,
                usage: Some(1),
                machines: None,
            },
        },
        Target {
            name: "azure-v2",
            seed: trace(AzureV2, vec![file("vmtable.csv", AZURE_V2)]),
        },
        Target {
            name: "azure-packing-2020",
            seed: Seed::Trace {
                format: AzurePacking2020,
                files: vec![
                    file("vm.csv", PACKING_VM),
                    file("vmType.csv", PACKING_TYPES),
                ],
                folder: false,
                usage: None,
                machines: Some(1),
            },
        },
        Target {
            name: "huawei-2021",
            seed: trace(Huawei2021, vec![file("events.csv", HUAWEI)]),
        },
        Target {
            name: "google-2011",
            seed: Seed::Trace {
                format: Google2011,
                files: vec![
                    file("task_events.csv", GOOGLE_2011_TASKS),
                    file("machine_events.csv", GOOGLE_2011_MACHINES),
                ],
                folder: false,
                usage: None,
                machines: Some(1),
            },
        },
        Target {
            name: "google-2019",
            seed: trace(Google2019, vec![file("instance_events.csv", GOOGLE_2019)]),
        },
        Target {
            name: "alibaba-2018",
            seed: Seed::Trace {
                format: Alibaba2018,
                files: vec![
                    file("batch_task.csv", ALIBABA_BATCH),
                    file("container_meta.csv", ALIBABA_CONTAINERS),
                    file("machine_meta.csv", ALIBABA_MACHINES),
                ],
                folder: true,
                usage: None,
                machines: Some(2),
            },
        },
        Target {
            name: "alibaba-gpu-2023",
            seed: Seed::Trace {
                format: AlibabaGpu2023,
                files: openb,
                folder: false,
                usage: None,
                machines: Some(1),
            },
        },
        Target {
            name: "bitbrains",
            seed: per_vm(Bitbrains, 2, 40),
        },
        Target {
            name: "planetlab",
            seed: per_vm(Planetlab, 3, 300),
        },
        Target {
            name: "swf",
            seed: trace(Swf, sampled(Swf, 1, 60, scratch)),
        },
        Target {
            name: "native",
            seed: trace(Native, vec![file("trace.csv", NATIVE)]),
        },
        Target {
            name: "scenario-quickstart",
            seed: scenario("quickstart.toml"),
        },
        Target {
            name: "scenario-reference",
            seed: scenario("reference.toml"),
        },
        Target {
            name: "scenario-failures",
            seed: scenario("failures.toml"),
        },
    ]
}
