//! Server power models: linear between idle and peak, or an 11-point SPECpower table.

/// Power draw of a host as a function of its CPU utilisation u ∈ [0, 1].
#[derive(Clone, Debug, PartialEq)]
pub enum PowerModel {
    /// P(u) = idle + (max − idle)·u.
    Linear { idle_w: f64, max_w: f64 },
    /// Watts at 0 %, 10 %, … 100 %, linearly interpolated between points.
    Specpower([f64; 11]),
}

impl PowerModel {
    /// Watts at utilisation `u` (clamped to [0, 1]).
    pub fn watts(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match self {
            PowerModel::Linear { idle_w, max_w } => idle_w + (max_w - idle_w) * u,
            PowerModel::Specpower(table) => {
                let x = u * 10.0;
                let i = (x.floor() as usize).min(9);
                let frac = x - i as f64;
                table[i] + (table[i + 1] - table[i]) * frac
            }
        }
    }

    /// Watts gained going from CPU `before` to `after` on a host of physical CPU `cap` (same
    /// units; utilisation capped at 100 %). Linear models in closed form, so that every host of
    /// a type gets the very same number for the same step.
    pub fn rise(&self, cap: f64, before: f64, after: f64) -> f64 {
        match self {
            PowerModel::Linear { idle_w, max_w } => {
                (max_w - idle_w) * (after.min(cap) - before.min(cap)) / cap
            }
            PowerModel::Specpower(_) => self.watts(after / cap) - self.watts(before / cap),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_model_at_known_points() {
        let p = PowerModel::Linear {
            idle_w: 100.0,
            max_w: 300.0,
        };
        assert_eq!(p.watts(0.0), 100.0);
        assert_eq!(p.watts(0.25), 150.0); // 100 + 200 × 0.25
        assert_eq!(p.watts(1.0), 300.0);
        assert_eq!(p.watts(1.7), 300.0);
    }

    #[test]
    fn specpower_interpolates_between_points() {
        // HP ProLiant ML110 G4 (SPECpower): 86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117 W.
        let p = PowerModel::Specpower([
            86.0, 89.4, 92.6, 96.0, 99.5, 102.0, 106.0, 108.0, 112.0, 114.0, 117.0,
        ]);
        assert_eq!(p.watts(0.0), 86.0);
        assert_eq!(p.watts(1.0), 117.0);
        assert!((p.watts(0.35) - 97.75).abs() < 1e-9); // halfway 96 → 99.5
        assert!((p.watts(0.95) - 115.5).abs() < 1e-9); // halfway 114 → 117
    }
}
