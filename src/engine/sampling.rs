//! The `Sample` event: every varying usage profile refreshed (one pass over the live set's
//! compact `Sampled` records), hosts whose demand changed brought up to date, a time-series row.

use super::Event;
use super::sim::{EngineError, Simulation};
use crate::landscape::HostId;
use crate::workload::ClassId;

/// What a usage pass changed on one host: CPU demand, workloads short of CPU, CPU held.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct HostDelta {
    demand: i64,
    held: i64,
    short: i32,
    changed: bool,
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
    /// one's demand integrals brought up to now and its demand recomputed. The change to each
    /// host is summed in `host_delta` and applied afterwards, host by host, after the host's
    /// meters are advanced (to the state they saw before the pass); the hosts changed are
    /// listed in `changed_hosts`, in the order the pass first changed them.
    fn usage_pass(&mut self, fed: bool) {
        let now = self.now;
        let by_demand = self.allocate_by_demand;
        let retire = self.retire_idle_vms;
        let Simulation {
            live,
            stream,
            impact,
            fleet,
            host_delta,
            changed_hosts,
            retiring,
            request_limits,
            migration_penalty,
            ..
        } = self;
        let store = stream.usage_store();
        let fleet: &crate::landscape::Fleet = fleet;
        let limits: &[u32] = request_limits;
        let deltas: &mut [HostDelta] = host_delta;
        live.sample_pass(
            now,
            *migration_penalty,
            fed,
            store,
            |w, c, handle, usage| {
                let wants = super::handlers::demand_of(usage, w.cpu);
                let wants = match impact {
                    None => wants,
                    Some(_) => super::background::scaled(
                        impact,
                        fleet,
                        ClassId(w.class),
                        HostId(w.host),
                        wants,
                    ),
                };
                let i = w.host as usize;
                let demand = wants.min(limits[i]);
                let (was_short, short) = (c.wants > c.demand, wants > demand);
                c.wants = wants;
                // CloudSim destroys a VM whose requested MIPS is zero at an update, for good (not
                // while it migrates, nor at the instant it is placed: it is being instantiated).
                // Zero means a usage of exactly zero: with series read linearly, both samples
                // around the update are zero (a demand that merely rounds to 0 MIPS is not).
                // (The instant it is placed is checked in `retire_idle`.)
                if retire && usage == 0.0 && !w.migrating() {
                    retiring.push(handle);
                }
                let moves_hold = by_demand && w.held_cpu != demand;
                if demand == c.demand && !moves_hold && was_short == short {
                    return false;
                }
                let d = &mut deltas[i];
                if !d.changed {
                    d.changed = true;
                    changed_hosts.push(HostId(w.host));
                }
                d.demand += demand as i64 - c.demand as i64;
                d.short += i32::from(short) - i32::from(was_short);
                c.demand = demand;
                if by_demand {
                    d.held += demand as i64 - w.held_cpu as i64;
                    w.held_cpu = demand;
                }
                by_demand
            },
        );
        for &h in changed_hosts.iter() {
            let i = h.index();
            self.meters.advance(h, now, &self.fleet);
            let d = std::mem::take(&mut self.host_delta[i]);
            let f = &mut self.fleet;
            f.cpu_demand[i] = (f.cpu_demand[i] as i64 + d.demand) as u64;
            f.short_workloads[i] = (f.short_workloads[i] as i32 + d.short) as u32;
            f.allocated[i].cpu = (f.allocated[i].cpu as i64 + d.held) as u32;
        }
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
