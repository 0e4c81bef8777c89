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

    /// The least entry at or after `key`.
    pub fn first_from(&self, key: Entry) -> Option<Entry> {
        match self {
            ByFree::Sorted(v) => v.get(v.partition_point(|e| *e < key)).copied(),
            ByFree::Tree(s) => s.range(key..).next().copied(),
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
            start in prop::collection::vec((0u32..8, 0u32..8), 1..30),
            moves in prop::collection::vec((0usize..30, 0u32..8, 0u32..8), 0..40),
            keys in prop::collection::vec((0u32..9, 0u32..9, 0u32..31), 1..10),
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
                let first = now.iter().copied().find(|e| *e >= key);
                let last = now.iter().copied().rev().find(|e| *e <= key);
                prop_assert_eq!(sorted.first_from(key), first);
                prop_assert_eq!(tree.first_from(key), first);
                prop_assert_eq!(sorted.last_up_to(key), last);
                prop_assert_eq!(tree.last_up_to(key), last);
                let mut two = Vec::new();
                sorted.scan_from(key, |e| { two.push(e); two.len() < 2 });
                let want: Vec<Entry> = now.iter().copied().filter(|e| *e >= key).take(2).collect();
                prop_assert_eq!(two, want);
            }
        }
    }
}
