//! Platform feature speed-ups, hidden ground truth of `[impact]`: a class may need fewer cores
//! for the same work on hosts with a feature (`cpu_factor = { sriov = 0.5 }`: half). The factor
//! of a (class, host type) pair is the product of the class's factors for the type's features;
//! it multiplies the class's CPU demand on such hosts (its request is unchanged).

/// CPU demand factor by (class, host type), dense.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CpuFactors {
    types: usize,
    factor: Vec<f64>,
}

impl CpuFactors {
    /// `per_class[c]` lists (feature bit mask, factor); `type_features[t]` each type's mask.
    pub fn new(per_class: &[Vec<(u32, f64)>], type_features: &[u32]) -> CpuFactors {
        let types = type_features.len();
        let mut factor = Vec::with_capacity(per_class.len() * types);
        for class in per_class {
            for &mask in type_features {
                let f: f64 = class
                    .iter()
                    .filter(|(bit, _)| mask & bit != 0)
                    .map(|(_, f)| f)
                    .product();
                factor.push(f);
            }
        }
        CpuFactors { types, factor }
    }

    /// The factor of class `class` on a host of type `host_type` (1.0 if unknown).
    pub fn of(&self, class: usize, host_type: usize) -> f64 {
        self.factor
            .get(class * self.types + host_type)
            .copied()
            .unwrap_or(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_multiply_over_a_types_features() {
        // Class 0: sriov (bit 1) 0.5, nvme (bit 2) 0.8. Types: none, sriov, sriov+nvme.
        let f = CpuFactors::new(&[vec![(1, 0.5), (2, 0.8)], vec![]], &[0, 1, 3]);
        assert_eq!(f.of(0, 0), 1.0);
        assert_eq!(f.of(0, 1), 0.5);
        assert!((f.of(0, 2) - 0.4).abs() < 1e-12); // 0.5 × 0.8
        assert_eq!(f.of(1, 2), 1.0);
    }
}
