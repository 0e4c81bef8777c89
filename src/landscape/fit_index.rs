//! The fit index: answers first-fit, best-fit and worst-fit queries in O(log n) per probed
//! level instead of a scan over every host.
//!
//! Hosts are grouped by feature set (few groups: one per distinct host-type feature mask).
//! Per group, a `MaxTree` over (free CPU, free memory) answers "leftmost host at or after
//! position p that fits", and an ordered set of (free CPU, free memory, host) answers "the host
//! whose free CPU is least (or greatest) among those that fit". An index whose users ask only
//! leftmost-fit questions (first fit, PABFD, the off-host index) is built without the ordered
//! sets (`without_ordered_sets`), so that its updates do not pay for them; asked an ordered
//! question all the same, it answers by a scan of the group (same answer, O(hosts)).

use super::max_tree::MaxTree;
use super::{FeatureMask, Fleet, HostId};
use crate::workload::Resources;
use by_free::{ByFree, SMALL_GROUP};
use std::borrow::Cow;

mod by_free;

#[derive(Clone, Debug)]
struct Group {
    features: FeatureMask,
    /// The largest single CPU request its hosts accept (their per-core speed), millicores.
    request_limit: u32,
    hosts: Vec<HostId>,
    /// Free capacity by position in `hosts`, for leftmost-fit queries.
    tree: MaxTree,
}

/// Where a host sits in the index.
#[derive(Clone, Copy, Debug)]
struct Slot {
    group: u32,
    position: u32,
}

#[derive(Clone, Debug, Default)]
pub struct FitIndex {
    groups: Vec<Group>,
    slots: Vec<Slot>,
    free: Vec<Resources>,
    /// Per group, its `ByFree` set; `None` when not kept (`without_ordered_sets`). A plain
    /// field, not a lazily filled cell: a cell inside the simulation's index would keep the
    /// compiler from trusting that the index does not change under a shared borrow (the
    /// huawei month ran 50 M instructions more with one).
    by_free: Option<Vec<ByFree>>,
    /// Groups of up to this many hosts keep their `ByFree` as a sorted vector.
    small_group: usize,
}

impl FitIndex {
    pub fn new(fleet: &Fleet) -> FitIndex {
        FitIndex::with_small_group(fleet, SMALL_GROUP)
    }

    /// `new`, with groups of up to `small_group` hosts keeping sorted vectors (tests: 0 and
    /// `usize::MAX` give every group one form).
    fn with_small_group(fleet: &Fleet, small_group: usize) -> FitIndex {
        let key = |h: HostId| (fleet.features(h), fleet.request_limit(h));
        let mut masks: Vec<(FeatureMask, u32)> = fleet.hosts().map(key).collect();
        masks.sort();
        masks.dedup();
        let mut groups: Vec<Group> = masks
            .iter()
            .map(|&(m, limit)| Group::empty(m, limit))
            .collect();
        let mut slots = Vec::with_capacity(fleet.len());
        for h in fleet.hosts() {
            let g = masks.binary_search(&key(h)).expect("key collected above");
            slots.push(Slot {
                group: g as u32,
                position: groups[g].hosts.len() as u32,
            });
            groups[g].hosts.push(h);
        }
        let free: Vec<Resources> = fleet.hosts().map(|h| fleet.free(h)).collect();
        for g in &mut groups {
            g.build(&free);
        }
        let key = |h: &HostId| (free[h.index()].cpu, free[h.index()].memory, *h);
        let by_free = groups
            .iter()
            .map(|g| ByFree::new(g.hosts.iter().map(key), small_group))
            .collect();
        FitIndex {
            groups,
            slots,
            free,
            by_free: Some(by_free),
            small_group,
        }
    }

    /// The index without its ordered sets, for users that ask only leftmost-fit questions
    /// (`first_fit`, `first_fit_from`, `next_fit`, `offers`, `all_fitting`): its updates then
    /// cost one max-tree path. Best, worst and tightest fits still answer, by a scan.
    pub fn without_ordered_sets(mut self) -> FitIndex {
        self.by_free = None;
        self
    }

    /// Group `g`'s hosts ordered by free room: its set, or (without the sets) one built now.
    fn by_free(&self, g: usize) -> Cow<'_, ByFree> {
        match &self.by_free {
            Some(sets) => Cow::Borrowed(&sets[g]),
            None => Cow::Owned(ByFree::new(
                self.groups[g]
                    .hosts
                    .iter()
                    .map(|h| (self.free[h.index()].cpu, self.free[h.index()].memory, *h)),
                self.small_group,
            )),
        }
    }

    /// Records host `h`'s new free capacity: O(log n), and a shift of a small group's vector.
    pub fn update(&mut self, h: HostId, free: Resources) {
        let old = self.free[h.index()];
        if old == free {
            return;
        }
        self.free[h.index()] = free;
        let slot = self.slots[h.index()];
        if let Some(sets) = &mut self.by_free {
            sets[slot.group as usize].replace((old.cpu, old.memory, h), (free.cpu, free.memory, h));
        }
        self.groups[slot.group as usize].set_leaf(slot.position as usize, free);
    }

    /// Whether host `h` offers room for `need` now (a host that is off, failed, or withheld by
    /// a failure offers nothing).
    pub fn offers(&self, h: HostId, need: Resources) -> bool {
        need.fits_in(self.free[h.index()])
    }

    /// The groups (with their index) whose hosts may take `need` with `features`.
    fn eligible(
        &self,
        need: Resources,
        features: FeatureMask,
    ) -> impl Iterator<Item = (usize, &Group)> {
        self.groups
            .iter()
            .enumerate()
            .filter(move |(_, g)| g.features.covers(features) && need.cpu <= g.request_limit)
    }

    /// The lowest-numbered host that fits.
    pub fn first_fit(&self, need: Resources, features: FeatureMask) -> Option<HostId> {
        self.first_fit_from(HostId(0), need, features)
    }

    /// The lowest-numbered host at or after `start` that fits, wrapping round to host 0.
    pub fn first_fit_from(
        &self,
        start: HostId,
        need: Resources,
        features: FeatureMask,
    ) -> Option<HostId> {
        let after = self
            .eligible(need, features)
            .filter_map(|(_, g)| g.first_from(start, need))
            .min();
        after.or_else(|| {
            self.eligible(need, features)
                .filter_map(|(_, g)| g.first_from(HostId(0), need))
                .min()
        })
    }

    /// The lowest-numbered host at or after `start` that fits (no wrapping).
    pub fn next_fit(
        &self,
        start: HostId,
        need: Resources,
        features: FeatureMask,
    ) -> Option<HostId> {
        self.eligible(need, features)
            .filter_map(|(_, g)| g.first_from(start, need))
            .min()
    }

    /// The host with the least free CPU that fits (ties: least free memory, then lowest id).
    pub fn best_fit(&self, need: Resources, features: FeatureMask) -> Option<HostId> {
        self.eligible(need, features)
            .filter_map(|(i, _)| self.by_free(i).least_fitting(need.cpu, need.memory))
            .min()
            .map(|(_, _, h)| h)
    }

    /// The host with the most free CPU that fits (ties: most free memory, then highest id).
    pub fn worst_fit(&self, need: Resources, features: FeatureMask) -> Option<HostId> {
        self.eligible(need, features)
            .filter_map(|(i, _)| loosest(&self.by_free(i), need))
            .max()
            .map(|(_, _, h)| h)
    }

    /// Hosts that fit, group by group, tightest (least free CPU) first: each is handed to
    /// `accept`, and a group stops once `n` were accepted or `visits` fitting hosts were seen.
    /// O(groups · (visits + memory-starved skips) · log hosts), never the whole fleet.
    pub fn visit_tightest(
        &self,
        need: Resources,
        features: FeatureMask,
        (n, visits): (usize, usize),
        mut accept: impl FnMut(HostId) -> bool,
    ) {
        for (i, _) in self.eligible(need, features) {
            // At most 4 · visits entries from the least free CPU that fits, those with too
            // little memory skipped, until `n` are accepted or `visits` seen.
            let (mut accepted, mut seen, mut taken) = (0, 0, 0);
            self.by_free(i).scan_from((need.cpu, 0, HostId(0)), |e| {
                if taken == 4 * visits {
                    return false;
                }
                taken += 1;
                if e.1 < need.memory {
                    return true;
                }
                if accepted >= n || seen >= visits {
                    return false;
                }
                seen += 1;
                accepted += usize::from(accept(e.2));
                true
            });
        }
    }

    /// Every host that fits, in id order, into `out` (cleared first). O(hosts): a fallback only.
    pub fn all_fitting(&self, need: Resources, features: FeatureMask, out: &mut Vec<HostId>) {
        out.clear();
        for (_, g) in self.eligible(need, features) {
            out.extend(
                g.hosts
                    .iter()
                    .copied()
                    .filter(|&h| need.fits_in(self.free[h.index()])),
            );
        }
        out.sort_unstable();
    }
}

impl Group {
    fn empty(features: FeatureMask, request_limit: u32) -> Group {
        Group {
            features,
            request_limit,
            hosts: Vec::new(),
            tree: MaxTree::default(),
        }
    }

    fn build(&mut self, free: &[Resources]) {
        self.tree = MaxTree::new(self.hosts.iter().map(|h| free[h.index()]));
    }

    fn set_leaf(&mut self, position: usize, free: Resources) {
        self.tree.set(position, free);
    }

    /// Leftmost host with id ≥ `start` that fits.
    fn first_from(&self, start: HostId, need: Resources) -> Option<HostId> {
        let from = self.hosts.partition_point(|&h| h < start);
        self.tree.first_from(from, need).map(|p| self.hosts[p])
    }
}

/// Greatest (free CPU, free memory, id) that fits.
fn loosest(by_free: &ByFree, need: Resources) -> Option<(u32, u32, HostId)> {
    let mut upper = (u32::MAX, u32::MAX, HostId(u32::MAX));
    loop {
        let e = by_free.last_up_to(upper)?;
        if e.0 < need.cpu {
            return None;
        }
        if e.1 >= need.memory {
            return Some(e);
        }
        // Every entry at this CPU level has less memory than e: skip the level.
        if e.0 == 0 {
            return None;
        }
        upper = (e.0 - 1, u32::MAX, HostId(u32::MAX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impact::PowerModel;
    use crate::landscape::{FeatureMask, HostType, HostTypeId};
    use proptest::prelude::*;

    fn fleet(hosts: &[(u32, u32, u32)]) -> Fleet {
        let mut f = Fleet::default();
        for mask in 0..4 {
            f.types.push(HostType {
                name: format!("t{mask}"),
                cores: 1.0,
                memory_gib: 1.0,
                features: FeatureMask(mask),
                price_usd: 0.0,
                power: PowerModel::Linear {
                    idle_w: 0.0,
                    max_w: 0.0,
                },
                lifetime_years: 4.0,
                embodied_kgco2e: 0.0,
                network_gbps: 1.0,
                max_request_cores: None,
            });
        }
        for &(cpu, mem, mask) in hosts {
            f.push_host(
                HostTypeId(mask as u16),
                Resources { cpu, memory: mem },
                cpu.max(1),
            );
        }
        f
    }

    /// The answers by brute force over every host.
    fn brute(
        f: &Fleet,
        need: Resources,
        feat: FeatureMask,
    ) -> (Option<HostId>, Option<HostId>, Option<HostId>) {
        let fit: Vec<HostId> = f.hosts().filter(|&h| f.fits(h, need, feat)).collect();
        let key = |h: &&HostId| (f.free(**h).cpu, f.free(**h).memory, **h);
        (
            fit.first().copied(),
            fit.iter().min_by_key(key).copied(),
            fit.iter().max_by_key(key).copied(),
        )
    }

    proptest! {
        #[test]
        fn index_agrees_with_a_scan(
            hosts in prop::collection::vec((0u32..16, 0u32..16, 0u32..4), 1..40),
            ops in prop::collection::vec((0usize..40, 0u32..16, 0u32..16), 0..60),
            need in (0u32..16, 0u32..16, 0u32..4),
            start in 0u32..40,
        ) {
            let mut f = fleet(&hosts);
            let mut idx = FitIndex::new(&f);
            // The index without its ordered sets, and one whose groups keep B-trees rather than
            // sorted vectors, must give every answer the same.
            let mut lean = FitIndex::new(&f).without_ordered_sets();
            let mut trees = FitIndex::with_small_group(&f, 0);
            let (need, feat) = (Resources { cpu: need.0, memory: need.1 }, FeatureMask(need.2));
            // Halfway through, queries between updates.
            let half = ops.len() / 2;
            for (k, (h, cpu, mem)) in ops.into_iter().enumerate() {
                if k == half {
                    prop_assert_eq!(idx.best_fit(need, feat), brute(&f, need, feat).1);
                    prop_assert_eq!(lean.best_fit(need, feat), brute(&f, need, feat).1);
                    prop_assert_eq!(trees.best_fit(need, feat), brute(&f, need, feat).1);
                }
                let h = HostId((h % f.len()) as u32);
                f.allocated[h.index()] = Resources { cpu: cpu.min(f.capacity[h.index()].cpu), memory: mem.min(f.capacity[h.index()].memory) };
                idx.update(h, f.free(h));
                lean.update(h, f.free(h));
                trees.update(h, f.free(h));
            }
            let (first, best, worst) = brute(&f, need, feat);
            let start = HostId(start % f.len() as u32);
            let fit: Vec<HostId> = f.hosts().filter(|&h| f.fits(h, need, feat)).collect();
            let rr = fit.iter().copied().find(|&h| h >= start).or(fit.first().copied());
            let visited = |ix: &FitIndex| {
                let mut seen = Vec::new();
                ix.visit_tightest(need, feat, (2, 3), |h| { seen.push(h); h.0 % 2 == 0 });
                seen
            };
            for ix in [&idx, &lean, &trees] {
                prop_assert_eq!(ix.first_fit(need, feat), first);
                prop_assert_eq!(ix.best_fit(need, feat), best);
                prop_assert_eq!(ix.worst_fit(need, feat), worst);
                prop_assert_eq!(ix.first_fit_from(start, need, feat), rr);
                let mut all = Vec::new();
                ix.all_fitting(need, feat, &mut all);
                prop_assert_eq!(&all, &fit);
            }
            prop_assert_eq!(visited(&idx), visited(&lean));
            prop_assert_eq!(visited(&idx), visited(&trees));
        }
    }
}
