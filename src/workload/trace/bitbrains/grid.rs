//! A Bitbrains VM's samples onto a regular grid: the file's median sample spacing (300 s in
//! GWA-T-12, whose rows drift by a second or so and sometimes skip a sample). Each sample snaps
//! to the nearest grid point (a later sample in the same slot wins) and a skipped slot holds the
//! previous value.

use super::file::Sample;

/// Spacing used when a file has a single sample.
pub const DEFAULT_INTERVAL_S: f64 = 300.0;

/// Slots allowed per sample before the timestamps are taken as broken.
const MAX_SLOTS_PER_SAMPLE: usize = 16;

/// One VM's series: grid spacing in seconds, CPU fractions of the VM's cores, and how many slots
/// held the previous value because no sample fell in them.
#[derive(Debug, PartialEq)]
pub struct Grid {
    pub interval_s: f64,
    pub values: Vec<f32>,
    pub held: usize,
}

/// The median of the positive gaps between samples, whole seconds, at least 1.
pub fn median_spacing(samples: &[Sample]) -> f64 {
    let mut gaps: Vec<f64> = samples
        .windows(2)
        .map(|w| w[1].time - w[0].time)
        .filter(|g| *g > 0.0)
        .collect();
    if gaps.is_empty() {
        return DEFAULT_INTERVAL_S;
    }
    let mid = gaps.len() / 2;
    let (_, m, _) = gaps.select_nth_unstable_by(mid, f64::total_cmp);
    m.round().max(1.0)
}

/// The grid of `samples` (non-empty, in time order) for a VM of `cores` cores (> 0). `Err` gives
/// the sample after which the gap is too wide to fill (a broken timestamp).
pub fn grid(samples: &[Sample], cores: f64) -> Result<Grid, Sample> {
    let interval_s = median_spacing(samples);
    let t0 = samples[0].time;
    let slot = |s: &Sample| ((s.time - t0) / interval_s).round() as usize;
    let last = samples.last().map_or(0, slot);
    if last > MAX_SLOTS_PER_SAMPLE * samples.len() + 64 {
        let widest = samples
            .windows(2)
            .max_by(|a, b| (a[1].time - a[0].time).total_cmp(&(b[1].time - b[0].time)))
            .map_or(samples[0], |w| w[1]);
        return Err(widest);
    }
    let mut values = vec![f32::NAN; last + 1];
    for s in samples {
        let fraction = (s.usage_pct / 100.0).min(1.0) * s.cores / cores;
        values[slot(s)] = fraction.clamp(0.0, 1.0) as f32;
    }
    let mut held = 0;
    for i in 1..values.len() {
        if values[i].is_nan() {
            values[i] = values[i - 1];
            held += 1;
        }
    }
    Ok(Grid {
        interval_s,
        values,
        held,
    })
}
