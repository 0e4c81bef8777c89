//! Injected host anomalies (`impact.anomalies`), hidden ground truth: from its instant on, a
//! host draws `power_factor` × the power its load calls for (fans failed, a bad PSU). The
//! anomaly learner sees only the power that results; the run's summary scores its flags
//! against this list (precision and recall).

use crate::time::SimTime;

/// The injected anomalies and which have begun.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostAnomalyTruth {
    /// (host, from, power factor), by `from`.
    list: Vec<(u32, SimTime, f64)>,
    /// Anomalies begun: `list[..begun]`.
    begun: usize,
    /// Per host: the power factor now (empty until sized; 1 where none has begun).
    factor: Vec<f64>,
}

impl HostAnomalyTruth {
    pub fn new(mut list: Vec<(u32, SimTime, f64)>) -> HostAnomalyTruth {
        list.sort_by_key(|&(h, from, _)| (from, h));
        HostAnomalyTruth {
            list,
            begun: 0,
            factor: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The hosts named, in id order, without repeats.
    pub fn hosts(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.list.iter().map(|a| a.0).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The hosts whose anomaly has begun by `now`, in id order.
    pub fn begun_by(&self, now: SimTime) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .list
            .iter()
            .filter(|a| a.1 <= now)
            .map(|a| a.0)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Host `h`'s power factor now.
    pub fn factor(&self, h: usize) -> f64 {
        self.factor.get(h).copied().unwrap_or(1.0)
    }

    /// Begins the next anomaly due by `now` on a fleet of `hosts` and returns its host, or
    /// `None` when none is due (call until `None`).
    pub fn begin_next(&mut self, now: SimTime, hosts: usize) -> Option<u32> {
        if self.factor.len() != hosts {
            self.factor = vec![1.0; hosts];
        }
        loop {
            let &(h, from, f) = self.list.get(self.begun)?;
            if from > now {
                return None;
            }
            self.begun += 1;
            if let Some(x) = self.factor.get_mut(h as usize) {
                *x *= f;
                return Some(h);
            }
        }
    }
}
