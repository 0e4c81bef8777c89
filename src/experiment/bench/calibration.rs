//! The calibration that makes the bench's targets travel: a fixed loop, timed in the same
//! process just before each workload, against what it took on the reference machine the
//! targets were set on. A machine (or a moment) twice as slow gets targets twice as loose.
//!
//! The loop does what the simulator does most: hashing (the noise draws), dependent reads and
//! writes scattered over a table larger than the L2 cache (hosts and handles), and a stream
//! through an array (the live set).

use crate::engine::rng::mix64;
use std::time::Instant;

/// The reference machine: where the targets in `workloads.rs` hold as stated.
pub const REFERENCE_MACHINE: &str =
    "AMD EPYC, 2 logical CPUs, x86_64 (the 2-vCPU machine of issue 18)";
/// The calibration's median time on the reference machine, in seconds (see `calibrate`): the
/// median of the per-row calibrations of three quiet `dcsim bench` runs there (14.3–19.2 ms).
pub const REFERENCE_CALIBRATION_S: f64 = 0.0170;

/// Entries of the scattered table (8 MiB) and of the streamed array (16 MiB).
const TABLE: usize = 1 << 20;
const STREAM: usize = 1 << 21;
/// Scattered updates per timing.
const STEPS: usize = 1 << 20;
/// Timings; the median is kept (a quiet moment is not the point: the same load as the
/// workload's is).
const REPEATS: usize = 7;

/// The calibration: the median over `REPEATS` timings of the fixed loop, in seconds.
pub fn calibrate() -> f64 {
    let mut table = vec![0u64; TABLE];
    let stream: Vec<u64> = (0..STREAM as u64).map(mix64).collect();
    let mut times: Vec<f64> = (0..REPEATS)
        .map(|r| {
            let started = Instant::now();
            std::hint::black_box(fixed_loop(&mut table, &stream, r as u64));
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[REPEATS / 2]
}

/// `STEPS` hash-and-update steps scattered over `table` (independent of one another, so the
/// memory system overlaps them, as it overlaps the simulator's), then one pass over `stream`.
fn fixed_loop(table: &mut [u64], stream: &[u64], seed: u64) -> u64 {
    let mask = table.len() as u64 - 1;
    for i in 0..STEPS as u64 {
        let x = mix64(i ^ (seed << 32));
        let slot = &mut table[(x & mask) as usize];
        *slot = slot.wrapping_add(x);
    }
    let sum = stream.iter().fold(0u64, |a, &v| a.wrapping_add(v));
    table[(sum & mask) as usize] ^ sum
}

/// How much slower than the reference machine (whose calibration took `reference_s`) this one
/// is now (2.0: twice as slow); 1 when either is unknown.
pub fn slowdown(calibration_s: f64, reference_s: f64) -> f64 {
    if calibration_s > 0.0 && reference_s > 0.0 {
        calibration_s / reference_s
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixed_loop_is_deterministic_and_depends_on_its_seed() {
        let stream: Vec<u64> = (0..1024).map(mix64).collect();
        let run = |seed| fixed_loop(&mut vec![0u64; 1024], &stream, seed);
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
    }

    #[test]
    fn slowdown_is_the_ratio_to_the_reference() {
        // Twice the reference's time: twice as slow; no measurement: as the reference.
        let r = REFERENCE_CALIBRATION_S;
        assert_eq!(slowdown(2.0 * r, r), 2.0);
        assert_eq!(slowdown(0.0, r), 1.0);
    }
}
