//! Ground truth from queueing theory: Erlang B (loss) and Erlang C (delay) on c identical hosts
//! that each fit exactly one VM, Poisson arrivals, exponential lifetimes.

use crate::common::{Queueing, parse};
use dcsim::metrics::RunSummary;

/// 20 one-VM hosts, mean lifetime 1 h, λ = `load` per hour, 10 000 simulated hours.
fn twenty_hosts(load: f64, queue: bool, seed: u64) -> RunSummary {
    let q = Queueing {
        hosts: 20,
        rate_per_hour: load,
        mean_lifetime: "1h",
        duration: "10000h",
        queue,
        seed,
    };
    dcsim::simulate(&parse(&q.toml())).unwrap().summary
}

/// Erlang B by the stable recurrence B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)).
fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (k as f64 + a * b))
}

/// Erlang C from Erlang B: C = c·B / (c − A·(1 − B)).
fn erlang_c(c: u32, a: f64) -> f64 {
    let b = erlang_b(c, a);
    c as f64 * b / (c as f64 - a * (1.0 - b))
}

#[test]
fn formulas_match_published_values() {
    // Tables: B(20, 15) ≈ 0.0456, B(20, 25) ≈ 0.2799.
    assert!((erlang_b(20, 15.0) - 0.0456).abs() < 1e-4);
    assert!((erlang_b(20, 25.0) - 0.2799).abs() < 1e-4);
    assert!((erlang_b(1, 1.0) - 0.5).abs() < 1e-12);
}

/// 20 hosts, mean lifetime 1 h, λ = A per hour, 10 000 simulated hours (≈ 150 000–250 000
/// arrivals): the loss fraction's standard error is below 0.001, so 0.006 is over 5 errors wide.
#[test]
fn loss_without_queue_matches_erlang_b() {
    for (load, seed) in [(15.0, 11), (25.0, 12)] {
        let s = twenty_hosts(load, false, seed);
        let expected = erlang_b(20, load);
        assert!(s.workloads_arrived > 100_000, "{}", s.workloads_arrived);
        assert!(
            (s.rejected_fraction - expected).abs() < 0.006,
            "A = {load}: simulated loss {} vs ErlangB {expected}",
            s.rejected_fraction
        );
    }
}

/// Same fleet with a FIFO queue: the fraction of arrivals that must wait is ErlangC(c, A), and
/// the mean wait is C / (cμ − λ).
#[test]
fn waiting_with_queue_matches_erlang_c() {
    for (load, seed) in [(15.0, 21), (18.0, 22)] {
        let s = twenty_hosts(load, true, seed);
        let c = erlang_c(20, load);
        assert!(
            (s.waited_fraction - c).abs() < 0.015,
            "A = {load}: simulated P(wait) {} vs ErlangC {c}",
            s.waited_fraction
        );
        // E[Wq] = C / (cμ − λ) hours, with μ = 1/h.
        let expected_wait_s = c / (20.0 - load) * 3600.0;
        assert!(
            (s.mean_wait_seconds / expected_wait_s - 1.0).abs() < 0.1,
            "A = {load}: mean wait {} s vs {expected_wait_s} s",
            s.mean_wait_seconds
        );
        assert_eq!(
            s.workloads_rejected, 0,
            "a queue without max_wait rejects nobody"
        );
    }
}
