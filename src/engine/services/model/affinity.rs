//! Where a replica may and should go: anti-affinity (not in a domain holding a live sibling of
//! its component) and chatty-pair affinity (a replica of a component with a `near` partner goes
//! into a domain holding a live replica of the partner, where one of its hosts has room).

use super::{SERVICE_ID_BASE, ServiceModel};
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
        for other in first..first + c.replicas as usize {
            if let Some(h) = self.replicas[other].host.filter(|_| other != r) {
                let d = self.domain_of[kind as usize][h.index()] as usize;
                self.forbidden.extend_from_slice(&self.domains[d].hosts);
            }
        }
        self.forbidden.sort_unstable();
        self.forbidden.dedup();
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
}
