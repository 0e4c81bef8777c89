//! `MaxTree`: a segment tree of (free CPU, free memory) over positions 0‥n, answering "the
//! leftmost position at or after p whose free capacity covers a request" in O(log n) per probe.
//! The fit index keeps one per host group; the rebalancing plan keeps one per round.

use crate::workload::Resources;

#[derive(Clone, Debug, Default)]
pub struct MaxTree {
    size: usize,
    len: usize,
    /// Max free CPU and max free memory over each node (side by side: one cache line per
    /// node visited); leaves at `size + i`.
    max: Vec<Resources>,
}

impl MaxTree {
    pub fn new(free: impl ExactSizeIterator<Item = Resources>) -> MaxTree {
        let mut t = MaxTree::default();
        t.rebuild(free);
        t
    }

    /// Refills the tree from scratch, reusing its memory. O(n).
    pub fn rebuild(&mut self, free: impl ExactSizeIterator<Item = Resources>) {
        let len = free.len();
        let size = len.next_power_of_two().max(1);
        self.size = size;
        self.len = len;
        self.max.clear();
        self.max.resize(2 * size, Resources::ZERO);
        for (i, f) in free.enumerate() {
            self.max[size + i] = f;
        }
        for n in (1..size).rev() {
            self.pull(n);
        }
    }

    /// The largest free CPU and the largest free memory over all positions (maybe of different
    /// positions: a request that does not fit this fits nowhere).
    pub fn max(&self) -> Resources {
        self.max.get(1).copied().unwrap_or(Resources::ZERO)
    }

    /// Recomputes node `n` from its children; `true` if it changed.
    fn pull(&mut self, n: usize) -> bool {
        let (l, r) = (self.max[2 * n], self.max[2 * n + 1]);
        let m = Resources {
            cpu: l.cpu.max(r.cpu),
            memory: l.memory.max(r.memory),
        };
        let changed = m != self.max[n];
        self.max[n] = m;
        changed
    }

    /// Records position `i`'s free capacity. O(log n).
    pub fn set(&mut self, i: usize, free: Resources) {
        let mut n = self.size + i;
        self.max[n] = free;
        // Up to the root, stopping where a node's maxima do not change.
        while n > 1 {
            n /= 2;
            if !self.pull(n) {
                break;
            }
        }
    }

    fn may_fit(&self, n: usize, need: Resources) -> bool {
        need.fits_in(self.max[n])
    }

    /// The leftmost position ≥ `from` whose free capacity covers `need`.
    pub fn first_from(&self, from: usize, need: Resources) -> Option<usize> {
        if from >= self.len || !self.may_fit(1, need) {
            return None;
        }
        // A scan over hosts that mostly have room finds one among the next few leaves (side by
        // side in memory): no descent then.
        let near = (from + 16).min(self.len);
        if let Some(i) = (from..near).find(|&i| self.may_fit(self.size + i, need)) {
            return Some(i);
        }
        if near >= self.len {
            return None;
        }
        self.descend(1, 0, self.size, near, need)
    }

    /// Leftmost leaf position ≥ `from` in node `n` (covering [lo, hi)) that fits.
    fn descend(
        &self,
        n: usize,
        lo: usize,
        hi: usize,
        from: usize,
        need: Resources,
    ) -> Option<usize> {
        if hi <= from || !self.may_fit(n, need) {
            return None;
        }
        if hi - lo == 1 {
            return Some(lo);
        }
        let mid = (lo + hi) / 2;
        self.descend(2 * n, lo, mid, from, need)
            .or_else(|| self.descend(2 * n + 1, mid, hi, from, need))
    }
}
