//! `MaxTree`: a segment tree of (free CPU, free memory) over positions 0‥n, answering "the
//! leftmost position at or after p whose free capacity covers a request" in O(log n) per probe.
//! The fit index keeps one per host group; the rebalancing plan keeps one per round.

use crate::workload::Resources;

#[derive(Clone, Debug, Default)]
pub struct MaxTree {
    size: usize,
    len: usize,
    /// Max free CPU and max free memory over each node; leaves at `size + i`.
    cpu: Vec<u32>,
    memory: Vec<u32>,
}

impl MaxTree {
    pub fn new(free: impl ExactSizeIterator<Item = Resources>) -> MaxTree {
        let len = free.len();
        let size = len.next_power_of_two().max(1);
        let mut t = MaxTree {
            size,
            len,
            cpu: vec![0; 2 * size],
            memory: vec![0; 2 * size],
        };
        for (i, f) in free.enumerate() {
            t.cpu[size + i] = f.cpu;
            t.memory[size + i] = f.memory;
        }
        for n in (1..size).rev() {
            t.pull(n);
        }
        t
    }

    fn pull(&mut self, n: usize) {
        self.cpu[n] = self.cpu[2 * n].max(self.cpu[2 * n + 1]);
        self.memory[n] = self.memory[2 * n].max(self.memory[2 * n + 1]);
    }

    /// Records position `i`'s free capacity. O(log n).
    pub fn set(&mut self, i: usize, free: Resources) {
        let mut n = self.size + i;
        self.cpu[n] = free.cpu;
        self.memory[n] = free.memory;
        while n > 1 {
            n /= 2;
            self.pull(n);
        }
    }

    fn may_fit(&self, n: usize, need: Resources) -> bool {
        self.cpu[n] >= need.cpu && self.memory[n] >= need.memory
    }

    /// The leftmost position ≥ `from` whose free capacity covers `need`.
    pub fn first_from(&self, from: usize, need: Resources) -> Option<usize> {
        if from >= self.len || !self.may_fit(1, need) {
            return None;
        }
        self.descend(1, 0, self.size, from, need)
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
