//! `ClassMix`: per host, how many workloads of each class run there, what CPU they requested
//! and when they were placed (co-location, as a telemetry system sees it), and what
//! interference does to them now. Empty (and never touched) unless a run needs it.

use super::HostId;
use crate::impact::HostEffect;

/// Dense hosts × classes tables; empty when off.
#[derive(Clone, Debug, Default)]
pub struct ClassMix {
    classes: usize,
    count: Vec<u16>,
    /// Σ requested CPU, millicores.
    cpu: Vec<u64>,
    /// Σ placement times, seconds.
    placed_s: Vec<f64>,
    /// What interference does to each host's residents now (default when interference is off).
    pub effect: Vec<HostEffect>,
    /// Per host: Σ over residents whose trace subscription has a learned effective demand of
    /// requested CPU × (that demand − their class's), millicores; what learned placement adds
    /// to the class-level estimate. Empty (and never read) without subscriptions.
    pub subscription_cpu: Vec<f64>,
}

impl ClassMix {
    pub fn new(hosts: usize, classes: usize) -> ClassMix {
        ClassMix {
            classes,
            count: vec![0; hosts * classes],
            cpu: vec![0; hosts * classes],
            placed_s: vec![0.0; hosts * classes],
            effect: vec![HostEffect::default(); hosts],
            subscription_cpu: Vec::new(),
        }
    }

    pub fn is_on(&self) -> bool {
        self.classes > 0
    }

    pub fn classes(&self) -> usize {
        self.classes
    }

    fn range(&self, h: HostId) -> std::ops::Range<usize> {
        h.index() * self.classes..(h.index() + 1) * self.classes
    }

    /// Workloads of each class on `h`.
    pub fn counts(&self, h: HostId) -> &[u16] {
        &self.count[self.range(h)]
    }

    /// Requested CPU (millicores) of each class on `h`.
    pub fn cpu(&self, h: HostId) -> &[u64] {
        &self.cpu[self.range(h)]
    }

    /// Σ placement times (seconds) of each class on `h`.
    pub fn placed_s(&self, h: HostId) -> &[f64] {
        &self.placed_s[self.range(h)]
    }

    /// A workload of `class` requesting `cpu` millicores, placed at `placed_s`, joins (`joins`)
    /// or leaves host `h`.
    /// The same mix over `classes` classes (≥ the present count; a trace names its classes as
    /// it goes): O(hosts × classes), once per class a trace introduces.
    pub fn widened(&self, classes: usize) -> ClassMix {
        let hosts = self.effect.len();
        let mut out = ClassMix::new(hosts, classes.max(self.classes));
        for h in 0..hosts {
            let (from, to) = (h * self.classes, h * out.classes);
            for c in 0..self.classes {
                out.count[to + c] = self.count[from + c];
                out.cpu[to + c] = self.cpu[from + c];
                out.placed_s[to + c] = self.placed_s[from + c];
            }
        }
        out.effect = self.effect.clone();
        out.subscription_cpu = self.subscription_cpu.clone();
        out
    }

    /// Host `h`'s `subscription_cpu` (0 without subscriptions).
    pub fn subscription_cpu(&self, h: HostId) -> f64 {
        self.subscription_cpu.get(h.index()).copied().unwrap_or(0.0)
    }

    pub fn change(&mut self, h: HostId, class: usize, cpu: u32, placed_s: f64, joins: bool) {
        if class >= self.classes {
            return;
        }
        let k = h.index() * self.classes + class;
        if joins {
            self.count[k] += 1;
            self.cpu[k] += cpu as u64;
            self.placed_s[k] += placed_s;
        } else {
            self.count[k] -= 1;
            self.cpu[k] -= cpu as u64;
            self.placed_s[k] -= placed_s;
            if self.count[k] == 0 {
                self.placed_s[k] = 0.0;
            }
        }
    }
}
