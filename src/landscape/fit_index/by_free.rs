//! `ByFree`: one host group's hosts ordered by (free CPU, free memory, id), for the fit index's
//! tightest- and loosest-fit questions. A small group keeps them in a sorted vector (an update
//! is two binary searches and a shift of a few KiB at most, several times cheaper than a B-tree's
//! remove and insert), a large one in a `BTreeSet`; both answer every question the same.

use crate::landscape::HostId;
use std::collections::BTreeSet;

/// (free CPU, free memory, host).
pub type Entry = (u32, u32, HostId);

/// Groups of up to this many hosts keep a sorted vector.
pub const SMALL_GROUP: usize = 1024;

#[derive(Clone, Debug)]
pub enum ByFree {
    Sorted(Vec<Entry>),
    Tree(BTreeSet<Entry>),
}

impl ByFree {
    /// The set of `entries` (distinct hosts), a vector when there are at most `small` of them.
    pub fn new(entries: impl Iterator<Item = Entry>, small: usize) -> ByFree {
        let mut v: Vec<Entry> = entries.collect();
        if v.len() <= small {
            v.sort_unstable();
            ByFree::Sorted(v)
        } else {
            ByFree::Tree(v.into_iter().collect())
        }
    }

    /// Replaces `old` (present) by `new` (a different entry of the same host).
    pub fn replace(&mut self, old: Entry, new: Entry) {
        match self {
            ByFree::Sorted(v) => {
                let Ok(i) = v.binary_search(&old) else {
                    debug_assert!(false, "{old:?} is not in the set");
                    return;
                };
                // Where `new` goes among the entries as they are (`old` still in place).
                let j = v.partition_point(|e| *e < new);
                if j > i {
                    v[i..j].rotate_left(1);
                    v[j - 1] = new;
                } else {
                    v[j..=i].rotate_right(1);
                    v[j] = new;
                }
            }
            ByFree::Tree(s) => {
                s.remove(&old);
                s.insert(new);
            }
        }
    }

    /// The least entry with free CPU ≥ `cpu` and free memory ≥ `memory`. From the least at or
    /// after (cpu, memory), each entry with too little memory opens a CPU level whose part with
    /// enough is sought next; a vector first looks at a few entries in turn (where most such
    /// searches end).
    pub fn least_fitting(&self, cpu: u32, memory: u32) -> Option<Entry> {
        match self {
            ByFree::Sorted(v) => {
                let mut i = v.partition_point(|e| *e < (cpu, memory, HostId(0)));
                for _ in 0..16 {
                    let e = *v.get(i)?;
                    if e.1 >= memory {
                        return Some(e);
                    }
                    i += 1;
                }
                loop {
                    let e = *v.get(i)?;
                    if e.1 >= memory {
                        return Some(e);
                    }
                    // At least one step: e itself sorts before (e.0, memory, 0).
                    i += v[i..].partition_point(|x| *x < (e.0, memory, HostId(0)));
                }
            }
            ByFree::Tree(s) => {
                let mut level = cpu;
                loop {
                    let e = *s.range((level, memory, HostId(0))..).next()?;
                    if e.1 >= memory {
                        return Some(e);
                    }
                    level = e.0;
                }
            }
        }
    }

    /// The greatest entry at or before `key`.
    pub fn last_up_to(&self, key: Entry) -> Option<Entry> {
        match self {
            ByFree::Sorted(v) => {
                let i = v.partition_point(|e| *e <= key);
                i.checked_sub(1).map(|i| v[i])
            }
            ByFree::Tree(s) => s.range(..=key).next_back().copied(),
        }
    }

    /// Hands the entries at or after `key` to `f` in order, while it returns `true`.
    pub fn scan_from(&self, key: Entry, mut f: impl FnMut(Entry) -> bool) {
        match self {
            ByFree::Sorted(v) => {
                let from = v.partition_point(|e| *e < key);
                for &e in &v[from..] {
                    if !f(e) {
                        return;
                    }
                }
            }
            ByFree::Tree(s) => {
                for &e in s.range(key..) {
                    if !f(e) {
                        return;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// After any replacements, both forms hold the same entries and answer alike.
        #[test]
        fn both_forms_agree(
            start in prop::collection::vec((0u32..8, 0u32..8), 1..80),
            moves in prop::collection::vec((0usize..80, 0u32..8, 0u32..8), 0..60),
            keys in prop::collection::vec((0u32..9, 0u32..9, 0u32..81), 1..10),
        ) {
            let entries = || start.iter().enumerate().map(|(h, &(c, m))| (c, m, HostId(h as u32)));
            let mut now: Vec<Entry> = entries().collect();
            let mut sorted = ByFree::new(entries(), usize::MAX);
            let mut tree = ByFree::new(entries(), 0);
            prop_assert!(matches!(sorted, ByFree::Sorted(_)) && matches!(tree, ByFree::Tree(_)));
            for (h, c, m) in moves {
                let h = h % now.len();
                let (old, new) = (now[h], (c, m, HostId(h as u32)));
                if old != new {
                    sorted.replace(old, new);
                    tree.replace(old, new);
                    now[h] = new;
                }
            }
            now.sort_unstable();
            let all = |s: &ByFree| {
                let mut out = Vec::new();
                s.scan_from((0, 0, HostId(0)), |e| { out.push(e); true });
                out
            };
            prop_assert_eq!(all(&sorted), now.clone());
            prop_assert_eq!(all(&tree), now.clone());
            for (c, m, h) in keys {
                let key = (c, m, HostId(h));
                let last = now.iter().copied().rev().find(|e| *e <= key);
                prop_assert_eq!(sorted.last_up_to(key), last);
                prop_assert_eq!(tree.last_up_to(key), last);
                let least = now.iter().copied().find(|e| e.0 >= c && e.1 >= m);
                prop_assert_eq!(sorted.least_fitting(c, m), least);
                prop_assert_eq!(tree.least_fitting(c, m), least);
                let mut two = Vec::new();
                sorted.scan_from(key, |e| { two.push(e); two.len() < 2 });
                let want: Vec<Entry> = now.iter().copied().filter(|e| *e >= key).take(2).collect();
                prop_assert_eq!(two, want);
            }
        }
    }
}
