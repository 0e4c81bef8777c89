//! Service levels in a data center operator's terms, tallied from the workload records as a run
//! writes them: per class, how many arrived, were placed, rejected or expired in the queue, and
//! the wait before placement (mean and percentiles).

use crate::metrics::{Outcome, WorkloadRecord};
use std::collections::BTreeMap;

/// One class's tally (or every class's, for the total).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClassLevels {
    pub arrived: u64,
    pub placed: u64,
    pub rejected: u64,
    /// Gave up waiting in the queue (`queue.max_wait`).
    pub expired: u64,
    /// Still queued when the run ended.
    pub queued_at_end: u64,
    /// Placed workloads that waited at all.
    pub waited: u64,
    /// Waits of the placed workloads that waited, in seconds (zero waits are only counted).
    waits: Vec<f32>,
}

impl ClassLevels {
    fn add(&mut self, r: &WorkloadRecord) {
        self.arrived += 1;
        match r.outcome {
            Outcome::Rejected => self.rejected += 1,
            Outcome::Expired => self.expired += 1,
            Outcome::Queued => self.queued_at_end += 1,
            _ => {}
        }
        if r.placed_s.is_some() {
            self.placed += 1;
            if r.wait_s > 0.0 {
                self.waited += 1;
                self.waits.push(r.wait_s as f32);
            }
        }
    }

    /// Mean wait of the placed workloads, in seconds.
    pub fn mean_wait_s(&self) -> f64 {
        if self.placed == 0 {
            return 0.0;
        }
        self.waits.iter().map(|&w| w as f64).sum::<f64>() / self.placed as f64
    }

    /// The `q`-quantile (0 … 1) of the placed workloads' waits, in seconds: the smallest wait
    /// that at least a fraction `q` of them did not exceed.
    pub fn wait_quantile_s(&mut self, q: f64) -> f64 {
        if self.placed == 0 {
            return 0.0;
        }
        self.waits.sort_unstable_by(f32::total_cmp);
        let zeros = self.placed - self.waits.len() as u64;
        let rank = ((q * self.placed as f64).ceil() as u64).clamp(1, self.placed);
        if rank <= zeros {
            0.0
        } else {
            self.waits[(rank - zeros - 1) as usize] as f64
        }
    }

    /// Rejected and expired workloads as a share of the arrived.
    pub fn turned_away_fraction(&self) -> f64 {
        if self.arrived == 0 {
            0.0
        } else {
            (self.rejected + self.expired) as f64 / self.arrived as f64
        }
    }
}

/// Every class's tally, by class name, and the total.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceLevels {
    pub classes: BTreeMap<String, ClassLevels>,
    pub total: ClassLevels,
}

impl ServiceLevels {
    /// Takes in one workload's final record.
    pub fn add(&mut self, r: &WorkloadRecord, class: &str) {
        self.total.add(r);
        // A trace without classes names every workload "": that key sorts first, so its tally
        // is the map's first entry, found without comparing strings (a comparison of empty
        // strings calls memcmp with a length of zero on dangling pointers, where glibc's AVX-512
        // memcmp stalls on its masked load: about 12 % of a huawei-2021 month's time, by perf).
        if class.is_empty()
            && let Some((_, c)) = self.classes.iter_mut().next().filter(|(k, _)| k.is_empty())
        {
            c.add(r);
            return;
        }
        match self.classes.get_mut(class) {
            Some(c) => c.add(r),
            None => {
                let mut c = ClassLevels::default();
                c.add(r);
                self.classes.insert(class.to_string(), c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(outcome: Outcome, wait_s: f64) -> WorkloadRecord {
        let placed = matches!(outcome, Outcome::Departed | Outcome::Running);
        WorkloadRecord {
            id: 0,
            class: 0,
            arrival_s: 0.0,
            cores: 1.0,
            memory_gib: 1.0,
            outcome,
            host: None,
            placed_s: placed.then_some(wait_s),
            ended_s: None,
            wait_s,
        }
    }

    #[test]
    fn the_unnamed_class_is_tallied_with_the_named_ones() {
        let mut s = ServiceLevels::default();
        for (class, outcome) in [
            ("web", Outcome::Departed),
            ("", Outcome::Departed),
            ("", Outcome::Rejected),
            ("batch", Outcome::Departed),
            ("", Outcome::Running),
        ] {
            s.add(&record(outcome, 0.0), class);
        }
        let counts: Vec<(&str, u64, u64)> = s
            .classes
            .iter()
            .map(|(k, c)| (k.as_str(), c.arrived, c.rejected))
            .collect();
        assert_eq!(counts, [("", 3, 1), ("batch", 1, 0), ("web", 1, 0)]);
        assert_eq!(s.total.arrived, 5);
    }

    #[test]
    fn percentiles_count_the_workloads_that_did_not_wait() {
        let mut s = ServiceLevels::default();
        // Ten placed: six without a wait, then 10, 20, 30 and 40 s; one rejected, one expired.
        for w in [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 20.0, 30.0, 40.0] {
            s.add(&record(Outcome::Departed, w), "web");
        }
        s.add(&record(Outcome::Rejected, 0.0), "web");
        s.add(&record(Outcome::Expired, 60.0), "batch");
        let web = s.classes.get_mut("web").unwrap();
        assert_eq!(
            (web.arrived, web.placed, web.rejected, web.waited),
            (11, 10, 1, 4)
        );
        // Mean: (10 + 20 + 30 + 40) / 10 placed = 10 s.
        assert_eq!(web.mean_wait_s(), 10.0);
        // Median: rank ceil(0.5 × 10) = 5, a zero; p95: rank 10, the largest (40 s); p70: rank 7,
        // the first wait (10 s).
        assert_eq!(web.wait_quantile_s(0.5), 0.0);
        assert_eq!(web.wait_quantile_s(0.7), 10.0);
        assert_eq!(web.wait_quantile_s(0.95), 40.0);
        assert_eq!(s.total.arrived, 12);
        // Turned away: the rejected and the expired of 12 arrivals.
        assert!((s.total.turned_away_fraction() - 2.0 / 12.0).abs() < 1e-12);
        assert_eq!(s.classes["batch"].expired, 1);
    }
}
