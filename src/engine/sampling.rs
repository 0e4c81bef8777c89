//! The `Sample` event: every varying usage profile refreshed (one pass over the live set's
//! compact `Sampled` records), hosts whose demand changed brought up to date, a time-series row.

use super::Event;
use visit::Visit;

mod visit;
use super::sim::{EngineError, Simulation};
use crate::landscape::HostId;

/// What a usage pass changed on one host, summed by one thread: CPU demand, workloads short of
/// CPU, CPU held; and 1 + the last chunk of that thread that listed the host (0: none yet).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct HostDelta {
    demand: i64,
    held: i64,
    short: i32,
    stamp: u32,
}

/// One thread's accumulator in the usage pass: its change to each host (all zero between
/// passes; integer sums, so the same whichever chunks it ran).
#[derive(Debug, Default)]
pub(super) struct PassWorker {
    deltas: Vec<HostDelta>,
}

/// One chunk's accumulator in the usage pass: the hosts it changed, in the order it first did,
/// and the workloads it marked for retirement.
#[derive(Debug, Default)]
pub(super) struct PassChunk {
    changed: Vec<HostId>,
    retiring: Vec<u32>,
}

/// The usage pass's accumulators and how many threads it may use.
#[derive(Debug)]
pub(super) struct PassShards {
    workers: Vec<PassWorker>,
    chunks: Vec<PassChunk>,
    threads: usize,
}

impl PassShards {
    /// One thread, or `DCSIM_THREADS` if set: results do not depend on it, but on a shared
    /// 2-vCPU machine the join waits for a worker the scheduler has not run yet, so more
    /// threads are opt-in. The command line rejects a bad value before any run
    /// (`usage_pass_threads`); a library caller with one gets one thread.
    pub(super) fn new() -> PassShards {
        PassShards {
            workers: Vec::new(),
            chunks: Vec::new(),
            threads: usage_pass_threads().unwrap_or(1),
        }
    }
}

/// The most threads `DCSIM_THREADS` may ask the usage pass for.
pub const MAX_PASS_THREADS: usize = 8;

/// How many threads the usage pass uses: `DCSIM_THREADS` (a whole number from 1 to
/// `MAX_PASS_THREADS`), 1 when it is unset; an error naming the value when it is anything else.
pub fn usage_pass_threads() -> Result<usize, EngineError> {
    let Some(raw) = std::env::var_os("DCSIM_THREADS") else {
        return Ok(1);
    };
    let text = raw.to_string_lossy();
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_PASS_THREADS).contains(&n) => Ok(n),
        _ => Err(EngineError::BadThreads(text.into_owned())),
    }
}

impl Simulation<'_> {
    /// Applies usage readings that arrived since the last sample: each sets its workload's
    /// usage to a constant until the next reading.
    fn apply_usage_feed(&mut self) -> Result<(), EngineError> {
        let Some(feed) = &mut self.feed else {
            return Ok(());
        };
        feed.readings.clear();
        self.stream.usage_until(self.now, &mut feed.readings)?;
        for &(id, usage) in &feed.readings {
            if let Some(&(handle, generation)) = feed.handles.get(&id)
                && let Some(w) = self.live.get_mut(handle, generation)
            {
                w.spec.usage = crate::workload::UsageProfile::constant(usage);
                self.live.sync_usage(handle);
            }
        }
        Ok(())
    }

    /// Refreshes every varying usage profile, then records a time-series row.
    pub(super) fn on_sample(&mut self) -> Result<(), EngineError> {
        self.begin_anomalies();
        let fed = self.feed.is_some();
        self.apply_usage_feed()?;
        if self.request_limits.len() != self.fleet.len() {
            self.request_limits = self
                .fleet
                .hosts()
                .map(|h| self.fleet.request_limit(h))
                .collect();
            self.live.set_host_limits(&self.request_limits);
        }
        self.usage_pass(fed);
        let changed = std::mem::take(&mut self.changed_hosts);
        for &h in &changed {
            self.refresh_power(h);
            if self.allocate_by_demand {
                self.publish(h);
            }
        }
        self.changed_hosts = changed;
        self.changed_hosts.clear();
        self.retire_idle()?;
        let now = self.now;
        if self.energy_ends_at == Some(now) {
            for h in self.fleet.hosts() {
                self.meters.advance(h, now, &self.fleet);
                self.refresh_power(h);
            }
        }
        let facility_w = self
            .fleet
            .power_w
            .iter()
            .zip(&self.cooling)
            .map(|(p, c)| p * (1.0 + c))
            .sum();
        self.facility.reset_power(self.now, facility_w);
        let row = self.timeseries_row();
        self.timeseries.push(row);
        let next = self.now.saturating_add(self.sample_interval);
        if next <= self.end {
            self.events.push(next, Event::Sample);
        }
        if std::mem::take(&mut self.first_round_due) {
            let first = self
                .now
                .saturating_add(self.rebalance_interval)
                .min(self.end);
            self.events.push(first, Event::Rebalance);
        }
        Ok(())
    }

    /// One pass over the live workloads whose usage varies (all of them when `fed`): each
    /// one's demand integrals brought up to now and its demand recomputed, in chunks of
    /// handles that threads may share. Each thread sums the change to each host in its own
    /// `HostDelta`s (integer sums: exact in any order) and each chunk lists the hosts it
    /// changed; the changes are applied host by host, after the host's meters are advanced (to
    /// the state they saw before the pass), and the hosts changed are listed in
    /// `changed_hosts` in the order the pass first changed them (by handle), whatever the
    /// number of chunks and threads.
    fn usage_pass(&mut self, fed: bool) {
        let now = self.now;
        let by_demand = self.allocate_by_demand;
        let retire = self.retire_idle_vms;
        let hosts = self.fleet.len();
        let chunks = self.live.chunks_for(self.pass_shards.threads);
        let threads = if chunks > 1 {
            self.pass_shards.threads
        } else {
            1
        };
        let mut workers = std::mem::take(&mut self.pass_shards.workers);
        let mut chunk_acc = std::mem::take(&mut self.pass_shards.chunks);
        workers.resize_with(threads.max(workers.len()), PassWorker::default);
        chunk_acc.resize_with(chunks.max(chunk_acc.len()), PassChunk::default);
        for w in &mut workers[..threads] {
            w.deltas.resize(hosts, HostDelta::default());
        }
        let Simulation {
            live,
            stream,
            impact,
            fleet,
            migration_penalty,
            ..
        } = self;
        let store = stream.usage_store();
        let scaled = impact.as_ref().is_some_and(|i| i.cpu_factors.is_some());
        let v = Visit { fleet, impact };
        let pass = (now, *migration_penalty);
        let acc = (&mut workers[..threads], &mut chunk_acc[..chunks]);
        macro_rules! pass_with {
            ($($b:literal, $r:literal, $s:literal);*) => {
                match (by_demand, retire, scaled) {
                    $(($b, $r, $s) => live.sample_pass(pass, fed, store, acc, |w, c, h, u, at| {
                        v.step::<$b, $r, $s>((w, c), h, u, at)
                    }),)*
                }
            };
        }
        pass_with!(
            false, false, false; false, false, true; false, true, false; false, true, true;
            true, false, false; true, false, true; true, true, false; true, true, true
        );
        for a in &mut chunk_acc[..chunks] {
            for &h in &a.changed {
                let listed = &mut self.host_listed[h.index()];
                if !*listed {
                    *listed = true;
                    self.changed_hosts.push(h);
                }
            }
            a.changed.clear();
            self.retiring.extend_from_slice(&a.retiring);
            a.retiring.clear();
        }
        for &h in self.changed_hosts.iter() {
            let i = h.index();
            self.meters.advance(h, now, &self.fleet);
            self.host_listed[i] = false;
            let (mut demand, mut held, mut short) = (0, 0, 0);
            for w in &mut workers[..threads] {
                let d = std::mem::take(&mut w.deltas[i]);
                (demand, held, short) = (demand + d.demand, held + d.held, short + d.short);
            }
            let f = &mut self.fleet;
            f.cpu_demand[i] = (f.cpu_demand[i] as i64 + demand) as u64;
            f.short_workloads[i] = (f.short_workloads[i] as i32 + short) as u32;
            f.allocated[i].cpu = (f.allocated[i].cpu as i64 + held) as u32;
        }
        self.pass_shards.workers = workers;
        self.pass_shards.chunks = chunk_acc;
    }

    /// Ends the workloads this sample marked for retirement (CloudSim-compatible profile), in
    /// the order of the live set, but for those placed at this very instant.
    fn retire_idle(&mut self) -> Result<(), EngineError> {
        let mut retiring = std::mem::take(&mut self.retiring);
        let now = self.now;
        retiring.retain(|&h| {
            self.live
                .by_handle(h)
                .is_some_and(|(w, _)| w.placed_at < now)
        });
        retiring.sort_unstable_by_key(|&h| self.live.position_of(h));
        for &handle in &retiring {
            let generation = self.live.generation_of(handle);
            self.counters.retired += 1;
            self.on_departure(handle, generation)?;
        }
        self.retiring = retiring;
        self.retiring.clear();
        Ok(())
    }
}
