//! The `Sample` event: every varying usage profile refreshed (one pass over the live set's
//! compact `Sampled` records), hosts whose demand changed brought up to date, a time-series row.

use super::Event;
use super::sim::{EngineError, Simulation};
use crate::landscape::HostId;
use crate::workload::ClassId;

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
        for &h in &self.changed_hosts {
            self.host_changed[h.index()] = false;
        }
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
    /// one's demand integrals brought up to now and its demand recomputed; a host whose
    /// demand changes has its meters advanced first and is listed in `changed_hosts`.
    fn usage_pass(&mut self, fed: bool) {
        let now = self.now;
        let by_demand = self.allocate_by_demand;
        let retire = self.retire_idle_vms;
        let Simulation {
            live,
            stream,
            impact,
            fleet,
            meters,
            host_changed,
            changed_hosts,
            retiring,
            request_limits,
            migration_penalty,
            ..
        } = self;
        let store = stream.usage_store();
        live.sample_pass(
            now,
            *migration_penalty,
            fed,
            store,
            |w, c, handle, usage| {
                let host = HostId(w.host);
                let wants = super::handlers::demand_of(usage, w.cpu);
                let wants = super::background::scaled(impact, fleet, ClassId(w.class), host, wants);
                let demand = wants.min(request_limits[w.host as usize]);
                let (old, was_short, short) =
                    ((c.demand, c.wants), c.wants > c.demand, wants > demand);
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
                let i = host.index();
                if !host_changed[i] {
                    host_changed[i] = true;
                    meters.advance(host, now, fleet);
                    changed_hosts.push(host);
                }
                fleet.remove_cpu(i, old);
                fleet.add_cpu(i, (demand, wants));
                c.demand = demand;
                if by_demand {
                    let held = &mut fleet.allocated[i].cpu;
                    *held = *held - w.held_cpu + demand;
                    w.held_cpu = demand;
                }
                by_demand
            },
        );
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
