//! Interference, the hidden ground truth of `[impact]`: each workload class puts a pressure on
//! four shared resources (llc, membw, net, disk) and has a sensitivity to each; a host absorbs
//! pressure up to its tolerance. A workload of class c on a host whose residents number n_d of
//! each class d runs slowed by
//!
//! ```text
//! slowdown_c = 1 + Σ_r s_{c,r} · max(0, Σ_d n_d·p_{d,r} − p_{c,r} − t_r)
//! ```
//!
//! (the pressure of the others: every resident but itself). A slowed workload delivers
//! 1/slowdown of what it demands; the engine integrates, per host, how many of its residents
//! are slowed (degraded VM-seconds) and Σ (1 − 1/slowdown) (VM-seconds of work lost). Policies
//! and learners never read these parameters: learners see only the slowdowns that result.

/// The shared resources, in the order of every vector.
pub const RESOURCES: [&str; 4] = ["llc", "membw", "net", "disk"];

/// A value per shared resource.
pub type Vector = [f64; 4];

/// Slowdowns below 1 + this count as undisturbed (rounding).
const EPS: f64 = 1e-12;

/// Pressure, sensitivity (per class, by `ClassId`) and the host tolerance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Interference {
    pub pressure: Vec<Vector>,
    pub sensitivity: Vec<Vector>,
    pub tolerance: Vector,
}

/// What interference does to one host's residents now.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HostEffect {
    /// Residents with a slowdown above 1.
    pub slowed: u32,
    /// Σ over residents of 1 − 1/slowdown: the workloads' worth of work lost per unit time.
    pub lost: f64,
}

impl Interference {
    /// Total pressure on a host whose residents number `mix[d]` of each class d.
    fn total(&self, mix: &[u16]) -> Vector {
        let mut total = [0.0; 4];
        for (d, &n) in mix.iter().enumerate() {
            if n > 0 {
                for (t, p) in total.iter_mut().zip(&self.pressure[d]) {
                    *t += n as f64 * p;
                }
            }
        }
        total
    }

    fn slowdown_in(&self, c: usize, total: &Vector) -> f64 {
        let (p, sens) = (&self.pressure[c], &self.sensitivity[c]);
        let mut s = 1.0;
        for (r, t) in total.iter().enumerate() {
            s += sens[r] * (t - p[r] - self.tolerance[r]).max(0.0);
        }
        s
    }

    /// The slowdown of a class-`c` resident of a host with class counts `mix` (which counts it).
    pub fn slowdown(&self, c: usize, mix: &[u16]) -> f64 {
        self.slowdown_in(c, &self.total(mix))
    }

    /// Calls `f(c, slowdown)` for every class c, as a class-c resident of a host with class
    /// counts `mix` would be slowed (the total pressure computed once). O(classes).
    pub fn each_slowdown(&self, mix: &[u16], mut f: impl FnMut(usize, f64)) {
        let total = self.total(mix);
        for c in 0..mix.len().min(self.pressure.len()) {
            f(c, self.slowdown_in(c, &total));
        }
    }

    /// The effect on every resident of a host with class counts `mix`. O(classes).
    pub fn host_effect(&self, mix: &[u16]) -> HostEffect {
        let total = self.total(mix);
        let mut e = HostEffect::default();
        for (c, &n) in mix.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let s = self.slowdown_in(c, &total);
            if s > 1.0 + EPS {
                e.slowed += n as u32;
                e.lost += n as f64 * (1.0 - 1.0 / s);
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Class 0 presses llc by 0.6 and is sensitive to it (2 per unit); class 1 presses llc 0.8
    /// and is insensitive. Tolerance 1.0 on llc.
    fn model() -> Interference {
        Interference {
            pressure: vec![[0.6, 0.0, 0.0, 0.0], [0.8, 0.0, 0.0, 0.0]],
            sensitivity: vec![[2.0, 0.0, 0.0, 0.0], [0.0; 4]],
            tolerance: [1.0, 1.0, 1.0, 1.0],
        }
    }

    #[test]
    fn slowdown_by_hand() {
        let m = model();
        // One class-0 alone: others' pressure 0 → no slowdown.
        assert_eq!(m.slowdown(0, &[1, 0]), 1.0);
        // 0 with one 1: others 0.8 < 1.0 → none.
        assert_eq!(m.slowdown(0, &[1, 1]), 1.0);
        // 0 with two 1s: others 1.6, excess 0.6, × 2 → 1 + 1.2 = 2.2.
        assert!((m.slowdown(0, &[1, 2]) - 2.2).abs() < 1e-12);
        // Two 0s and two 1s: others of a 0 = 0.6 + 1.6 = 2.2, excess 1.2 → 3.4.
        assert!((m.slowdown(0, &[2, 2]) - 3.4).abs() < 1e-12);
        let e = m.host_effect(&[2, 2]);
        // Both class-0 residents slowed by 3.4: lost 2·(1 − 1/3.4); class 1 is insensitive.
        assert_eq!(e.slowed, 2);
        assert!((e.lost - 2.0 * (1.0 - 1.0 / 3.4)).abs() < 1e-12);
        assert_eq!(m.host_effect(&[1, 1]), HostEffect::default());
    }
}
