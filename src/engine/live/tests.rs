//! The usage pass's compact records against the full records they stand for: the same usage,
//! bit for bit, and the same demand integrals as accounting each workload at every step.

use super::pass::MAX_CHUNKS;
use super::*;
use crate::workload::trace::TraceUsage;
use crate::workload::{ClassId, UsageProfile, UsageShape, UsageStore};

fn spec(id: u64, cpu: u32, usage: UsageProfile) -> WorkloadSpec {
    WorkloadSpec {
        id: WorkloadId(id),
        class: ClassId(0),
        arrival: SimTime::ZERO,
        lifetime: None,
        request: Resources { cpu, memory: 1024 },
        features: FeatureMask::default(),
        usage,
        subscription: None,
    }
}

fn diurnal(noise_key: u64) -> UsageProfile {
    UsageProfile {
        shape: UsageShape::diurnal(0.3, 0.1, 14.0),
        noise_sd: 0.1,
        noise_key,
    }
}

/// Every kind of profile: shared diurnal with noise (two workloads, one entry), noisy
/// constant, a constant level and a recorded series.
fn profiles(store: &mut UsageStore) -> Vec<UsageProfile> {
    let series = TraceUsage::Series {
        interval: SimTime::from_secs(300),
        values: vec![0.25, 0.5, 0.0, 1.0],
    };
    vec![
        diurnal(11),
        diurnal(12),
        UsageProfile {
            shape: UsageShape::Constant { level: 0.6 },
            noise_sd: 0.2,
            noise_key: 13,
        },
        UsageProfile::constant(0.4),
        store.profile(series, SimTime::from_secs(100)),
    ]
}

#[test]
fn the_pass_reads_each_profile_exactly_as_the_profile_does() {
    let mut store = UsageStore::default();
    let mut live = LiveSet::default();
    let all = profiles(&mut store);
    for (k, p) in all.iter().enumerate() {
        let s = spec(k as u64, 2000, *p);
        live.insert(
            s,
            HostId(0),
            SimTime::ZERO,
            (0, s.request),
            NodeIndex::new(k),
        );
    }
    // The two diurnal workloads share one entry; the noisy constant has its own; the level
    // and the series need none.
    assert_eq!(live.shapes.in_use(), 2);
    for step in 1..=40u64 {
        let now = SimTime::from_secs(step * 300 + step % 7);
        let mut seen = [Vec::new()];
        live.sample_pass(
            (now, 0.1),
            true,
            &store,
            (&mut [()], &mut seen),
            |_, _, handle, usage, at| {
                at.chunk.push((handle, usage));
                false
            },
        );
        let [seen] = seen;
        assert_eq!(seen.len(), all.len());
        for (handle, usage) in seen {
            let expected = all[handle as usize].at(now, &store);
            assert_eq!(
                usage.to_bits(),
                expected.to_bits(),
                "workload {handle} at {now:?}"
            );
        }
    }
    // Shapes are released with their last workload.
    for k in 0..all.len() as u32 {
        let (_, generation) = live.by_handle(k).expect("live");
        live.remove(k, generation).expect("removed");
    }
    assert_eq!(live.shapes.in_use(), 0);
}

#[test]
fn demand_integrals_match_accounting_every_workload_at_every_change() {
    let store = UsageStore::default();
    let mut live = LiveSet::default();
    // Reference: each workload's own clock and integral, the way `LiveWorkload::account` did.
    let mut reference: Vec<(SimTime, f64, u32)> = Vec::new();
    for k in 0..3u32 {
        let usage = if k == 2 {
            UsageProfile::constant(0.5)
        } else {
            diurnal(k as u64)
        };
        let s = spec(k as u64, 1000 * (k + 1), usage);
        live.insert(
            s,
            HostId(0),
            SimTime::from_secs(7),
            (100, s.request),
            NodeIndex::new(0),
        );
        reference.push((SimTime::from_secs(7), 0.0, 100));
    }
    let account = |r: &mut (SimTime, f64, u32), now: SimTime| {
        let dt = now.saturating_sub(r.0).as_secs_f64();
        r.1 += r.2 as f64 * dt;
        r.0 = now;
    };
    for step in 1..=30u64 {
        let now = SimTime::from_secs(step * 300);
        // An event between samples accounts workload 1 on its own clock.
        if step % 4 == 0 {
            let at = SimTime::from_secs(step * 300 - 123);
            live.account(1, at, 0.1);
            account(&mut reference[1], at);
        }
        // Only varying workloads are visited (0 and 1); the constant one keeps its clock.
        live.sample_pass(
            (now, 0.1),
            false,
            &store,
            (&mut [()], &mut [()]),
            |_, c, handle, usage, _| {
                c.demand = (usage * 1000.0) as u32 + handle;
                false
            },
        );
        for (k, r) in reference.iter_mut().enumerate().take(2) {
            account(r, now);
            r.2 = live.demand_of(k as u32);
        }
    }
    let end = SimTime::from_secs(31 * 300 + 5);
    live.account_all(end, 0.1);
    for (k, r) in reference.iter_mut().enumerate() {
        account(r, end);
        let got = live.requested_mcs(k as u32);
        assert_eq!(
            got.to_bits(),
            r.1.to_bits(),
            "workload {k}: {got} vs {}",
            r.1
        );
    }
    // The constant workload held 100 millicores from 7 s to the end.
    assert_eq!(live.requested_mcs(2), 100.0 * (end.as_secs_f64() - 7.0));
}

/// A pass cut into chunks, run by several threads, gives every workload the same usage,
/// demand, integrals, held CPU and migration loss as one pass; each chunk sees its handles
/// in order, and the per-thread sums add up to the same totals.
#[test]
fn a_pass_in_chunks_on_threads_is_the_same_as_one_pass() {
    let mut store = UsageStore::default();
    let kinds = profiles(&mut store);
    let build = || {
        let mut live = LiveSet::default();
        for k in 0..2_000u64 {
            let mut p = kinds[(k % kinds.len() as u64) as usize];
            p.noise_key = p.noise_key.wrapping_add(k * 7919);
            let s = spec(k, 1000 + (k as u32 % 5) * 500, p);
            let host = HostId((k % 13) as u32);
            live.insert(
                s,
                host,
                SimTime::from_secs(k % 60),
                (100, s.request),
                NodeIndex::new(0),
            );
        }
        // Some migrate (their loss is applied after the threads join), some are gone.
        for k in (0..2_000u32).step_by(17) {
            let g = live.generation_of(k);
            live.get_mut(k, g).expect("live").migrating_to = Some(HostId(0));
            live.sync_resident(k);
        }
        for k in (5..2_000u32).step_by(29) {
            let g = live.generation_of(k);
            live.remove(k, g).expect("removed");
        }
        live
    };
    let run = |threads: usize, chunks: usize| {
        let mut live = build();
        let mut workers = vec![0u64; threads];
        let mut acc: Vec<Vec<u32>> = vec![Vec::new(); chunks];
        let mut order = Vec::new();
        for step in 1..=12u64 {
            let now = SimTime::from_secs(step * 300);
            if step % 5 == 0 {
                live.account(3, now - SimTime::from_secs(9), 0.1);
            }
            live.sample_pass(
                (now, 0.1),
                step % 4 == 0,
                &store,
                (&mut workers, &mut acc),
                |w, c, h, usage, at| {
                    at.chunk.push(h);
                    c.demand = (usage * w.cpu as f64) as u32;
                    c.wants = c.demand + 1;
                    *at.worker += u64::from(c.demand);
                    // Held CPU follows demand for some (the contract: `true` when it changed it).
                    let holds = h % 3 == 0;
                    if holds {
                        w.held_cpu = c.demand;
                    }
                    holds
                },
            );
            order.push(acc.concat());
            acc.iter_mut().for_each(Vec::clear);
        }
        live.account_all(SimTime::from_secs(4_000), 0.1);
        let state: Vec<_> = (0..2_000u32)
            .filter_map(|h| {
                let (w, _) = live.by_handle(h)?;
                Some((
                    h,
                    live.cpu_of(h),
                    live.requested_mcs(h).to_bits(),
                    w.held.cpu,
                    w.degraded_mcs.to_bits(),
                ))
            })
            .collect();
        for host in 0..13 {
            assert!(live.residents_consistent(HostId(host)));
        }
        (state, order, workers.iter().sum::<u64>())
    };
    let one = run(1, 1);
    assert!(
        one.0.iter().any(|s| s.4 != 0),
        "some migration loss was accounted"
    );
    assert!(one.2 > 0);
    for (threads, chunks) in [(1, 3), (2, 2), (2, 4), (3, 7), (4, MAX_CHUNKS)] {
        let many = run(threads, chunks);
        assert_eq!(many.0, one.0, "{threads} threads, {chunks} chunks");
        assert_eq!(
            many.1, one.1,
            "{threads} threads, {chunks} chunks: visit order"
        );
        assert_eq!(many.2, one.2, "{threads} threads, {chunks} chunks: sums");
    }
}
