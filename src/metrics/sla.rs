//! The per-workload interference SLA: a workload is **within its SLA** when it gets at least
//! `SLA_DELIVERED` (0.9) of the CPU it demands for at least `SLA_SHARE_OF_LIFE` (95 %) of the
//! time it runs. Delivered over demanded is 1/slowdown (interference) times the host's share
//! when its residents demand more than its physical CPU (overload). Counted for the classes
//! that interference can slow (a sensitivity above 0 in `[impact]`): the workloads Paragon's
//! QoS figure is about.
//!
//! Kept without a pass over workloads: per host and class, a clock of the seconds a resident
//! of that class has been short (`∫ [delivered/demanded < 0.9] dt`), integrated with the
//! host's meters; a workload reads its host's clock when it lands and when it leaves, and the
//! difference is its time short. O(classes) per host change; nothing when interference is off.

/// Delivered over demanded CPU below this is a shortfall.
pub const SLA_DELIVERED: f64 = 0.9;
/// A workload short for more than 1 − this of its life is outside its SLA.
pub const SLA_SHARE_OF_LIFE: f64 = 0.95;

#[derive(Clone, Debug, Default)]
pub struct SlaClock {
    classes: usize,
    /// Per host × class: delivered over demanded as interference leaves it now (1/slowdown).
    delivered: Vec<f64>,
    /// Per host × class: seconds a resident of the class has been short.
    clock: Vec<f64>,
    /// Per host × class: ∫ delivered/demanded dt from interference (seconds of work done at
    /// full speed by a resident), for finite jobs that run longer when slowed.
    progress: Vec<f64>,
    /// Per class: counted (interference can slow it).
    counted: Vec<bool>,
    /// Counted workloads judged (ended, or running at the end), and those within their SLA.
    pub workloads: u64,
    pub within: u64,
}

impl SlaClock {
    /// Clocks for `hosts` hosts; `counted[c]`: class c is judged.
    pub fn new(hosts: usize, counted: Vec<bool>) -> SlaClock {
        let classes = counted.len();
        SlaClock {
            classes,
            delivered: vec![1.0; hosts * classes],
            clock: vec![0.0; hosts * classes],
            progress: vec![0.0; hosts * classes],
            counted,
            workloads: 0,
            within: 0,
        }
    }

    pub fn is_on(&self) -> bool {
        self.classes > 0
    }

    /// Host `h` held its state for `dt` seconds, its residents getting `share` (≤ 1) of their
    /// demand for want of physical CPU.
    pub fn advance(&mut self, h: usize, dt: f64, share: f64) {
        let r = h * self.classes..(h + 1) * self.classes;
        let clocks = self.clock[r.clone()].iter_mut();
        let progress = self.progress[r.clone()].iter_mut();
        for ((clock, work), d) in clocks.zip(progress).zip(&self.delivered[r]) {
            if d * share < SLA_DELIVERED {
                *clock += dt;
            }
            *work += d * dt;
        }
    }

    /// From now a class-`c` resident of host `h` runs `slowdown` times slower.
    pub fn set_slowdown(&mut self, h: usize, c: usize, slowdown: f64) {
        self.delivered[h * self.classes + c] = 1.0 / slowdown.max(1.0);
    }

    /// Host `h`'s clock for class `c` (its meters advanced to now).
    pub fn reading(&self, h: usize, c: usize) -> f64 {
        self.clock.get(h * self.classes + c).copied().unwrap_or(0.0)
    }

    /// Host `h`'s work clock for class `c`: seconds of full-speed work a resident has done.
    pub fn work_reading(&self, h: usize, c: usize) -> f64 {
        self.progress
            .get(h * self.classes + c)
            .copied()
            .unwrap_or(0.0)
    }

    /// A class-`c` resident of host `h` now does this many seconds of work per second.
    pub fn rate(&self, h: usize, c: usize) -> f64 {
        self.delivered
            .get(h * self.classes + c)
            .copied()
            .unwrap_or(1.0)
    }

    /// A class-`c` workload that ran `life_s` seconds, `short_s` of them short, is judged.
    pub fn judge(&mut self, c: usize, short_s: f64, life_s: f64) {
        if !self.counted.get(c).copied().unwrap_or(false) {
            return;
        }
        self.workloads += 1;
        // A little slack for rounding of the two clock readings.
        self.within += u64::from(short_s <= (1.0 - SLA_SHARE_OF_LIFE) * life_s + 1e-6);
    }

    /// Share of judged workloads within their SLA (1 when none were judged).
    pub fn within_fraction(&self) -> f64 {
        if self.workloads == 0 {
            1.0
        } else {
            self.within as f64 / self.workloads as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resident_is_short_while_slowed_past_the_threshold() {
        // One host, two classes, both judged.
        let mut s = SlaClock::new(1, vec![true, true]);
        // 100 s undisturbed; then class 0 slowed 1.2× (delivers 1/1.2 = 0.833 < 0.9) for 10 s,
        // class 1 slowed 1.1× (0.909 ≥ 0.9: not short); then a 20 s overload at share 0.95:
        // class 0 delivers 0.79 (short), class 1 0.864 (short).
        s.advance(0, 100.0, 1.0);
        s.set_slowdown(0, 0, 1.2);
        s.set_slowdown(0, 1, 1.1);
        s.advance(0, 10.0, 1.0);
        s.advance(0, 20.0, 0.95);
        assert_eq!(s.reading(0, 0), 30.0);
        assert_eq!(s.reading(0, 1), 20.0);
        // 30 s short of a 1000 s life is 3 % ≤ 5 %: within; 30 of 130 s is not.
        s.judge(0, 30.0, 1000.0);
        s.judge(0, 30.0, 130.0);
        assert_eq!((s.workloads, s.within), (2, 1));
        assert_eq!(s.within_fraction(), 0.5);
    }
}
