//! Where the full public traces come from: the name under which `scripts/fetch-trace.sh`
//! downloads each format's trace, and the message a missing trace file gets.

use crate::scenario::TraceFormat;

/// The name `scripts/fetch-trace.sh` knows `format`'s public trace by (`None`: dcsim's own).
pub fn fetch_name(format: TraceFormat) -> Option<&'static str> {
    Some(match format {
        TraceFormat::Native => return None,
        TraceFormat::AzureV1 => "azure-v1",
        TraceFormat::AzureV2 => "azure-v2",
        TraceFormat::AzurePacking2020 | TraceFormat::Huawei2021 => return None,
        TraceFormat::Google2011 => "google-2011",
        TraceFormat::Google2019 => "google-2019",
        TraceFormat::Alibaba2018 => "alibaba-2018",
        TraceFormat::AlibabaGpu2023 => "alibaba-gpu-2023",
        TraceFormat::Bitbrains => "bitbrains",
        TraceFormat::Planetlab => "planetlab-2011",
        TraceFormat::Swf => "swf-nasa-ipsc",
    })
}

/// What to tell a user whose `format` trace file is not there: the command that fetches the
/// full trace and, where dcsim makes one, the command that writes a small sample.
pub fn missing_file_message(format: TraceFormat) -> String {
    let mut m = String::from("no such file or folder");
    match fetch_name(format) {
        Some(name) => m.push_str(&format!(
            "; the full public trace is fetched by `scripts/fetch-trace.sh {name}` (docs/traces/fetch.md)"
        )),
        None => m.push_str("; docs/traces/fetch.md says where each public trace is"),
    }
    if super::sample::SAMPLE_FORMATS.contains(&format) {
        m.push_str(&format!(
            ", a small generated sample by `dcsim trace sample {} --out DIR`",
            super::sample::format_name(format)
        ));
    }
    m
}
