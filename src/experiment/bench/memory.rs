//! Resident memory of this process from Linux `/proc/self/status`: the peak (`VmHWM`) and the
//! current size (`VmRSS`). Both read 0 where the file does not exist.

/// Peak resident memory of this process so far (`VmHWM`), in MiB; 0 where unknown.
pub fn peak_rss_mib() -> f64 {
    status_kib("VmHWM:").map_or(0.0, |kib| kib / 1024.0)
}

/// Resident memory of this process now (`VmRSS`), in MiB; 0 where unknown.
pub fn current_rss_mib() -> f64 {
    status_kib("VmRSS:").map_or(0.0, |kib| kib / 1024.0)
}

fn status_kib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
