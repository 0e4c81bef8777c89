//! Where a replica may and should go: anti-affinity (not in a domain holding a live sibling of
//! its component, or one a sibling is migrating to) and chatty-pair affinity (a replica of a
//! component with a `near` partner goes into a domain holding a live replica of the partner,
//! where one of its hosts has room). Live migrations are held to both.

use super::{SERVICE_ID_BASE, ServiceModel};
use crate::landscape::HostId;
use crate::workload::WorkloadId;

impl ServiceModel {
    /// The hosts replica `id` may not go to (the domains of its component's live replicas)
    /// into `forbidden`; empty without anti-affinity.
    pub fn forbid(&mut self, id: WorkloadId) {
        self.forbidden.clear();
        let r = (id.0 - SERVICE_ID_BASE) as usize;
        let rep = self.replicas[r];
        let inst = &self.instances[rep.instance as usize];
        let class = &self.classes[inst.class as usize];
        let Some(kind) = class.apart else { return };
        let c = &class.components[rep.component as usize];
        let first = (inst.first_replica + c.offset) as usize;
        for other in (first..first + c.replicas as usize).filter(|&o| o != r) {
            let sibling = &self.replicas[other];
            for h in sibling.host.into_iter().chain(sibling.heading) {
                let d = self.domain_of[kind as usize][h.index()] as usize;
                self.forbidden.extend_from_slice(&self.domains[d].hosts);
            }
        }
        self.forbidden.sort_unstable();
        self.forbidden.dedup();
    }

    /// The hosts trace member `id` may not go to (the domains of its component's other placed
    /// members) into `forbidden`; `false` if it is no member or trace services keep no
    /// members apart.
    pub fn forbid_member(&mut self, id: WorkloadId) -> bool {
        self.forbidden.clear();
        let Some(t) = self.trace.as_ref() else {
            return false;
        };
        let (Some(kind), Some(hosts)) = (t.apart, t.siblings(id)) else {
            return false;
        };
        let of = &self.domain_of[kind as usize];
        for h in hosts {
            let d = of[h.index()] as usize;
            self.forbidden.extend_from_slice(&self.domains[d].hosts);
        }
        self.forbidden.sort_unstable();
        self.forbidden.dedup();
        true
    }

    /// Whether a live migration of trace member `id` to `to` puts it in the domain of another
    /// placed member of its component (always `false` without anti-affinity).
    pub fn member_move_breaks_rules(&self, id: WorkloadId, to: HostId) -> bool {
        let Some(t) = self.trace.as_ref() else {
            return false;
        };
        let (Some(kind), Some(hosts)) = (t.apart, t.siblings(id)) else {
            return false;
        };
        let of = &self.domain_of[kind as usize];
        let there = |h: &HostId| of[h.index()] == of[to.index()];
        let own = t.host_of(id).filter(there).map_or(0, |_| 1);
        hosts.iter().filter(|h| there(h)).count() > own
    }

    /// A trace member went into a domain holding another member of its component.
    pub fn count_not_apart(&mut self) {
        if let Some(t) = self.trace.as_mut() {
            t.not_apart += 1;
        }
    }

    /// The hosts replica `id` should go to (the domains of its partner's live replicas) into
    /// `near`, sorted; `false` (and `near` empty) if its component has no partner.
    pub fn near_partner(&mut self, id: WorkloadId) -> bool {
        self.near.clear();
        let r = (id.0 - SERVICE_ID_BASE) as usize;
        let rep = self.replicas[r];
        let inst = &self.instances[rep.instance as usize];
        let class = &self.classes[inst.class as usize];
        let Some((partner, kind)) = class.components[rep.component as usize].near else {
            return false;
        };
        let p = &class.components[partner];
        let first = (inst.first_replica + p.offset) as usize;
        for other in &self.replicas[first..first + p.replicas as usize] {
            if let Some(h) = other.host.filter(|_| other.reachable) {
                let d = self.domain_of[kind as usize][h.index()] as usize;
                self.near.extend_from_slice(&self.domains[d].hosts);
            }
        }
        self.near.sort_unstable();
        self.near.dedup();
        true
    }

    /// A replica with a partner that had live replicas went elsewhere: none of their domains'
    /// hosts had room.
    pub fn count_away(&mut self, id: WorkloadId) {
        let r = &self.replicas[(id.0 - SERVICE_ID_BASE) as usize];
        let class = self.instances[r.instance as usize].class as usize;
        self.classes[class].away_from_partner += 1;
    }

    /// Whether a live migration of replica `id` from `from` to `to` breaks its component's
    /// rules: `to` is in the domain of a sibling (where it runs or is migrating to), or `from`
    /// is in a domain of its chatty partner's live replicas and `to` is not. Set `heading` when
    /// it is carried out.
    pub fn move_breaks_rules(&self, id: WorkloadId, from: HostId, to: HostId) -> bool {
        let r = (id.0 - SERVICE_ID_BASE) as usize;
        let rep = self.replicas[r];
        let inst = &self.instances[rep.instance as usize];
        let class = &self.classes[inst.class as usize];
        let c = &class.components[rep.component as usize];
        if let Some(kind) = class.apart {
            let of = &self.domain_of[kind as usize];
            let first = (inst.first_replica + c.offset) as usize;
            let clash = (first..first + c.replicas as usize)
                .filter(|&o| o != r)
                .flat_map(|o| {
                    self.replicas[o]
                        .host
                        .into_iter()
                        .chain(self.replicas[o].heading)
                })
                .any(|h| of[h.index()] == of[to.index()]);
            if clash {
                return true;
            }
        }
        let Some((partner, kind)) = c.near else {
            return false;
        };
        let of = &self.domain_of[kind as usize];
        let p = &class.components[partner];
        let first = (inst.first_replica + p.offset) as usize;
        let partners: Vec<u32> = self.replicas[first..first + p.replicas as usize]
            .iter()
            .filter(|o| o.reachable)
            .filter_map(|o| o.host)
            .map(|h| of[h.index()])
            .collect();
        partners.contains(&of[from.index()]) && !partners.contains(&of[to.index()])
    }

    /// Replica `id` is migrating to `to` (`Some`), or no longer (`None`: abandoned).
    pub fn set_heading(&mut self, id: WorkloadId, to: Option<HostId>) {
        self.replicas[(id.0 - SERVICE_ID_BASE) as usize].heading = to;
    }
}
